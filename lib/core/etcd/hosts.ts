import { refuse } from '../errors';
import { checkOptions } from '../options/schema';
import { envFileLines, flagArgs, memberFlags } from './flags';
import { ETCD_HOSTS_OPTIONS } from './options-schema';
import { ExternalEtcdClusterOptions, ResolvedEtcdCluster, ResolvedEtcdMember, resolveEtcdCluster } from './options';
import { backupScript, defragScript, healthCheckScript, restoreProcedure, ScriptContext } from './scripts';

/** A hosts-mode cluster: the members' hosts and where binaries and scripts live. */
export interface EtcdHostsOptions extends ExternalEtcdClusterOptions {
  /** Where etcd and etcdctl are installed on the hosts. @default '/usr/local/bin' - etcd's release tarballs */
  readonly binaryDir?: string;
  /** Where the rendered scripts are installed. @default '/usr/local/lib/etcd-ops' */
  readonly scriptDir?: string;
}

/** Everything one host needs. */
export interface EtcdMemberFiles {
  readonly member: ResolvedEtcdMember;
  /** The exact command line (argv) the member runs. */
  readonly command: readonly string[];
  /** `/etc/etcd/etcd.env`: the same flags as ETCD_* variables. */
  readonly environmentFile: string;
  /** `/etc/systemd/system/etcd.service`. */
  readonly systemdUnit: string;
}

/** What renderEtcdHosts returns: each member's files, the scripts and the timers. */
export interface EtcdHostsRender {
  readonly resolved: ResolvedEtcdCluster;
  readonly members: readonly EtcdMemberFiles[];
  readonly scripts: { readonly healthCheck: string; readonly backup: string; readonly defrag: string; readonly restore: string };
  /** systemd units that run the backup and the defragmentation on a schedule. */
  readonly timers: Readonly<Record<string, string>>;
  readonly scriptContext: ScriptContext;
}

/** Resolves a hosts-mode cluster and renders each member's command line, environment file and systemd unit. */
export function renderEtcdHosts(o: EtcdHostsOptions): EtcdHostsRender {
  const subject = `ExternalEtcdCluster '${typeof (o as { name?: unknown })?.name === 'string' ? o.name : '?'}'`;
  checkOptions(subject, ETCD_HOSTS_OPTIONS, o);
  if (!o.hosts || o.hosts.length === 0) {
    refuse(subject, { field: 'hosts', message: 'must list the members', value: o.hosts, fix: 'give { name, address } per member, or use the Kubernetes-hosted mode (kubernetes: { ... })' });
  }
  const r = resolveEtcdCluster(o, 'hosts');
  const binaryDir = o.binaryDir ?? '/usr/local/bin';
  const scriptDir = o.scriptDir ?? '/usr/local/lib/etcd-ops';
  const ctx: ScriptContext = { binaryDir, endpoints: r.members.map((m) => m.clientUrl) };
  const members = r.members.map((m) => {
    const flags = memberFlags(r, m);
    return {
      member: m,
      command: [`${binaryDir}/etcd`, ...flagArgs(flags)],
      environmentFile: `# etcd member ${m.name} of cluster ${r.name} (etcd ${r.version.version}), rendered by gpuplane\n${envFileLines(flags).join('\n')}\n`,
      systemdUnit: `[Unit]
Description=etcd member ${m.name} of cluster ${r.name}
Documentation=https://etcd.io/docs/v${r.version.minor}/
After=network-online.target time-sync.target
Wants=network-online.target

[Service]
Type=notify
User=etcd
EnvironmentFile=/etc/etcd/etcd.env
ExecStart=${binaryDir}/etcd
Restart=always
RestartSec=10s
LimitNOFILE=65536
# The disk decides everything: give etcd's WAL fsyncs the first place in the I/O queue.
IOSchedulingClass=best-effort
IOSchedulingPriority=0
Nice=-10

[Install]
WantedBy=multi-user.target
`,
    };
  });
  const timer = (what: string, calendar: string, script: string) => ({
    [`etcd-${what}.service`]: `[Unit]\nDescription=etcd ${what} for cluster ${r.name}\n\n[Service]\nType=oneshot\nExecStart=${scriptDir}/${script}\n`,
    [`etcd-${what}.timer`]: `[Unit]\nDescription=etcd ${what} schedule for cluster ${r.name}\n\n[Timer]\nOnCalendar=${calendar}\nRandomizedDelaySec=300\nPersistent=true\n\n[Install]\nWantedBy=timers.target\n`,
  });
  return {
    resolved: r,
    members,
    scripts: { healthCheck: healthCheckScript(r, ctx), backup: backupScript(r, ctx), defrag: defragScript(r, ctx), restore: restoreProcedure(r, ctx) },
    timers: { ...timer('backup', r.backup.schedule, 'etcd-backup.sh'), ...timer('defrag', r.defrag.schedule, 'etcd-defrag.sh') },
    scriptContext: ctx,
  };
}
