import type * as pulumiTypes from '@pulumi/pulumi';
import { recordResources, settle } from '../helpers/pulumi-mocks';
import { renderGpuOperatorStack } from '../../lib/core/operator/stack';
import { resolveGpuPool } from '../../lib/core/gpu/pool';
import { objectId } from '../../lib/core/object-ids';

const recorded = recordResources();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { GpuOperatorStack, MigNodePool } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

describe('GpuOperatorStack (Pulumi)', () => {
  test('the chart as a helm.v3.Release with the same values, and the same ConfigMaps and rules as cdk8s minus the GitOps objects', async () => {
    const pool = new MigNodePool('h100', { gpu: 'H100-80GB', mig: { layout: 'balanced' } });
    const stack = new GpuOperatorStack('gpu-operator', { platform: 'gke', pools: [pool] });
    await settle([...Object.values(stack.resources), stack.release] as pulumiTypes.Resource[]);
    const expected = renderGpuOperatorStack({ platform: 'gke', pools: [resolveGpuPool({ name: 'h100', gpu: 'H100-80GB', mig: { layout: 'balanced' } })], delivery: 'none' });
    const release = recorded.find((r) => r.name === 'gpu-operator-release')!;
    expect(release.type).toBe('kubernetes:helm.sh/v3:Release');
    expect(release.inputs).toMatchObject({ chart: 'gpu-operator', version: 'v26.7.0', namespace: 'gpu-operator', repositoryOpts: { repo: 'https://helm.ngc.nvidia.com/nvidia' }, values: expected.values });
    for (const obj of expected.objects) {
      expect(recorded.find((r) => r.name === `gpu-operator-${objectId('gpuplane', obj).toLowerCase()}`)?.inputs).toEqual(obj);
    }
    expect(recorded.find((r) => r.name === 'gpu-operator')?.type).toBe('gpuplane:index:GpuOperatorStack');
  });
  test('the plain values file as a side file: named after the component, renamed or left out', () => {
    const stack = new GpuOperatorStack('ops', { platform: 'eks' });
    expect(stack.sideFiles).toEqual([{ path: 'ops.values.yaml', content: stack.render.valuesYaml }]);
    expect(new GpuOperatorStack('ops-renamed', { platform: 'eks', sideFiles: { valuesFile: 'helm/values.yaml' } }).sideFiles.map((f) => f.path)).toEqual(['helm/values.yaml']);
    expect(new GpuOperatorStack('ops-off', { platform: 'eks', sideFiles: false }).sideFiles).toEqual([]);
    expect(() => new GpuOperatorStack('ops-bad', { platform: 'eks', sideFiles: { valuesFile: '' } })).toThrow("'sideFiles.valuesFile' must not be empty");
  });
});
