import { ResolvedEtcdCluster, ResolvedEtcdMember } from './options';
import { restoreTool } from './versions';

/** Paths the scripts use: where etcdctl lives, and the client certificate. */
export interface ScriptContext {
  /** Directory with etcd, etcdctl (and etcdutl from 3.5). */
  readonly binaryDir: string;
  /** Client endpoints, comma-separated order as rendered. */
  readonly endpoints: readonly string[];
}

/** A single-quoted shell word. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const q = shellQuote;

/** The common head of the operational scripts: strict mode, etcdctl with the client certificate, helpers. */
export function scriptHeader(r: ResolvedEtcdCluster, c: ScriptContext, purpose: string): string {
  return `#!/usr/bin/env bash
# ${purpose}
# Rendered by gpuplane for etcd cluster '${r.name}' (etcd ${r.version.version}).
# Environment overrides: ETCDCTL, ETCDUTL, ENDPOINTS (and per script: BACKUP_DIR, BACKUP_RETAIN, TEXTFILE_DIR,
# DEFRAG_PAUSE_SECONDS, DEFRAG_FRAGMENTATION_THRESHOLD, DEFRAG_QUOTA_THRESHOLD).
set -euo pipefail
ETCDCTL="\${ETCDCTL:-${c.binaryDir}/etcdctl}"
ETCDUTL="\${ETCDUTL:-${c.binaryDir}/etcdutl}"
ENDPOINTS="\${ENDPOINTS:-${c.endpoints.join(',')}}"
TLS=(--cacert=${q(r.tls.caFile)} --cert=${q(r.tls.clientCertFile)} --key=${q(r.tls.clientKeyFile)})
IFS=',' read -ra EPS <<< "$ENDPOINTS"
ctl() { "$ETCDCTL" "\${TLS[@]}" --command-timeout=60s "$@"; }
log() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*"; }
# A number field of 'endpoint status -w json' (sizes and revisions fit in a double; member ids are read elsewhere).
json_num() { grep -o "\\"$1\\":[0-9]*" | head -n 1 | cut -d: -f2; }
# 'endpoint status -w simple' columns: endpoint, id (hex), version, db size, is leader, ...
member_id() { ctl --endpoints="$1" endpoint status -w simple | awk -F', ' '{print $2}'; }
# Leader from the JSON form: the simple form's columns moved in 3.6 (it added storage version, in use and quota).
is_leader() {
  local s; s=$(ctl --endpoints="$1" endpoint status -w json)
  local id leader
  id=$(grep -o '"member_id":[0-9]*' <<< "$s" | head -n 1 | cut -d: -f2)
  leader=$(grep -o '"leader":[0-9]*' <<< "$s" | head -n 1 | cut -d: -f2)
  [ -n "$id" ] && [ "$id" = "$leader" ]
}
healthy() { ctl --endpoints="$1" endpoint health >/dev/null 2>&1; }
`;
}

/**
 * Rolling defragmentation. Stops if any member is unhealthy; acts only when fragmentation or quota use passes the
 * thresholds (or with --force); compacts first; defragments followers one at a time with a pause; moves leadership
 * to a defragmented follower before defragmenting the former leader (defragmenting the leader stalls every write,
 * lease renewals included); disarms a NOSPACE alarm once space is back.
 */
