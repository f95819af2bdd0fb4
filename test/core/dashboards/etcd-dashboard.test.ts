import { etcdDashboardPanels, etcdMetricsJob, renderEtcdDashboard } from '../../../lib/core/dashboards/etcd';
import { renderEtcdHosts } from '../../../lib/core/etcd/hosts';
import { renderEtcdKubernetes } from '../../../lib/core/etcd/kubernetes';
import { etcdScrapeConfig } from '../../../lib/core/etcd/monitoring';
import { readReferenceJson } from '../../helpers/reference';

/**
 * The metric names etcd 3.4, 3.5 and 3.6 export that the dashboard may use, read in etcd-io/etcd v3.4.45, v3.5.21
 * and v3.6.14 (files in lib/core/dashboards/etcd.ts), histograms as their `_bucket` series; `up` is Prometheus'.
 * The integration suite (test/integration/etcd-real.test.ts) checks them against the real 3.5 and 3.6 binaries.
 */
const ETCD_METRICS = new Set([
  'up', 'etcd_server_has_leader', 'etcd_server_is_leader', 'etcd_server_leader_changes_seen_total', 'etcd_server_proposals_committed_total',
  'etcd_server_proposals_applied_total', 'etcd_server_proposals_pending', 'etcd_server_proposals_failed_total', 'etcd_server_heartbeat_send_failures_total',
  'etcd_server_quota_backend_bytes', 'etcd_disk_wal_fsync_duration_seconds_bucket', 'etcd_disk_backend_commit_duration_seconds_bucket',
  'etcd_mvcc_db_total_size_in_bytes', 'etcd_mvcc_db_total_size_in_use_in_bytes', 'etcd_network_peer_round_trip_time_seconds_bucket',
  'etcd_network_peer_sent_failures_total', 'grpc_server_started_total', 'grpc_server_handled_total',
]);

