import type * as pulumiTypes from '@pulumi/pulumi';
import { recordResources, settle } from '../helpers/pulumi-mocks';
import { renderEtcdDashboard } from '../../lib/core/dashboards/etcd';
import { renderGpuDashboard } from '../../lib/core/dashboards/gpu';
import { resolveGpuPool } from '../../lib/core/gpu/pool';
import { objectId } from '../../lib/core/object-ids';

const recorded = recordResources();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { EtcdDashboard, ExternalEtcdCluster, GpuDashboard, GpuOperatorStack, MigNodePool } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

describe('GpuDashboard and EtcdDashboard (Pulumi)', () => {
  test('GpuDashboard from a GpuOperatorStack: the same ConfigMap as the core (and so as cdk8s)', async () => {
    const pool = new MigNodePool('h100', { gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 } } });
    const stack = new GpuOperatorStack('gpu-operator', { pools: [pool] });
    const dash = new GpuDashboard('gpu-dashboard', { stack });
    await settle(Object.values(dash.resources) as pulumiTypes.Resource[]);
    const expected = renderGpuDashboard({ pools: [resolveGpuPool({ name: 'h100', gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 } } })], operatorNamespace: 'gpu-operator' });
    for (const obj of expected.objects) expect(recorded.find((r) => r.name === `gpu-dashboard-${objectId('gpuplane', obj).toLowerCase()}`)?.inputs).toEqual(obj);
    expect(dash.dashboard).toEqual(expected.dashboard);
    expect(recorded.find((r) => r.name === 'gpu-dashboard')?.type).toBe('gpuplane:index:GpuDashboard');
  });

  test('EtcdDashboard from a Kubernetes-hosted ExternalEtcdCluster', async () => {
    const etcd = new ExternalEtcdCluster('etcd-main', { kubernetes: { namespace: 'etcd-system', storageClassName: 'gp3-iops', toolsImage: 'registry.example.com/etcd-tools:3.5.21' } });
    const dash = new EtcdDashboard('etcd-main-dashboard', { cluster: etcd });
    await settle(Object.values(dash.resources) as pulumiTypes.Resource[]);
    const expected = renderEtcdDashboard({ cluster: { name: 'etcd-main', mode: 'kubernetes', version: etcd.resolved.version.version }, clusterNamespace: 'etcd-system' });
    for (const obj of expected.objects) expect(recorded.find((r) => r.name === `etcd-main-dashboard-${objectId('etcd-main', obj).toLowerCase()}`)?.inputs).toEqual(obj);
    expect(recorded.find((r) => r.name === 'etcd-main-dashboard')?.type).toBe('gpuplane:index:EtcdDashboard');
  });
});
