import { refuse } from '../errors';
import { parseEtcdVersion } from '../etcd/versions';
import { dnsLabel } from '../options/formats';
import { checkOptions, obj, oneOf, opt, Schema, str } from '../options/schema';
import { DashboardConfigMapOptions, dashboardConfigMap, DashboardPanel, DashboardRender, FOLDER, grafanaDashboard, promQuote, SIDECAR_LABEL } from './grafana';

/**
 * The etcd dashboard. Every metric name is one etcd 3.4, 3.5 and 3.6 export (etcd-io/etcd v3.4.45, v3.5.21,
 * v3.6.14): `etcd_server_{has_leader,is_leader,leader_changes_seen_total,proposals_*,heartbeat_send_failures_total}`
 * in `server/etcdserver/metrics.go`; `etcd_server_quota_backend_bytes` there too up to 3.5, in
 * `server/storage/metrics.go` from 3.6; `etcd_disk_wal_fsync_duration_seconds` in `server/wal/metrics.go`
 * (`server/storage/wal/` from 3.6); `etcd_disk_backend_commit_duration_seconds` in `server/mvcc/backend/metrics.go`
 * (`server/storage/backend/`); `etcd_mvcc_db_total_size_in{,_use_in}_bytes` in `server/mvcc/metrics.go`
 * (`server/storage/mvcc/`); `etcd_network_peer_{round_trip_time_seconds,sent_failures_total}` in
 * `server/etcdserver/api/rafthttp/metrics.go`; `grpc_server_{started,handled}_total` from go-grpc-prometheus
 * (go-grpc-middleware's prometheus provider in 3.6, same names) in `server/etcdserver/api/v3rpc/grpc.go`. The names
 * the etcd mixin's alerts use (`etcd/mixin-alerts.json` in the reference folder) are spelled the same.
 * `grpc_server_handling_seconds` needs `--metrics=extensive`, which gpuplane does not set: not used.
 */

/** What the dashboard reads from a cluster (an ExternalEtcdCluster's `resolved`). */
export interface DashboardEtcdSpec {
  readonly name: string;
  readonly mode: 'hosts' | 'kubernetes';
  /** The etcd version (a resolved cluster's `version.version`). */
  readonly version: string;
}

export interface EtcdDashboardOptions extends DashboardConfigMapOptions {
  readonly cluster: DashboardEtcdSpec;
  /**
   * Namespace of the ConfigMap. kube-prometheus-stack's Grafana sidecar reads only Grafana's own namespace unless
   * `grafana.sidecar.dashboards.searchNamespace` is `ALL`.
   * @default - the cluster's namespace (Kubernetes-hosted members); required for members on hosts
   */
  readonly namespace?: string;
  /** The cluster's namespace, when its members run in Kubernetes (the constructs pass it). @default - none: hosts mode */
  readonly clusterNamespace?: string;
}

const CLUSTER = obj<DashboardEtcdSpec>({
  name: dnsLabel(),
  mode: oneOf(['hosts', 'kubernetes'] as const),
  version: str({ minLength: 1, expected: 'an etcd version', test: (v) => (parseEtcdVersion(v) ? undefined : 'is not an etcd version gpuplane supports'), allowed: '3.4.x, 3.5.x, 3.6.x' }),
}, { expected: 'an ExternalEtcdCluster (its `resolved`)' });

const SCHEMA: Schema<EtcdDashboardOptions> = obj<EtcdDashboardOptions>({
  cluster: CLUSTER,
  namespace: opt(dnsLabel()),
  clusterNamespace: opt(dnsLabel()),
  folder: FOLDER,
  sidecarLabel: SIDECAR_LABEL,
});

/**
 * The Prometheus `job` of the members' metrics as gpuplane scrapes them: Kubernetes-hosted members through the
 * ServiceMonitor on the `<name>-metrics` Service (prometheus-operator names the job after the Service), members on
 * hosts through the scrape job named after the cluster (`etcdScrapeConfig`).
 */
