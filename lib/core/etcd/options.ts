import { ProblemCollector } from '../errors';
import { cronProblem } from '../options/formats';
import { DEFAULT_ETCD_VERSION, etcdHasFlag, EtcdVersion, parseEtcdVersion } from './versions';

const GIB = 2 ** 30;

/** A member on a host provisioned elsewhere (VM or machine). Ports and data dir default to the cluster's. */
export interface EtcdHost {
  /** Member name (DNS-1123 label). */
  readonly name: string;
  /** IP address or DNS name the member listens on and advertises. */
  readonly address: string;
  /** Failure zone, for the zone-spread warning. @default - unknown */
  readonly zone?: string;
  /** @default the cluster's ports.client */
  readonly clientPort?: number;
  /** @default the cluster's ports.peer */
  readonly peerPort?: number;
  /** @default the cluster's ports.metrics */
  readonly metricsPort?: number;
  /** @default the cluster's dataDir */
  readonly dataDir?: string;
}

/** Certificate files on the members (hosts mode) or in the pods (Kubernetes-hosted). */
export interface EtcdTlsFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly peerCaFile: string;
  readonly peerCertFile: string;
  readonly peerKeyFile: string;
  /** Client certificate the operational scripts (health, backup, defrag) present. */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

/** Scheduled snapshots: the schedule, how many are kept, where they go and when they count as stale. */
export interface EtcdBackupOptions {
  /** systemd OnCalendar (hosts) or cron schedule (Kubernetes). @default every 6 hours ('*-*-* 00/6:00:00' / '0 *\/6 * * *') */
  readonly schedule?: string;
  /** Snapshots kept. @default 14 - three and a half days at the default schedule */
  readonly retain?: number;
  /** Where snapshots go. @default '/var/backups/etcd' */
  readonly dir?: string;
  /** The backup-too-old alert fires past this age. @default 13 - two missed runs at the default schedule */
  readonly maxAgeHours?: number;
  /** node_exporter textfile collector directory for the freshness metric (hosts mode). @default '/var/lib/node_exporter/textfile_collector' */
  readonly textfileDir?: string;
}

/** Rolling defragmentation: when it runs and the thresholds that trigger it. */
export interface EtcdDefragOptions {
  /** Defragment when the freed-but-unreclaimed share of the database passes this. @default 0.5 (the articles' 50%) */
  readonly fragmentationThreshold?: number;
  /** ... or when the database uses this share of the quota. @default 0.8 - the quota warning threshold */
  readonly quotaThreshold?: number;
  /** Pause between members, seconds. @default 30 */
  readonly pauseSeconds?: number;
  /** @default weekly, Sunday 03:30 */
  readonly schedule?: string;
}

/** A dedicated etcd cluster: members, version, TLS, quota, timeouts, backups and defragmentation. */
export interface ExternalEtcdClusterOptions {
  /** Cluster name (DNS-1123 label): `--initial-cluster-token`, object names. */
  readonly name: string;
  /** etcd release, e.g. `3.5.21`. @default DEFAULT_ETCD_VERSION */
  readonly version?: string;
  /** Hosts mode: one member per host. Exclusive with `kubernetes`. */
  readonly hosts?: readonly EtcdHost[];
  /** Members of a Kubernetes-hosted cluster. @default 3 */
  readonly members?: number;
  /** Allow a single member (no fault tolerance at all). @default false */
  readonly developmentSingleMember?: boolean;
  /** @default { client: 2379, peer: 2380, metrics: 2381 } - kubeadm's ports */
  readonly ports?: { readonly client?: number; readonly peer?: number; readonly metrics?: number };
  /** @default '/var/lib/etcd' */
  readonly dataDir?: string;
  /** @default kubeadm's names under /etc/etcd/pki (ca.crt, server.crt/key, peer.crt/key, healthcheck-client.crt/key) */
  readonly tls?: Partial<EtcdTlsFiles>;
  /** `--quota-backend-bytes`. @default 2 GiB (etcd's default); above 8 GiB is refused */
  readonly quotaBackendBytes?: number;
  /** Periodic auto-compaction retention. @default '8h' - a backstop to kube-apiserver's 5-minute compaction */
  readonly autoCompactionRetention?: string;
  /** @default 100 */
  readonly heartbeatIntervalMs?: number;
  /** At least 10x the heartbeat. @default 1000 */
  readonly electionTimeoutMs?: number;
  /** @default 10000 - what kubeadm passes (and 3.6's default) */
  readonly snapshotCount?: number;
  /** More flags, checked against the version. @default {} */
  readonly extraFlags?: Record<string, string>;
  /** @default - see EtcdBackupOptions */
  readonly backup?: EtcdBackupOptions;
  /** @default - see EtcdDefragOptions */
  readonly defrag?: EtcdDefragOptions;
}

