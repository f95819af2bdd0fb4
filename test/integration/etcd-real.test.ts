import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { get } from 'http';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderEtcdHosts, EtcdHostsRender } from '../../lib/core/etcd/hosts';
import { etcdAlertRules } from '../../lib/core/etcd/monitoring';
import { restoreCommand } from '../../lib/core/etcd/scripts';
import { etcdHasFlag, parseEtcdVersion } from '../../lib/core/etcd/versions';
import { describeWithBinary, hasBinary } from '../helpers/binaries';
import { etcdctl, generateCertificates, RunningMember, waitFor } from '../helpers/etcd-cluster';
import { promtoolCheckRules, promtoolTestRules } from '../helpers/promtool';

const VERSION = '3.4.23'; // Debian's etcd-server

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

describeWithBinary('etcd', 'etcd-server etcd-client', 'ExternalEtcdCluster against real etcd 3.4 (hosts mode, TLS, loopback)', () => {
  if (!hasBinary('etcdctl') && process.env.CI === 'true') throw new Error('etcdctl is missing: apt-get install -y etcd-client');
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-etcd-'));
  const base = 21000 + Math.floor(Math.random() * 400) * 10;
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
      binaryDir: '/usr/bin',
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
    console.log(`etcd integration timings: ${JSON.stringify(timings)}`);
  });

  test('every flag gpuplane claims for 3.4 exists in the real etcd binary', () => {
    const help = execFileSync('etcd', ['--help'], { encoding: 'utf8' });
    const real = new Set([...help.matchAll(/^\s+--([a-z0-9-]+)/gm)].map((m) => m[1]));
    const v = parseEtcdVersion(VERSION)!;
    const rendered = render.members[0].command.slice(1).map((a) => a.replace(/^--/, '').split('=')[0]);
    for (const flag of rendered) expect([flag, real.has(flag)]).toEqual([flag, true]);
    for (const flag of real) {
      if (etcdHasFlag(v, flag)) expect(real.has(flag)).toBe(true);
    }
    expect(etcdHasFlag(v, 'tls-min-version')).toBe(false);
    expect(real.has('tls-min-version')).toBe(false);
  });

  test('the cluster forms from the rendered command lines and the rendered health check passes', () => {
    const list = etcdctl(certs, endpoints, ['member', 'list']);
    expect(list.out.split('\n').filter((l) => l.includes('started'))).toHaveLength(3);
    const health = runScript(dir, 'health.sh', render.scripts.healthCheck);
    expect(health.out).toContain('=== 5. Size, fragmentation, leader, raft term ===');
    expect(health.out.match(/leader=yes/g)).toHaveLength(1);
    expect(health).toMatchObject({ status: 0 });
  });

  test('writes succeed with one member down, fail with two down, and recover', async () => {
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

  test('the rendered defragmentation script defragments every member, leader last after moving leadership, and leaves the cluster healthy', () => {
    // Fragment the database the way a Kubernetes control plane does: write, delete, then compact (the API server
    // compacts every 5 minutes), which leaves the freed pages in the file until a defragmentation.
    const value = 'x'.repeat(64 * 1024);
    const first = endpoints.split(',')[0];
    for (let i = 0; i < 160; i++) expect(etcdctl(certs, first, ['put', `/gpuplane/bulk/${i}`, value]).ok).toBe(true);
    expect(etcdctl(certs, first, ['del', '/gpuplane/bulk/', '--prefix']).ok).toBe(true);
    const rev = /"revision":(\d+)/.exec(etcdctl(certs, first, ['endpoint', 'status', '-w', 'json']).out)![1];
    expect(etcdctl(certs, first, ['compact', rev, '--physical']).ok).toBe(true);
    const leaderBefore = etcdctl(certs, endpoints, ['endpoint', 'status']).out.split('\n').find((l) => l.split(', ')[4] === 'true')!.split(', ')[0];

    const t0 = Date.now();
    const run = runScript(dir, 'defrag.sh', render.scripts.defrag);
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
    const leaderAfter = etcdctl(certs, endpoints, ['endpoint', 'status']).out.split('\n').find((l) => l.split(', ')[4] === 'true')!.split(', ')[0];
    expect(leaderAfter).not.toBe(leaderBefore);
    expect(etcdctl(certs, endpoints, ['endpoint', 'health']).ok).toBe(true);
    expect(run.out).toContain('defragmentation done');
  }, 180000);

  test('the defragmentation script does nothing below its thresholds', () => {
    const run = runScript(dir, 'defrag.sh', render.scripts.defrag, [], { DEFRAG_FRAGMENTATION_THRESHOLD: '0.95' });
    expect(run).toMatchObject({ status: 0 });
    expect(run.out).toContain('nothing to do');
  });

  test('the rendered backup saves a verified snapshot that restores into a new member holding the data', async () => {
    expect(etcdctl(certs, endpoints, ['put', '/gpuplane/backed-up', 'precious']).ok).toBe(true);
    const run = runScript(dir, 'backup.sh', render.scripts.backup);
    expect({ status: run.status, out: run.status === 0 ? '' : run.out }).toEqual({ status: 0, out: '' });
    const snapshot = run.stdout.trim().split('\n').pop()!;
    expect(existsSync(snapshot)).toBe(true);
    expect(readFileSync(join(dir, 'textfile', 'etcd_backup_etcd-it.prom'), 'utf8')).toMatch(/^etcd_backup_last_success_timestamp_seconds\{cluster="etcd-it"\} \d+$/m);
    runScript(dir, 'backup.sh', render.scripts.backup);
    const latest = runScript(dir, 'backup.sh', render.scripts.backup).stdout.trim().split('\n').pop()!;
    expect(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.db'))).toHaveLength(2); // retain: 2
    expect(existsSync(snapshot)).toBe(false); // the oldest went

    const restored = renderEtcdHosts({
      name: 'etcd-restored', version: VERSION, binaryDir: '/usr/bin', developmentSingleMember: true,
      hosts: [{ name: 'r0', address: '127.0.0.1', clientPort: base + 20, peerPort: base + 21, metricsPort: base + 22, dataDir: join(dir, 'r0.etcd') }],
      tls: render.resolved.tls,
    });
    const member = restored.resolved.members[0];
    const cmd = restoreCommand(restored.resolved, restored.scriptContext, member, latest, member.dataDir);
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

  test('every etcd metric the alert rules use exists in the real exporter', async () => {
    const body = await scrape(render.resolved.members[0].metricsUrl);
    const names = new Set(body.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
    const rules = etcdAlertRules(render.resolved, { job: 'etcd', certificateSource: 'x509-exporter' });
    const used = new Set(rules.flatMap((r) => [...r.expr.matchAll(/\b(etcd_[a-z0-9_]+)/g)].map((m) => m[1])));
    const ours = new Set(['etcd_backup_last_success_timestamp_seconds']);
    const missing = [...used].filter((m) => !ours.has(m) && !names.has(m));
    expect(missing).toEqual([]);
    expect(used.size).toBeGreaterThan(8);
  });

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
