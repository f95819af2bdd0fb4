import { ProblemCollector } from '../errors';
import { canonicalize, KubeObject } from '../kube';
import { arr, checkOptions, num, obj, opt, str } from '../options/schema';
import { assertValidObjects } from '../validate';
import { ResolvedEtcdCluster } from './options';
import { ScriptContext, scriptHeader, shellQuote as q } from './scripts';
import { etcdHasRestoreBumpRevision, restoreTool } from './versions';

/**
 * The Kubernetes-mode restore: every member restores the SAME snapshot into its own volume with the full initial
 * cluster and a NEW cluster token (a restore starts a new logical cluster: etcd-io/website
 * content/en/docs/v3.6/op-guide/recovery.md), then all members start together and the cluster is verified.
 *
 * Order: the API servers stop first (nothing may write to, or cache from, the cluster being replaced), then the
 * backup and defragmentation CronJobs are suspended, the StatefulSet goes to 0, one Job per member restores (each
 * mounts that member's claim `data-<name>-<i>` and the backup claim, on the member's node), the StatefulSet comes back
 * to its size, a Job verifies health, revision and membership, the CronJobs resume, a fresh backup is taken, and the
 * API servers start again. The members keep their rendered flags: etcd ignores --initial-cluster* once the data dir
 * holds a member (which the restore wrote).
 *
 * Revisions: the restore bumps the revision by a billion and marks it compacted (`--bump-revision --mark-compacted`,
 * etcdutl 3.5.10+ and 3.6), so the API servers' watch caches and every informer relist instead of resuming at
 * revisions the restored data reuses (etcd-io/etcd issue 16028, "etcd restore for Kubernetes").
 */

/** The Jobs run one at a time; the member and verification Jobs read their inputs from this ConfigMap. */
export interface EtcdRestoreInputs {
  /** The snapshot: a file name in the backup volume (`<cluster>-<timestamp>.db`, what the backup CronJob writes) or its full path there. */
  readonly snapshot: string;
  /** The new cluster token. @default `<cluster>-restored-<the snapshot's timestamp>` (`<cluster>-restored-snapshot` for a snapshot named without one) - a token the old cluster never had */
  readonly token?: string;
  /** Members to restore: when given, exactly the cluster's members, each once (all of them restore the same snapshot). @default - every member */
  readonly members?: readonly string[];
  /** Revisions added on restore, with the latest marked compacted. @default 1000000000 where the version has the flag (etcdutl 3.5.10+, 3.6), else 0 */
  readonly bumpRevision?: number;
}

/** One step of the Kubernetes-mode restore procedure, in order, with the command it runs. */
export interface EtcdRestoreStep {
  readonly action: 'stop-api-servers' | 'suspend-cronjobs' | 'scale-down' | 'inputs' | 'restore-member' | 'scale-up' | 'verify' | 'resume-cronjobs' | 'backup' | 'start-api-servers';
  readonly member?: string;
  readonly description: string;
  /** The kubectl command (run by the procedure script), when the step has one. */
  readonly command?: string;
}

/** The Kubernetes-mode restore procedure: the script, its ordered steps, the per-member restore Jobs and the verification Job. */
export interface EtcdKubernetesRestore {
  /** The procedure the operator runs with kubectl against the hosting cluster: `etcd-restore.sh <snapshot file>`. */
  readonly script: string;
  /** The procedure's steps, in order. */
  readonly steps: readonly EtcdRestoreStep[];
  /** What each member's Job runs (also in the ops ConfigMap as `etcd-restore-member.sh`). */
  readonly memberScript: string;
  /** What the verification Job runs (also in the ops ConfigMap as `etcd-restore-verify.sh`). */
  readonly verifyScript: string;
  /** One Job per member, then the verification Job. Not part of the synthesized objects: a restore is run, never synced. */
  readonly jobs: readonly KubeObject[];
  /** The ConfigMap the Jobs read SNAPSHOT, RESTORE_TOKEN and BUMP_REVISION from. */
  readonly inputsConfigMap: string;
  /** The default revision bump for this version. */
  readonly bumpRevision: number;
}

