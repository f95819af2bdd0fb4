import { renderVllmService } from '../../../lib/core/vllm/render';
import { resolveVllmService, VllmServiceOptions } from '../../../lib/core/vllm/options';
import { estimateVllmMemory, kvBytesPerToken } from '../../../lib/core/vllm/estimator';
import { validateObjects, validateProductionRules, validateSchema } from '../../../lib/core/validate';
import { validateAgainstCrd } from '../../helpers/crd-schema';
import { find, findWorkload, flag, kinds } from '../../helpers/find';
import { problemsOf as thrown } from '../../helpers/problems';
import { KubeObject } from '../../../lib/core/kube';
import { resolveGpuPool } from '../../../lib/core/gpu/pool';
import { GpuPoolHandle } from '../../../lib/core/gpu/pool-render';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Llama 3.1 405B in BF16 on 2 nodes of 8 x H100 80GB: TP 8 inside each node, PP 2 across them. */
const base: VllmServiceOptions = { name: 'llama-405b', namespace: 'inference', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8, pipelineParallelSize: 2 };
const problemsOf = (extra: Partial<VllmServiceOptions>) => thrown(() => resolveVllmService({ ...base, ...extra } as VllmServiceOptions));
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const ranks = (lws: Obj) => ({ leader: lws.spec.leaderWorkerTemplate.leaderTemplate, worker: lws.spec.leaderWorkerTemplate.workerTemplate });
const container = (template: Obj) => template.spec.containers[0];

