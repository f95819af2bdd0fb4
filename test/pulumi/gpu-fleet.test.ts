import type * as pulumiTypes from '@pulumi/pulumi';
import { recordResources, settle } from '../helpers/pulumi-mocks';

const recorded = recordResources();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { GpuFleet } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

describe('GpuFleet (Pulumi)', () => {
  test('pools and services as child components of one GpuFleet', async () => {
    const fleet = new GpuFleet('fleet', {
      workloads: [{ name: 'chat', model: 'llama-3.1-8b', maxModelLen: 8192, concurrency: 8, replicas: 2 }],
      gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3 }],
      printTable: false,
    });
    await settle([...Object.values(fleet.services).flatMap((s) => Object.values(s.resources)), ...fleet.pools.flatMap((p) => Object.values(p.resources))] as pulumiTypes.Resource[]);
    expect(recorded.find((r) => r.name === 'fleet')?.type).toBe('gpuplane:index:GpuFleet');
    expect(recorded.find((r) => r.name === 'fleet-h100-80gb-mig')?.type).toBe('gpuplane:index:MigNodePool');
    expect(recorded.filter((r) => r.type === 'kubernetes:apps/v1:Deployment')).toHaveLength(Object.keys(fleet.services).length);
    expect(fleet.plan.gpus).toBe(1);
  });
});