const metricsOf = (expr: string): string[] => [...expr.matchAll(/\b((?:etcd|grpc)_[a-z0-9_]+|up)\{/g)].map((m) => m[1]);

const kube = renderEtcdKubernetes({ name: 'etcd-main', version: '3.5.21', kubernetes: { namespace: 'etcd', storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' } });
const hosts = renderEtcdHosts({ name: 'etcd-prod', version: '3.6.4', hosts: [1, 2, 3].map((i) => ({ name: `etcd-${i}`, address: `10.0.0.${i}` })) });
const spec = (r: typeof kube.resolved) => ({ name: r.name, mode: r.mode, version: r.version.version });

describe('etcd Grafana dashboard', () => {
  const { dashboard, objects } = renderEtcdDashboard({ cluster: spec(kube.resolved), clusterNamespace: kube.namespace });
  const panels = etcdDashboardPanels(spec(kube.resolved));
  const exprs = panels.flatMap((p) => p.targets.map((t) => t.expr));

  test('the default render', () => {
    expect(objects).toMatchSnapshot();
  });

  test("a ConfigMap in the cluster's namespace labelled for the kube-prometheus-stack sidecar", () => {
    const cm = objects[0] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(cm.metadata).toEqual({ name: 'etcd-main-grafana-dashboard', namespace: 'etcd', labels: { grafana_dashboard: '1', 'app.kubernetes.io/instance': 'etcd-main', 'app.kubernetes.io/managed-by': 'gpuplane' } });
    expect(JSON.parse(cm.data['etcd-main.json'])).toEqual(dashboard);
    expect(dashboard).toMatchObject({ title: 'etcd etcd-main', uid: 'gpuplane-etcd-etcd-main', tags: ['gpuplane', 'etcd'] });
  });

  test('the panels the issue asks for', () => {
    expect(panels.map((p) => p.title)).toEqual([
      'Members up and with a leader', 'Leader changes per hour', 'Proposals committed and applied per second', 'Proposals pending and failed', 'WAL fsync p99',
      'Backend commit p99', 'Database size and quota', 'Database size / quota', 'Peer round trip p99', 'Heartbeat and peer send failures per second',
      'gRPC requests per second', 'gRPC errors per second',
    ]);
    expect(panels.find((p) => p.title === 'WAL fsync p99')!.targets[0].expr).toBe('histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd-main-metrics"}[5m])))');
    expect(panels.find((p) => p.title === 'Database size / quota')!.targets[0].expr).toBe('max by (instance) (etcd_mvcc_db_total_size_in_bytes{job="etcd-main-metrics"} / etcd_server_quota_backend_bytes{job="etcd-main-metrics"})');
  });

  test('every query selects the job gpuplane scrapes the members as: the ServiceMonitor Service, or the hosts scrape job', () => {
    const serviceMonitor = kube.objects.find((o) => o.kind === 'ServiceMonitor') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const service = kube.objects.find((o) => o.kind === 'Service' && Object.entries(serviceMonitor.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v))!;
    // prometheus-operator names the job after the Service (no jobLabel is set).
    expect(serviceMonitor.spec.jobLabel).toBeUndefined();
    expect(etcdMetricsJob(kube.resolved)).toBe(service.metadata.name);
    // The alert rules gpuplane renders use the same job.
    expect(JSON.stringify(kube.objects.find((o) => o.kind === 'PrometheusRule'))).toContain(`job=\\"${service.metadata.name}\\"`);
    expect(etcdMetricsJob(hosts.resolved)).toBe(etcdScrapeConfig(hosts.resolved, hosts.resolved.name).job_name);
    for (const e of exprs) for (const m of metricsOf(e)) expect(e).toContain(`${m}{job="etcd-main-metrics"`);
    for (const e of etcdDashboardPanels(spec(hosts.resolved)).flatMap((p) => p.targets.map((t) => t.expr))) expect(e).toContain('{job="etcd-prod"');
  });

  test('only metric names the pinned etcd versions export, spelled as the etcd mixin spells them', () => {
    const used = new Set(exprs.flatMap(metricsOf));
    expect([...used].filter((m) => !ETCD_METRICS.has(m))).toEqual([]);
    expect(used.size).toBe(ETCD_METRICS.size);
    // No histogram that needs --metrics=extensive.
    expect(exprs.join('\n')).not.toContain('grpc_server_handling_seconds');
    const mixin = JSON.stringify(readReferenceJson('etcd', 'mixin-alerts.json'));
    const mixinMetrics = new Set([...mixin.matchAll(/\b((?:etcd|grpc)_[a-z0-9_]+)\{/g)].map((m) => m[1]));
    for (const m of ['etcd_server_has_leader', 'etcd_server_leader_changes_seen_total', 'etcd_server_proposals_failed_total', 'etcd_disk_wal_fsync_duration_seconds_bucket', 'etcd_disk_backend_commit_duration_seconds_bucket', 'etcd_mvcc_db_total_size_in_bytes', 'etcd_server_quota_backend_bytes', 'etcd_network_peer_round_trip_time_seconds_bucket', 'grpc_server_handled_total']) {
      expect(mixinMetrics).toContain(m);
      expect(used).toContain(m);
    }
  });

  test('members on hosts: the namespace is needed', () => {
    expect(() => renderEtcdDashboard({ cluster: spec(hosts.resolved) })).toThrow("'namespace' is needed for a cluster whose members run on hosts");
    expect(renderEtcdDashboard({ cluster: spec(hosts.resolved), namespace: 'monitoring', folder: 'etcd' }).objects[0].metadata).toMatchObject({ name: 'etcd-prod-grafana-dashboard', namespace: 'monitoring', annotations: { grafana_folder: 'etcd' } });
  });

  test('fails if options are wrong, naming the field', () => {
    expect(() => renderEtcdDashboard({ cluster: { ...spec(kube.resolved), version: '3.7.0' }, clusterNamespace: 'etcd' })).toThrow("'cluster.version' is not an etcd version gpuplane supports (got \"3.7.0\"; allowed: 3.4.x, 3.5.x, 3.6.x)");
    expect(() => renderEtcdDashboard({ cluster: { ...spec(kube.resolved), mode: 'vm' as never }, clusterNamespace: 'etcd' })).toThrow("'cluster.mode'");
    expect(() => renderEtcdDashboard({ cluster: spec(kube.resolved), clusterNamespace: 'etcd', namespaces: 'x' } as never)).toThrow("'namespaces'");
  });
});