describe('multi-node VllmService: default render (405B BF16, TP 8 x PP 2 on 2 nodes of 8 x H100)', () => {
  const { objects, resolved } = renderVllmService(base);
  const lws = find(objects, 'LeaderWorkerSet');
  const { leader, worker } = ranks(lws);

  test('renders a LeaderWorkerSet instead of the Deployment, valid against every schema and rule', () => {
    expect(kinds(objects)).toEqual([
      'LeaderWorkerSet/llama-405b-lws', 'Service/llama-405b', 'PodDisruptionBudget/llama-405b', 'HorizontalPodAutoscaler/llama-405b',
      'ConfigMap/llama-405b-prometheus-adapter-rule', 'ServiceMonitor/llama-405b', 'PrometheusRule/llama-405b', 'NetworkPolicy/llama-405b',
    ]);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('snapshot of the LeaderWorkerSet', () => {
    expect(lws).toMatchSnapshot();
  });

  test('validates against the real LWS v0.10.0 CRD (structural schema, pruning, defaults)', () => {
    expect(validateAgainstCrd(lws as KubeObject)).toEqual({ errors: [], unchecked: [] });
  });

  test('one pod per node, the group recreated on any restart, workers started with the leader, groups rolled one at a time', () => {
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
    expect(lws.spec.leaderWorkerTemplate.restartPolicy).toBe('RecreateGroupOnPodRestart');
    expect(lws.spec.startupPolicy).toBe('LeaderCreated');
    expect(lws.spec.rolloutStrategy).toEqual({ type: 'RollingUpdate', rollingUpdateConfiguration: { maxSurge: 0, maxUnavailable: 1 } });
    expect(lws.spec.replicas).toBeUndefined(); // the HPA owns it
    expect(resolved.multiNode).toMatchObject({ nodes: 2, launch: 'native', interconnect: 'ethernet', masterPort: 29501 });
  });

  test('native launch (vLLM >= 0.12): the same engine args on every rank, --nnodes/--node-rank/--master-addr, workers headless', () => {
    const l = container(leader).args as string[];
    const w = container(worker).args as string[];
    expect(container(leader).command).toEqual(['vllm', 'serve']);
    expect(flag(l, '--tensor-parallel-size')).toBe('8');
    expect(flag(l, '--pipeline-parallel-size')).toBe('2');
    expect(flag(l, '--nnodes')).toBe('2');
    expect(flag(l, '--node-rank')).toBe('0');
    expect(flag(l, '--master-addr')).toBe('$(LWS_LEADER_ADDRESS)');
    expect(flag(l, '--master-port')).toBe('29501');
    expect(l).not.toContain('--headless');
    expect(flag(w, '--node-rank')).toBe('$(LWS_WORKER_INDEX)');
    expect(w).toContain('--headless');
    expect(w.filter((a) => a !== '--headless' && a !== '$(LWS_WORKER_INDEX)')).toEqual(l.filter((a) => a !== '0' || l[l.indexOf(a) - 1] !== '--node-rank'));
  });

  test('probes and the serving port on the leader only; /dev/shm, the HF cache, env and 8 GPUs on every rank', () => {
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      expect(container(leader)[probe]).toBeDefined();
      expect(container(worker)[probe]).toBeUndefined();
    }
    expect(container(worker).ports).toBeUndefined();
    for (const t of [leader, worker]) {
      const c = container(t);
      expect(c.resources.requests['nvidia.com/gpu']).toBe('8');
      expect(c.resources.limits['nvidia.com/gpu']).toBe('8');
      expect(c.volumeMounts).toEqual([{ name: 'model-cache', mountPath: '/root/.cache/huggingface' }, { name: 'dshm', mountPath: '/dev/shm' }]);
      expect(t.spec.volumes.find((v: Obj) => v.name === 'dshm')).toEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } });
      expect(c.env.map((e: Obj) => e.name)).toEqual(['HF_HOME', 'HF_TOKEN']);
      expect(t.spec.topologySpreadConstraints).toBeUndefined();
    }
    // Each rank stages its stage's half of the weights through host memory: 192Gi + 16Gi /dev/shm.
    expect(container(leader).resources.requests.memory).toBe('208Gi');
  });

  test('the Service selects the leaders only (worker-index 0); the budget all pods of all groups; the HPA scales the set (whole groups)', () => {
    expect(find(objects, 'Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama-405b', 'leaderworkerset.sigs.k8s.io/worker-index': '0' });
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama-405b' } } });
    expect(find(objects, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'llama-405b-lws' });
  });

  test('the NetworkPolicy lets the ranks of the service reach each other on any port (Ray, rendezvous, NCCL)', () => {
    const np = find(objects, 'NetworkPolicy').spec;
    const self = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama-405b' } } };
    expect(np.ingress).toContainEqual({ from: [self] });
    expect(np.egress).toContainEqual({ to: [self] });
  });

  test('alerts select the pods of the group (leader and worker StatefulSets), and a recreated group raises its own alert', () => {
    const rules = find(objects, 'PrometheusRule').spec.groups[0].rules as Obj[];
    const restart = rules.find((r) => r.alert === 'VllmContainerRestarting')!;
    expect(restart.expr).toContain('kube_pod_owner{namespace="inference",owner_kind="StatefulSet",owner_name=~"llama-405b-lws(-[0-9]+)?"}');
    expect(rules.find((r) => r.alert === 'VllmGroupRecreated')!.expr).toBe('count by (namespace, pod) (count_over_time(kube_pod_created{namespace="inference",pod=~"llama-405b-lws-[0-9]+"}[30m])) > 3');
  });

  test('the startup budget covers the whole group: every rank downloads the checkpoint in parallel, loads its share, then the group forms', () => {
    // 756 GiB at 100 MiB/s = 7741 s, + 756 s load (378 GiB per rank), + 90 s compile, + 60 s start, + 60 s rendezvous.
    expect(resolved.estimatedLoadSeconds).toBe(8708);
    expect(container(leader).startupProbe.failureThreshold * container(leader).startupProbe.periodSeconds).toBe(resolved.startupBudgetSeconds);
    expect(resolved.startupBudgetSeconds).toBe(13070);
  });

  test('is deterministic', () => {
    expect(JSON.stringify(renderVllmService(base).objects)).toBe(JSON.stringify(objects));
  });
});