export function etcdMetricsJob(c: Pick<DashboardEtcdSpec, 'name' | 'mode'>): string {
  return c.mode === 'kubernetes' ? `${c.name}-metrics` : c.name;
}

/** The panels of a cluster's dashboard, every query scoped to the cluster's scrape job, per member (`instance`). */
export function etcdDashboardPanels(c: DashboardEtcdSpec): DashboardPanel[] {
  const sel = `job="${promQuote(etcdMetricsJob(c))}"`;
  const p99 = (metric: string, by = 'instance') => `histogram_quantile(0.99, sum by (${by}, le) (rate(${metric}_bucket{${sel}}[5m])))`;
  const rate = (metric: string) => `sum by (instance) (rate(${metric}{${sel}}[5m]))`;
  return [
    {
      title: 'Members up and with a leader', unit: 'short', description: 'A member without a leader cannot serve writes; `is leader` shows which member leads.',
      targets: [
        { expr: `max by (instance) (up{${sel}})`, legendFormat: 'up {{instance}}' },
        { expr: `max by (instance) (etcd_server_has_leader{${sel}})`, legendFormat: 'has leader {{instance}}' },
        { expr: `max by (instance) (etcd_server_is_leader{${sel}})`, legendFormat: 'is leader {{instance}}' },
      ],
    },
    {
      title: 'Leader changes per hour', unit: 'short', description: 'More than one an hour: look at WAL fsync latency, CPU starvation and the peer network.',
      targets: [{ expr: `max(increase(etcd_server_leader_changes_seen_total{${sel}}[1h]))`, legendFormat: 'leader changes' }],
    },
    {
      title: 'Proposals committed and applied per second', unit: 'short',
      targets: [
        { expr: rate('etcd_server_proposals_committed_total'), legendFormat: 'committed {{instance}}' },
        { expr: rate('etcd_server_proposals_applied_total'), legendFormat: 'applied {{instance}}' },
      ],
    },
    {
      title: 'Proposals pending and failed', unit: 'short', description: 'Failed proposals come with elections or a lost quorum.',
      targets: [
        { expr: `sum by (instance) (etcd_server_proposals_pending{${sel}})`, legendFormat: 'pending {{instance}}' },
        { expr: `sum by (instance) (increase(etcd_server_proposals_failed_total{${sel}}[5m]))`, legendFormat: 'failed in 5m {{instance}}' },
      ],
    },
    {
      title: 'WAL fsync p99', unit: 's', description: 'Every write waits for it: above 10 ms the disk is too slow, above 25-50 ms elections follow.',
      targets: [{ expr: p99('etcd_disk_wal_fsync_duration_seconds'), legendFormat: '{{instance}}' }],
    },
    {
      title: 'Backend commit p99', unit: 's', description: 'bbolt commits: above 25 ms the disk is saturated or the database fragmented.',
      targets: [{ expr: p99('etcd_disk_backend_commit_duration_seconds'), legendFormat: '{{instance}}' }],
    },
    {
      title: 'Database size and quota', unit: 'bytes', description: 'At the quota etcd raises NOSPACE and turns read-only; the gap between size and in use is what defragmentation gives back.',
      targets: [
        { expr: `max by (instance) (etcd_mvcc_db_total_size_in_bytes{${sel}})`, legendFormat: 'size {{instance}}' },
        { expr: `max by (instance) (etcd_mvcc_db_total_size_in_use_in_bytes{${sel}})`, legendFormat: 'in use {{instance}}' },
        { expr: `max(etcd_server_quota_backend_bytes{${sel}})`, legendFormat: 'quota' },
      ],
    },
    {
      title: 'Database size / quota', unit: 'percentunit',
      targets: [{ expr: `max by (instance) (etcd_mvcc_db_total_size_in_bytes{${sel}} / etcd_server_quota_backend_bytes{${sel}})`, legendFormat: '{{instance}}' }],
    },
    {
      title: 'Peer round trip p99', unit: 's', description: 'Every write pays it: above 5 ms the members are too far apart.',
      targets: [{ expr: p99('etcd_network_peer_round_trip_time_seconds', 'instance, To'), legendFormat: '{{instance}} to {{To}}' }],
    },
    {
      title: 'Heartbeat and peer send failures per second', unit: 'short', description: 'A leader that cannot send heartbeats in time loses its followers.',
      targets: [
        { expr: rate('etcd_server_heartbeat_send_failures_total'), legendFormat: 'heartbeat {{instance}}' },
        { expr: rate('etcd_network_peer_sent_failures_total'), legendFormat: 'peer send {{instance}}' },
      ],
    },
    {
      title: 'gRPC requests per second', unit: 'reqps',
      targets: [{ expr: `sum by (grpc_type) (rate(grpc_server_started_total{${sel}}[5m]))`, legendFormat: '{{grpc_type}}' }],
    },
    {
      title: 'gRPC errors per second', unit: 'reqps', description: 'The codes the etcd mixin counts as failures.',
      targets: [{ expr: `sum by (grpc_method, grpc_code) (rate(grpc_server_handled_total{${sel},grpc_code=~"Unknown|FailedPrecondition|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded"}[5m]))`, legendFormat: '{{grpc_method}} {{grpc_code}}' }],
    },
  ];
}