export function defragScript(r: ResolvedEtcdCluster, c: ScriptContext): string {
  return `${scriptHeader(r, c, 'Rolling defragmentation, leader last and only after leadership moved away.')}
FORCE=0; [ "\${1:-}" = "--force" ] && FORCE=1
PAUSE="\${DEFRAG_PAUSE_SECONDS:-${r.defrag.pauseSeconds}}"
QUOTA=${r.quotaBackendBytes}
FRAG_THRESHOLD="\${DEFRAG_FRAGMENTATION_THRESHOLD:-${r.defrag.fragmentationThreshold}}"
QUOTA_THRESHOLD="\${DEFRAG_QUOTA_THRESHOLD:-${r.defrag.quotaThreshold}}"

for ep in "\${EPS[@]}"; do
  healthy "$ep" || { log "member $ep is unhealthy: not defragmenting an unhealthy cluster"; exit 2; }
done

leader=""; followers=(); needed=0
for ep in "\${EPS[@]}"; do
  status=$(ctl --endpoints="$ep" endpoint status -w json)
  size=$(json_num dbSize <<< "$status"); inuse=$(json_num dbSizeInUse <<< "$status")
  frag=$(awk -v s="$size" -v u="$inuse" 'BEGIN { printf "%.3f", (s > 0) ? (s - u) / s : 0 }')
  used=$(awk -v s="$size" -v q="$QUOTA" 'BEGIN { printf "%.3f", s / q }')
  log "$ep: db $size bytes, in use $inuse, fragmentation $frag, quota use $used"
  if awk -v f="$frag" -v t="$FRAG_THRESHOLD" -v u="$used" -v qt="$QUOTA_THRESHOLD" 'BEGIN { exit !(f > t || u > qt) }'; then needed=1; fi
  if is_leader "$ep"; then leader="$ep"; else followers+=("$ep"); fi
done
[ -n "$leader" ] || { log "no leader found: not defragmenting"; exit 2; }
if [ "$needed" -eq 0 ] && [ "$FORCE" -eq 0 ]; then
  log "fragmentation and quota use below thresholds ($FRAG_THRESHOLD, $QUOTA_THRESHOLD): nothing to do"
  exit 0
fi

rev=$(ctl --endpoints="$leader" endpoint status -w json | json_num revision)
log "compacting to revision $rev"
ctl --endpoints="$leader" compact "$rev" --physical || log "compaction to $rev skipped (already compacted)"

defrag_member() {
  log "defragmenting $1"
  ctl --endpoints="$1" defrag --command-timeout=600s
  healthy "$1" || { log "$1 unhealthy after defragmentation: stopping"; exit 3; }
}

for ep in "\${followers[@]}"; do
  defrag_member "$ep"
  log "pausing $PAUSE s"; sleep "$PAUSE"
done

if [ "\${#followers[@]}" -gt 0 ]; then
  target="\${followers[0]}"
  target_id=$(member_id "$target")
  log "moving leadership from $leader to $target ($target_id) before defragmenting the former leader"
  ctl --endpoints="$leader" move-leader "$target_id"
  for _ in $(seq 1 30); do is_leader "$target" && break; sleep 1; done
  is_leader "$target" || { log "leadership did not move to $target: not defragmenting the leader"; exit 4; }
  sleep "$PAUSE"
fi
defrag_member "$leader"

if ctl --endpoints="$ENDPOINTS" alarm list | grep -q NOSPACE; then
  log "disarming the NOSPACE alarm"
  ctl --endpoints="$ENDPOINTS" alarm disarm
fi
for ep in "\${EPS[@]}"; do healthy "$ep" || { log "$ep unhealthy at the end"; exit 3; }; done
log "defragmentation done"
`;
}

/** Snapshot from a healthy member, verified, the last N kept, freshness written for node_exporter's textfile collector. */
export function backupScript(r: ResolvedEtcdCluster, c: ScriptContext): string {
  const statusTool = restoreTool(r.version) === 'etcdutl' ? '"$ETCDUTL"' : '"$ETCDCTL"';
  return `${scriptHeader(r, c, 'Snapshot backup: save from a healthy member, verify, keep the last N, report freshness.')}
DIR="\${BACKUP_DIR:-${r.backup.dir}}"
RETAIN="\${BACKUP_RETAIN:-${r.backup.retain}}"
TEXTFILE_DIR="\${TEXTFILE_DIR:-${r.backup.textfileDir}}"
mkdir -p "$DIR"
ts=$(date -u +%Y%m%dT%H%M%S%3NZ)
file="$DIR/${r.name}-$ts.db"
saved=0
for ep in "\${EPS[@]}"; do
  healthy "$ep" || { log "skipping unhealthy $ep"; continue; }
  if ctl --endpoints="$ep" --command-timeout=600s snapshot save "$file.part" >/dev/null; then saved=1; log "snapshot from $ep"; break; fi
done
[ "$saved" -eq 1 ] || { log "no member could take a snapshot"; exit 1; }
mv "$file.part" "$file"
status=$(${statusTool} snapshot status "$file" -w json)
keys=$(json_num totalKey <<< "$status")
[ -n "$keys" ] && [ "$keys" -gt 0 ] || { log "snapshot $file failed verification: $status"; exit 1; }
log "verified $file: $status"
ls -1t "$DIR"/${r.name}-*.db | tail -n +$((RETAIN + 1)) | xargs -r rm -f --
if [ -d "$TEXTFILE_DIR" ]; then
  tmp="$TEXTFILE_DIR/.etcd_backup_${r.name}.prom.$$"
  {
    echo "# HELP etcd_backup_last_success_timestamp_seconds Time of the last verified etcd snapshot."
    echo "# TYPE etcd_backup_last_success_timestamp_seconds gauge"
    echo "etcd_backup_last_success_timestamp_seconds{cluster=\\"${r.name}\\"} $(date +%s)"
    echo "# HELP etcd_backup_last_size_bytes Size of the last verified etcd snapshot."
    echo "# TYPE etcd_backup_last_size_bytes gauge"
    echo "etcd_backup_last_size_bytes{cluster=\\"${r.name}\\"} $(stat -c %s "$file")"
  } > "$tmp"
  mv "$tmp" "$TEXTFILE_DIR/etcd_backup_${r.name}.prom"
fi
echo "$file"
`;
}

