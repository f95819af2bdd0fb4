import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { get } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderEtcdHosts, EtcdHostsRender } from '../../lib/core/etcd/hosts';
import { renderEtcdKubernetes } from '../../lib/core/etcd/kubernetes';
import { planEtcdKubernetesRestore } from '../../lib/core/etcd/kubernetes-restore';
import { etcdDashboardPanels } from '../../lib/core/dashboards/etcd';
import { etcdAlertRules } from '../../lib/core/etcd/monitoring';
import { restoreCommand } from '../../lib/core/etcd/scripts';
import { etcdHasFlag, parseEtcdVersion } from '../../lib/core/etcd/versions';
import { describeWithBinary } from '../helpers/binaries';
import { EtcdBinaries, etcdBinaryVersion, etcdLines, linkEtcdBinaries } from '../helpers/components';
import { etcdctl as etcdctlOnPath, generateCertificates, RunningMember, waitFor } from '../helpers/etcd-cluster';
import { find } from '../helpers/find';
import { freePort } from '../helpers/kube-apiserver';
import { promtoolCheckRules, promtoolTestRules } from '../helpers/promtool';

/**
 * The same suite on every etcd line available: Debian's 3.4 (etcd-server, etcd-client) and the 3.5 and 3.6 that
 * .ci/build-components.sh builds into the component cache. Under CI=true a missing line fails; elsewhere it is skipped
 * with a loud message naming how to get it.
 */
const LINES = etcdLines();

/**
 * Problems the real binaries showed in gpuplane's rendered scripts, per etcd line. A test named here is expected to
 * fail on that line (test.failing). Fixed so far: is_leader read column 5 of `endpoint status -w simple`, which 3.6
 * moved to column 9 (now read from `-w json`); versions.ts listed experimental-backend-bbolt-freelist-type for 3.5,
 * which 3.5.35 does not define (it has --backend-bbolt-freelist-type).
 */
const KNOWN_FAILURES: Record<string, Record<string, string>> = {};

/** Flags gpuplane says a line has that its binary does not define (etcd exits with "flag provided but not defined"). */
const KNOWN_CLAIMED_BUT_UNDEFINED: Record<string, string[]> = {};

/** Leader of the cluster, by endpoint, from `endpoint status -w json` read as text (member ids are uint64). */
function leaderOf(ctl: (endpoints: string, args: string[]) => { ok: boolean; out: string }, endpoints: string): string | undefined {
  for (const ep of endpoints.split(',')) {
    const out = ctl(ep, ['endpoint', 'status', '-w', 'json']).out;
    const member = /"member_id":(\d+)/.exec(out)?.[1];
    const leader = /"leader":(\d+)/.exec(out)?.[1];
    if (member && member === leader) return ep;
  }
  return undefined;
}

