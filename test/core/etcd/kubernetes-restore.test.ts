import { spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderEtcdKubernetes } from '../../../lib/core/etcd/kubernetes';
import { planEtcdKubernetesRestore } from '../../../lib/core/etcd/kubernetes-restore';
import { validateObjects } from '../../../lib/core/validate';
import { find } from '../../helpers/find';

/* eslint-disable @typescript-eslint/no-explicit-any */
const base = { name: 'etcd-main', kubernetes: { storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' } };
const SNAP = 'etcd-main-20260101T000000000Z.db';

function bash(script: string, args: string[], env: Record<string, string>, stdinDir?: string): { status: number | null; out: string } {
  const dir = stdinDir ?? mkdtempSync(join(tmpdir(), 'gpuplane-restore-'));
  const file = join(dir, 'script.sh');
  writeFileSync(file, script);
  const r = spawnSync('bash', [file, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env }, timeout: 30000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('ExternalEtcdCluster Kubernetes-mode restore', () => {
  const k = renderEtcdKubernetes(base);

  test('steps in order: API servers stopped first, CronJobs suspended, members down, every member restored, up, verified, backed up', () => {
    expect(k.restore.steps.map((s) => s.action + (s.member ? `:${s.member}` : ''))).toEqual([
      'stop-api-servers', 'suspend-cronjobs', 'scale-down', 'inputs',
      'restore-member:etcd-main-0', 'restore-member:etcd-main-1', 'restore-member:etcd-main-2',
      'scale-up', 'verify', 'resume-cronjobs', 'backup', 'start-api-servers',
    ]);
    expect(k.restore.bumpRevision).toBe(1_000_000_000);
  });

  test('one Job per member on its node with its own claim and the backup claim, then the verification Job; none among the synthesized objects', () => {
    expect(k.restore.jobs.map((j) => j.metadata.name)).toEqual(['etcd-main-restore-0', 'etcd-main-restore-1', 'etcd-main-restore-2', 'etcd-main-restore-verify']);
    expect(k.objects.filter((o) => o.kind === 'Job')).toEqual([]);
    expect(validateObjects(k.restore.jobs)).toEqual([]);
    const sts = find(k.objects, 'StatefulSet');
    const pod = (j: any) => j.spec.template.spec;
    const job1 = k.restore.jobs[1] as any;
    expect(pod(job1).volumes).toEqual([
      { name: 'ops', configMap: { name: 'etcd-main-ops' } },
      { name: 'backups', persistentVolumeClaim: { claimName: 'etcd-main-backups', readOnly: true } },
      // The StatefulSet's claim of member 1: <claim template>-<StatefulSet>-<ordinal>.
      { name: 'data', persistentVolumeClaim: { claimName: `${sts.spec.volumeClaimTemplates[0].metadata.name}-etcd-main-1` } },
    ]);
    expect(pod(job1).containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: sts.spec.template.spec.containers[0].volumeMounts[0].mountPath });
    expect(pod(job1).containers[0].env).toEqual([
      { name: 'SNAPSHOT', valueFrom: { configMapKeyRef: { name: 'etcd-main-restore', key: 'snapshot' } } },
      { name: 'BUMP_REVISION', valueFrom: { configMapKeyRef: { name: 'etcd-main-restore', key: 'bumpRevision' } } },
      { name: 'MEMBER_NAME', value: 'etcd-main-1' },
      { name: 'RESTORE_TOKEN', valueFrom: { configMapKeyRef: { name: 'etcd-main-restore', key: 'token' } } },
      { name: 'DATA_DIR', value: '/var/lib/etcd/data' },
    ]);
    expect(sts.spec.template.spec.containers[0].args).toContain('--data-dir=/var/lib/etcd/data');
    expect(pod(job1).tolerations).toEqual(sts.spec.template.spec.tolerations);
    expect(pod(job1).nodeSelector).toEqual(sts.spec.template.spec.nodeSelector);
    expect(pod(job1).containers[0].command).toEqual(['/bin/bash', '/ops/etcd-restore-member.sh']);
    // The restore pods never match the members' selector (Services, PDB, StatefulSet).
    for (const j of k.restore.jobs as any[]) {
      const labels = j.spec.template.metadata.labels;
      expect(Object.entries(sts.spec.selector.matchLabels).every(([key, v]) => labels[key] === v)).toBe(false);
    }
    const verify = pod(k.restore.jobs[3]);
    expect(verify.nodeSelector).toBeUndefined();
    expect(verify.volumes.map((v: any) => v.name)).toEqual(['ops', 'backups', 'server-tls', 'client-tls']);
    const ops = find(k.objects, 'ConfigMap', 'etcd-main-ops');
    expect(ops.data['etcd-restore-member.sh']).toBe(k.restore.memberScript);
    expect(ops.data['etcd-restore-verify.sh']).toBe(k.restore.verifyScript);
  });

  test('the member script restores with etcdutl, the member name, the full initial cluster, its peer URL, a new token and the revision bump', () => {
    const s = k.restore.memberScript;
    expect(s).toContain(`TOOL="\${RESTORE_TOOL:-etcdutl}"`);
    expect(s).toContain(`--initial-cluster='${k.resolved.members.map((m) => `${m.name}=${m.peerUrl}`).join(',')}'`);
    expect(s).toContain("'etcd-main-2') PEER_URL='https://etcd-main-2.etcd-main-peer.etcd.svc:2380' ;;");
    expect(s).toContain('--initial-cluster-token="$TOKEN" --initial-advertise-peer-urls="$PEER_URL"');
    expect(s).toContain('bump=(--bump-revision="$BUMP_REVISION" --mark-compacted)');
  });

  test.each([
    ['3.4.23', 'etcdctl', 0], ['3.5.9', 'etcdutl', 0], ['3.5.10', 'etcdutl', 1_000_000_000], ['3.6.16', 'etcdutl', 1_000_000_000],
  ] as const)('etcd %s restores with %s and bumps revisions by %d (etcdutl 3.5.10+, CHANGELOG-3.5)', (version, tool, bump) => {
    const r = renderEtcdKubernetes({ ...base, version });
    expect(r.restore.bumpRevision).toBe(bump);
    expect(r.restore.memberScript).toContain(`TOOL="\${RESTORE_TOOL:-${tool}}"`);
  });

  test('no Job pod (backup, defragmentation, restore) matches the members\' selector: a PDB with maxUnavailable selecting Job pods cannot sync (kubernetes pkg/controller/disruption/disruption.go, getExpectedScale: "found no controllers for pod"), which blocks every eviction of a member', () => {
    const sts = find(k.objects, 'StatefulSet');
    const pdb = find(k.objects, 'PodDisruptionBudget');
    expect(pdb.spec.maxUnavailable).toBe(1);
    const matches = (labels: Record<string, string>, selector: Record<string, string>) => Object.entries(selector).every(([key, v]) => labels[key] === v);
    const templates = [
      ...k.objects.filter((o) => o.kind === 'CronJob').map((c: any) => c.spec.jobTemplate.spec.template.metadata.labels),
      ...k.restore.jobs.map((j: any) => j.spec.template.metadata.labels),
    ];
    expect(templates).toHaveLength(6);
    for (const labels of templates) {
      expect(matches(labels, pdb.spec.selector.matchLabels)).toBe(false);
      expect(matches(labels, sts.spec.selector.matchLabels)).toBe(false);
      for (const svc of k.objects.filter((o) => o.kind === 'Service') as any[]) expect(matches(labels, svc.spec.selector)).toBe(false);
    }
    expect(matches(sts.spec.template.metadata.labels, pdb.spec.selector.matchLabels)).toBe(true);
  });

  test('a plan for one snapshot: the inputs ConfigMap with a new token derived from the snapshot, then the Jobs', () => {
    const plan = planEtcdKubernetesRestore(k, { snapshot: `/var/backups/etcd/${SNAP}` });
    expect(plan.objects[0]).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'etcd-main-restore', namespace: 'etcd' }, data: { snapshot: SNAP, token: 'etcd-main-restored-20260101t000000000z', bumpRevision: '1000000000' } });
    expect(plan.objects.slice(1)).toEqual(k.restore.jobs);
    expect(planEtcdKubernetesRestore(k, { snapshot: SNAP, token: 'etcd-main-2', members: ['etcd-main-2', 'etcd-main-0', 'etcd-main-1'], bumpRevision: 0 }).objects[0]).toMatchObject({ data: { token: 'etcd-main-2', bumpRevision: '0' } });
  });

  test.each([
    [{ snapshot: '/tmp/etcd-main.db' }, "'snapshot' must be in the backup volume (/var/backups/etcd), the only one the restore Jobs mount (got \"/tmp/etcd-main.db\"; allowed: /var/backups/etcd/<file>.db or <file>.db). Fix: name a snapshot the backup CronJob wrote (etcd-main-<timestamp>.db), or copy yours into the backup volume first"],
    [{ snapshot: '../etcd-main.db' }, "'snapshot' must be the file name of a snapshot in the backup volume"],
    [{ snapshot: 'etcd-main-1.tar.gz' }, "'snapshot' must be the file name of a snapshot in the backup volume"],
    [{ snapshot: SNAP, token: 'etcd-main' }, "'token' must be a new cluster token: it is the running cluster's"],
    [{ snapshot: SNAP, members: ['etcd-main-0', 'etcd-main-3', 'etcd-main-1', 'etcd-main-2'] }, "'members' names 'etcd-main-3', which is not a member of etcd-main (got \"etcd-main-3\"; allowed: etcd-main-0, etcd-main-1, etcd-main-2). Fix: use the member names of this cluster"],
    [{ snapshot: SNAP, members: ['etcd-main-0', 'etcd-main-0', 'etcd-main-1', 'etcd-main-2'] }, "'members' must name each member once (got \"etcd-main-0\"). Fix: drop the repeated name"],
    [{ snapshot: SNAP, members: ['etcd-main-0'] }, "'members' must include every member: etcd-main-1, etcd-main-2 would keep the old cluster's data and identity while the others form a new cluster from the snapshot"],
    [{ snapshot: SNAP, bumpRevision: -1 }, "'bumpRevision'"],
  ])('fails if the restore inputs are wrong: %j', (input, message) => {
    expect(() => planEtcdKubernetesRestore(k, input as any)).toThrow(message);
  });

  test('fails if a revision bump is asked of a version without it', () => {
    const old = renderEtcdKubernetes({ ...base, version: '3.5.9' });
    expect(() => planEtcdKubernetesRestore(old, { snapshot: SNAP, bumpRevision: 5 })).toThrow("'bumpRevision' needs --bump-revision, which etcd 3.5.9 does not have (etcdutl 3.5.10+ and 3.6 do) (got 5; allowed: 0). Fix: use 0, or upgrade etcd to 3.5.10+ first");
  });

  describe('the member script refuses wrong inputs before touching the data dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuplane-restore-member-'));
    mkdirSync(join(dir, 'backups'));
    writeFileSync(join(dir, 'backups', SNAP), 'not used: the refusals come first');
    const env = { BACKUP_DIR: join(dir, 'backups'), DATA_DIR: join(dir, 'data'), RESTORE_TOOL: '/nonexistent/etcdutl', MEMBER_NAME: 'etcd-main-0', SNAPSHOT: SNAP, RESTORE_TOKEN: 'etcd-main-restored-1', BUMP_REVISION: '0' };
    test.each([
      [{ MEMBER_NAME: 'etcd-main-3' }, "MEMBER_NAME 'etcd-main-3' is not a member of etcd-main (etcd-main-0, etcd-main-1, etcd-main-2)"],
      [{ SNAPSHOT: '../etc/passwd' }, "SNAPSHOT '../etc/passwd' must be the file name of a snapshot in"],
      [{ SNAPSHOT: 'etcd-main-missing.db' }, 'no snapshot'],
      [{ RESTORE_TOKEN: 'etcd-main' }, "RESTORE_TOKEN 'etcd-main' must be a new cluster token, not 'etcd-main'"],
      [{ BUMP_REVISION: 'lots' }, "BUMP_REVISION 'lots' must be a whole number"],
    ])('%j', (override, message) => {
      const r = bash(k.restore.memberScript, [], { ...env, ...override });
      expect(r.status).toBe(2);
      expect(r.out).toContain(`refusing to restore: ${message}`);
    });
  });

  test('the procedure script runs kubectl in the documented order and applies exactly the rendered Jobs (kubectl stubbed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuplane-restore-procedure-'));
    const log = join(dir, 'kubectl.log');
    // A kubectl that records each call (and the manifest it was given) and reports success; no member pods are left.
    const stub = join(dir, 'kubectl');
    writeFileSync(stub, `#!/usr/bin/env bash\necho "CALL $*" >> ${log}\nif [ "\${*: -2}" = "-f -" ]; then echo "STDIN $(cat)" >> ${log}; fi\nexit 0\n`);
    chmodSync(stub, 0o755);
    const refused = bash(k.restore.script, [SNAP], { KUBECTL: stub });
    expect(refused.status).toBe(2);
    expect(refused.out).toContain("step 1: stop every kube-apiserver using 'etcd-main' first");
    expect(bash(k.restore.script, ['../x.db'], { KUBECTL: stub, API_SERVERS_STOPPED: 'yes' }).status).toBe(2);
    expect(bash(k.restore.script, [SNAP, 'etcd-main'], { KUBECTL: stub, API_SERVERS_STOPPED: 'yes' }).out).toContain("the token must be new (not 'etcd-main')");

    const run = bash(k.restore.script, [SNAP], { KUBECTL: stub, API_SERVERS_STOPPED: 'yes' });
    expect({ status: run.status, out: run.status === 0 ? '' : run.out }).toEqual({ status: 0, out: '' });
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const calls = lines.filter((l) => l.startsWith('CALL ')).map((l) => l.slice(5).replace(/^-n etcd /, ''));
    const order = (re: RegExp) => calls.findIndex((c) => re.test(c));
    const sequence = [
      /^patch cronjob etcd-main-backup etcd-main-defrag .*"suspend":true/, /^scale statefulset etcd-main --replicas=0$/,
      /^create configmap etcd-main-restore --from-literal=snapshot=etcd-main-20260101T000000000Z\.db --from-literal=token=etcd-main-restored-20260101t000000000z --from-literal=bumpRevision=1000000000/,
      /^wait --for=condition=complete job\/etcd-main-restore-0/, /^wait --for=condition=complete job\/etcd-main-restore-1/, /^wait --for=condition=complete job\/etcd-main-restore-2/,
      /^scale statefulset etcd-main --replicas=3$/, /^rollout status statefulset etcd-main/, /^wait --for=condition=complete job\/etcd-main-restore-verify/,
      /^patch cronjob etcd-main-backup etcd-main-defrag .*"suspend":false/, /^create job --from=cronjob\/etcd-main-backup etcd-main-backup-after-restore-/,
    ].map(order);
    expect(sequence.every((i) => i >= 0)).toBe(true);
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
    const applied = lines.filter((l) => l.startsWith('STDIN {"apiVersion":"batch/v1"')).map((l) => JSON.parse(l.slice(6)));
    expect(applied).toEqual(k.restore.jobs);
  });
});