/** What the restore needs from the Kubernetes render. */
export interface EtcdRestoreContext {
  readonly r: ResolvedEtcdCluster;
  readonly namespace: string;
  readonly statefulSet: string;
  readonly backupClaim: string;
  readonly toolsImage: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly nodeSelector: Record<string, string>;
  readonly tolerations: readonly Record<string, unknown>[];
  readonly podSecurity: Record<string, unknown>;
  readonly containerSecurity: Record<string, unknown>;
  /** The TLS secret volumes (client and server: the CA and client certificate the verification presents). */
  readonly tlsVolumes: readonly Record<string, unknown>[];
  readonly pki: string;
  /** Where the members keep their data inside the pod (their claim is mounted at its parent). */
  readonly dataDir: string;
}

const DEFAULT_BUMP = 1_000_000_000;
/** A snapshot file name: no directories, no shell syntax, `.db` like the backup CronJob's. */
const SNAPSHOT_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.db$/;
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The member pods: the StatefulSet controller labels each with its pod name. */
const MEMBER_PODS = (name: string) => `app.kubernetes.io/name=etcd,app.kubernetes.io/instance=${name},statefulset.kubernetes.io/pod-name`;

const defaultBump = (r: ResolvedEtcdCluster) => (etcdHasRestoreBumpRevision(r.version) ? DEFAULT_BUMP : 0);

function memberScript(c: EtcdRestoreContext): string {
  const { r } = c;
  const tool = restoreTool(r.version);
  const initialCluster = r.members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  const cases = r.members.map((m) => `  ${q(m.name)}) PEER_URL=${q(m.peerUrl)} ;;`).join('\n');
  return `#!/usr/bin/env bash
# Restores one member of etcd cluster '${r.name}' (etcd ${r.version.version}) from a snapshot into its data dir.
# Run by the Job ${c.statefulSet}-restore-<i> with the member's volume mounted while the StatefulSet is at 0 replicas.
# Inputs: MEMBER_NAME, SNAPSHOT (a file in BACKUP_DIR), RESTORE_TOKEN (new), BUMP_REVISION. Overrides: RESTORE_TOOL,
# BACKUP_DIR, DATA_DIR.
set -euo pipefail
TOOL="\${RESTORE_TOOL:-${tool}}"
BACKUP_DIR="\${BACKUP_DIR:-${r.backup.dir}}"
DATA_DIR="\${DATA_DIR:-${c.dataDir}}"
BUMP_REVISION="\${BUMP_REVISION:-${defaultBump(r)}}"
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
refuse() { log "refusing to restore: $*"; exit 2; }
json_num() { grep -o "\\"$1\\":[0-9]*" | head -n 1 | cut -d: -f2; }

MEMBER="\${MEMBER_NAME:-}"
case "$MEMBER" in
${cases}
  *) refuse "MEMBER_NAME '$MEMBER' is not a member of ${r.name} (${r.members.map((m) => m.name).join(', ')})" ;;
esac
SNAPSHOT="\${SNAPSHOT:-}"
[[ "$SNAPSHOT" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*\\.db$ ]] || refuse "SNAPSHOT '$SNAPSHOT' must be the file name of a snapshot in $BACKUP_DIR, e.g. ${r.name}-20260101T000000000Z.db"
SNAP="$BACKUP_DIR/$SNAPSHOT"
[ -f "$SNAP" ] || refuse "no snapshot $SNAP (the backup volume holds: $(ls -1 "$BACKUP_DIR" 2>/dev/null | tr '\\n' ' '))"
TOKEN="\${RESTORE_TOKEN:-}"
[[ "$TOKEN" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] && [ "$TOKEN" != ${q(r.name)} ] || refuse "RESTORE_TOKEN '$TOKEN' must be a new cluster token, not '${r.name}' (the old cluster's): the restored members must never join members of the old one"
[[ "$BUMP_REVISION" =~ ^[0-9]+$ ]] || refuse "BUMP_REVISION '$BUMP_REVISION' must be a whole number"
${defaultBump(r) === 0 ? `[ "$BUMP_REVISION" -eq 0 ] || refuse "etcd ${r.version.version} cannot bump revisions on restore (etcdutl 3.5.10+ and 3.6 can)"\n` : ''}# etcd holds an exclusive lock on its database while it runs: a live member's data is never replaced.
if command -v flock >/dev/null 2>&1 && [ -f "$DATA_DIR/member/snap/db" ]; then
  flock -n "$DATA_DIR/member/snap/db" true || refuse "$DATA_DIR is in use by a running etcd: scale the StatefulSet to 0 first"
fi
status=$("$TOOL" snapshot status "$SNAP" -w json) || refuse "snapshot $SNAP is unreadable"
rev=$(json_num revision <<< "$status"); keys=$(json_num totalKey <<< "$status")
[ -n "$keys" ] && [ "$keys" -gt 0 ] || refuse "snapshot $SNAP holds no keys: $status"
log "member $MEMBER: restoring $SNAP (revision $rev, $keys keys) with cluster token $TOKEN, revision bump $BUMP_REVISION"
rm -rf -- "$DATA_DIR.restoring"
bump=(); [ "$BUMP_REVISION" -gt 0 ] && bump=(--bump-revision="$BUMP_REVISION" --mark-compacted)
"$TOOL" snapshot restore "$SNAP" --name="$MEMBER" --initial-cluster=${q(initialCluster)} \\
  --initial-cluster-token="$TOKEN" --initial-advertise-peer-urls="$PEER_URL" --data-dir="$DATA_DIR.restoring" \${bump[@]+"\${bump[@]}"}
if [ -e "$DATA_DIR" ]; then
  kept="$DATA_DIR.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  mv -- "$DATA_DIR" "$kept"
  log "previous data dir kept as $kept: delete it once the restored cluster is verified"
fi
mv -- "$DATA_DIR.restoring" "$DATA_DIR"
log "member $MEMBER restored into $DATA_DIR"
`;
}