/** The offline restore of one member from a snapshot into a fresh data dir (`etcdctl` on 3.4, `etcdutl` from 3.5). */
export function restoreCommand(r: ResolvedEtcdCluster, c: ScriptContext, m: ResolvedEtcdMember, snapshot: string, dataDir: string): string[] {
  const tool = restoreTool(r.version) === 'etcdutl' ? `${c.binaryDir}/etcdutl` : `${c.binaryDir}/etcdctl`;
  return [
    tool, 'snapshot', 'restore', snapshot,
    `--name=${m.name}`,
    `--initial-cluster=${r.members.map((x) => `${x.name}=${x.peerUrl}`).join(',')}`,
    `--initial-cluster-token=${r.name}`,
    `--initial-advertise-peer-urls=${m.peerUrl}`,
    `--data-dir=${dataDir}`,
  ];
}

/** The whole restore procedure, member by member, as a runbook script. */
export function restoreProcedure(r: ResolvedEtcdCluster, c: ScriptContext): string {
  const steps = r.members.map((m) => {
    const cmd = restoreCommand(r, c, m, '"$SNAPSHOT"', `${m.dataDir}.restored`).map((a) => (a.startsWith('"') ? a : q(a))).join(' ');
    return `# --- on ${m.name} (${m.address}) ---
#   systemctl stop etcd
${cmd}
#   mv ${m.dataDir} ${m.dataDir}.before-restore-$(date +%s) && mv ${m.dataDir}.restored ${m.dataDir}
#   systemctl start etcd`;
  });
  return `#!/usr/bin/env bash
# Restore etcd cluster '${r.name}' from one snapshot: every member restores the SAME snapshot into a fresh data dir
# with the full --initial-cluster, then all members start together. Stop every API server first.
# Usage: SNAPSHOT=/var/backups/etcd/${r.name}-<ts>.db, then run each member's block on that member.
set -euo pipefail
: "\${SNAPSHOT:?set SNAPSHOT to the snapshot file}"

${steps.join('\n\n')}
`;
}

/** The health check of the articles: health, status table, alarms, certificate expiry, size and fragmentation, leader, term. */
export function healthCheckScript(r: ResolvedEtcdCluster, c: ScriptContext): string {
  const certs = [...new Set([r.tls.caFile, r.tls.certFile, r.tls.peerCertFile, r.tls.clientCertFile])];
  return `${scriptHeader(r, c, 'Health check: health, status, alarms, certificate expiry, size, fragmentation, leader.')}
rc=0
echo "=== 1. Health ==="
ctl --endpoints="$ENDPOINTS" endpoint health || rc=1
echo "=== 2. Status ==="
ctl --endpoints="$ENDPOINTS" endpoint status -w table || rc=1
echo "=== 3. Alarms ==="
alarms=$(ctl --endpoints="$ENDPOINTS" alarm list || true)
if [ -n "$alarms" ]; then echo "$alarms"; rc=1; else echo "none"; fi
echo "=== 4. Certificates (expiring within 30 days fail) ==="
for cert in ${certs.map(q).join(' ')}; do
  if [ -r "$cert" ]; then
    end=$(openssl x509 -in "$cert" -noout -enddate | cut -d= -f2)
    if openssl x509 -in "$cert" -noout -checkend $((30 * 86400)) >/dev/null; then echo "ok      $cert (until $end)"; else echo "EXPIRES $cert ($end)"; rc=1; fi
  else
    echo "missing $cert"
  fi
done
echo "=== 5. Size, fragmentation, leader, raft term ==="
for ep in "\${EPS[@]}"; do
  status=$(ctl --endpoints="$ep" endpoint status -w json) || { echo "$ep unreachable"; rc=1; continue; }
  size=$(json_num dbSize <<< "$status"); inuse=$(json_num dbSizeInUse <<< "$status"); term=$(json_num raftTerm <<< "$status")
  leader=no; is_leader "$ep" && leader=yes
  awk -v ep="$ep" -v s="$size" -v u="$inuse" -v q=${r.quotaBackendBytes} -v l="$leader" -v t="$term" \\
    'BEGIN { printf "%s db=%d in_use=%d fragmentation=%.0f%% quota_used=%.0f%% leader=%s raft_term=%s\\n", ep, s, u, (s>0)?100*(s-u)/s:0, 100*s/q, l, t }'
done
exit $rc
`;
}
