import { Testing } from 'cdk8s';
import { GpuNodePool, MigNodePool, VllmService } from '../../lib/cdk8s';
import { validateObjects } from '../../lib/core/validate';
import { find, vllmContainer } from '../helpers/find';

const karpenter = { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, instanceTypes: ['p5.48xlarge'] };

describe('MigNodePool and GpuNodePool (cdk8s)', () => {
  test('MIG pool with Karpenter, and two vLLM services on its slices (snapshot)', () => {
    const chart = Testing.chart();
    const pool = new MigNodePool(chart, 'H100Mig', { gpu: 'H100-80GB', nodes: { min: 1, max: 4 }, mig: { layout: { '3g.40gb': 2 } }, karpenter });
    new VllmService(chart, 'Chat', { model: 'llama-3.1-8b', placement: pool.slice('3g.40gb'), maxModelLen: 8192 });
    new VllmService(chart, 'Code', { model: 'qwen2.5-7b', placement: pool.slice('3g.40gb'), maxModelLen: 16384 });
    const manifests = Testing.synth(chart);
    expect(manifests).toMatchSnapshot();
    expect(validateObjects(manifests)).toEqual([]);
    expect(find(manifests, 'NodePool').metadata.name).toBe('h100mig');
    for (const d of manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')) {
      expect(vllmContainer(d).resources.limits['nvidia.com/gpu']).toBe('1'); // single strategy: MIG devices are nvidia.com/gpu
      expect(d.spec.template.spec.nodeSelector).toEqual({ 'gpuplane.dev/pool': 'h100mig' });
    }
  });

  test('whole-GPU pool without Karpenter renders nothing of its own, but hands out slices', () => {
    const chart = Testing.chart();
    const pool = new GpuNodePool(chart, 'T4', { gpu: 'T4', gpusPerNode: 1, timeSlicing: { replicas: 4 }, workloads: { productionInference: true } });
    expect(Testing.synth(chart)).toEqual([]);
    expect(pool.slice().memoryShared).toBe(true);
    expect(pool.warnings).toHaveLength(1);
    expect(pool.resolved.devicePluginConfig.sharing?.timeSlicing?.resources).toEqual([{ name: 'nvidia.com/gpu', replicas: 4 }]);
  });

  test('names the services of the app whose budgets would block a reconfiguration', () => {
    const chart = Testing.chart();
    const pool = new MigNodePool(chart, 'H100', { gpu: 'H100-80GB', nodes: 2, mig: { layout: 'balanced' } });
    new VllmService(chart, 'Solo', { namespace: 'inference', model: 'qwen3-4b', placement: pool.slice('3g.40gb'), autoscaling: false, replicas: 1 });
    new VllmService(chart, 'Elsewhere', { namespace: 'inference', model: 'qwen3-4b', gpu: 'L4' });
    expect(pool.drainWarnings()).toEqual([
      "inference/solo: its PodDisruptionBudget allows no pod down (1 replica); evictions during the MIG reconfiguration of pool 'h100' block until you scale it up or remove the budget.",
    ]);
  });

  test('exposes the reconfiguration script', () => {
    const chart = Testing.chart();
    const pool = new MigNodePool(chart, 'A100', { gpu: 'A100-80GB', mig: { layout: 'balanced' } });
    expect(pool.reconfigurationScript()).toContain("CONFIG='a100'");
  });

  test('fails at construction on an impossible layout', () => {
    const chart = Testing.chart();
    expect(() => new MigNodePool(chart, 'Bad', { gpu: 'H100-80GB', mig: { layout: { '7g.80gb': 1, '1g.10gb': 1 } } })).toThrow(/GPU pool 'bad': 1 problem/);
  });
});