/** One member with its URLs resolved. */
export interface ResolvedEtcdMember {
  readonly name: string;
  readonly address: string;
  readonly zone?: string;
  /** Advertised client URL. */
  readonly clientUrl: string;
  /** Advertised peer URL. */
  readonly peerUrl: string;
  readonly metricsUrl: string;
  readonly dataDir: string;
  /** Where the member listens when that differs from what it advertises (pods listen on all addresses). */
  readonly listen?: { readonly client: string; readonly peer: string; readonly metrics: string };
}

/** An etcd cluster with every default resolved. */
export interface ResolvedEtcdCluster {
  readonly name: string;
  readonly version: EtcdVersion;
  readonly mode: 'hosts' | 'kubernetes';
  readonly members: readonly ResolvedEtcdMember[];
  readonly quorum: number;
  readonly faultTolerance: number;
  readonly tls: EtcdTlsFiles;
  readonly quotaBackendBytes: number;
  readonly autoCompactionRetention: string;
  readonly heartbeatIntervalMs: number;
  readonly electionTimeoutMs: number;
  readonly snapshotCount: number;
  readonly extraFlags: Readonly<Record<string, string>>;
  readonly backup: Required<EtcdBackupOptions>;
  readonly defrag: Required<EtcdDefragOptions>;
  readonly warnings: readonly string[];
}

/** The quorum of an n-member cluster: a majority. */
export const quorumOf = (n: number): number => Math.floor(n / 2) + 1;

/**
 * Hours between two runs of a simple schedule, cron (`0 *\/6 * * *`, `30 3 * * *`, `30 3 * * 0`) or systemd
 * OnCalendar (`*-*-* 00/6:00:00`, `daily`, `Sun *-*-* 03:30:00`); undefined when the schedule is not that simple.
 */
export function schedulePeriodHours(schedule: string): number | undefined {
  const named: Record<string, number> = { '@hourly': 1, hourly: 1, '@daily': 24, '@midnight': 24, daily: 24, '@weekly': 168, weekly: 168 };
  if (named[schedule] !== undefined) return named[schedule];
  const cron = schedule.trim().split(/\s+/);
  if (cron.length === 5 && /^\d+$/.test(cron[0]) && cron[2] === '*' && cron[3] === '*') {
    const [, hour, , , dow] = cron;
    if (dow !== '*') return /^\d$/.test(dow) ? 168 : undefined;
    const step = /^\*\/(\d+)$/.exec(hour);
    if (step) return Number(step[1]);
    if (/^\d+(,\d+)*$/.test(hour)) return 24 / hour.split(',').length;
    return undefined;
  }
  const calendar = /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+)?\*-\*-\*\s+(\d{1,2})(?:\/(\d+))?:\d{2}(?::\d{2})?$/.exec(schedule.trim());
  if (calendar) return calendar[1] ? 168 : calendar[3] ? Number(calendar[3]) : 24;
  return undefined;
}

