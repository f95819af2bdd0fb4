import { AlertRule } from '../monitoring';
import { ResolvedEtcdCluster } from './options';

/** Where the etcd alerts read their metrics from. */
export interface EtcdAlertOptions {
  /** Prometheus `job` of the members' metrics. */
  readonly job: string;
  /** Where certificate expiry comes from: cert-manager's metric, or an x509 exporter's. */
  readonly certificateSource: 'cert-manager' | 'x509-exporter';
  /** For cert-manager: the namespace of the Certificates. */
  readonly certificateNamespace?: string;
  /** Backup freshness: the backup script's textfile metric (hosts), or kube-state-metrics for the CronJob. @default { source: 'textfile' } */
  readonly backup?: { readonly source: 'textfile' } | { readonly source: 'cronjob'; readonly namespace: string; readonly cronjob: string };
}

/**
 * The articles' predictive thresholds, tighter than the etcd mixin's: WAL fsync p99 above 10 ms (25 ms critical),
 * backend commit p99 above 25 ms, more than one leader change an hour (critical above one a minute), leader heartbeat
 * send failures, peer round trip above 5 ms, database above
 * 80% / 95% of the quota, fragmentation above 50%, failed proposals, no leader, members down, stale backups, and
 * certificates 30 days before expiry.
 */
