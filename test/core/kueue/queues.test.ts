import { draGpuClaim } from '../../../lib/core/gpu/dra';
import { KUEUE_QUEUE_LABEL, KueueQueuesOptions, renderKueueQueues } from '../../../lib/core/kueue/queues';
import { renderVllmService } from '../../../lib/core/vllm/render';
import { validateAgainstCrd } from '../../helpers/crd-schema';
import { problemsOf } from '../../helpers/problems';

/* eslint-disable @typescript-eslint/no-explicit-any */
const options: KueueQueuesOptions = {
  clusterQueue: 'gpu-inference',
  flavors: [{ name: 'h100', gpu: 'H100-80GB', quota: { gpus: 16, cpu: '192', memory: '1536Gi' } }],
  localQueues: [{ name: 'inference', namespace: 'inference' }],
};
const service = (queue: any, extra: Record<string, unknown> = {}) =>
  renderVllmService({ name: 'llama-70b', namespace: 'inference', model: 'llama-3.1-70b', gpu: 'H100-80GB', tensorParallelSize: 4, queue, ...extra });

describe('Kueue queues (kueue.x-k8s.io/v1beta2)', () => {
  test('renders a ResourceFlavor per GPU flavor, the ClusterQueue with GPU quota, and the LocalQueues', () => {
    const r = renderKueueQueues(options);
    expect(r.objects).toMatchSnapshot();
    expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ResourceFlavor/h100', 'ClusterQueue/gpu-inference', 'LocalQueue/inference']);
    const cq = r.objects[1] as any;
    expect(cq.spec.resourceGroups).toEqual([{
      coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'],
      flavors: [{ name: 'h100', resources: [{ name: 'cpu', nominalQuota: '192' }, { name: 'memory', nominalQuota: '1536Gi' }, { name: 'nvidia.com/gpu', nominalQuota: '16' }] }],
    }]);
    expect((r.objects[0] as any).spec.nodeLabels).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' });
  });

  test('every object is valid against the real Kueue CRDs', () => {
    const withCohort = renderKueueQueues({ ...options, cohort: 'platform', flavors: [{ ...options.flavors[0], borrowingLimitGpus: 8, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }] });
    for (const o of [...renderKueueQueues(options).objects, ...withCohort.objects]) expect([o.kind, validateAgainstCrd(o)]).toEqual([o.kind, { errors: [], unchecked: [] }]);
  });

  test('a queued VllmService carries the queue-name label on its workload (a StatefulSet with per-replica caches)', () => {
    const objects = service(renderKueueQueues(options).localQueue('inference')).objects;
    expect(objects.find((o) => o.kind === 'StatefulSet')!.metadata.labels![KUEUE_QUEUE_LABEL]).toBe('inference');
    expect(objects.filter((o) => o.metadata.labels?.[KUEUE_QUEUE_LABEL]).map((o) => o.kind)).toEqual(['StatefulSet']);
  });

  test('warns when the quota admits fewer replicas than autoscaling may want', () => {
    const r = service(renderKueueQueues(options).localQueue('inference'));
    expect(r.resolved.warnings.join('\n')).toContain("LocalQueue 'inference/inference' (ClusterQueue 'gpu-inference') admits at most 4 of its 8 replicas (4 GPUs, 10 CPU, 80Gi each; 'h100' 16 GPUs, 192 CPU, 1536Gi)");
  });

  test('fails if one pod can never fit the quota, with the numbers', () => {
    const q = renderKueueQueues({ ...options, flavors: [{ ...options.flavors[0], quota: { gpus: 2, cpu: '192', memory: '1536Gi' } }] }).localQueue('inference');
    expect(problemsOf(() => service(q))).toContain("'queue' can never admit one pod of the service: a pod requests 4 GPUs, 10 CPU, 80Gi and LocalQueue 'inference/inference' (ClusterQueue 'gpu-inference') has 'h100' 2 GPUs, 192 CPU, 1536Gi");
    const lowMemory = renderKueueQueues({ ...options, flavors: [{ ...options.flavors[0], quota: { gpus: 16, cpu: '192', memory: '64Gi' } }] }).localQueue('inference');
    expect(problemsOf(() => service(lowMemory))).toContain("'queue' can never admit one pod of the service");
  });

  test('fails if the minimum replicas cannot all be admitted', () => {
    const q = renderKueueQueues({ ...options, flavors: [{ ...options.flavors[0], quota: { gpus: 4, cpu: '192', memory: '1536Gi' } }] }).localQueue('inference');
    expect(problemsOf(() => service(q))).toContain("'queue' admits at most 1 pod(s) of the service (4 GPUs, 10 CPU, 80Gi each; 'h100' 4 GPUs, 192 CPU, 1536Gi), below its 2 minimum replicas");
  });

  test('fails if the queue has no flavor of the GPU, sits in another namespace, or the GPUs come through DRA', () => {
    const a100 = renderKueueQueues({ ...options, flavors: [{ name: 'a100', gpu: 'A100-80GB', quota: { gpus: 16, cpu: '192', memory: '1536Gi' } }] }).localQueue('inference');
    expect(problemsOf(() => service(a100))).toContain("'queue' has no flavor of the service's GPU (H100-80GB): LocalQueue 'inference/inference' (ClusterQueue 'gpu-inference') offers 'a100' (A100-80GB)");
    const other = renderKueueQueues({ ...options, localQueues: [{ name: 'inference', namespace: 'team-b' }] }).localQueue('inference');
    expect(problemsOf(() => service(other))).toContain("'queue' is in namespace 'team-b', and a workload can only use a LocalQueue of its own namespace ('inference')");
    const q = renderKueueQueues(options).localQueue('inference');
    expect(problemsOf(() => service(q, { gpu: undefined, placement: draGpuClaim({ gpu: 'H100-80GB' }) }))).toContain("'queue' does not count DRA claims");
  });

  test('fails on borrowing without a cohort, repeated flavors, or an unknown queue name', () => {
    expect(problemsOf(() => renderKueueQueues({ ...options, flavors: [{ ...options.flavors[0], borrowingLimitGpus: 4 }] }))).toContain("'flavors[0].borrowingLimitGpus' needs a cohort to borrow from");
    expect(problemsOf(() => renderKueueQueues({ ...options, flavors: [options.flavors[0], options.flavors[0]] }))).toContain("'flavors[1].name' repeats an earlier flavor");
    expect(problemsOf(() => renderKueueQueues(options).localQueue('batch'))).toContain("'localQueue' names no LocalQueue of these queues (got \"batch\"; allowed: inference/inference)");
  });

  describe('a multi-node service (a LeaderWorkerSet group is one Kueue workload, admitted all or nothing)', () => {
    const big = (gpus: number, extra: Record<string, unknown> = {}) => {
      const q = renderKueueQueues({ ...options, flavors: [{ ...options.flavors[0], quota: { gpus, cpu: '1000', memory: '8000Gi' } }] }).localQueue('inference');
      return { name: 'llama-405b', namespace: 'inference', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8, pipelineParallelSize: 2, queue: q, ...extra };
    };

    test('the queue-name label is on the LeaderWorkerSet, and the quota counts whole groups of 2 x 8 GPUs', () => {
      const objects = renderVllmService(big(32) as any).objects;
      expect(objects.filter((o) => o.metadata.labels?.[KUEUE_QUEUE_LABEL]).map((o) => o.kind)).toEqual(['LeaderWorkerSet']);
    });

    test('fails if the quota holds fewer whole groups than the minimum replicas (24 GPUs: one group of 16, not two)', () => {
      expect(problemsOf(() => renderVllmService(big(24) as any))).toContain("'queue' admits at most 1 replica(s) of the service (2 pods of 8 GPUs, 18 CPU, 208Gi each; 'h100' 24 GPUs, 1000 CPU, 8000Gi), below its 2 minimum replicas");
    });

    test('fails if one group does not fit the quota at all (8 GPUs for a 16-GPU group)', () => {
      expect(problemsOf(() => renderVllmService(big(8, { autoscaling: false, replicas: 1 }) as any))).toContain('can never admit one replica (a group, admitted all or nothing) of the service: a replica requests 2 pods of 8 GPUs');
    });
  });
});
