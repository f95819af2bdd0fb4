import { problemsOf as expectProblems } from '../../helpers/problems';
import { resolveVllmService, VllmServiceOptions } from '../../../lib/core/vllm/options';

const base: VllmServiceOptions = { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' };

const problemsOf = (o: Partial<VllmServiceOptions>): string => expectProblems(() => resolveVllmService({ ...base, ...o } as VllmServiceOptions));

describe('resolveVllmService defaults', () => {
  const r = resolveVllmService(base);
  test.each([
    ['gpuMemoryUtilization', r.gpuMemoryUtilization, 0.85],
    ['maxModelLen (capped, never the full 131072 by accident)', r.maxModelLen, 8192],
    ['maxNumSeqs', r.maxNumSeqs, 256],
    ['tensorParallelSize', r.tensorParallelSize, 1],
    ['image', r.image, 'vllm/vllm-openai:v0.26.0'],
    ['autoscaling', r.autoscaling, { mode: 'hpa', minReplicas: 2, maxReplicas: 8, targetRequestsWaiting: 5, prometheusServerAddress: 'http://prometheus-operated.monitoring.svc:9090', cooldownSeconds: 600 }],
    ['model cache (more than one replica)', r.modelCache.mode, 'perReplica'],
    ['model cache size (twice the 15 GiB of weights)', r.modelCache.size, '30Gi'],
    ['memory request (8B: 24Gi)', r.memoryRequest, '24Gi'],
    ['memory limit (30% above)', r.memoryLimit, '32Gi'],
    ['cpu request', r.cpuRequest, '4'],
    ['no /dev/shm at TP=1', r.shmSize, undefined],
    ['startup budget (at least 10 minutes)', r.startupBudgetSeconds, 600],
    ['hf token secret', r.hfTokenSecret, { name: 'hf-token', key: 'token' }],
    ['revisionHistoryLimit', r.revisionHistoryLimit, 3],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  test('shared GPUs default to 0.75 utilization', () => {
    expect(resolveVllmService({ ...base, sharedGpu: true }).gpuMemoryUtilization).toBe(0.75);
  });

  test('TP=4 adds a 16Gi /dev/shm and counts it in the memory request', () => {
    const r4 = resolveVllmService({ ...base, model: 'llama-3.1-70b', tensorParallelSize: 4 });
    expect(r4.shmSize).toBe('16Gi');
    expect(r4.memoryRequest).toBe('80Gi'); // 64Gi for a 70B plus 16Gi of shm
    expect(r4.memoryLimit).toBe('104Gi');
    expect(r4.cpuRequest).toBe('10');
  });

  test('a 70B downloading from the hub gets at least the 21-minute budget, derived from its size', () => {
    const r70 = resolveVllmService({ ...base, model: 'llama-3.1-70b', tensorParallelSize: 4 });
    expect(r70.estimatedLoadSeconds).toBeGreaterThan(1260);
    expect(r70.startupBudgetSeconds).toBeGreaterThanOrEqual(Math.ceil(r70.estimatedLoadSeconds * 1.5));
  });

  test('a 70B quantized to AWQ (37 GiB) still gets the 21-minute floor: the figure is for the model, not its packing', () => {
    expect(resolveVllmService({ ...base, model: 'llama-3.1-70b-awq' }).startupBudgetSeconds).toBeGreaterThanOrEqual(1260);
  });

  test('one replica without autoscaling gets a shared ReadWriteOnce cache', () => {
    const r1 = resolveVllmService({ ...base, autoscaling: false, replicas: 1 });
    expect(r1.modelCache).toEqual({ mode: 'shared', accessMode: 'ReadWriteOnce', size: '30Gi', storageClassName: undefined, existingClaimName: undefined });
  });
});

describe('resolveVllmService refusals', () => {
  test('fails if the model plus one maxModelLen request cannot fit the GPU', () => {
    expect(problemsOf({ model: 'llama-3.1-70b' })).toMatch(/'model' does not fit: The weights \(131\.5\d* GiB per GPU at tensorParallelSize 1\).*Raise tensorParallelSize, quantize the weights \(awq, fp8\), or use a larger GPU/);
  });

  test('fails if the KV cache cannot hold one maxModelLen request, naming the length that fits', () => {
    expect(problemsOf({ gpu: 'L4', maxModelLen: 131072 })).toMatch(/'model' does not fit: The KV cache holds \d+ tokens .* fewer than one maxModelLen request of 131072\. Lower maxModelLen to at most \d+/);
  });

  test('fails if maxModelLen is above the model maximum context', () => {
    expect(problemsOf({ model: 'qwen2.5-7b', maxModelLen: 65536 })).toContain(
      "'maxModelLen' must not exceed the model's maximum context of 32768 tokens (got 65536; allowed: 1..32768). Fix: lower it to 32768 or less",
    );
  });

  test('fails if tensorParallelSize does not divide the attention heads', () => {
    expect(problemsOf({ model: 'llama-3.1-70b', tensorParallelSize: 3 })).toContain(
      "'tensorParallelSize' must divide the model's 64 attention heads (got 3; allowed: 1, 2, 4, 8). Fix: pick one of the allowed values",
    );
  });

  test('fails if tensorParallelSize exceeds the GPUs on one node without an RDMA fabric', () => {
    expect(problemsOf({ model: 'llama-3.1-70b', tensorParallelSize: 8, gpusPerNode: 4 })).toContain(
      "'tensorParallelSize' (8) exceeds the GPUs of one node (4), so tensor-parallel all-reduces (two per layer, every token) would cross the node network; over Ethernet/TCP that is several times slower than NVLink and the server crawls (got 8; allowed: 1..4 (more only with multiNode.interconnect 'infiniband' or 'roce'))",
    );
  });

  test('fails if the image is latest', () => {
    expect(problemsOf({ image: 'vllm/vllm-openai:latest' })).toContain(`'image' must be pinned to a release tag or digest; an unpinned or latest image changes under you on the next pull (got "vllm/vllm-openai:latest"`);
  });

  test('fails if the image has no tag', () => {
    expect(problemsOf({ image: 'vllm/vllm-openai' })).toContain(`'image' must be pinned`);
  });

  test('accepts a digest-pinned image', () => {
    const image = `vllm/vllm-openai@sha256:${'a'.repeat(64)}`;
    expect(resolveVllmService({ ...base, image }).image).toBe(image);
  });

  test.each([0, 0.96, 1.2, -0.1])('fails if gpuMemoryUtilization is %p', (util) => {
    expect(problemsOf({ gpuMemoryUtilization: util })).toContain(`'gpuMemoryUtilization' must be in (0, 0.95]; above 0.95 CUDA fragmentation under load turns into OOMs (got ${util}; allowed: (0, 0.95]). Fix: use 0.85 on whole GPUs, 0.75 on shared ones`);
  });

  test('fails if a CPU limit is set', () => {
    expect(problemsOf({ resources: { limits: { cpu: '8' } } })).toContain(
      `'resources.limits.cpu' must not be set; CPU limits throttle tokenization and request handling (got "8"). Fix: remove it and size resources.requests.cpu instead`,
    );
  });

  test('fails if the startup budget is shorter than the estimated load time', () => {
    expect(problemsOf({ model: 'llama-3.1-70b', tensorParallelSize: 4, startupBudgetSeconds: 300 })).toMatch(
      /'startupBudgetSeconds' must cover the startup path of 1760 s \(download 131\.5 GiB from the hub at 100 MiB\/s \(each replica's first start only\) \(1347 s\) \+ read 131\.5 GiB from the cache volume at 0\.5 GiB\/s \(263 s\) \+ compile and capture CUDA graphs \(90 s\) \+ start the process \(60 s\) = 1760 s\); the kubelet would kill the pod mid-load \(got 300; allowed: >= 1760\)\. Fix: omit it for the derived 2640 s, or fill the cache once/,
    );
  });

  test('fails if autoscaling max is below min', () => {
    expect(problemsOf({ autoscaling: { minReplicas: 4, maxReplicas: 2 } })).toContain(
      "'autoscaling.maxReplicas' must be an integer at least minReplicas (4) (got 2). Fix: raise it to 4 or more, or lower minReplicas",
    );
  });

  test('fails if a ReadWriteOnce cache is shared by more than one replica', () => {
    expect(problemsOf({ modelCache: { mode: 'shared' } })).toContain(
      `'modelCache.accessMode' must not be ReadWriteOnce for a cache shared by up to 8 replicas; the second pod hangs in ContainerCreating waiting for the volume (got "ReadWriteOnce"; allowed: 'ReadWriteMany' with mode 'shared', or mode 'perReplica'). Fix: set modelCache.accessMode to 'ReadWriteMany' on an RWX storage class, or modelCache.mode to 'perReplica'`,
    );
  });

  test('fails if a shared ReadWriteOnce cache meets two fixed replicas', () => {
    expect(problemsOf({ autoscaling: false, replicas: 2, modelCache: { mode: 'shared', accessMode: 'ReadWriteOnce' } })).toContain('shared by up to 2 replicas');
  });

  test('fails if extraArgs repeat a flag gpuplane manages', () => {
    expect(problemsOf({ extraArgs: ['--max-model-len=4096'] })).toContain(
      `'extraArgs' must not repeat --max-model-len, which gpuplane renders from 'maxModelLen' (got "--max-model-len=4096"). Fix: remove it and set 'maxModelLen' instead`,
    );
    // vLLM reads underscores as dashes, so the underscore spelling is the same flag.
    expect(problemsOf({ extraArgs: ['--gpu_memory_utilization=0.99'] })).toContain(
      `'extraArgs' must not repeat --gpu-memory-utilization, which gpuplane renders from 'gpuMemoryUtilization' (got "--gpu_memory_utilization=0.99")`,
    );
  });

  test('fails if a token literal is passed in env', () => {
    expect(problemsOf({ env: { HF_TOKEN: 'hf_abc' } })).toContain(`'env.HF_TOKEN' must not hold a token literal; it would be written into the rendered YAML (got "(redacted)")`);
  });

  test('fails if the GPU is unknown, listing the catalog', () => {
    expect(problemsOf({ gpu: "V100" })).toMatch(/'gpu' names an unknown GPU \(got "V100"; allowed: A10, A100-40GB, A100-80GB, A10G, A30, B200, GB200, GH200-144GB, H100-80GB, H100-94GB, H100-96GB, H200, H200-NVL, L4, L40S, MI300X, RTX-4090, RTX-5090, RTX-PRO-6000, T4\)/);
  });

  test('fails if awq is asked of an unquantized checkpoint', () => {
    expect(problemsOf({ quantization: 'awq' })).toContain(`'quantization' 'awq' needs a checkpoint quantized that way, and llama-3.1-8b is 'none'`);
  });

  test('fails if the name is not a DNS-1123 label', () => {
    expect(problemsOf({ name: 'Llama_8B' })).toContain(`'name' must be a DNS-1123 label of at most 52 characters (got "Llama_8B"; allowed: lower-case letters, digits and "-", starting and ending with a letter or digit). Fix: rename it, e.g. "llama-8b"`);
  });

  test('fails if a memory request leaves no room beside /dev/shm', () => {
    expect(problemsOf({ model: 'llama-3.1-70b', tensorParallelSize: 4, resources: { requests: { memory: '20Gi' } } })).toContain(
      `'resources.requests.memory' must include the 16Gi /dev/shm (memory-backed, charged to the container) plus the process itself (got "20Gi"). Fix: raise it to at least 80Gi`,
    );
  });

  test('fails if a GPU quota is set on a namespace gpuplane does not create', () => {
    expect(problemsOf({ namespaceGpuQuota: 8 })).toContain(`'namespaceGpuQuota' only applies with createNamespace: true`);
  });

  test('reports every problem at once', () => {
    const message = problemsOf({ image: 'vllm/vllm-openai:latest', resources: { limits: { cpu: '1' } }, gpuMemoryUtilization: 1 });
    expect(message).toMatch(/^VllmService 'llama': 3 problems\n/);
  });
});