/** Flags gpuplane renders from typed options; passing them through extraFlags is refused. */
const MANAGED = new Set([
  'name', 'data-dir', 'listen-peer-urls', 'listen-client-urls', 'initial-advertise-peer-urls', 'advertise-client-urls', 'initial-cluster',
  'initial-cluster-state', 'initial-cluster-token', 'cert-file', 'key-file', 'client-cert-auth', 'trusted-ca-file', 'peer-cert-file',
  'peer-key-file', 'peer-client-cert-auth', 'peer-trusted-ca-file', 'quota-backend-bytes', 'auto-compaction-mode', 'auto-compaction-retention',
  'heartbeat-interval', 'election-timeout', 'snapshot-count', 'listen-metrics-urls', 'logger',
]);

function defaultTls(dir: string): EtcdTlsFiles {
  return {
    caFile: `${dir}/ca.crt`, certFile: `${dir}/server.crt`, keyFile: `${dir}/server.key`,
    peerCaFile: `${dir}/ca.crt`, peerCertFile: `${dir}/peer.crt`, peerKeyFile: `${dir}/peer.key`,
    clientCertFile: `${dir}/healthcheck-client.crt`, clientKeyFile: `${dir}/healthcheck-client.key`,
  };
}

const hostUrl = (address: string, port: number) => `https://${address.includes(':') ? `[${address}]` : address}:${port}`;

/**
 * Resolves every default and checks every rule of the cluster. The options are already checked against their schema
 * (renderEtcdHosts, renderEtcdKubernetes). With a collector, problems go to it and the caller throws them together
 * with its own; without one, they are thrown here.
 */