export function etcdAlertRules(r: ResolvedEtcdCluster, o: EtcdAlertOptions): AlertRule[] {
  const sel = `job="${o.job}"`;
  const p99 = (metric: string) => `histogram_quantile(0.99, sum by (instance, le) (rate(${metric}_bucket{${sel}}[5m])))`;
  const cert = o.certificateSource === 'cert-manager'
    ? `min by (name, namespace) (certmanager_certificate_expiration_timestamp_seconds{namespace="${o.certificateNamespace ?? 'default'}",name=~"${r.name}-.*"}) - time() < 30 * 86400`
    : `min by (filepath, instance) (x509_cert_not_after{filepath=~".*etcd.*"}) - time() < 30 * 86400`;
  const b = o.backup ?? { source: 'textfile' };
  const freshness = b.source === 'cronjob'
    ? `kube_cronjob_status_last_successful_time{namespace="${b.namespace}",cronjob="${b.cronjob}"}`
    : `etcd_backup_last_success_timestamp_seconds{cluster="${r.name}"}`;
  const backupExpr = `time() - max(${freshness}) > ${r.backup.maxAgeHours * 3600} or absent(${freshness})`;
  return [
    { alert: 'EtcdWalFsyncSlow', expr: `${p99('etcd_disk_wal_fsync_duration_seconds')} > 0.01`, for: '10m', labels: { severity: 'warning' }, annotations: { summary: 'etcd WAL fsync p99 above 10 ms on {{ $labels.instance }}', description: 'p99 {{ $value | humanizeDuration }}: every write waits for this fsync. Check the disk (NVMe, not shared or network storage) and noisy neighbours.' } },
    { alert: 'EtcdWalFsyncCritical', expr: `${p99('etcd_disk_wal_fsync_duration_seconds')} > 0.025`, for: '5m', labels: { severity: 'critical' }, annotations: { summary: 'etcd WAL fsync p99 above 25 ms on {{ $labels.instance }}', description: 'p99 {{ $value | humanizeDuration }}: the leader risks missing heartbeats and elections follow. Move the member to a faster disk now.' } },
    { alert: 'EtcdBackendCommitSlow', expr: `${p99('etcd_disk_backend_commit_duration_seconds')} > 0.025`, for: '10m', labels: { severity: 'warning' }, annotations: { summary: 'etcd backend commit p99 above 25 ms on {{ $labels.instance }}', description: 'p99 {{ $value | humanizeDuration }}: bbolt commits are slow; the disk is saturated or the database fragmented.' } },
    { alert: 'EtcdFrequentLeaderChanges', expr: `sum(increase(etcd_server_leader_changes_seen_total{${sel}}[1h])) / count(etcd_server_leader_changes_seen_total{${sel}}) > 1`, labels: { severity: 'warning' }, annotations: { summary: 'etcd leader changed more than once in an hour', description: '{{ $value }} leader changes in the last hour: writes stall during every election. Check disk latency, CPU starvation and the network between members.' } },
    { alert: 'EtcdLeaderChangesCritical', expr: `sum(increase(etcd_server_leader_changes_seen_total{${sel}}[5m])) / count(etcd_server_leader_changes_seen_total{${sel}}) > 5`, labels: { severity: 'critical' }, annotations: { summary: 'etcd leader changing more than once a minute', description: '{{ $value }} leader changes in the last 5 minutes: the cluster spends its time electing and writes keep failing. Find the member with slow disks or a bad link now (WAL fsync, peer round trip, heartbeat failures).' } },
    { alert: 'EtcdHeartbeatSendFailures', expr: `sum by (instance) (increase(etcd_server_heartbeat_send_failures_total{${sel}}[15m])) > 5`, labels: { severity: 'warning' }, annotations: { summary: 'etcd leader {{ $labels.instance }} is failing to send heartbeats', description: '{{ $value }} heartbeat send failures in 15 minutes: the leader cannot reach its followers in time (usually a slow disk or an overloaded member), and elections follow. Check WAL fsync latency and the network between members.' } },
    { alert: 'EtcdPeerRoundTripSlow', expr: `histogram_quantile(0.99, sum by (instance, To, le) (rate(etcd_network_peer_round_trip_time_seconds_bucket{${sel}}[5m]))) > 0.005`, for: '10m', labels: { severity: 'warning' }, annotations: { summary: 'etcd peer round trip p99 above 5 ms from {{ $labels.instance }}', description: 'p99 {{ $value | humanizeDuration }} to member {{ $labels.To }}: every write pays it. Keep members in one zone with fast links.' } },
    { alert: 'EtcdDatabaseQuotaHigh', expr: `max by (instance) (etcd_mvcc_db_total_size_in_bytes{${sel}} / etcd_server_quota_backend_bytes{${sel}}) > 0.8`, for: '10m', labels: { severity: 'warning' }, annotations: { summary: 'etcd database above 80% of its quota on {{ $labels.instance }}', description: '{{ $value | humanizePercentage }} of the quota: at 100% etcd raises NOSPACE and the cluster turns read-only. Defragment, check compaction, find what writes so much.' } },
    { alert: 'EtcdDatabaseQuotaCritical', expr: `max by (instance) (etcd_mvcc_db_total_size_in_bytes{${sel}} / etcd_server_quota_backend_bytes{${sel}}) > 0.95`, for: '2m', labels: { severity: 'critical' }, annotations: { summary: 'etcd database above 95% of its quota on {{ $labels.instance }}', description: '{{ $value | humanizePercentage }}: NOSPACE is minutes away. Compact and defragment now.' } },
    { alert: 'EtcdDatabaseFragmented', expr: `max by (instance) ((etcd_mvcc_db_total_size_in_bytes{${sel}} - etcd_mvcc_db_total_size_in_use_in_bytes{${sel}}) / etcd_mvcc_db_total_size_in_bytes{${sel}}) > 0.5 and max by (instance) (etcd_mvcc_db_total_size_in_bytes{${sel}}) > 104857600`, for: '30m', labels: { severity: 'warning' }, annotations: { summary: 'etcd database more than half free pages on {{ $labels.instance }}', description: '{{ $value | humanizePercentage }} of the file is reclaimable: run the rolling defragmentation.' } },
    { alert: 'EtcdProposalsFailing', expr: `sum(increase(etcd_server_proposals_failed_total{${sel}}[15m])) > 0`, labels: { severity: 'warning' }, annotations: { summary: 'etcd proposals are failing', description: '{{ $value }} failed proposals in 15 minutes: leader elections or a lost quorum.' } },
    { alert: 'EtcdNoLeader', expr: `max by (instance) (etcd_server_has_leader{${sel}}) == 0`, for: '1m', labels: { severity: 'critical' }, annotations: { summary: 'etcd member {{ $labels.instance }} has no leader', description: 'The member cannot serve writes: the cluster may have lost quorum.' } },
    { alert: 'EtcdMembersDown', expr: `count(up{${sel}} == 0) > 0 or (${r.members.length} - count(up{${sel}} == 1)) > 0`, for: '3m', labels: { severity: 'critical' }, annotations: { summary: 'etcd members down', description: `{{ $value }} of ${r.members.length} members unreachable; the cluster tolerates ${r.faultTolerance}.` } },
    { alert: 'EtcdBackupTooOld', expr: backupExpr, for: '15m', labels: { severity: 'critical' }, annotations: { summary: `No etcd backup of ${r.name} for more than ${r.backup.maxAgeHours} hours`, description: 'The backup job has not produced a verified snapshot: a restore would lose everything since the last one.' } },
    { alert: 'EtcdCertificateExpiringSoon', expr: cert, labels: { severity: 'warning' }, annotations: { summary: 'An etcd certificate expires within 30 days', description: 'When etcd certificates expire every API server loses its datastore at once. Renew and roll the members now (kubeadm does not rotate external etcd certificates).' } },
  ];
}

/** A Prometheus scrape job for hosts-mode members (plain HTTP metrics listener). */
export function etcdScrapeConfig(r: ResolvedEtcdCluster, job: string): Record<string, unknown> {
  return {
    job_name: job,
    scrape_interval: '15s',
    metrics_path: '/metrics',
    static_configs: [{ targets: r.members.map((m) => m.metricsUrl.replace(/^http:\/\//, '')), labels: { cluster: r.name } }],
  };
}
