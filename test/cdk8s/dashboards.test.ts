import { Testing } from 'cdk8s';
import { EtcdDashboard, ExternalEtcdCluster, GpuDashboard, GpuNodePool, GpuOperatorStack, MigNodePool } from '../../lib/cdk8s';
import { renderEtcdDashboard } from '../../lib/core/dashboards/etcd';
import { renderGpuDashboard } from '../../lib/core/dashboards/gpu';
import { validateObjects } from '../../lib/core/validate';

describe('GpuDashboard and EtcdDashboard (cdk8s)', () => {
  test('GpuDashboard from a GpuOperatorStack: its pools and namespace, the object the core renders', () => {
    const chart = Testing.chart();
    const mig = new MigNodePool(chart, 'H100', { gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 } } });
    const t4 = new GpuNodePool(chart, 'T4', { gpu: 'T4', gpusPerNode: 1, timeSlicing: { replicas: 2 } });
    const stack = new GpuOperatorStack(chart, 'Operator', { namespace: 'nvidia-gpu', pools: [mig, t4] });
    const dash = new GpuDashboard(chart, 'Gpus', { stack });
    const expected = renderGpuDashboard({ pools: [mig.resolved, t4.resolved], operatorNamespace: 'nvidia-gpu' });
    const synthed = Testing.synth(chart).filter((o) => o.metadata.labels?.grafana_dashboard === '1');
    expect(synthed).toEqual(expected.objects);
    expect(dash.dashboard).toEqual(expected.dashboard);
    expect(Object.keys(dash.apiObjects)).toEqual(['ConfigMap-gpu-pools-grafana-dashboard']);
    expect(synthed[0].metadata.namespace).toBe('nvidia-gpu');
    expect(validateObjects(Testing.synth(chart))).toEqual([]);
  });

  test('GpuDashboard from pools alone, or from nothing', () => {
    const chart = Testing.chart();
    const mig = new MigNodePool(chart, 'H100', { gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 } } });
    expect(new GpuDashboard(chart, 'Gpus', { pools: [mig], namespace: 'monitoring' }).dashboard).toEqual(renderGpuDashboard({ pools: [mig.resolved], namespace: 'monitoring' }).dashboard);
    expect(new GpuDashboard(chart, 'All', { name: 'all-gpus' }).dashboard).toEqual(renderGpuDashboard({ name: 'all-gpus' }).dashboard);
  });

  test("EtcdDashboard from a Kubernetes-hosted ExternalEtcdCluster: the cluster's job and namespace", () => {
    const chart = Testing.chart();
    const etcd = new ExternalEtcdCluster(chart, 'Etcd', { name: 'etcd-main', kubernetes: { namespace: 'etcd-system', storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' } });
    const dash = new EtcdDashboard(chart, 'EtcdDashboard', { cluster: etcd });
    const expected = renderEtcdDashboard({ cluster: { name: 'etcd-main', mode: 'kubernetes', version: etcd.resolved.version.version }, clusterNamespace: 'etcd-system' });
    expect(Testing.synth(chart).filter((o) => o.metadata.labels?.grafana_dashboard === '1')).toEqual(expected.objects);
    expect(dash.dashboard).toEqual(expected.dashboard);
    expect(Object.keys(dash.apiObjects)).toEqual(['ConfigMap-grafana-dashboard']);
  });

  test('fails if a hosts-mode cluster gets no namespace', () => {
    const chart = Testing.chart();
    const etcd = new ExternalEtcdCluster(chart, 'Etcd', { name: 'etcd-prod', hosts: [1, 2, 3].map((i) => ({ name: `etcd-${i}`, address: `10.0.0.${i}` })) });
    expect(() => new EtcdDashboard(chart, 'D', { cluster: etcd })).toThrow("'namespace' is needed for a cluster whose members run on hosts");
    expect(new EtcdDashboard(chart, 'D2', { cluster: etcd, namespace: 'monitoring' }).apiObjects['ConfigMap-grafana-dashboard']).toBeDefined();
  });
});
