import type * as pulumiTypes from '@pulumi/pulumi';
import { recordResources, settle } from '../helpers/pulumi-mocks';
import { renderVllmService } from '../../lib/core/vllm/render';
import { objectId } from '../../lib/core/object-ids';
import type { VllmServiceOptions } from '../../lib/core/vllm/options';

const recorded = recordResources();
// Imported after the mocks, as Pulumi's testing guide requires.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { VllmService } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

/** The same objects through the Pulumi component as the core renders (and the cdk8s construct synthesizes). */
async function parity(name: string, options: Omit<VllmServiceOptions, 'name'>): Promise<string[]> {
  const svc = new VllmService(name, options);
  await settle(Object.values(svc.resources) as pulumiTypes.Resource[]);
  const objects = renderVllmService({ ...options, name }).objects;
  const byName = new Map(recorded.map((r) => [r.name, r]));
  for (const obj of objects) expect(byName.get(`${name}-${objectId(name, obj).toLowerCase()}`)?.inputs).toEqual(obj);
  expect(recorded.filter((r) => r.name.startsWith(`${name}-`))).toHaveLength(objects.length);
  return recorded.filter((r) => r.name.startsWith(`${name}-`)).map((r) => r.type);
}

describe('VllmService (Pulumi): model delivery', () => {
  test('per-replica claims: a typed StatefulSet, the objects the core renders', async () => {
    const types = await parity('perreplica', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    expect(types).toContain('kubernetes:apps/v1:StatefulSet');
    expect(types).not.toContain('kubernetes:apps/v1:Deployment');
  });

  test('the loader Job on a ReadWriteMany cache: a typed Job that Pulumi does not wait for', async () => {
    const types = await parity('loaded', {
      namespace: 'inference', model: 'llama-3.3-70b', gpu: 'H100-80GB', tensorParallelSize: 4, modelRevision: '6f6073b423013f6a7d4d9f39144961bfbfbc386b',
      modelCache: { accessMode: 'ReadWriteMany', storageClassName: 'efs-sc' },
    });
    expect(types).toEqual(expect.arrayContaining(['kubernetes:batch/v1:Job', 'kubernetes:apps/v1:Deployment', 'kubernetes:core/v1:PersistentVolumeClaim']));
    const job = recorded.find((r) => r.type === 'kubernetes:batch/v1:Job' && r.name.startsWith('loaded-'))!;
    expect((job.inputs.metadata as { annotations: Record<string, string> }).annotations['pulumi.com/skipAwait']).toBe('true');
  });
});
