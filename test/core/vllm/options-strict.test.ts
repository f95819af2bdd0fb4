import { problemsOf as expectProblems } from '../../helpers/problems';
import { resolveVllmService, VllmServiceOptions } from '../../../lib/core/vllm/options';
import { renderVllmService } from '../../../lib/core/vllm/render';
import { GpuPoolHandle } from '../../../lib/core/gpu/pool-render';
import { resolveGpuPool } from '../../../lib/core/gpu/pool';
import { findWorkload, vllmContainer } from '../../helpers/find';

const base: VllmServiceOptions = { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' };
/** Options as a JavaScript or YAML caller passes them: unchecked by the compiler. */
const problemsOf = (o: Record<string, unknown>): string => expectProblems(() => resolveVllmService({ ...base, ...o } as unknown as VllmServiceOptions));

describe('VllmService options are checked at run time as strictly as their types', () => {
  test.each([
    [{ maxModelLength: 4096 }, "'maxModelLength' is not an option; did you mean 'maxModelLen'? (got 4096;"],
    [{ autoscaling: { maxReplica: 4 } }, "'autoscaling.maxReplica' is not an option; did you mean 'maxReplicas'?"],
    [{ monitoring: { ttftObjective: 1 } }, "'monitoring.ttftObjective' is not an option; did you mean 'ttftObjectiveSeconds'?"],
    [{ modelCache: { storageClass: 'efs' } }, "'modelCache.storageClass' is not an option; did you mean 'storageClassName'?"],
    [{ resources: { requests: { gpu: '1' } } }, "'resources.requests.gpu' is not an option"],
  ])('unknown keys: %j', (o, expected) => {
    expect(problemsOf(o)).toContain(expected);
  });

  test.each([
    [{ maxModelLen: NaN }, "'maxModelLen' must be a positive integer, not NaN (got NaN)"],
    [{ maxModelLen: '8192' }, "'maxModelLen' must be a positive integer, not a string (got \"8192\"). Fix: write 8192 without quotes"],
    [{ maxModelLen: Infinity }, "'maxModelLen' must be a positive integer, not an infinite number (got Infinity)"],
    [{ gpu: 80 }, "'gpu' must be a catalog GPU id, or a GPU: a catalog id or { memoryGiB }, not a number (got 80)"],
    [{ gpu: { memoryGiB: NaN } }, "'gpu.memoryGiB' must be a positive number of at most 4096, not NaN"],
    [{ tensorParallelSize: 1.5 }, "'tensorParallelSize' must be a positive integer (got 1.5"],
    [{ gpuMemoryUtilization: NaN }, "'gpuMemoryUtilization' must be a number, not NaN (got NaN)"],
    [{ monitoring: { requestsWaitingThreshold: NaN } }, "'monitoring.requestsWaitingThreshold' must be a non-negative number, not NaN"],
    [{ monitoring: { interval: '15 seconds' } }, "'monitoring.interval' must be a positive Prometheus duration (got \"15 seconds\""],
    [{ autoscaling: true }, "'autoscaling' takes false to switch the feature off, or an object of options (got true)"],
    [{ autoscaling: { mode: 'HPA' } }, "'autoscaling.mode' must be 'hpa' or 'keda' (got \"HPA\"; allowed: 'hpa', 'keda'). Fix: did you mean 'hpa'?"],
    [{ spareGpus: -1 }, "'spareGpus' must be a non-negative integer (got -1"],
    [{ namespace: 'Inference' }, "'namespace' must be a DNS-1123 label (got \"Inference\""],
    [{ labels: { team: 'a b' } }, "'labels.team' must be a label value"],
    [{ shmSize: '16GB!' }, "'shmSize' must be a Kubernetes quantity (got \"16GB!\""],
    [{ image: 'Vllm/Openai:v1' }, "'image' must be a container image reference"],
    [{ servedModelName: 'llama"8b' }, "'servedModelName' must use letters, digits and . _ : / @ + - only (it is placed in PromQL and routes, where quotes and spaces break) (got \"llama\\\"8b\""],
    [{ istio: { mode: 'tuned', timeout: '5 minutes' } }, "'istio.timeout' must be a positive duration"],
    [{ hfTokenSecret: { name: 'HF Token' } }, "'hfTokenSecret.name' must be a DNS-1123 subdomain"],
    [{ replicas: 3 }, "'replicas' does nothing while autoscaling is on (the autoscaler owns the replica count) (got 3)"],
    [{ shmSize: '32Gi' }, "'shmSize' does nothing at tensorParallelSize 1"],
    [{ modelCache: { mode: 'perReplica', accessMode: 'ReadWriteMany' } }, "'modelCache.accessMode' does nothing with mode 'perReplica'"],
    [{ networkPolicy: { enabled: false, allowedNamespaces: ['web'] } }, "'networkPolicy' lists allowed callers but is switched off"],
    [{ networkPolicy: { allowedNamespaces: [] } }, "'networkPolicy.allowedNamespaces' must not be empty: an ingress rule with no sources admits every caller"],
    [{ downloadModel: false }, "'downloadModel' is false, but nothing fills the per-replica claims, which start empty: the pod runs offline and can never load the model"],
    [{ createNamespace: true }, "'createNamespace' would make gpuplane own the 'default' namespace"],
    [{ labels: { 'app.kubernetes.io/name': 'x' } }, "'labels[\"app.kubernetes.io/name\"]' is a label gpuplane sets on every object"],
    [{ model: 'llama-3.1-70b', tensorParallelSize: 4, resources: { limits: { memory: '32Gi' } } }, "'resources.limits.memory' must allow at least 48Gi of host memory for llama-3.1-70b: vLLM stages the weights through host memory while loading"],
    [{ model: 'llama-3.1-70b', tensorParallelSize: 4, shmSize: '64Mi' }, "'shmSize' must be at least 1Gi"],
  ])('wrong values: %j', (o, expected) => {
    expect(problemsOf(o)).toContain(expected);
  });

  test('monitoring: false and networkPolicy: false switch the features off', () => {
    const { objects } = renderVllmService({ ...base, monitoring: false, networkPolicy: false });
    expect(objects.map((o) => o.kind)).not.toContain('ServiceMonitor');
    expect(objects.map((o) => o.kind)).not.toContain('NetworkPolicy');
  });

  test('the old enabled: false spelling still works and warns', () => {
    const r = resolveVllmService({ ...base, monitoring: { enabled: false } });
    expect(r.monitoring.enabled).toBe(false);
    expect(r.warnings).toEqual(["'monitoring.enabled: false' is the old spelling; write 'monitoring: false'."]);
  });
});

describe('extraArgs go through the vLLM flag model', () => {
  test.each([
    ['--max-model-len=4096', 'maxModelLen'],
    ['--max_model_len=4096', 'maxModelLen'],
    ['--max-num-batched-tokens', 'maxNumBatchedTokens'],
    ['--block-size', 'blockSize'],
    ['--kv-cache-dtype', 'kvCacheDtype'],
    ['--quantization', 'quantization'],
    ['-q', 'quantization'],
    ['--max-num-seqs', 'maxNumSeqs'],
    ['--enforce-eager', 'enforceEager'],
    ['-tp', 'tensorParallelSize'],
    ['-pp', 'pipelineParallelSize'],
    ['--nnodes', 'pipelineParallelSize'],
    ['--master-port', 'multiNode.masterPort'],
    ['--gpu_memory_utilization', 'gpuMemoryUtilization'],
  ])('%s is rendered from the typed option %s', (flag, prop) => {
    const args = flag.includes('=') || flag === '--enforce-eager' ? [flag] : [flag, '32'];
    expect(problemsOf({ extraArgs: args })).toContain(`which gpuplane renders from '${prop}'`);
  });

  test.each([
    [['--data-parallel-size=2'], 'must not pass --data-parallel-size', "use 'replicas'"],
    [['--enable-lora', '--max-loras', '4'], "must not repeat --enable-lora, which gpuplane renders from 'adapters'", "set 'adapters' instead"],
    [['--speculative-config', '{"method":"ngram"}'], 'must not pass --speculative-config: a speculative-decoding draft model', 'remove it'],
    [['--cpu-offload-gb', '8'], 'must not pass --cpu-offload-gb', 'remove it'],
    [['--kv-offloading-size', '64'], 'must not pass --kv-offloading-size: KV offloading moves cache to host memory', 'remove it'],
    [['--kv-cache-memory-bytes', '1000'], 'must not pass --kv-cache-memory-bytes', "use 'gpuMemoryUtilization'"],
    [['--config', 'serve.yaml'], 'must not pass --config', 'remove it'],
    [['--api-key', 'secret'], 'must not pass --api-key: the key would be written into the rendered manifest', 'remove it'],
    [['--dtype', 'float32'], 'must not pass --dtype float32: the fit check sizes the 2-byte weights', "quantize through 'quantization'"],
    [['--max-model-len 4096'], 'must list a flag and its value as separate items', 'write ["--max-model-len","4096"]'],
  ])('%j is refused', (args, message, fix) => {
    const text = problemsOf({ extraArgs: args });
    expect(text).toContain(message);
    expect(text).toContain(fix);
  });

  test('vLLM drains for what the grace period leaves after preStop and a margin (--shutdown-timeout, 0.18+)', () => {
    const args = (o: Partial<VllmServiceOptions>) => vllmContainer(findWorkload(renderVllmService({ ...base, ...o }).objects)).args as string[];
    expect(args({})).toEqual(expect.arrayContaining(['--shutdown-timeout', '40']));
    expect(args({ terminationGracePeriodSeconds: 120 })).toEqual(expect.arrayContaining(['--shutdown-timeout', '100']));
    expect(args({ vllmVersion: '0.10.1', image: 'vllm/vllm-openai:v0.10.1' })).not.toContain('--shutdown-timeout');
    expect(problemsOf({ terminationGracePeriodSeconds: 20 })).toContain("'terminationGracePeriodSeconds' must leave vLLM time to drain after the 15 s preStop sleep");
    expect(problemsOf({ extraArgs: ['--shutdown-timeout', '5'] })).toContain("which gpuplane renders from 'terminationGracePeriodSeconds'");
  });

  test('flags that do not change memory or shape pass through', () => {
    const r = resolveVllmService({ ...base, extraArgs: ['--enable-prefix-caching', '--dtype', 'bfloat16', '--trust-remote-code', '--max-seq-len-to-capture=8192'] });
    expect(r.extraArgs).toHaveLength(5);
  });

  test('maxNumBatchedTokens and blockSize feed the fit check and the arguments', () => {
    const r = resolveVllmService({ ...base, maxNumBatchedTokens: 65536, blockSize: 32 });
    const d = resolveVllmService(base);
    expect(r.memory.breakdown.maxNumBatchedTokens).toBe(65536);
    expect(r.memory.breakdown.blockSize).toBe(32);
    expect(r.memory.breakdown.activationPeakGiB).toBeGreaterThan(d.memory.breakdown.activationPeakGiB);
    const args = vllmContainer(findWorkload(renderVllmService({ ...base, maxNumBatchedTokens: 65536, blockSize: 32 }).objects)).args;
    expect(args).toEqual(expect.arrayContaining(['--max-num-batched-tokens', '65536', '--block-size', '32']));
  });

  test.each(['HF_HOME', 'HF_HUB_OFFLINE', 'HF_HUB_CACHE', 'CUDA_VISIBLE_DEVICES'])('env %s, which gpuplane owns, is refused instead of rendered twice', (key) => {
    expect(problemsOf({ env: { [key]: '/tmp' } })).toContain(`'env.${key}' must not be set:`);
  });
});

describe('shared GPUs: every pod fits its share', () => {
  const ts = new GpuPoolHandle(resolveGpuPool({ name: 't4', gpu: 'T4', gpusPerNode: 1, timeSlicing: { replicas: 4 } }));

  test('time-sliced pods default to their share of the device', () => {
    const r = resolveVllmService({ name: 'small', model: 'qwen3-0.6b', placement: ts.slice(), maxModelLen: 4096, autoscaling: false, replicas: 1 });
    expect(r.gpuMemoryUtilization).toBe(0.22);
    expect(r.memory.breakdown.budgetGiB).toBeCloseTo(14.6 * 0.22, 2);
    expect(r.warnings).toEqual([expect.stringMatching(/runs one replica: every pod failure/), expect.stringMatching(/time-sliced units of pool 't4'.*For SLAs use MIG or whole GPUs/)]);
  });

  test('fails if a model does not fit its share, with the share in the message', () => {
    expect(problemsOf({ name: 'dev', model: 'qwen3-1.7b', gpu: undefined, placement: ts.slice(), maxModelLen: 4096 })).toMatch(/'model' does not fit: .* at gpuMemoryUtilization 0\.22.*got "qwen3-1\.7b on T4, 3\.2 GiB share of 4 pods/);
  });

  test('fails if a given utilization leaves no room for the other pods of the GPU', () => {
    expect(problemsOf({ name: 'dev', model: 'qwen3-0.6b', gpu: undefined, placement: ts.slice(), gpuMemoryUtilization: 0.5 })).toContain(
      "'gpuMemoryUtilization' must leave room for the 4 pods that time-slicing puts on one GPU of pool 't4': vLLM reserves this fraction of the whole device and the next pod refuses to start (4 x 0.5 = 2 of it) (got 0.5; allowed: (0, 0.23]).",
    );
  });
});