describe('multi-node VllmService: per-rank fit check', () => {
  test('the estimator splits weights by TP x PP and the KV cache by the layers of each stage', () => {
    const one = estimateVllmMemory({ model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8, maxModelLen: 8192 });
    const two = estimateVllmMemory({ model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8, pipelineParallelSize: 2, nodes: 2, maxModelLen: 8192 });
    expect(two.weightsGiBPerGpu).toBeCloseTo(one.weightsGiBPerGpu / 2, 2);
    // 126 layers / 2 stages = 63 per rank, x 2 (K and V) x 1 KV head per rank (8 / TP 8) x 128 x 2 bytes.
    expect(two.kvBytesPerTokenPerGpu).toBe(63 * 2 * 1 * 128 * 2);
    expect(kvBytesPerToken(require('../../../lib/core/catalog/models').resolveModel('llama-3.1-405b'), 8)).toBe(126 * 2 * 128 * 2);
  });

  test('fails if a 405B BF16 runs on one 8 x H100 node, with the per-rank numbers and the multi-node fix', () => {
    const msg = thrown(() => resolveVllmService({ name: 'llama-405b', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8 }));
    expect(msg).toContain("'model' does not fit: The weights (94.51 GiB per GPU at tensorParallelSize 8) plus overheads");
    expect(msg).toContain('exceed the 67.32 GiB vLLM may use on H100-80GB (79.2 GiB) at gpuMemoryUtilization 0.85');
    expect(msg).toContain('Fix: span nodes: tensorParallelSize: 8, pipelineParallelSize: 2 on 2 nodes of 8 x H100-80GB fits, with 47.253 GiB of weights and 16.662 GiB of KV cache per rank (67 requests of maxModelLen at once)');
  });

  test('on 4-GPU nodes the fix spans more nodes', () => {
    const msg = thrown(() => resolveVllmService({ name: 'llama-405b', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 4, gpusPerNode: 4 }));
    expect(msg).toMatch(/Fix: span nodes: tensorParallelSize: 4, pipelineParallelSize: 4 on 4 nodes of 4 x H100-80GB fits, with 47\.\d+ GiB of weights/);
  });

  test('fails per rank when the stages are too few: 405B BF16 on 2 nodes of 8 x L40S', () => {
    const msg = problemsOf({ gpu: 'L40S' });
    expect(msg).toContain("'model' does not fit");
    expect(msg).toContain('pipelineParallelSize 2');
    expect(msg).toMatch(/Fix: span nodes: tensorParallelSize: 8, pipelineParallelSize: 3 on 3 nodes of 8 x L40S fits/);
  });

  test('DeepSeek-R1 (FP8, MLA, 671B MoE) on 2 nodes of 8 x H100: fits per rank, refused on one node', () => {
    const r = resolveVllmService({ name: 'deepseek-r1', model: 'deepseek-r1', gpu: 'H100-80GB', tensorParallelSize: 8, pipelineParallelSize: 2 });
    expect(r.memory.fits).toBe(true);
    expect(r.memory.weightsGiBPerGpu).toBeLessThan(40);
    expect(thrown(() => resolveVllmService({ name: 'deepseek-r1', model: 'deepseek-r1', gpu: 'H100-80GB', tensorParallelSize: 8 }))).toContain('Fix: span nodes: tensorParallelSize: 8, pipelineParallelSize: 2');
  });
});

