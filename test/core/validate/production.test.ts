import { KubeObject } from '../../../lib/core/kube';
import { isVllmServer, SPARE_GPUS_ANNOTATION, validateObjects, validateProductionRules } from '../../../lib/core/validate';
import { VllmServiceOptions } from '../../../lib/core/vllm/options';
import { renderVllmService } from '../../../lib/core/vllm/render';

type Obj = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// A shared ReadWriteMany cache the pods fill themselves: a Deployment, whose rollout rules these tests exercise.
const base: VllmServiceOptions = { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB', modelCache: { accessMode: 'ReadWriteMany', loader: false } };
const render = (o: Partial<VllmServiceOptions> = {}): Obj[] => JSON.parse(JSON.stringify(renderVllmService({ ...base, ...o }).objects));
const deployment = (objs: Obj[]) => objs.find((o) => o.kind === 'Deployment');
const container = (objs: Obj[]) => deployment(objs).spec.template.spec.containers[0];
const at = 'Deployment/default/llama container vllm';

/** The vLLM Deployment of the articles' first draft, written by hand: everything the rules exist for. */
const handWritten: Obj = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'vllm', namespace: 'ml' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'vllm' } },
    template: {
      metadata: { labels: { app: 'vllm' } },
      spec: {
        containers: [{
          name: 'server',
          image: 'vllm/vllm-openai:latest',
          args: ['--model', 'meta-llama/Llama-3.1-70B-Instruct', '--tensor-parallel-size', '2', '--gpu_memory_utilization=0.98'],
          env: [{ name: 'HF_TOKEN', value: 'hf_abc' }],
          resources: { limits: { cpu: '8', memory: '64Gi', 'nvidia.com/gpu': '2' }, requests: { cpu: '8', memory: '64Gi', 'nvidia.com/gpu': '2' } },
          livenessProbe: { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 300, periodSeconds: 10 },
          securityContext: { privileged: true },
        }],
      },
    },
  },
};