function scrape(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`${url}/metrics`, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function runScript(dir: string, name: string, body: string, args: string[] = [], env: Record<string, string> = {}): { status: number | null; out: string; stdout: string } {
  const file = join(dir, name);
  writeFileSync(file, body);
  chmodSync(file, 0o755);
  const r = spawnSync('bash', [file, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

if (LINES.missing.length > 0) {
  const message = LINES.missing.map((m) => `etcd ${m.minor}: ${m.how}`).join('; ');
  if (process.env.CI === 'true') {
    describe('etcd lines the integration tests need', () => {
      test.each(LINES.missing.map((m) => [m.minor, m.how]))('etcd %s is available', (_minor, how) => {
        throw new Error(`${how} (CI=true: integration tests must not skip)`);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`\n*** SKIPPING the real-etcd suites for ${LINES.missing.map((m) => m.minor).join(', ')}: ${message} ***\n`);
  }
}

LINES.available.forEach((line, lineIndex) => describeLine(line, lineIndex));

function describeLine(line: EtcdBinaries, lineIndex: number): void {
describe(`ExternalEtcdCluster against real etcd ${line.minor} (hosts mode, TLS, loopback)`, () => {
  const VERSION = etcdBinaryVersion(line.etcd);
  const known = KNOWN_FAILURES[line.minor] ?? {};
  /** `test`, or `test.failing` where this line has a known problem. */
  const it = (name: string, fn: () => unknown, timeout?: number) => (known[name] ? test.failing(`${name} [known failure on ${line.minor}: ${known[name]}]`, fn as any, timeout) : test(name, fn as any, timeout)); // eslint-disable-line @typescript-eslint/no-explicit-any
  const etcdctl = (c: Parameters<typeof etcdctlOnPath>[0], endpoints: string, args: string[], timeout = '5s') => etcdctlOnPath(c, endpoints, args, timeout, line.etcdctl);
  const dir = mkdtempSync(join(tmpdir(), `gpuplane-etcd-${line.minor}-`));
  // The renderer and the scripts call ${binaryDir}/etcd, etcdctl and etcdutl: link this line's binaries there.
  const binaryDir = line.minor === '3.4' ? '/usr/bin' : linkEtcdBinaries(line, join(dir, 'bin'));
  const base = 21000 + Math.floor(Math.random() * 130) * 30 + lineIndex * 10;
  // The tests run etcdctl through the scripts' ETCDCTL/ETCDUTL defaults (${binaryDir}/...), so nothing else on PATH is used.
  const scriptEnv = { ETCDCTL: `${binaryDir}/etcdctl`, ETCDUTL: `${binaryDir}/etcdutl` };
  let certs: ReturnType<typeof generateCertificates>;
  let render: EtcdHostsRender;
  let members: RunningMember[] = [];
  let endpoints = '';
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    certs = generateCertificates(dir);
    render = renderEtcdHosts({
      name: 'etcd-it',
      version: VERSION,
      binaryDir,
      hosts: [0, 1, 2].map((i) => ({ name: `m${i}`, address: '127.0.0.1', clientPort: base + i * 3, peerPort: base + i * 3 + 1, metricsPort: base + i * 3 + 2, dataDir: join(dir, `m${i}.etcd`) })),
      tls: { caFile: certs.ca, certFile: certs.server, keyFile: certs.serverKey, peerCaFile: certs.ca, peerCertFile: certs.peer, peerKeyFile: certs.peerKey, clientCertFile: certs.client, clientKeyFile: certs.clientKey },
      backup: { dir: join(dir, 'backups'), retain: 2, textfileDir: join(dir, 'textfile') },
      defrag: { pauseSeconds: 1, fragmentationThreshold: 0.1 },
    });
    mkdirSync(join(dir, 'textfile'));
    members = render.members.map((m) => new RunningMember(m.member.name, m.command, join(dir, `${m.member.name}.log`)));
    endpoints = render.members.map((m) => m.member.clientUrl).join(',');
    const t0 = Date.now();
    members.forEach((m) => m.start());
    await waitFor('a healthy cluster', () => etcdctl(certs, endpoints, ['endpoint', 'health']).ok);
    timings.startMs = Date.now() - t0;
  }, 60000);

  afterAll(async () => {
    await Promise.all(members.map((m) => m.stop()));
    // eslint-disable-next-line no-console
    console.log(`etcd ${VERSION} integration timings: ${JSON.stringify(timings)}`);
    // Three members' data (WAL files are preallocated at 64 MiB each), snapshots and restores: about 730 MiB per
    // line, left behind by every run until /tmp filled up. GPUPLANE_KEEP_TMP=1 keeps it for a post-mortem.
    if (!process.env.GPUPLANE_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  });

  it(`every flag gpuplane renders and claims for ${line.minor} exists in the real etcd binary`, () => {
    // `--help` is not the whole truth (3.4.23 accepts --unsafe-no-fsync without listing it), so each flag is also
    // given to the binary: etcd parses every flag before --version and names the ones it does not define.
    const defined = (bin: string, flag: string) => !`${spawnSync(bin, [`--${flag}=1`, '--version'], { encoding: 'utf8' }).stderr}`.includes('flag provided but not defined');
    const helpFlags = (bin: string) => [...execFileSync(bin, ['--help'], { encoding: 'utf8' }).matchAll(/^\s+--([a-z0-9-]+)/gm)].map((m) => m[1]);
    const v = parseEtcdVersion(VERSION)!;
    const rendered = render.members[0].command.slice(1).map((a) => a.replace(/^--/, '').split('=')[0]);
    const undefinedRendered = rendered.filter((flag) => !defined(line.etcd, flag));
    // Every flag any available line knows (from their --help) that gpuplane says this version has, this binary has.
    const candidates = [...new Set([...rendered, ...LINES.available.flatMap((l) => helpFlags(l.etcd))])].sort();
    const claimedButUndefined = candidates.filter((flag) => etcdHasFlag(v, flag) && !defined(line.etcd, flag));
    expect({ undefinedRendered, claimedButUndefined }).toEqual({ undefinedRendered: [], claimedButUndefined: KNOWN_CLAIMED_BUT_UNDEFINED[line.minor] ?? [] });
    expect(candidates.length).toBeGreaterThan(40);
    expect(etcdHasFlag(v, 'tls-min-version')).toBe(defined(line.etcd, 'tls-min-version'));
  });

  it('the cluster forms from the rendered command lines and the rendered health check passes', () => {
    const list = etcdctl(certs, endpoints, ['member', 'list']);
    expect(list.out.split('\n').filter((l) => l.includes('started'))).toHaveLength(3);
    const health = runScript(dir, 'health.sh', render.scripts.healthCheck, [], scriptEnv);
    expect(health.out).toContain('=== 5. Size, fragmentation, leader, raft term ===');
    expect(health.out.match(/leader=yes/g)).toHaveLength(1);
    expect(health).toMatchObject({ status: 0 });
  });

  it('writes succeed with one member down, fail with two down, and recover', async () => {
    expect(etcdctl(certs, endpoints, ['put', '/gpuplane/before', 'v1']).ok).toBe(true);
    await members[2].stop();
    expect(etcdctl(certs, endpoints, ['put', '/gpuplane/one-down', 'v2']).ok).toBe(true);
    await members[1].stop();
    const twoDown = etcdctl(certs, endpoints, ['put', '/gpuplane/two-down', 'v3'], '3s');
    expect(twoDown.ok).toBe(false);
    members[1].start();
    members[2].start();
    await waitFor('recovery', () => etcdctl(certs, endpoints, ['endpoint', 'health']).ok);
    expect(etcdctl(certs, endpoints, ['put', '/gpuplane/recovered', 'v4']).ok).toBe(true);
    expect(etcdctl(certs, endpoints, ['get', '/gpuplane/one-down', '--print-value-only']).out.trim()).toBe('v2');
  }, 90000);

  it('the rendered defragmentation script defragments every member, leader last after moving leadership, and leaves the cluster healthy', () => {
    // Fragment the database the way a Kubernetes control plane does: write, delete, then compact (the API server
    // compacts every 5 minutes), which leaves the freed pages in the file until a defragmentation.
    const value = 'x'.repeat(64 * 1024);
    const first = endpoints.split(',')[0];
    for (let i = 0; i < 160; i++) expect(etcdctl(certs, first, ['put', `/gpuplane/bulk/${i}`, value]).ok).toBe(true);
    expect(etcdctl(certs, first, ['del', '/gpuplane/bulk/', '--prefix']).ok).toBe(true);
    const rev = /"revision":(\d+)/.exec(etcdctl(certs, first, ['endpoint', 'status', '-w', 'json']).out)![1];
    expect(etcdctl(certs, first, ['compact', rev, '--physical']).ok).toBe(true);
    const ctl = (ep: string, args: string[]) => etcdctl(certs, ep, args);
    const leaderBefore = leaderOf(ctl, endpoints)!;
    expect(leaderBefore).toBeDefined();

    const t0 = Date.now();
    const run = runScript(dir, 'defrag.sh', render.scripts.defrag, [], scriptEnv);
    timings.defragPassMs = Date.now() - t0;
    expect(run).toMatchObject({ status: 0 });
    const lines = run.out.split('\n');
    const defragged = lines.filter((l) => /^\S+Z defragmenting /.test(l)).map((l) => l.split('defragmenting ')[1]);
    expect([...defragged].sort()).toEqual(endpoints.split(',').sort());
    expect(defragged[defragged.length - 1]).toBe(leaderBefore); // the former leader last
    const move = lines.findIndex((l) => l.includes('moving leadership from'));
    const leaderDefrag = lines.findIndex((l) => l.endsWith(`defragmenting ${leaderBefore}`));
    expect(move).toBeGreaterThan(-1);
    expect(move).toBeLessThan(leaderDefrag);
    const leaderAfter = leaderOf(ctl, endpoints);
    expect(leaderAfter).toBeDefined();
    expect(leaderAfter).not.toBe(leaderBefore);
    expect(etcdctl(certs, endpoints, ['endpoint', 'health']).ok).toBe(true);
    expect(run.out).toContain('defragmentation done');
  }, 180000);

  it('the defragmentation script does nothing below its thresholds', () => {
    const run = runScript(dir, 'defrag.sh', render.scripts.defrag, [], { ...scriptEnv, DEFRAG_FRAGMENTATION_THRESHOLD: '0.95' });
    expect(run).toMatchObject({ status: 0 });
    expect(run.out).toContain('nothing to do');
  });

  it('the rendered backup saves a verified snapshot that restores into a new member holding the data', async () => {
    expect(etcdctl(certs, endpoints, ['put', '/gpuplane/backed-up', 'precious']).ok).toBe(true);
    const run = runScript(dir, 'backup.sh', render.scripts.backup, [], scriptEnv);
    expect({ status: run.status, out: run.status === 0 ? '' : run.out }).toEqual({ status: 0, out: '' });
    const snapshot = run.stdout.trim().split('\n').pop()!;
    expect(existsSync(snapshot)).toBe(true);
    expect(readFileSync(join(dir, 'textfile', 'etcd_backup_etcd-it.prom'), 'utf8')).toMatch(/^etcd_backup_last_success_timestamp_seconds\{cluster="etcd-it"\} \d+$/m);
    runScript(dir, 'backup.sh', render.scripts.backup, [], scriptEnv);
    const latest = runScript(dir, 'backup.sh', render.scripts.backup, [], scriptEnv).stdout.trim().split('\n').pop()!;
    expect(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.db'))).toHaveLength(2); // retain: 2
    expect(existsSync(snapshot)).toBe(false); // the oldest went

    const restored = renderEtcdHosts({
      name: 'etcd-restored', version: VERSION, binaryDir, developmentSingleMember: true,
      hosts: [{ name: 'r0', address: '127.0.0.1', clientPort: base + 20, peerPort: base + 21, metricsPort: base + 22, dataDir: join(dir, 'r0.etcd') }],
      tls: render.resolved.tls,
    });
    const member = restored.resolved.members[0];
    const cmd = restoreCommand(restored.resolved, restored.scriptContext, member, latest, member.dataDir);
    // Offline restore is etcdctl's on 3.4 and etcdutl's from 3.5 (etcdctl 3.6 no longer has it).
    expect(cmd[0]).toBe(`${binaryDir}/${line.minor === '3.4' ? 'etcdctl' : 'etcdutl'}`);
    execFileSync(cmd[0], cmd.slice(1), { env: { ...process.env, ETCDCTL_API: '3' }, stdio: 'pipe' });
    const r0 = new RunningMember('r0', restored.members[0].command, join(dir, 'r0.log'));
    r0.start();
    try {
      await waitFor('the restored member', () => etcdctl(certs, member.clientUrl, ['endpoint', 'health']).ok);
      expect(etcdctl(certs, member.clientUrl, ['get', '/gpuplane/backed-up', '--print-value-only']).out.trim()).toBe('precious');
      expect(etcdctl(certs, member.clientUrl, ['get', '/gpuplane/one-down', '--print-value-only']).out.trim()).toBe('v2');
    } finally {
      await r0.stop();
    }
  }, 90000);

  /** The scripts of the Kubernetes mode's ops ConfigMap (what its CronJobs run), with the mounted certificate paths pointed at this cluster's. */
  const kubernetesOps = () => {
    const k = renderEtcdKubernetes({ name: 'etcd-k8s', version: VERSION, kubernetes: { namespace: 'etcd', storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:1' } });
    const ops = k.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'etcd-k8s-ops') as unknown as { data: Record<string, string> };
    const paths: [string, string][] = [[k.resolved.tls.caFile, certs.ca], [k.resolved.tls.clientCertFile, certs.client], [k.resolved.tls.clientKeyFile, certs.clientKey]];
    for (const [mounted] of paths) expect(mounted).toMatch(/^\/etc\/etcd\/pki\//);
    const local = (script: string) => paths.reduce((s, [mounted, here]) => s.split(mounted).join(here), script);
    // The CronJobs set ETCDCTL/ETCDUTL (on the tools image's PATH) and TEXTFILE_DIR; the endpoints become this cluster's.
    const env = { ...scriptEnv, ENDPOINTS: endpoints, TEXTFILE_DIR: '/nonexistent', BACKUP_DIR: join(dir, 'k8s-backups') };
    return { data: Object.fromEntries(Object.entries(ops.data).map(([f, s]) => [f, local(s)])), env };
  };

  it("the Kubernetes-mode ops ConfigMap's backup script, pointed at this cluster, saves a snapshot it verifies", () => {
    const { data, env } = kubernetesOps();
    const run = runScript(dir, 'k8s-backup.sh', data['etcd-backup.sh'], [], env);
    expect({ status: run.status, out: run.status === 0 ? '' : run.out }).toEqual({ status: 0, out: '' });
    expect(run.out).toMatch(/verified .*etcd-k8s-.*\.db/);
    expect(readdirSync(join(dir, 'k8s-backups')).filter((f) => f.endsWith('.db'))).toHaveLength(1);
  });

  it("the Kubernetes-mode ops ConfigMap's defragmentation and health check scripts, pointed at this cluster, defragment and report one leader", () => {
    const { data, env } = kubernetesOps();
    const defrag = runScript(dir, 'k8s-defrag.sh', data['etcd-defrag.sh'], ['--force'], { ...env, DEFRAG_PAUSE_SECONDS: '1' });
    expect({ status: defrag.status, out: defrag.status === 0 ? '' : defrag.out }).toEqual({ status: 0, out: '' });
    expect(defrag.out).toContain('moving leadership from');
    expect(defrag.out).toContain('defragmentation done');
    const health = runScript(dir, 'k8s-health.sh', data['etcd-health-check.sh'], [], env);
    expect(health.out.match(/leader=yes/g)).toHaveLength(1);
  }, 120000);

  it('the Kubernetes-mode restore: the rendered member Jobs\' script restores every member of a cluster started from the StatefulSet\'s flags, the members restart with those same flags, and the rendered verification passes', async () => {
    // What runs inside the pods, run here: the StatefulSet's etcd flags per member, the backup CronJob's script, each
    // restore Job's script with the Job's environment and the plan's ConfigMap, and the verification Job's script.
    // The pod DNS names become loopback ports, the member volume a temp dir, the mounted certificates these ones.
    // What cannot run here (kubectl scale, PVC mounts, scheduling) is checked against a real kube-apiserver elsewhere.
    const k = renderEtcdKubernetes({ name: 'etcd-k8s', version: VERSION, kubernetes: { namespace: 'etcd', storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:1' } });
    const root = join(dir, 'k8s-restore');
    mkdirSync(join(root, 'backups'), { recursive: true });
    const ports = await Promise.all(Array.from({ length: 9 }, () => freePort()));
    const names = k.resolved.members.map((m) => m.name);
    const mapping: [string, string][] = [
      ...k.resolved.members.flatMap((m, i): [string, string][] => [[m.peerUrl, `https://127.0.0.1:${ports[i * 3 + 1]}`], [m.clientUrl, `https://127.0.0.1:${ports[i * 3]}`]]),
      [k.resolved.tls.caFile, certs.ca], [k.resolved.tls.certFile, certs.server], [k.resolved.tls.keyFile, certs.serverKey],
      [k.resolved.tls.peerCaFile, certs.ca], [k.resolved.tls.peerCertFile, certs.peer], [k.resolved.tls.peerKeyFile, certs.peerKey],
      [k.resolved.tls.clientCertFile, certs.client], [k.resolved.tls.clientKeyFile, certs.clientKey],
    ];
    const local = (s: string) => mapping.reduce((x, [from, to]) => x.split(from).join(to), s);
    const dataDir = (i: number) => join(root, `${names[i]}-volume`, 'data');
    const sts = find(k.objects, 'StatefulSet');
    const ops = k.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'etcd-k8s-ops') as unknown as { data: Record<string, string> };
    const memberArgs = (i: number): string[] => (sts.spec.template.spec.containers[0].args as string[]).map((a) => {
      const [flag, ...rest] = a.split('=');
      const value = rest.join('=').split('$(POD_NAME)').join(names[i]);
      const own: Record<string, string> = { '--listen-client-urls': `https://127.0.0.1:${ports[i * 3]}`, '--listen-peer-urls': `https://127.0.0.1:${ports[i * 3 + 1]}`, '--listen-metrics-urls': `http://127.0.0.1:${ports[i * 3 + 2]}`, '--data-dir': dataDir(i) };
      return `${flag}=${own[flag] ?? local(value)}`;
    });
    for (let i = 0; i < 3; i++) mkdirSync(join(root, `${names[i]}-volume`), { recursive: true });
    const start = () => names.map((n, i) => { const m = new RunningMember(n, [line.etcd, ...memberArgs(i)], join(root, `${n}.log`)); m.start(); return m; });
    const eps = names.map((_, i) => `https://127.0.0.1:${ports[i * 3]}`).join(',');
    const tools = { ETCDCTL: `${binaryDir}/etcdctl`, ETCDUTL: `${binaryDir}/etcdutl`, RESTORE_TOOL: `${binaryDir}/${line.minor === '3.4' ? 'etcdctl' : 'etcdutl'}`, BACKUP_DIR: join(root, 'backups'), TEXTFILE_DIR: '/nonexistent' };
    let running = start();
    try {
      await waitFor('the Kubernetes-mode cluster', () => etcdctl(certs, eps, ['endpoint', 'health']).ok);
      for (let i = 0; i < 20; i++) expect(etcdctl(certs, eps, ['put', `/registry/pods/default/p${i}`, `v${i}`]).ok).toBe(true);
      const oldCluster = /"cluster_id":(\d+)/.exec(etcdctl(certs, eps, ['member', 'list', '-w', 'json']).out)![1];
      // The backup CronJob's script writes the snapshot where the restore Jobs look for it.
      const backup = runScript(root, 'backup.sh', local(ops.data['etcd-backup.sh']), [], tools);
      expect({ status: backup.status, out: backup.status === 0 ? '' : backup.out }).toEqual({ status: 0, out: '' });
      const snapshotFile = backup.stdout.trim().split('\n').pop()!.split('/').pop()!;
      expect(snapshotFile).toMatch(/^etcd-k8s-\d{8}T\d{9}Z\.db$/);
      expect(etcdctl(certs, eps, ['put', '/registry/after-the-snapshot', 'lost']).ok).toBe(true);

      const plan = planEtcdKubernetesRestore(k, { snapshot: snapshotFile });
      const inputs = (plan.objects[0] as unknown as { data: Record<string, string> }).data;
      expect(inputs.token).not.toBe('etcd-k8s');
      const jobEnv = (i: number) => {
        const env = (plan.objects[1 + i] as any).spec.template.spec.containers[0].env as { name: string; value?: string; valueFrom?: { configMapKeyRef: { key: string } } }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
        return Object.fromEntries(env.map((e) => [e.name, e.value ?? inputs[e.valueFrom!.configMapKeyRef.key]]));
      };
      const restoreMember = (i: number) => runScript(root, `restore-${i}.sh`, local(ops.data['etcd-restore-member.sh']), [], { ...tools, ...jobEnv(i), DATA_DIR: dataDir(i) });
      // A running member's data is never replaced: etcd holds the lock on its database.
      const live = restoreMember(0);
      expect({ status: live.status, refused: live.out.includes('is in use by a running etcd') }).toEqual({ status: 2, refused: true });

      await Promise.all(running.map((m) => m.stop())); // the StatefulSet at 0 replicas
      rmSync(dataDir(2), { recursive: true, force: true }); // one member lost its disk altogether
      for (let i = 0; i < 3; i++) {
        const run = restoreMember(i);
        expect({ member: names[i], status: run.status, out: run.status === 0 ? '' : run.out }).toEqual({ member: names[i], status: 0, out: '' });
        expect(run.out).toContain(`member ${names[i]} restored into ${dataDir(i)}`);
      }
      expect(readdirSync(join(root, `${names[0]}-volume`)).filter((f) => f.startsWith('data.before-restore-'))).toHaveLength(1);

      running = start(); // the same rendered flags: --initial-cluster-state=new and the old token are ignored on a restored data dir
      await waitFor('the restored cluster', () => etcdctl(certs, eps, ['endpoint', 'health']).ok, 60000);
      const verify = runScript(root, 'verify.sh', local(ops.data['etcd-restore-verify.sh']), [], { ...tools, SNAPSHOT: inputs.snapshot, BUMP_REVISION: inputs.bumpRevision, VERIFY_WAIT_SECONDS: '60' });
      expect({ status: verify.status, out: verify.status === 0 ? '' : verify.out }).toEqual({ status: 0, out: '' });
      expect(verify.out).toContain('restore verified: 3 members, one leader');
      expect(etcdctl(certs, eps, ['get', '/registry/pods/default/p7', '--print-value-only']).out.trim()).toBe('v7');
      expect(etcdctl(certs, eps, ['get', '/registry/after-the-snapshot', '--print-value-only']).out.trim()).toBe('');
      expect(/"cluster_id":(\d+)/.exec(etcdctl(certs, eps, ['member', 'list', '-w', 'json']).out)![1]).not.toBe(oldCluster);
      const revision = Number(/"revision":(\d+)/.exec(etcdctl(certs, eps.split(',')[0], ['endpoint', 'status', '-w', 'json']).out)![1]);
      expect(revision).toBeGreaterThan(Number(inputs.bumpRevision));
      expect(Number(inputs.bumpRevision)).toBe(line.minor === '3.4' ? 0 : 1_000_000_000);
      if (line.minor !== '3.4') {
        // --mark-compacted: a watch from before the bump is refused as compacted, so informers relist.
        const watch = etcdctl(certs, eps, ['watch', '/registry/', '--prefix', '--rev=2'], '3s');
        expect(watch.out).toMatch(/compacted/);
      }
      expect(etcdctl(certs, eps, ['put', '/registry/after-restore', 'ok']).ok).toBe(true);
      // The verification fails where it must: a revision below the snapshot's plus a larger bump.
      const tooHigh = runScript(root, 'verify-high.sh', local(ops.data['etcd-restore-verify.sh']), [], { ...tools, SNAPSHOT: inputs.snapshot, BUMP_REVISION: '5000000000', VERIFY_WAIT_SECONDS: '10' });
      expect(tooHigh.status).toBe(1);
      expect(tooHigh.out).toMatch(/revision '?\d+'? below 5\d+/);
    } finally {
      await Promise.all(running.map((m) => m.stop()));
    }
  }, 180000);

  it('every etcd metric the alert rules use exists in the real exporter', async () => {
    const body = await scrape(render.resolved.members[0].metricsUrl);
    const names = new Set(body.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    const rules = etcdAlertRules(render.resolved, { job: 'etcd', certificateSource: 'x509-exporter' });
    const used = new Set(rules.flatMap((r) => [...r.expr.matchAll(/\b(etcd_[a-z0-9_]+)/g)].map((m) => m[1])));
    const ours = new Set(['etcd_backup_last_success_timestamp_seconds']);
    const missing = [...used].filter((m) => !ours.has(m) && !names.has(m));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(8);
  });

  it('every metric the etcd dashboard uses exists in the real exporter', async () => {
    const exprs = etcdDashboardPanels({ name: render.resolved.name, mode: render.resolved.mode, version: render.resolved.version.version }).flatMap((p) => p.targets.map((t) => t.expr));
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:etcd|grpc)_[a-z0-9_]+)\{/g)].map((m) => m[1])));
    // A vector metric shows once it has a child: the peer round trip is observed every 30 s by the prober
    // (rafthttp probing), and peer send failures are counted only when a send fails (defined in rafthttp/metrics.go).
    const onlyOnFailure = new Set(['etcd_network_peer_sent_failures_total']);
    let names = new Set<string>();
    const missing = () => [...used].filter((m) => !onlyOnFailure.has(m) && !names.has(m));
    const deadline = Date.now() + 45000;
    do {
      const body = await scrape(render.resolved.members[0].metricsUrl);
      names = new Set(body.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
      if (missing().length > 0) await new Promise((r) => setTimeout(r, 1000));
    } while (missing().length > 0 && Date.now() < deadline);
    expect(missing()).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  }, 60000);

  describeWithBinary('promtool', 'prometheus', 'alerts evaluated by promtool', () => {
    test('promtool check rules accepts the etcd rule group', () => {
      const rules = etcdAlertRules(render.resolved, { job: 'etcd', certificateSource: 'x509-exporter' });
      expect(promtoolCheckRules([{ name: 'etcd', rules }])).toMatch(new RegExp(`SUCCESS: ${rules.length} rules found`));
    });

    test('on gauges scraped from the live members, no quota, leader or fragmentation alert fires', async () => {
      const wanted = ['etcd_server_has_leader', 'etcd_mvcc_db_total_size_in_bytes', 'etcd_mvcc_db_total_size_in_use_in_bytes', 'etcd_server_quota_backend_bytes'];
      const input_series: { series: string; values: string }[] = [];
      for (const m of render.resolved.members) {
        const body = await scrape(m.metricsUrl);
        for (const line of body.split('\n')) {
          const [name, value] = line.split(' ');
          if (wanted.includes(name)) input_series.push({ series: `${name}{job="etcd",instance="${m.name}"}`, values: `${Number(value)}x40` });
        }
      }
      expect(input_series).toHaveLength(wanted.length * 3);
      const rules = etcdAlertRules(render.resolved, { job: 'etcd', certificateSource: 'x509-exporter' });
      const output = promtoolTestRules([{ name: 'etcd', rules }], [{
        interval: '1m',
        input_series,
        alert_rule_test: ['EtcdNoLeader', 'EtcdDatabaseQuotaHigh', 'EtcdDatabaseQuotaCritical', 'EtcdDatabaseFragmented'].map((alertname) => ({ eval_time: '35m', alertname, exp_alerts: [] })),
      }]);
      expect(output).toMatch(/SUCCESS/);
    });
  });
});
}
