import { ResolvedEtcdCluster, ResolvedEtcdMember } from './options';

/** The flags of one member, in a fixed order, without leading dashes. */
export function memberFlags(r: ResolvedEtcdCluster, m: ResolvedEtcdMember, state: 'new' | 'existing' = 'new', initialCluster = r.members): [string, string][] {
  const flags: [string, string][] = [
    ['name', m.name],
    ['data-dir', m.dataDir],
    ['listen-client-urls', m.listen?.client ?? m.clientUrl],
    ['advertise-client-urls', m.clientUrl],
    ['listen-peer-urls', m.listen?.peer ?? m.peerUrl],
    ['initial-advertise-peer-urls', m.peerUrl],
    ['initial-cluster', initialCluster.map((x) => `${x.name}=${x.peerUrl}`).join(',')],
    ['initial-cluster-state', state],
    ['initial-cluster-token', r.name],
    ['client-cert-auth', 'true'],
    ['trusted-ca-file', r.tls.caFile],
    ['cert-file', r.tls.certFile],
    ['key-file', r.tls.keyFile],
    ['peer-client-cert-auth', 'true'],
    ['peer-trusted-ca-file', r.tls.peerCaFile],
    ['peer-cert-file', r.tls.peerCertFile],
    ['peer-key-file', r.tls.peerKeyFile],
    ['listen-metrics-urls', m.listen?.metrics ?? m.metricsUrl],
    ['quota-backend-bytes', String(r.quotaBackendBytes)],
    ['auto-compaction-mode', 'periodic'],
    ['auto-compaction-retention', r.autoCompactionRetention],
    ['heartbeat-interval', String(r.heartbeatIntervalMs)],
    ['election-timeout', String(r.electionTimeoutMs)],
    ['snapshot-count', String(r.snapshotCount)],
    ['logger', 'zap'],
  ];
  // Check the data on disk against the other members before serving (a corrupted member must not join).
  if (r.version.minor === '3.6') flags.push(['feature-gates', 'InitialCorruptCheck=true']);
  else flags.push(['experimental-initial-corrupt-check', 'true']);
  for (const key of Object.keys(r.extraFlags).sort()) flags.push([key.replace(/^--/, ''), r.extraFlags[key]]);
  return flags;
}

/** `--flag=value` arguments. */
export function flagArgs(flags: readonly [string, string][]): string[] {
  return flags.map(([k, v]) => `--${k}=${v}`);
}

/** `ETCD_FLAG_NAME=value` lines: etcd reads every flag from its environment too. */
export function envFileLines(flags: readonly [string, string][]): string[] {
  return flags.map(([k, v]) => `ETCD_${k.toUpperCase().replace(/-/g, '_')}=${v}`);
}