export function resolveEtcdCluster(
  o: ExternalEtcdClusterOptions, mode: 'hosts' | 'kubernetes',
  kubernetesMembers?: (ports: { client: number; peer: number; metrics: number }, dataDir: string, count: number) => ResolvedEtcdMember[],
  collector?: ProblemCollector,
): ResolvedEtcdCluster {
  const subject = `ExternalEtcdCluster '${o.name}'`;
  const p = collector ?? new ProblemCollector();
  const warnings: string[] = [];
  const versionString = o.version ?? DEFAULT_ETCD_VERSION;
  const version = parseEtcdVersion(versionString);
  p.check(version !== undefined, { field: 'version', message: 'must be an etcd 3.4, 3.5 or 3.6 release', value: versionString, allowed: '3.4.x, 3.5.x, 3.6.x', fix: `use ${DEFAULT_ETCD_VERSION}` });

  const ports = { client: o.ports?.client ?? 2379, peer: o.ports?.peer ?? 2380, metrics: o.ports?.metrics ?? 2381 };
  const dataDir = o.dataDir ?? '/var/lib/etcd';
  let members: ResolvedEtcdMember[] = [];
  if (mode === 'hosts') {
    const hosts = o.hosts ?? [];
    members = hosts.map((h) => ({
      name: h.name,
      address: h.address,
      zone: h.zone,
      clientUrl: hostUrl(h.address, h.clientPort ?? ports.client),
      peerUrl: hostUrl(h.address, h.peerPort ?? ports.peer),
      metricsUrl: `http://${h.address.includes(':') ? `[${h.address}]` : h.address}:${h.metricsPort ?? ports.metrics}`,
      dataDir: h.dataDir ?? dataDir,
    }));
    p.check(o.members === undefined, { field: 'members', message: 'is for Kubernetes-hosted clusters; on hosts there is one member per entry of hosts', value: o.members, fix: 'drop members and list every member in hosts' });
    const dup = (key: keyof ResolvedEtcdMember) => members.map((m) => String(m[key])).filter((v, i, a) => a.indexOf(v) !== i);
    for (const key of ['name', 'clientUrl', 'peerUrl', 'metricsUrl'] as const) {
      const d = dup(key);
      p.check(d.length === 0, { field: 'hosts', message: `must not repeat a member ${key}`, value: d[0], fix: 'give each member its own name, address or ports' });
    }
    const sameHost = members.filter((m, i) => members.findIndex((x) => x.address === m.address && x.dataDir === m.dataDir) !== i);
    p.check(sameHost.length === 0, { field: 'hosts[].dataDir', message: 'must differ between members on the same address', value: sameHost[0]?.dataDir, fix: 'set a dataDir per member' });
  } else {
    members = kubernetesMembers!(ports, dataDir, o.members ?? 3);
  }
  const n = members.length;
  if (n === 1) {
    p.check(o.developmentSingleMember === true, {
      field: mode === 'hosts' ? 'hosts' : 'members', message: 'has a single member: quorum 1, no failure tolerated; losing it loses the control plane', value: 1,
      allowed: '3, 5 or 7 (1 with developmentSingleMember: true)', fix: 'use 3 members, or set developmentSingleMember for a throwaway environment',
    });
  } else if (n % 2 === 0 && n > 0) {
    p.add({
      field: mode === 'hosts' ? 'hosts' : 'members', message: `must be an odd count: ${n} members need a quorum of ${quorumOf(n)} and tolerate ${n - quorumOf(n)} failure(s), the same as ${n - 1} members with more ways to fail`,
      value: n, allowed: '3, 5 or 7', fix: `use ${n - 1} or ${n + 1} members`,
    });
  } else if (![3, 5, 7].includes(n)) {
    p.add({ field: mode === 'hosts' ? 'hosts' : 'members', message: 'must be 3, 5 or 7 members (more slows every write: each needs a majority to fsync)', value: n, allowed: '3, 5, 7', fix: 'use 3 for most clusters, 5 to tolerate two failures' });
  }
  const zones = new Set(members.map((m) => m.zone).filter((z): z is string => z !== undefined));
  if (zones.size > 1) {
    warnings.push(`${subject}: members span zones (${[...zones].sort().join(', ')}); every write waits for a majority across zones, so cross-zone latency is added to every API request. Keep members in one zone unless you need zone failure tolerance and have sub-millisecond links.`);
  }

  const quota = o.quotaBackendBytes ?? 2 * GIB;
  p.check(Number.isInteger(quota) && quota > 0 && quota <= 8 * GIB, {
    field: 'quotaBackendBytes', message: 'must be a positive byte count of at most 8 GiB, etcd\'s suggested maximum (larger databases make defragmentation and restores too slow)', value: quota,
    allowed: `1..${8 * GIB}`, fix: 'keep 2 GiB (default) or raise to at most 8 GiB',
  });
  const retention = o.autoCompactionRetention ?? '8h';
  p.check(/^\d+(m|h)$/.test(retention) && parseInt(retention, 10) > 0, { field: 'autoCompactionRetention', message: 'must be a duration in minutes or hours', value: retention, fix: "use e.g. '8h'" });
  const heartbeat = o.heartbeatIntervalMs ?? 100;
  const election = o.electionTimeoutMs ?? 1000;
  p.check(Number.isInteger(heartbeat) && heartbeat >= 10, { field: 'heartbeatIntervalMs', message: 'must be an integer of at least 10 ms', value: heartbeat, fix: 'use 100 (about the round trip between members)' });
  p.check(Number.isInteger(election) && election >= 10 * heartbeat && election <= 50000, {
    field: 'electionTimeoutMs', message: `must be at least 10x the heartbeat (${10 * heartbeat} ms) and at most 50000 ms, or one slow heartbeat starts an election`, value: election,
    allowed: `${10 * heartbeat}..50000`, fix: `use ${Math.max(1000, 10 * heartbeat)}`,
  });
  const snapshotCount = o.snapshotCount ?? 10000;
  p.check(Number.isInteger(snapshotCount) && snapshotCount >= 1000, { field: 'snapshotCount', message: 'must be an integer of at least 1000', value: snapshotCount, fix: 'use 10000' });

  const extraFlags = o.extraFlags ?? {};
  if (version) {
    for (const flag of Object.keys(extraFlags)) {
      const bare = flag.replace(/^--/, '');
      if (MANAGED.has(bare)) {
        p.add({ field: `extraFlags.${flag}`, message: 'is rendered by gpuplane from a typed option', value: extraFlags[flag], fix: 'set the typed option instead' });
      } else if (!etcdHasFlag(version, bare)) {
        const hint = bare.startsWith('experimental-') && version.minor === '3.6' ? ' (3.6 replaced the experimental corruption-check flags with --feature-gates and --corrupt-check-time)' : '';
        p.add({ field: `extraFlags.${flag}`, message: `is not a flag of etcd ${version.version}${hint}; etcd refuses to start on an unknown flag`, value: extraFlags[flag], fix: 'remove it, or pick a version that has it' });
      }
    }
  }

  const backupSchedule = o.backup?.schedule ?? (mode === 'hosts' ? '*-*-* 00/6:00:00' : '0 */6 * * *');
  const period = schedulePeriodHours(backupSchedule);
  const backup: Required<EtcdBackupOptions> = {
    schedule: backupSchedule,
    retain: o.backup?.retain ?? 14,
    dir: o.backup?.dir ?? '/var/backups/etcd',
    // Two missed runs: 13 hours at the default six-hourly schedule.
    maxAgeHours: o.backup?.maxAgeHours ?? (period !== undefined ? 2 * period + 1 : 13),
    textfileDir: o.backup?.textfileDir ?? '/var/lib/node_exporter/textfile_collector',
  };
  if (period !== undefined) {
    p.check(backup.maxAgeHours > period, {
      field: 'backup.maxAgeHours', message: `must exceed the ${period} hours between two backups of the schedule "${backupSchedule}", or the backup alert fires between every two runs`,
      value: backup.maxAgeHours, allowed: `> ${period}`, fix: `omit it for ${2 * period + 1} (two missed runs)`,
    });
  }
  if (mode === 'kubernetes') {
    for (const [field, value] of [['backup.schedule', o.backup?.schedule], ['defrag.schedule', o.defrag?.schedule]] as const) {
      const wrong = value === undefined ? undefined : cronProblem(value);
      if (wrong) p.add({ field, message: `${wrong} (CronJob schedules are cron expressions)`, value, fix: "e.g. '0 */6 * * *'" });
    }
    p.check(o.backup?.textfileDir === undefined, { field: 'backup.textfileDir', message: "is for hosts mode (node_exporter's textfile collector); in Kubernetes the backup alert reads the CronJob's last success", value: o.backup?.textfileDir, fix: 'drop it' });
  } else {
    for (const [field, value] of [['backup.schedule', o.backup?.schedule], ['defrag.schedule', o.defrag?.schedule]] as const) {
      p.check(value === undefined || cronProblem(value) !== undefined, {
        field, message: 'must be a systemd OnCalendar expression on hosts (a timer runs it), not a cron schedule', value, fix: "e.g. '*-*-* 00/6:00:00' (every 6 hours)",
      });
    }
  }
  const defrag: Required<EtcdDefragOptions> = {
    fragmentationThreshold: o.defrag?.fragmentationThreshold ?? 0.5,
    quotaThreshold: o.defrag?.quotaThreshold ?? 0.8,
    pauseSeconds: o.defrag?.pauseSeconds ?? 30,
    schedule: o.defrag?.schedule ?? (mode === 'hosts' ? 'Sun *-*-* 03:30:00' : '30 3 * * 0'),
  };
  for (const key of ['fragmentationThreshold', 'quotaThreshold'] as const) {
    p.check(defrag[key] >= 0 && defrag[key] < 1, { field: `defrag.${key}`, message: 'must be a share in [0, 1)', value: defrag[key], fix: 'e.g. 0.5' });
  }
  if (!collector) p.throwIfAny(subject);

  return {
    name: o.name, version: version!, mode, members, quorum: quorumOf(n), faultTolerance: n - quorumOf(n),
    tls: { ...defaultTls('/etc/etcd/pki'), ...(o.tls ?? {}) },
    quotaBackendBytes: quota, autoCompactionRetention: retention, heartbeatIntervalMs: heartbeat, electionTimeoutMs: election,
    snapshotCount, extraFlags, backup, defrag, warnings,
  };
}