describe('multi-node VllmService: launch per vLLM version', () => {
  test('before 0.12 the group runs Ray: the leader starts the head and waits for the group, workers join it', () => {
    const { objects, resolved } = renderVllmService({ ...base, vllmVersion: '0.10.1' });
    expect(resolved.multiNode?.launch).toBe('ray');
    expect(resolved.warnings.join('\n')).toContain("runs vLLM 0.10.1 across nodes through Ray (vLLM's own multi-node launch needs 0.12.0)");
    const lws = find(objects, 'LeaderWorkerSet');
    const { leader, worker } = ranks(lws);
    expect(container(leader).command).toEqual(['/bin/sh', '-c']);
    expect(container(leader).args[0]).toMatch(/^bash \/vllm-workspace\/examples\/online_serving\/multi-node-serving\.sh leader --ray_cluster_size=\$\(LWS_GROUP_SIZE\) && exec vllm serve meta-llama\/Llama-3\.1-405B-Instruct .*--tensor-parallel-size 8 --pipeline-parallel-size 2 .*--distributed-executor-backend ray$/);
    expect(container(worker).args).toEqual(['bash /vllm-workspace/examples/online_serving/multi-node-serving.sh worker --ray_address=$(LWS_LEADER_ADDRESS)']);
    expect(validateAgainstCrd(lws as KubeObject).errors).toEqual([]);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('fails if the pinned vLLM is older than the first multi-node launch gpuplane renders', () => {
    expect(problemsOf({ vllmVersion: '0.8.0' })).toContain("'vllmVersion' (0.8.0) is older than 0.8.5, the first release gpuplane launches across nodes");
  });
});

describe('multi-node VllmService: layout refusals', () => {
  test('fails if TP spans nodes over Ethernet, saying why', () => {
    expect(problemsOf({ tensorParallelSize: 16, pipelineParallelSize: 1 })).toContain(
      "'tensorParallelSize' (16) exceeds the GPUs of one node (8), so tensor-parallel all-reduces (two per layer, every token) would cross the node network; over Ethernet/TCP that is several times slower than NVLink and the server crawls (got 16; allowed: 1..8 (more only with multiNode.interconnect 'infiniband' or 'roce')). Fix: keep tensor parallelism inside the node and span nodes with pipeline parallelism (tensorParallelSize 8 with pipelineParallelSize 2), or declare an RDMA fabric with multiNode.interconnect",
    );
  });

  test('TP across nodes renders on a declared InfiniBand fabric, with the RDMA devices, IPC_LOCK and NCCL settings on every rank', () => {
    const { objects } = renderVllmService({
      ...base, tensorParallelSize: 16, pipelineParallelSize: 1,
      multiNode: { interconnect: 'infiniband', socketInterface: 'eth0', ibHca: 'mlx5_0,mlx5_1', rdma: { resourceName: 'rdma/ib', count: 2 } },
    });
    const lws = find(objects, 'LeaderWorkerSet');
    for (const t of Object.values(ranks(lws))) {
      const c = container(t);
      expect(c.resources.requests['rdma/ib']).toBe('2');
      expect(c.resources.limits['rdma/ib']).toBe('2');
      expect(c.securityContext.capabilities).toEqual({ add: ['IPC_LOCK'], drop: ['ALL'] });
      expect(c.env).toEqual(expect.arrayContaining([
        { name: 'NCCL_SOCKET_IFNAME', value: 'eth0' }, { name: 'GLOO_SOCKET_IFNAME', value: 'eth0' }, { name: 'NCCL_IB_HCA', value: 'mlx5_0,mlx5_1' },
      ]));
      expect(flag(c.args, '--tensor-parallel-size')).toBe('16');
    }
    expect(validateAgainstCrd(lws as KubeObject).errors).toEqual([]);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('RDMA devices need IPC_LOCK, outside PodSecurity baseline: a created namespace enforces privileged, an existing one is warned about', () => {
    const rdma = { interconnect: 'infiniband' as const, rdma: { resourceName: 'rdma/ib' } };
    expect(resolveVllmService({ ...base, multiNode: rdma }).warnings.join('\n')).toContain("adds the IPC_LOCK capability GPUDirect RDMA needs, which PodSecurity 'baseline' and 'restricted' refuse");
    const own = renderVllmService({ ...base, namespace: 'llm-rdma', createNamespace: true, multiNode: rdma });
    expect(find(own.objects, 'Namespace').metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'gpuplane', 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(own.resolved.warnings.join('\n')).not.toContain('IPC_LOCK');
    expect(find(renderVllmService({ ...base, namespace: 'llm', createNamespace: true }).objects, 'Namespace').metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'gpuplane' });
  });

  test('warns if an RDMA fabric is declared without RDMA devices in the pod', () => {
    const r = resolveVllmService({ ...base, multiNode: { interconnect: 'roce' } });
    expect(r.warnings.join('\n')).toContain("declares multiNode.interconnect 'roce' without multiNode.rdma");
  });

  test.each([
    [{ tensorParallelSize: 4, pipelineParallelSize: 3 }, "'pipelineParallelSize' gives 12 ranks (tensorParallelSize 4 x pipelineParallelSize 3), which do not fill whole nodes of 8 GPUs"],
    [{ tensorParallelSize: 3, pipelineParallelSize: 8, model: { huggingFaceId: 'org/m', architecture: { layers: 126, kvHeads: 3, headDim: 128, parameters: 405e9 } } }, "'tensorParallelSize' (3) must divide the GPUs of one node (8) when the replica spans nodes"],
    [{ tensorParallelSize: 12, multiNode: { interconnect: 'infiniband' as const } }, "'tensorParallelSize' (12) spans nodes, so it must be a multiple of the GPUs of one node (8)"],
    [{ multiNode: { rdma: { resourceName: 'rdma/ib' } } }, "'multiNode.rdma' only applies on an RDMA fabric"],
    [{ multiNode: { ibHca: 'mlx5_0' } }, "'multiNode.ibHca' only applies on an RDMA fabric"],
    [{ name: 'a-very-long-multi-node-service-name-for-llama-405b' }, "'name' must start with a letter and have at most 47 characters for a multi-node service"],
    [{ name: '405b' }, "'name' must start with a letter"],
    [{ pipelineParallelSize: 200 }, "'pipelineParallelSize' must be a positive integer of at most 64"],
    [{ multiNode: { rdma: { resourceName: 'ib' }, interconnect: 'infiniband' as const } }, "'multiNode.rdma.resourceName' must be <domain>/<name>"],
    [{ multiNode: { socketInterface: 'eth0 eth1' } }, "'multiNode.socketInterface' must be interface names"],
    [{ multiNode: { interconect: 'infiniband' } }, 'multiNode.interconect'],
  ])('fails if %j', (extra, message) => {
    expect(problemsOf(extra as Partial<VllmServiceOptions>)).toContain(message);
  });

  test('fails if multiNode is set on a service that fits one node', () => {
    expect(thrown(() => resolveVllmService({ name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB', multiNode: { interconnect: 'infiniband' } }))).toContain(
      "'multiNode' only applies when tensorParallelSize x pipelineParallelSize (1) exceeds the GPUs of one node (8); this service runs on one node",
    );
  });

  test('pipeline parallelism within one node stays a Deployment, with TP x PP GPUs per pod', () => {
    const { objects } = renderVllmService({ name: 'llama-70b', namespace: 'inference', model: 'llama-3.1-70b', gpu: 'L40S', tensorParallelSize: 4, pipelineParallelSize: 2 });
    const c = findWorkload(objects).spec.template.spec.containers[0];
    expect(c.resources.limits['nvidia.com/gpu']).toBe('8');
    expect(flag(c.args, '--pipeline-parallel-size')).toBe('2');
    expect(c.args).not.toContain('--nnodes');
  });

  test('on a pool of whole GPUs the group takes the pool\'s node selection, tolerations and GPUs per node', () => {
    const whole = new GpuPoolHandle(resolveGpuPool({ name: 'h100-whole', gpu: 'H100-80GB', gpusPerNode: 4 }));
    const { objects, resolved } = renderVllmService({ name: 'llama-405b', model: 'llama-3.1-405b-fp8', placement: whole.slice(), tensorParallelSize: 4, pipelineParallelSize: 2 });
    expect(resolved.multiNode?.nodes).toBe(2);
    for (const t of Object.values(ranks(find(objects, 'LeaderWorkerSet')))) {
      expect(t.spec.nodeSelector).toEqual({ 'gpuplane.dev/pool': 'h100-whole' });
      expect(container(t).resources.limits['nvidia.com/gpu']).toBe('4');
    }
    expect(validateObjects(objects)).toEqual([]);
  });

  test('fails if pipeline parallelism is asked of a MIG slice', () => {
    const mig = new GpuPoolHandle(resolveGpuPool({ name: 'h100-mig', gpu: 'H100-80GB', nodes: 2, mig: { layout: { '3g.40gb': 2 } } }));
    expect(thrown(() => resolveVllmService({ name: 'qwen', model: 'qwen3-0.6b', placement: mig.slice('3g.40gb'), pipelineParallelSize: 2 }))).toContain("'pipelineParallelSize' must be 1 on a MIG instance (3g.40gb)");
  });
});

describe('multi-node VllmService: rollouts, budgets and production rules on LWS pods', () => {
  const { objects } = renderVllmService(base);
  const lws = find(objects, 'LeaderWorkerSet');

  test('declared spare GPUs for a whole group let the rollout surge one group', () => {
    const surge = find(renderVllmService({ ...base, spareGpus: 16 }).objects, 'LeaderWorkerSet');
    expect(surge.spec.rolloutStrategy.rollingUpdateConfiguration).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(surge.metadata.annotations).toEqual({ 'gpuplane.dev/spare-gpus': '16', 'gpuplane.dev/startup-estimate': expect.stringContaining('a group of 2 pods') });
    expect(find(renderVllmService({ ...base, spareGpus: 15 }).objects, 'LeaderWorkerSet').spec.rolloutStrategy.rollingUpdateConfiguration).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  test('one group: the budget requires every pod, so no drain takes the only replica', () => {
    const single = renderVllmService({ ...base, autoscaling: false, replicas: 1 }).objects;
    expect(find(single, 'PodDisruptionBudget').spec.minAvailable).toBe(2);
    expect(find(single, 'LeaderWorkerSet').spec.replicas).toBe(1);
  });

  test('the production rules see headless workers as ranks (no probes needed) but still check what every vLLM server needs', () => {
    expect(validateProductionRules([lws as KubeObject])).toEqual([]);
    const broken = clone(lws);
    delete broken.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].volumeMounts[1];
    broken.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].volumeMounts = broken.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].volumeMounts.filter(Boolean);
    broken.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].image = 'vllm/vllm-openai:latest';
    delete broken.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0].startupProbe;
    const findings = validateProductionRules([broken as KubeObject]).join('\n');
    expect(findings).toContain('LeaderWorkerSet/inference/llama-405b-lws spec.leaderWorkerTemplate.workerTemplate container vllm: --tensor-parallel-size 8 x --pipeline-parallel-size 2 without /dev/shm');
    expect(findings).toContain('spec.leaderWorkerTemplate.leaderTemplate container vllm: image "vllm/vllm-openai:latest" is not pinned');
    expect(findings).toContain('spec.leaderWorkerTemplate.leaderTemplate container vllm: no startupProbe');
    expect(findings).not.toContain('workerTemplate container vllm: no startupProbe');
  });

  test('the production rules refuse group rollouts that cannot progress', () => {
    const stuck = clone(lws);
    stuck.spec.rolloutStrategy.rollingUpdateConfiguration = { maxSurge: 0, maxUnavailable: 0 };
    expect(validateProductionRules([stuck as KubeObject]).join('\n')).toContain('LeaderWorkerSet/inference/llama-405b-lws: rolloutStrategy maxSurge and maxUnavailable are both 0');
    const surging = clone(lws);
    surging.spec.rolloutStrategy.rollingUpdateConfiguration = { maxSurge: 1, maxUnavailable: 0 };
    expect(validateProductionRules([surging as KubeObject]).join('\n')).toContain('rolloutStrategy maxSurge 1 needs 16 free GPU(s) for the surge group(s) (2 pods, 16 GPUs per group) but 0 are declared spare');
  });

  test('the run-time schema and the CRD agree on broken variants', () => {
    const set = (f: (c: Obj) => void) => { const c = clone(lws); f(c); return c as KubeObject; };
    for (const [i, broken] of [
      set((c) => { c.spec.startupPolicy = 'LeaderFirst'; }),
      set((c) => { c.spec.leaderWorkerTemplate.restartPolicy = 'Always'; }),
      set((c) => { c.spec.leaderWorkerTemplate.size = 'two'; }),
      set((c) => { delete c.spec.leaderWorkerTemplate.workerTemplate; }),
      set((c) => { c.spec.leaderWorkerTemplate.groupSize = 2; }),
      set((c) => { c.spec.rolloutStrategy.type = 'Recreate'; }),
      set((c) => { c.spec.replicas = -1; }),
      set((c) => { c.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].env = 'HF_HOME'; }),
    ].entries()) {
      // The variant's index names it when one is accepted.
      expect([i, validateAgainstCrd(broken).errors.length > 0, validateSchema(broken).length > 0]).toEqual([i, true, true]);
    }
  });
});
