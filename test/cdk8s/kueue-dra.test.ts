import { Chart, Testing } from 'cdk8s';
import { draGpuClaim, GpuOperatorStack, KueueQueues, VllmService } from '../../lib';
import { renderKueueQueues } from '../../lib/core/kueue/queues';

const queues = { clusterQueue: 'gpu-inference', flavors: [{ name: 'h100', gpu: 'H100-80GB', quota: { gpus: 16, cpu: '192', memory: '1536Gi' } }], localQueues: [{ name: 'inference', namespace: 'inference' }] };

describe('KueueQueues and DRA (cdk8s)', () => {
  test('KueueQueues synthesizes the core objects; a queued service and a DRA service synthesize beside them', () => {
    const chart: Chart = Testing.chart();
    const q = new KueueQueues(chart, 'Queues', queues);
    new VllmService(chart, 'Queued', { name: 'llama-8b', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', queue: q.localQueue('inference') });
    const operator = new GpuOperatorStack(chart, 'Operator', { pools: [], draDriver: {} });
    new VllmService(chart, 'Dra', { name: 'llama-70b', namespace: 'inference', model: 'llama-3.1-70b', tensorParallelSize: 4, placement: draGpuClaim({ gpu: 'H100-80GB', driver: operator.render }) });
    const out = Testing.synth(chart);
    for (const obj of renderKueueQueues(queues).objects) expect(out).toContainEqual(obj);
    expect(Object.keys(q.apiObjects).sort()).toEqual(['ClusterQueue-gpu-inference', 'LocalQueue-inference', 'ResourceFlavor-h100']);
    expect(out.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'llama-8b').metadata.labels['kueue.x-k8s.io/queue-name']).toBe('inference');
    expect(out.find((o) => o.kind === 'ResourceClaimTemplate').metadata.name).toBe('llama-70b-gpus');
    expect(out.filter((o) => o.kind === 'HelmRelease').map((o) => o.metadata.name)).toEqual(['gpu-operator', 'dra-driver-nvidia-gpu']);
  });
});
