import { Testing } from 'cdk8s';
import { VllmService } from '../../lib/cdk8s';
import { renderVllmService } from '../../lib/core/vllm/render';
import { validateObjects } from '../../lib/core/validate';

describe('VllmService (cdk8s): model delivery', () => {
  test('workload is the StatefulSet with per-replica claims, and deployment the same object', () => {
    const chart = Testing.chart();
    const svc = new VllmService(chart, 'Llama', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    expect(svc.workload.kind).toBe('StatefulSet');
    expect(svc.deployment).toBe(svc.workload);
  });

  test('the loader path synthesizes exactly the core objects (claim, Job, Deployment), each valid', () => {
    const chart = Testing.chart();
    const options = { namespace: 'inference', model: 'llama-3.3-70b', gpu: 'H100-80GB', tensorParallelSize: 4, modelRevision: '6f6073b423013f6a7d4d9f39144961bfbfbc386b', modelCache: { accessMode: 'ReadWriteMany' as const } };
    const svc = new VllmService(chart, 'Llama', options);
    const manifests = Testing.synth(chart);
    expect(manifests).toEqual(renderVllmService({ ...options, name: 'llama' }).objects);
    expect(validateObjects(manifests)).toEqual([]);
    expect(svc.workload.kind).toBe('Deployment');
    expect(Object.keys(svc.apiObjects).filter((k) => k.startsWith('Job-load-'))).toHaveLength(1);
  });
});
