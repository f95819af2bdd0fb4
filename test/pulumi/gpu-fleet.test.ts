import type * as pulumiTypes from '@pulumi/pulumi';
import { Testing } from 'cdk8s';
import { recordResources, settle } from '../helpers/pulumi-mocks';
import { KubeObject } from '../../lib/core/kube';
import { FleetRequest } from '../../lib/core/planning';

const recorded = recordResources();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { GpuFleet } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const cdk8s = require('../../lib/cdk8s') as typeof import('../../lib/cdk8s');

const REQUEST: FleetRequest = {
  workloads: [
    { name: 'chat', model: 'llama-3.1-8b', maxModelLen: 8192, concurrency: 8, replicas: 3 },
    { name: 'small', model: 'qwen3-1.7b', maxModelLen: 4096, replicas: 2, isolation: 'shared' },
  ],
  gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3, karpenter: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, instanceTypes: ['p5.48xlarge'] } }, { gpu: 'L4', gpusPerNode: 4, hourlyPrice: 0.8 }],
};

describe('GpuFleet (Pulumi)', () => {
  test('pools and services as child components, the same objects as the cdk8s GpuFleet (parity)', async () => {
    const fleet = new GpuFleet('fleet', { ...REQUEST, printTable: false });
    await settle([...Object.values(fleet.services).flatMap((s) => Object.values(s.resources)), ...fleet.pools.flatMap((p) => Object.values(p.resources))] as pulumiTypes.Resource[]);
    expect(recorded.find((r) => r.name === 'fleet')?.type).toBe('gpuplane:index:GpuFleet');
    for (const p of fleet.plan.pools) expect(recorded.find((r) => r.name === p.name)?.type).toBe(p.mig ? 'gpuplane:index:MigNodePool' : 'gpuplane:index:GpuNodePool');

    const chart = Testing.chart();
    const twin = new cdk8s.GpuFleet(chart, 'Fleet', { ...REQUEST, printTable: false });
    expect({ ...twin.plan, millis: 0 }).toEqual({ ...fleet.plan, millis: 0 });
    const objects = Testing.synth(chart) as KubeObject[];
    expect(objects.filter((o) => o.kind === 'NodePool').length).toBeGreaterThan(0);
    for (const obj of objects) {
      const match = recorded.filter((r) => (r.inputs as unknown as KubeObject).kind === obj.kind && (r.inputs as unknown as KubeObject).metadata?.name === obj.metadata.name && (r.inputs as unknown as KubeObject).metadata?.namespace === obj.metadata.namespace);
      expect(match.map((m) => m.inputs)).toEqual([obj]);
    }
  });
});
