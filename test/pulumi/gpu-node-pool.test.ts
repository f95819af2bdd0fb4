import type * as pulumiTypes from '@pulumi/pulumi';
import { promiseOf, recordResources, settle } from '../helpers/pulumi-mocks';
import { renderGpuPool } from '../../lib/core/gpu/pool-render';

const recorded = recordResources();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { MigNodePool, GpuNodePool, VllmService } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

describe('MigNodePool and GpuNodePool (Pulumi)', () => {
  const karpenter = { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, instanceTypes: ['p4d.24xlarge'] };

  test('MIG pool: Karpenter NodePool as a custom resource, existing nodes patched with labels and taints', async () => {
    const pool = new MigNodePool('a100', { gpu: 'A100-80GB', mig: { layout: { '3g.40gb': 2 }, timeSlicingReplicas: 2 }, karpenter, existingNodes: ['ip-10-0-1-5'] });
    await settle(Object.values(pool.resources) as pulumiTypes.Resource[]);
    expect(recorded.find((r) => r.name === 'a100')?.type).toBe('gpuplane:index:MigNodePool');
    expect(recorded.find((r) => r.name === 'a100-nodepool')?.inputs).toEqual(renderGpuPool({ name: 'a100', gpu: 'A100-80GB', mig: { layout: { '3g.40gb': 2 }, timeSlicingReplicas: 2 }, karpenter }).objects[0]);
    const patch = recorded.find((r) => r.name === 'a100-nodepatch-ip-10-0-1-5')!;
    expect(patch.type).toBe('kubernetes:core/v1:NodePatch');
    expect(patch.inputs).toMatchObject({
      metadata: { name: 'ip-10-0-1-5', labels: { 'nvidia.com/mig.config': 'a100', 'nvidia.com/device-plugin.config': 'a100', 'gpuplane.dev/pool': 'a100' } },
      spec: { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] },
    });
    expect(await promiseOf(patch && pool.resources['NodePatch-ip-10-0-1-5'].urn)).toMatch(/gpuplane:index:MigNodePool\$kubernetes:core\/v1:NodePatch/);
  });

  test('a VllmService takes a Pulumi pool slice', async () => {
    const pool = new GpuNodePool('l40s', { gpu: 'L40S', mps: { replicas: 2 } });
    const svc = new VllmService('small', { model: 'qwen3-4b', placement: pool.slice(), maxModelLen: 8192 });
    await settle(Object.values(svc.resources) as pulumiTypes.Resource[]);
    // Two MPS clients per GPU: each takes its share of the device (vLLM's utilization is a fraction of the whole device).
    expect(svc.resolved.gpuMemoryUtilization).toBe(0.45);
    expect(recorded.find((r) => r.name === 'small-statefulset')?.inputs).toMatchObject({ spec: { template: { spec: { nodeSelector: { 'gpuplane.dev/pool': 'l40s' } } } } });
  });

  test('fails before registering anything on bad options', () => {
    const before = recorded.length;
    expect(() => new GpuNodePool('bad', { gpu: 'L4', mig: { layout: 'balanced' } })).toThrow(/'mig' is not available on the L4/);
    expect(recorded.length).toBe(before);
  });
});