/** A ConfigMap holding the cluster's dashboard, labelled for kube-prometheus-stack's Grafana sidecar. */
export function renderEtcdDashboard(options: EtcdDashboardOptions): DashboardRender {
  const subject = `EtcdDashboard '${options?.cluster?.name}'`;
  // Only the fields the dashboard reads.
  const c = options?.cluster;
  const picked = c && typeof c === 'object' ? { name: c.name, mode: c.mode, version: c.version } : c;
  checkOptions(subject, SCHEMA, { ...options, cluster: picked });
  const cluster = picked!;
  const namespace = options.namespace ?? options.clusterNamespace;
  if (namespace === undefined) {
    refuse(subject, {
      field: 'namespace', message: 'is needed for a cluster whose members run on hosts (there is no cluster namespace to default to)', value: undefined,
      allowed: 'a namespace name', fix: "name the namespace Grafana's sidecar reads, e.g. namespace: 'monitoring'",
    });
  }
  const dashboard = grafanaDashboard({ title: `etcd ${cluster.name}`, uid: `gpuplane-etcd-${cluster.name}`, tags: ['gpuplane', 'etcd'], panels: etcdDashboardPanels(cluster) });
  return dashboardConfigMap(subject, { name: `${cluster.name}-grafana-dashboard`, namespace, instance: cluster.name, dashboard, folder: options.folder, sidecarLabel: options.sidecarLabel });
}

/** What the EtcdDashboard constructs (cdk8s and Pulumi) take: the options, with the cluster as the construct itself. */
export interface EtcdDashboardSources extends Omit<EtcdDashboardOptions, 'cluster' | 'clusterNamespace'> {
  /** The cluster (an ExternalEtcdCluster) the dashboard shows. */
  readonly cluster: { readonly resolved: { readonly name: string; readonly mode: DashboardEtcdSpec['mode']; readonly version?: { readonly version: string } }; readonly namespace?: string };
}

/** renderEtcdDashboard from the constructs' inputs: the resolved cluster's name, mode and version, and its namespace. */
export function renderEtcdDashboardFrom(sources: EtcdDashboardSources): DashboardRender {
  const { cluster, ...rest } = sources;
  const resolved = cluster?.resolved;
  const spec = resolved ? { name: resolved.name, mode: resolved.mode, version: resolved.version?.version } : (resolved as never);
  return renderEtcdDashboard({ ...rest, cluster: spec as DashboardEtcdSpec, clusterNamespace: cluster?.namespace });
}
