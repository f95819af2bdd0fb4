/**
 * etcd versions and the flags each has. gpuplane renders flags per version and refuses flags a version does not
 * know (etcd exits at startup on an unknown flag). Facts from etcd's docs and release notes (FACTS.md):
 * `--tls-min-version` from 3.4.25 / 3.5.8; 3.6 replaces the `--experimental-*` corruption checks with
 * `--feature-gates` and `--corrupt-check-time`; `/livez` and `/readyz` from 3.4.29 / 3.5.11.
 */
export type EtcdMinor = '3.4' | '3.5' | '3.6';

/** The etcd release used when `version` is not given. */
export const DEFAULT_ETCD_VERSION = '3.5.21';

/** A parsed etcd version. */
export interface EtcdVersion {
  readonly version: string;
  readonly minor: EtcdMinor;
  readonly patch: number;
}

/** Parses `3.5.21` or `v3.5.21` (3.4 to 3.6); undefined for anything else. */
export function parseEtcdVersion(v: string): EtcdVersion | undefined {
  const m = /^v?3\.(4|5|6)\.(\d+)$/.exec(v.trim());
  if (!m) return undefined;
  return { version: `3.${m[1]}.${m[2]}`, minor: `3.${m[1]}` as EtcdMinor, patch: Number(m[2]) };
}

/** Flags every supported version has (the ones gpuplane renders or lets users pass). */
const COMMON = [
  'name', 'data-dir', 'wal-dir', 'listen-peer-urls', 'listen-client-urls', 'initial-advertise-peer-urls', 'advertise-client-urls',
  'initial-cluster', 'initial-cluster-state', 'initial-cluster-token', 'cert-file', 'key-file', 'client-cert-auth', 'trusted-ca-file',
  'peer-cert-file', 'peer-key-file', 'peer-client-cert-auth', 'peer-trusted-ca-file', 'quota-backend-bytes', 'auto-compaction-mode',
  'auto-compaction-retention', 'heartbeat-interval', 'election-timeout', 'snapshot-count', 'listen-metrics-urls', 'metrics', 'logger',
  'log-level', 'log-outputs', 'cipher-suites', 'max-request-bytes', 'max-snapshots', 'max-wals', 'grpc-keepalive-min-time',
  'grpc-keepalive-interval', 'grpc-keepalive-timeout', 'peer-cert-allowed-cn', 'client-crl-file', 'peer-crl-file', 'auth-token',
  'pre-vote', 'unsafe-no-fsync', 'discovery-srv', 'strict-reconfig-check', 'enable-pprof', 'backend-batch-interval', 'backend-batch-limit',
];

const FLAGS: Record<EtcdMinor, readonly string[]> = {
  '3.4': [...COMMON, 'enable-v2', 'experimental-initial-corrupt-check', 'experimental-corrupt-check-time', 'experimental-compaction-batch-limit', 'experimental-enable-v2v3', 'experimental-backend-bbolt-freelist-type'],
  '3.5': [...COMMON, 'enable-v2', 'experimental-initial-corrupt-check', 'experimental-corrupt-check-time', 'experimental-compaction-batch-limit', 'experimental-compact-hash-check-enabled', 'experimental-compact-hash-check-time', 'experimental-stop-grpc-service-on-defrag', 'experimental-warning-apply-duration', 'experimental-memory-mlock', 'experimental-enable-distributed-tracing', 'experimental-enable-lease-checkpoint', 'backend-bbolt-freelist-type', 'experimental-snapshot-catchup-entries', 'experimental-watch-progress-notify-interval', 'socket-reuse-address', 'socket-reuse-port'],
  // 3.6 still accepts the deprecated experimental flags, but gpuplane renders their replacements and refuses the old spellings.
  '3.6': [...COMMON, 'feature-gates', 'corrupt-check-time', 'compact-hash-check-time', 'compaction-batch-limit', 'warning-apply-duration', 'memory-mlock', 'snapshot-catchup-entries', 'watch-progress-notify-interval', 'socket-reuse-address', 'socket-reuse-port'],
};

/** Whether an etcd version has a flag (without the leading dashes). */
export function etcdHasFlag(v: EtcdVersion, flag: string): boolean {
  if (flag === 'tls-min-version' || flag === 'tls-max-version') {
    return v.minor === '3.6' || (v.minor === '3.5' && v.patch >= 8) || (v.minor === '3.4' && v.patch >= 25);
  }
  return FLAGS[v.minor].includes(flag);
}

/** `/livez` and `/readyz` (3.4.29+, 3.5.11+, 3.6). Older versions only have `/health`. */
export function etcdHasLivez(v: EtcdVersion): boolean {
  return v.minor === '3.6' || (v.minor === '3.5' && v.patch >= 11) || (v.minor === '3.4' && v.patch >= 29);
}

/** 3.5 moved offline snapshot restore from etcdctl to etcdutl. */
export function restoreTool(v: EtcdVersion): 'etcdctl' | 'etcdutl' {
  return v.minor === '3.4' ? 'etcdctl' : 'etcdutl';
}

/** The official container image tag for a version (registry.k8s.io/etcd uses `<version>-0`). */
export function etcdImage(v: EtcdVersion): string {
  return `registry.k8s.io/etcd:${v.version}-0`;
}

/**
 * `snapshot restore --bump-revision/--mark-compacted`: etcdutl from 3.5.10 (etcd-io/etcd CHANGELOG-3.5, v3.5.10,
 * PR 16165) and in 3.6; not in 3.4's etcdctl.
 */
export function etcdHasRestoreBumpRevision(v: EtcdVersion): boolean {
  return v.minor === '3.6' || (v.minor === '3.5' && v.patch >= 10);
}