function verifyScript(c: EtcdRestoreContext): string {
  const { r } = c;
  const ctx: ScriptContext = { binaryDir: '/usr/local/bin', endpoints: r.members.map((m) => m.clientUrl) };
  const statusTool = restoreTool(r.version) === 'etcdutl' ? '"$ETCDUTL"' : '"$ETCDCTL"';
  return `${scriptHeader(r, ctx, 'Verifies a restored cluster: every member healthy, revision at least the snapshot\'s, one leader, exactly the rendered members.')}
BACKUP_DIR="\${BACKUP_DIR:-${r.backup.dir}}"
BUMP_REVISION="\${BUMP_REVISION:-${defaultBump(r)}}"
WAIT_SECONDS="\${VERIFY_WAIT_SECONDS:-300}"
EXPECTED=(${r.members.map((m) => q(m.name)).join(' ')})
SNAPSHOT="\${SNAPSHOT:-}"
[[ "$SNAPSHOT" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*\\.db$ ]] || { log "SNAPSHOT '$SNAPSHOT' must be a snapshot file name in $BACKUP_DIR"; exit 2; }
[[ "$BUMP_REVISION" =~ ^[0-9]+$ ]] || { log "BUMP_REVISION '$BUMP_REVISION' must be a whole number"; exit 2; }
snaprev=$(${statusTool} snapshot status "$BACKUP_DIR/$SNAPSHOT" -w json | json_num revision)
[ -n "$snaprev" ] || { log "cannot read the revision of $BACKUP_DIR/$SNAPSHOT"; exit 2; }
want=$((snaprev + BUMP_REVISION))

deadline=$(( $(date +%s) + WAIT_SECONDS ))
until all=1; for ep in "\${EPS[@]}"; do healthy "$ep" || all=0; done; [ "$all" -eq 1 ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { log "members not all healthy after $WAIT_SECONDS s"; ctl --endpoints="$ENDPOINTS" endpoint health || true; exit 1; }
  sleep 2
done
log "every member is healthy"
rc=0; leaders=0
for ep in "\${EPS[@]}"; do
  status=$(ctl --endpoints="$ep" endpoint status -w json)
  rev=$(json_num revision <<< "$status")
  if [ -n "$rev" ] && [ "$rev" -ge "$want" ]; then log "$ep: revision $rev >= $want (snapshot $snaprev + bump $BUMP_REVISION)"; else log "$ep: revision '$rev' below $want (snapshot $snaprev + bump $BUMP_REVISION)"; rc=1; fi
  is_leader "$ep" && leaders=$((leaders + 1))
done
[ "$leaders" -eq 1 ] || { log "$leaders leaders (want 1)"; rc=1; }
# 'member list -w simple': id, status, name, peer addrs, client addrs, is learner
members=$(ctl --endpoints="$ENDPOINTS" member list -w simple)
count=$(grep -c . <<< "$members" || true)
[ "$count" -eq "\${#EXPECTED[@]}" ] || { log "$count members, want \${#EXPECTED[@]}: $members"; rc=1; }
for name in "\${EXPECTED[@]}"; do
  awk -F', ' -v n="$name" '$3 == n && $2 == "started" && $6 == "false" { found = 1 } END { exit !found }' <<< "$members" || { log "member $name is not a started voting member: $members"; rc=1; }
done
alarms=$(ctl --endpoints="$ENDPOINTS" alarm list || true)
[ -z "$alarms" ] || { log "alarms: $alarms"; rc=1; }
[ "$rc" -eq 0 ] && log "restore verified: \${#EXPECTED[@]} members, one leader, revision >= $want"
exit $rc
`;
}