describe('validateProductionRules', () => {
  test.each<[string, Partial<VllmServiceOptions>]>([
    ['the default', {}],
    ['TP=4 with /dev/shm', { model: 'llama-3.3-70b', tensorParallelSize: 4 }],
    ['TP=4 with 8 spare GPUs (surge 2)', { model: 'llama-3.3-70b', tensorParallelSize: 4, spareGpus: 8 }],
    ['Istio tuned (exec readiness)', { istio: { mode: 'tuned' } }],
  ])('a gpuplane render passes: %s', (_name, options) => {
    expect(validateProductionRules(render(options))).toEqual([]);
  });

  test('every rule fires on the hand-written manifest, each with the value and the fix', () => {
    const c = 'Deployment/ml/vllm container server';
    expect(validateProductionRules([handWritten])).toEqual([
      `${c}: env HF_TOKEN holds the token in the manifest; anyone who can read the object or its Git history can use it. Use valueFrom.secretKeyRef`,
      `${c}: limits.cpu "8" on a GPU container throttles tokenization and request handling while the GPU waits. Remove limits.cpu and size requests.cpu instead`,
      `${c}: image "vllm/vllm-openai:latest" is not pinned; an unpinned or latest image changes under you on the next pull, and a GPU node pulls gigabytes to find out. Pin a release tag or an @sha256 digest`,
      `${c}: --gpu-memory-utilization 0.98 is outside (0, 0.95]; above 0.95 CUDA fragmentation under load turns into OOMs. Use 0.85 on a whole GPU, 0.75 on a shared one`,
      `${c}: no --max-model-len, so vLLM reserves KV cache for the model's full context and may refuse to start or serve few requests at once. Pass --max-model-len sized to your longest request`,
      `${c}: --tensor-parallel-size 2 without /dev/shm from a Memory-backed emptyDir; NCCL between the ranks fails on the container's 64Mi default. Mount an emptyDir { medium: Memory, sizeLimit } at /dev/shm and count it in the memory request`,
      `${c}: no startupProbe; loading the model takes minutes (21 for a 70B) and liveness kills the pod first. Add a startupProbe on /health whose periodSeconds x failureThreshold covers download and load`,
      `${c}: no readinessProbe; a hung or overloaded server stays behind the Service. Add a readinessProbe on /health (period 5 s, failure 3)`,
      `${c}: livenessProbe.initialDelaySeconds 300 is a startup budget in the liveness probe; a server that hangs later is detected that much later too. Remove it and give the startupProbe the budget`,
      `${c}: securityContext privileged: true; vLLM needs neither (the device plugin hands it the GPU). Set allowPrivilegeEscalation: false and drop all capabilities`,
      `Deployment/ml/vllm: maxSurge "25%" needs 2 free GPU(s) for the surge pod(s) (2 per pod) but 0 are declared spare (annotation ${SPARE_GPUS_ANNOTATION}); with every GPU in use the new pod stays Pending and the rollout never finishes. Use maxSurge 0 with maxUnavailable 1, or declare the spare GPUs the cluster keeps`,
    ]);
  });

  test.each<[string, (o: Obj[]) => void, string]>([
    ['a CPU limit', (o) => { container(o).resources.limits.cpu = '8'; }, `${at}: limits.cpu "8" on a GPU container`],
    ['an unpinned image', (o) => { container(o).image = 'vllm/vllm-openai'; }, `${at}: image "vllm/vllm-openai" is not pinned`],
    ['a digest is pinned', (o) => { container(o).image = `vllm/vllm-openai@sha256:${'a'.repeat(64)}`; }, ''],
    ['gpu-memory-utilization 1.0', (o) => { const a = container(o).args; a[a.indexOf('--gpu-memory-utilization') + 1] = '1.0'; }, `${at}: --gpu-memory-utilization 1.0 is outside (0, 0.95]`],
    ['no --max-model-len', (o) => { const a = container(o).args; a.splice(a.indexOf('--max-model-len'), 2); }, `${at}: no --max-model-len`],
    ['no --max-model-len but a --config file', (o) => { const a = container(o).args; a.splice(a.indexOf('--max-model-len'), 2, '--config', '/etc/vllm/serve.yaml'); }, ''],
    ['no startupProbe', (o) => { delete container(o).startupProbe; }, `${at}: no startupProbe`],
    ['a short liveness delay is tolerated', (o) => { container(o).livenessProbe.initialDelaySeconds = 10; }, ''],
    ['allowPrivilegeEscalation true', (o) => { container(o).securityContext.allowPrivilegeEscalation = true; }, `${at}: securityContext allowPrivilegeEscalation: true`],
    ['the HF token inline', (o) => { container(o).env.find((e: Obj) => e.name === 'HF_TOKEN').value = 'hf_x'; }, `${at}: env HF_TOKEN holds the token in the manifest`],
    ['surge without spare GPUs', (o) => { deployment(o).spec.strategy.rollingUpdate = { maxSurge: 1, maxUnavailable: 0 }; }, 'Deployment/default/llama: maxSurge 1 needs 1 free GPU(s) for the surge pod(s) (1 per pod) but 0 are declared spare'],
    ['a rollout that cannot move', (o) => { deployment(o).spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }; }, 'Deployment/default/llama: maxSurge and maxUnavailable are both 0, so the rollout cannot replace any pod'],
    ['Recreate needs no spare GPUs', (o) => { deployment(o).spec.strategy = { type: 'Recreate' }; }, ''],
  ])('%s', (_name, mutate, message) => {
    const objs = render();
    mutate(objs);
    const problems = validateProductionRules(objs as KubeObject[]).join('\n');
    if (message) expect(problems).toContain(message);
    else expect(problems).toBe('');
  });

  test('flags inside a shell script and the -tp short form are read', () => {
    const objs = render();
    const c = container(objs);
    Object.assign(c, { command: ['/bin/bash', '-c'], args: ['exec vllm serve meta-llama/Llama-3.1-8B-Instruct -tp 2 --gpu-memory-utilization=0.99 --max-model-len 8192'] });
    const problems = validateProductionRules(objs).join('\n');
    expect(problems).toContain(`${at}: --gpu-memory-utilization 0.99 is outside (0, 0.95]`);
    expect(problems).toContain(`${at}: --tensor-parallel-size 2 without /dev/shm`);
    expect(problems).not.toContain('no --max-model-len');
  });

  test('TP=2 needs /dev/shm from a Memory-backed emptyDir, not any volume at /dev/shm', () => {
    const objs = render({ model: 'llama-3.3-70b', tensorParallelSize: 4 });
    const dshm = deployment(objs).spec.template.spec.volumes.find((v: Obj) => v.name === 'dshm');
    dshm.emptyDir = {};
    expect(validateProductionRules(objs)).toEqual([expect.stringContaining(`${at}: --tensor-parallel-size 4 without /dev/shm from a Memory-backed emptyDir`)]);
  });

  test('surge into declared spare GPUs passes; more than declared fails', () => {
    const objs = render({ model: 'llama-3.3-70b', tensorParallelSize: 4, spareGpus: 8 });
    const d = deployment(objs);
    expect(d.metadata.annotations).toMatchObject({ [SPARE_GPUS_ANNOTATION]: '8' });
    expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: 0 });
    d.metadata.annotations[SPARE_GPUS_ANNOTATION] = '4';
    expect(validateProductionRules(objs)).toEqual([expect.stringContaining('maxSurge 2 needs 8 free GPU(s) for the surge pod(s) (4 per pod) but 4 are declared spare')]);
    d.metadata.annotations[SPARE_GPUS_ANNOTATION] = 'lots';
    expect(validateProductionRules(objs)).toEqual([`Deployment/default/llama: annotation ${SPARE_GPUS_ANNOTATION} "lots" must be a whole number of GPUs`]);
  });

  test('MIG slices and shared GPUs count as GPUs', () => {
    for (const resource of ['nvidia.com/mig-3g.40gb', 'nvidia.com/gpu.shared']) {
      const objs = render();
      const res = container(objs).resources;
      for (const side of [res.requests, res.limits]) { delete side['nvidia.com/gpu']; side[resource] = '1'; }
      res.limits.cpu = '4';
      expect(validateProductionRules(objs).join('\n')).toContain(`${at}: limits.cpu "4" on a GPU container`);
    }
  });

  test('recognizes vLLM servers by command, module or the official image entrypoint, and nothing else', () => {
    expect(isVllmServer({ command: ['vllm', 'serve'], args: ['m'] })).toBe(true);
    expect(isVllmServer({ command: ['/usr/local/bin/vllm'], args: ['serve', 'm'] })).toBe(true);
    expect(isVllmServer({ command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'] })).toBe(true);
    expect(isVllmServer({ image: 'registry.example.com/vllm/vllm-openai:v0.26.0', args: ['--model', 'm'] })).toBe(true);
    expect(isVllmServer({ command: ['/bin/sh', '-c'], args: ['huggingface-cli login --token $HF_TOKEN && vllm serve m --max-model-len 8192'] })).toBe(true);
    expect(isVllmServer({ image: 'vllm/vllm-openai:v0.26.0', command: ['python3', 'bench.py'] })).toBe(false);
    expect(isVllmServer({ image: 'busybox:1.36', command: ['sh', '-c', 'echo vllm; sleep 1'] })).toBe(false);
    expect(isVllmServer({ image: 'nvcr.io/nvidia/tritonserver:24.08-py3' })).toBe(false);
  });

  test('a GPU container that is not vLLM gets the GPU rules only', () => {
    const triton = JSON.parse(JSON.stringify(handWritten));
    const c = triton.spec.template.spec.containers[0];
    Object.assign(c, { image: 'nvcr.io/nvidia/tritonserver:24.08-py3', command: ['tritonserver'], args: ['--model-repository=/models'], env: [] });
    triton.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
    expect(validateProductionRules([triton])).toEqual([expect.stringContaining('limits.cpu "8" on a GPU container')]);
  });

  test('objects without pods and CPU-only workloads are left alone', () => {
    const web = JSON.parse(JSON.stringify(handWritten));
    Object.assign(web.spec.template.spec.containers[0], { image: 'nginx:latest', args: [], env: [], resources: { limits: { cpu: '1' } }, securityContext: {} });
    expect(validateProductionRules([web, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }])).toEqual([]);
  });

  test('validateObjects runs the production rules', () => {
    const objs = render();
    container(objs).resources.limits.cpu = '8';
    expect(validateObjects(objs).join('\n')).toContain(`${at}: limits.cpu "8" on a GPU container`);
  });

  test('an HPA of a vLLM workload on CPU or memory is refused; queue depth passes', () => {
    const objs = render();
    const hpa = objs.find((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(validateProductionRules(objs)).toEqual([]);
    hpa.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }];
    expect(validateProductionRules(objs)).toEqual([
      'HorizontalPodAutoscaler/default/llama: scales a vLLM server on cpu; the GPU saturates while CPU and memory stay flat, so it never scales out in time. Scale on queue depth (vllm:num_requests_waiting) through prometheus-adapter or KEDA',
    ]);
    delete hpa.spec.metrics;
    expect(validateProductionRules(objs)[0]).toContain('scales a vLLM server on CPU (the default with no metrics)');
  });

  test('a KEDA ScaledObject of a vLLM workload on a cpu or memory trigger is refused; the Prometheus trigger passes', () => {
    const objs = render({ autoscaling: { mode: 'keda' } });
    const so = objs.find((o) => o.kind === 'ScaledObject');
    expect(validateProductionRules(objs)).toEqual([]);
    so.spec.triggers.push({ type: 'memory', metricType: 'Utilization', metadata: { value: '80' } });
    expect(validateProductionRules(objs)).toEqual([expect.stringMatching(/^ScaledObject\/default\/llama: scales a vLLM server on memory; /)]);
  });

  test.each([
    [1, 'StatefulSet/kube-system/etcd: 1 etcd member(s) tolerate no failure (quorum 1). Run 3 members (one failure tolerated) or 5 (two)'],
    [2, 'StatefulSet/kube-system/etcd: 2 etcd member(s) tolerate no failure (quorum 2). Run 3 members (one failure tolerated) or 5 (two)'],
    [4, 'StatefulSet/kube-system/etcd: 4 etcd member(s) tolerate 1 failure(s) (quorum 3), no more than 3 would, and the extra member slows every write. Run 3 members (one failure tolerated) or 5 (two)'],
    [3, undefined],
    [5, undefined],
  ])('an etcd StatefulSet of %i members', (replicas, message) => {
    const sts = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'etcd', namespace: 'kube-system' },
      spec: { replicas, serviceName: 'etcd', selector: { matchLabels: { app: 'etcd' } }, template: { metadata: { labels: { app: 'etcd' } }, spec: { containers: [{ name: 'etcd', image: 'registry.k8s.io/etcd:3.5.21-0', command: ['etcd'] }] } } },
    };
    expect(validateProductionRules([sts])).toEqual(message ? [message] : []);
  });
});