function jobs(c: EtcdRestoreContext): KubeObject[] {
  const { r } = c;
  const input = (key: string, optional = false) => ({ valueFrom: { configMapKeyRef: { name: `${c.statefulSet}-restore`, key, ...(optional ? { optional: true } : {}) } } });
  const dataMount = c.dataDir.replace(/\/[^/]+$/, '');
  const job = (name: string, component: string, spec: { script: string; volumes: Record<string, unknown>[]; mounts: Record<string, unknown>[]; env: Record<string, unknown>[]; onMemberNode: boolean }) => ({
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name, namespace: c.namespace, labels: { ...c.labels, 'app.kubernetes.io/component': component } },
    spec: {
      backoffLimit: 0, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 7 * 86400,
      template: {
        // Not the members' labels: the StatefulSet's Services, PDB and pod selector must not count these pods.
        metadata: { labels: { 'app.kubernetes.io/name': 'etcd-restore', 'app.kubernetes.io/instance': r.name, 'app.kubernetes.io/component': component } },
        spec: {
          restartPolicy: 'Never', automountServiceAccountToken: false, securityContext: c.podSecurity,
          // The member's claim lives on the member's node (a local class): tolerate the etcd nodes' taint to get there.
          ...(spec.onMemberNode ? { nodeSelector: c.nodeSelector, tolerations: c.tolerations } : {}),
          containers: [{
            name: component, image: c.toolsImage, command: ['/bin/bash', `/ops/${spec.script}`],
            env: [{ name: 'SNAPSHOT', ...input('snapshot') }, { name: 'BUMP_REVISION', ...input('bumpRevision') }, ...spec.env],
            volumeMounts: [{ name: 'ops', mountPath: '/ops', readOnly: true }, { name: 'backups', mountPath: r.backup.dir, readOnly: true }, ...spec.mounts],
            resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '2Gi' } },
            securityContext: { ...c.containerSecurity, readOnlyRootFilesystem: false },
          }],
          volumes: [{ name: 'ops', configMap: { name: `${c.statefulSet}-ops` } }, { name: 'backups', persistentVolumeClaim: { claimName: c.backupClaim, readOnly: true } }, ...spec.volumes],
        },
      },
    },
  });
  const memberJobs = r.members.map((m, i) => job(`${c.statefulSet}-restore-${i}`, 'restore', {
    script: 'etcd-restore-member.sh', onMemberNode: true,
    env: [{ name: 'MEMBER_NAME', value: m.name }, { name: 'RESTORE_TOKEN', ...input('token') }, { name: 'DATA_DIR', value: c.dataDir }],
    // The StatefulSet's claim of this member: <claim template>-<StatefulSet>-<ordinal>.
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: `data-${c.statefulSet}-${i}` } }],
    mounts: [{ name: 'data', mountPath: dataMount }],
  }));
  const verify = job(`${c.statefulSet}-restore-verify`, 'restore-verify', {
    script: 'etcd-restore-verify.sh', onMemberNode: false,
    env: [{ name: 'ETCDCTL', value: 'etcdctl' }, { name: 'ETCDUTL', value: 'etcdutl' }],
    volumes: c.tlsVolumes.filter((v) => v.name !== 'peer-tls') as Record<string, unknown>[],
    mounts: [{ name: 'client-tls', mountPath: `${c.pki}/client`, readOnly: true }, { name: 'server-tls', mountPath: `${c.pki}/server`, readOnly: true }],
  });
  return [...memberJobs, verify].map((x) => canonicalize(x));
}

function steps(c: EtcdRestoreContext): EtcdRestoreStep[] {
  const ns = `-n ${c.namespace}`;
  const sts = c.statefulSet;
  const n = c.r.members.length;
  return [
    { action: 'stop-api-servers', description: `stop every kube-apiserver that uses '${c.r.name}' (and anything else writing to it): a restore under a running API server leaves it serving objects from its watch cache that the restored data no longer has` },
    { action: 'suspend-cronjobs', description: 'suspend the backup and defragmentation CronJobs, so neither runs against a cluster being replaced', command: `kubectl ${ns} patch cronjob ${sts}-backup ${sts}-defrag --type=merge -p '{"spec":{"suspend":true}}'` },
    { action: 'scale-down', description: `scale the StatefulSet to 0 and wait until every member pod is gone (etcd must not run on a data dir being replaced)`, command: `kubectl ${ns} scale statefulset ${sts} --replicas=0 && kubectl ${ns} get pods -l ${MEMBER_PODS(c.r.name)} (until none is left)` },
    { action: 'inputs', description: `write the snapshot file name, the NEW cluster token and the revision bump into ConfigMap ${sts}-restore (the Jobs read them)`, command: `kubectl ${ns} create configmap ${sts}-restore --from-literal=snapshot=<file> --from-literal=token=<new token> --from-literal=bumpRevision=<n> --dry-run=client -o yaml | kubectl apply -f -` },
    ...c.r.members.map((m, i) => ({
      action: 'restore-member' as const, member: m.name,
      description: `Job ${sts}-restore-${i}: on ${m.name}'s node, with its claim data-${sts}-${i} and the backup claim mounted, restore the snapshot into ${c.dataDir} with --name=${m.name}, the full --initial-cluster, --initial-advertise-peer-urls=${m.peerUrl} and the new token; the previous data dir is kept beside it`,
      command: `kubectl ${ns} apply -f <job ${sts}-restore-${i}> && kubectl ${ns} wait --for=condition=complete job/${sts}-restore-${i} --timeout=1800s`,
    })),
    { action: 'scale-up', description: `scale the StatefulSet back to ${n}: the members start together (Parallel) and form the restored cluster`, command: `kubectl ${ns} scale statefulset ${sts} --replicas=${n} && kubectl ${ns} rollout status statefulset ${sts} --timeout=600s` },
    { action: 'verify', description: `Job ${sts}-restore-verify: every member healthy, endpoint status revision at least the snapshot's plus the bump, one leader, member list exactly ${c.r.members.map((m) => m.name).join(', ')} (started, voting), no alarms`, command: `kubectl ${ns} apply -f <job ${sts}-restore-verify> && kubectl ${ns} wait --for=condition=complete job/${sts}-restore-verify --timeout=600s` },
    { action: 'resume-cronjobs', description: 'resume the backup and defragmentation CronJobs', command: `kubectl ${ns} patch cronjob ${sts}-backup ${sts}-defrag --type=merge -p '{"spec":{"suspend":false}}'` },
    { action: 'backup', description: 'take a fresh backup of the restored cluster (its first snapshot under the new cluster identity)', command: `kubectl ${ns} create job --from=cronjob/${sts}-backup ${sts}-backup-after-restore` },
    { action: 'start-api-servers', description: `start the API servers again; with the revision bump and compaction mark their watch caches and every informer relist` },
  ];
}

function procedureScript(c: EtcdRestoreContext, steps: readonly EtcdRestoreStep[], jobObjects: readonly KubeObject[]): string {
  const { r } = c;
  const sts = c.statefulSet;
  const ns = c.namespace;
  // One line of JSON per manifest in a quoted heredoc: JSON has no raw newlines, so no line can end the heredoc early.
  const manifest = (o: KubeObject) => JSON.stringify(o);
  const applyJob = (o: KubeObject) => `run_job ${q(o.metadata.name)} <<'JOB'\n${manifest(o)}\nJOB`;
  const memberJobs = jobObjects.slice(0, -1);
  const verifyJob = jobObjects[jobObjects.length - 1];
  return `#!/usr/bin/env bash
# Restore etcd cluster '${r.name}' (etcd ${r.version.version}, namespace ${ns}) from a snapshot in its backup volume.
# Usage: API_SERVERS_STOPPED=yes ${sts}-restore.sh <snapshot file name> [new cluster token]
# Steps:
${steps.map((s, i) => `#   ${i + 1}. ${s.description}`).join('\n')}
set -euo pipefail
KUBECTL="\${KUBECTL:-kubectl}"
NS=${q(ns)}
SNAPSHOT="\${1:-}"
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
k() { "$KUBECTL" -n "$NS" "$@"; }
[[ "$SNAPSHOT" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*\\.db$ ]] || { log "usage: $0 <snapshot file name in ${r.backup.dir}, e.g. ${r.name}-20260101T000000000Z.db> [token]"; exit 2; }
stamp=$(sed -n 's/^.*-\\([0-9]\\{8\\}T[0-9]\\{9\\}Z\\)\\.db$/\\1/p' <<< "$SNAPSHOT" | tr 'TZ' 'tz')
TOKEN="\${2:-${r.name}-restored-\${stamp:-$(date -u +%Y%m%dt%H%M%Sz)}}"
[[ "$TOKEN" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] && [ "$TOKEN" != ${q(r.name)} ] || { log "the token must be new (not '${r.name}')"; exit 2; }
BUMP_REVISION="\${BUMP_REVISION:-${defaultBump(r)}}"
[ "\${API_SERVERS_STOPPED:-}" = yes ] || { log "step 1: stop every kube-apiserver using '${r.name}' first, then rerun with API_SERVERS_STOPPED=yes"; exit 2; }

run_job() {
  local name="$1"
  k delete job "$name" --ignore-not-found --wait=true >/dev/null
  k apply -f - >/dev/null
  log "job $name started"
  if ! k wait --for=condition=complete "job/$name" --timeout="\${JOB_TIMEOUT:-1800s}"; then
    k logs "job/$name" --all-containers || true
    log "job $name did not complete: fix the cause and rerun this script (the steps are repeatable)"
    exit 1
  fi
  k logs "job/$name" --all-containers || true
}

log "suspending the backup and defragmentation CronJobs"
k patch cronjob ${sts}-backup ${sts}-defrag --type=merge -p '{"spec":{"suspend":true}}'
log "scaling StatefulSet ${sts} to 0"
k scale statefulset ${sts} --replicas=0
members_left() { k get pods -l ${MEMBER_PODS(r.name)} -o name; }
for _ in $(seq 1 150); do [ -z "$(members_left)" ] && break; sleep 2; done
[ -z "$(members_left)" ] || { log "member pods still running after 300 s: $(members_left | tr '\\n' ' ')"; exit 1; }
log "restore inputs: snapshot $SNAPSHOT, token $TOKEN, revision bump $BUMP_REVISION"
k create configmap ${sts}-restore --from-literal=snapshot="$SNAPSHOT" --from-literal=token="$TOKEN" --from-literal=bumpRevision="$BUMP_REVISION" --dry-run=client -o yaml | k apply -f - >/dev/null

${memberJobs.map(applyJob).join('\n')}

log "scaling StatefulSet ${sts} back to ${r.members.length}"
k scale statefulset ${sts} --replicas=${r.members.length}
k rollout status statefulset ${sts} --timeout=600s
${applyJob(verifyJob)}
log "resuming the CronJobs and taking a fresh backup"
k patch cronjob ${sts}-backup ${sts}-defrag --type=merge -p '{"spec":{"suspend":false}}'
k create job --from=cronjob/${sts}-backup "${sts}-backup-after-restore-$(date -u +%Y%m%d%H%M%S)"
log "restored and verified: start the API servers again; delete the .before-restore-* data dirs once satisfied"
`;
}

/** The whole Kubernetes-mode restore procedure for a rendered cluster (its scripts, steps and Jobs). */
export function kubernetesRestore(c: EtcdRestoreContext): EtcdKubernetesRestore {
  const jobObjects = jobs(c);
  const s = steps(c);
  return {
    script: procedureScript(c, s, jobObjects), steps: s, memberScript: memberScript(c), verifyScript: verifyScript(c),
    jobs: jobObjects, inputsConfigMap: `${c.statefulSet}-restore`, bumpRevision: defaultBump(c.r),
  };
}

const INPUTS = obj<EtcdRestoreInputs>({
  snapshot: str({ minLength: 1, fix: "name a snapshot the backup CronJob wrote, e.g. '<cluster>-20260101T000000000Z.db'" }),
  token: opt(str({ test: (s) => (TOKEN.test(s) ? undefined : 'must be letters, digits, ".", "_" or "-" (at most 128)'), fix: "e.g. '<cluster>-restored-1'" })),
  members: opt(arr(str({ minLength: 1 }))),
  bumpRevision: opt(num({ integer: true, min: 0, fix: 'use 1000000000 (the default), or 0 for none' })),
});

/** A planned restore: the inputs ConfigMap and the Jobs for one snapshot, with its checked inputs. */
export interface EtcdRestorePlan {
  readonly snapshot: string;
  readonly token: string;
  readonly bumpRevision: number;
  /** ConfigMap `<cluster>-restore`, then the member Jobs, then the verification Job: apply in this order, one Job at a time. */
  readonly objects: readonly KubeObject[];
  readonly steps: readonly EtcdRestoreStep[];
}

/**
 * Plans a restore from one snapshot, refusing wrong inputs: a snapshot outside the backup volume or not a snapshot
 * file name, the old cluster token, member names that are not exactly the cluster's, a revision bump the version
 * cannot do.
 */
export function planEtcdKubernetesRestore(render: { readonly resolved: ResolvedEtcdCluster; readonly namespace: string; readonly restore: EtcdKubernetesRestore }, input: EtcdRestoreInputs): EtcdRestorePlan {
  const r = render.resolved;
  const subject = `ExternalEtcdCluster '${r.name}' restore`;
  checkOptions(subject, INPUTS, input);
  const p = new ProblemCollector();
  const dir = r.backup.dir.replace(/\/+$/, '');
  const file = input.snapshot.startsWith(`${dir}/`) ? input.snapshot.slice(dir.length + 1) : input.snapshot;
  p.check(SNAPSHOT_FILE.test(file), {
    field: 'snapshot', message: input.snapshot.startsWith('/') ? `must be in the backup volume (${dir}), the only one the restore Jobs mount` : 'must be the file name of a snapshot in the backup volume (letters, digits, ".", "_", "-", ending in .db)',
    value: input.snapshot, allowed: `${dir}/<file>.db or <file>.db`, fix: `name a snapshot the backup CronJob wrote (${r.name}-<timestamp>.db), or copy yours into the backup volume first`,
  });
  const stamp = /-(\d{8}T\d{9}Z)\.db$/.exec(file)?.[1]?.toLowerCase();
  const token = input.token ?? `${r.name}-restored-${stamp ?? 'snapshot'}`;
  p.check(token !== r.name, {
    field: 'token', message: "must be a new cluster token: it is the running cluster's, and restored members must never join members of the old one", value: token,
    fix: 'omit token for one derived from the snapshot, or pick a new one',
  });
  const names = r.members.map((m) => m.name);
  if (input.members) {
    const given = input.members;
    for (const m of given) p.check(names.includes(m), { field: 'members', message: `names '${m}', which is not a member of ${r.name}`, value: m, allowed: names.join(', '), fix: 'use the member names of this cluster' });
    const dup = given.filter((m, i) => given.indexOf(m) !== i);
    p.check(dup.length === 0, { field: 'members', message: 'must name each member once', value: dup[0], fix: 'drop the repeated name' });
    const missing = names.filter((m) => !given.includes(m));
    p.check(missing.length === 0, {
      field: 'members', message: `must include every member: ${missing.join(', ')} would keep the old cluster's data and identity while the others form a new cluster from the snapshot`,
      value: given, allowed: names.join(', '), fix: 'restore every member from the same snapshot (omit members)',
    });
  }
  const bump = input.bumpRevision ?? render.restore.bumpRevision;
  p.check(bump === 0 || etcdHasRestoreBumpRevision(r.version), {
    field: 'bumpRevision', message: `needs --bump-revision, which etcd ${r.version.version} does not have (etcdutl 3.5.10+ and 3.6 do)`, value: bump,
    allowed: '0', fix: 'use 0, or upgrade etcd to 3.5.10+ first',
  });
  p.throwIfAny(subject);
  const configMap: KubeObject = canonicalize({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: render.restore.inputsConfigMap, namespace: render.namespace, labels: (render.restore.jobs[0].metadata.labels ?? {}) as Record<string, string> },
    data: { snapshot: file, token, bumpRevision: String(bump) },
  });
  const objects = [configMap, ...render.restore.jobs];
  assertValidObjects(subject, objects);
  return { snapshot: file, token, bumpRevision: bump, objects, steps: render.restore.steps };
}
