import { spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { problemsOf } from '../../helpers/problems';
import { EtcdHostsOptions, renderEtcdHosts } from '../../../lib/core/etcd/hosts';
import { externalEtcdEndpoints, kubeadmClusterConfiguration, kubeadmClusterConfigurationYaml } from '../../../lib/core/etcd/kubeadm';
import { planStackedToExternal } from '../../../lib/core/etcd/migration';
import { etcdAlertRules, etcdScrapeConfig } from '../../../lib/core/etcd/monitoring';
import { etcdHasFlag, etcdHasLivez, parseEtcdVersion } from '../../../lib/core/etcd/versions';
import { describeWithBinary } from '../../helpers/binaries';
import { promtoolTestRules } from '../../helpers/promtool';

const hosts = (n: number, zones?: string[]) => Array.from({ length: n }, (_, i) => ({ name: `etcd-${i + 1}`, address: `10.0.1.${i + 10}`, zone: zones?.[i] }));
const base: EtcdHostsOptions = { name: 'etcd-main', hosts: hosts(3) };

const problems = (o: Partial<EtcdHostsOptions>): string => problemsOf(() => renderEtcdHosts({ ...base, ...o } as EtcdHostsOptions));

describe('ExternalEtcdCluster hosts mode: defaults', () => {
  const r = renderEtcdHosts(base);

  test('quorum and failure tolerance', () => {
    expect([r.resolved.quorum, r.resolved.faultTolerance]).toEqual([2, 1]);
    expect(renderEtcdHosts({ ...base, hosts: hosts(5) }).resolved).toMatchObject({ quorum: 3, faultTolerance: 2 });
    expect(renderEtcdHosts({ ...base, hosts: hosts(7) }).resolved).toMatchObject({ quorum: 4, faultTolerance: 3 });
  });

  test("each member's command line: TLS everywhere, quota, compaction, timeouts, metrics listener, corruption check", () => {
    expect(r.members[0].command).toEqual([
      '/usr/local/bin/etcd',
      '--name=etcd-1',
      '--data-dir=/var/lib/etcd',
      '--listen-client-urls=https://10.0.1.10:2379',
      '--advertise-client-urls=https://10.0.1.10:2379',
      '--listen-peer-urls=https://10.0.1.10:2380',
      '--initial-advertise-peer-urls=https://10.0.1.10:2380',
      '--initial-cluster=etcd-1=https://10.0.1.10:2380,etcd-2=https://10.0.1.11:2380,etcd-3=https://10.0.1.12:2380',
      '--initial-cluster-state=new',
      '--initial-cluster-token=etcd-main',
      '--client-cert-auth=true',
      '--trusted-ca-file=/etc/etcd/pki/ca.crt',
      '--cert-file=/etc/etcd/pki/server.crt',
      '--key-file=/etc/etcd/pki/server.key',
      '--peer-client-cert-auth=true',
      '--peer-trusted-ca-file=/etc/etcd/pki/ca.crt',
      '--peer-cert-file=/etc/etcd/pki/peer.crt',
      '--peer-key-file=/etc/etcd/pki/peer.key',
      '--listen-metrics-urls=http://10.0.1.10:2381',
      '--quota-backend-bytes=2147483648',
      '--auto-compaction-mode=periodic',
      '--auto-compaction-retention=8h',
      '--heartbeat-interval=100',
      '--election-timeout=1000',
      '--snapshot-count=10000',
      '--logger=zap',
      '--experimental-initial-corrupt-check=true',
    ]);
  });

  test('the environment file carries the same flags as ETCD_ variables, the unit reads it', () => {
    const env = r.members[1].environmentFile.split('\n').filter((l) => l.startsWith('ETCD_'));
    expect(env).toHaveLength(r.members[1].command.length - 1);
    expect(env).toContain('ETCD_INITIAL_CLUSTER_STATE=new');
    expect(env).toContain('ETCD_LISTEN_METRICS_URLS=http://10.0.1.11:2381');
    expect(r.members[1].systemdUnit).toContain('EnvironmentFile=/etc/etcd/etcd.env');
    expect(r.members[1].systemdUnit).toContain('ExecStart=/usr/local/bin/etcd\n');
    expect(r.members[1].systemdUnit).toContain('Type=notify');
  });

  test('3.6 uses feature gates instead of the experimental corruption check', () => {
    const cmd = renderEtcdHosts({ ...base, version: '3.6.4' }).members[0].command;
    expect(cmd).toContain('--feature-gates=InitialCorruptCheck=true');
    expect(cmd.some((a) => a.startsWith('--experimental-'))).toBe(false);
  });

  test('backup and defragmentation timers', () => {
    expect(Object.keys(r.timers).sort()).toEqual(['etcd-backup.service', 'etcd-backup.timer', 'etcd-defrag.service', 'etcd-defrag.timer']);
    expect(r.timers['etcd-backup.timer']).toContain('OnCalendar=*-*-* 00/6:00:00');
  });

  test.each(['healthCheck', 'backup', 'defrag', 'restore'] as const)('the %s script is valid bash', (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuplane-etcd-sh-'));
    writeFileSync(join(dir, 's.sh'), r.scripts[name]);
    const check = spawnSync('bash', ['-n', join(dir, 's.sh')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  test('restore uses etcdutl from 3.5 and etcdctl on 3.4', () => {
    expect(r.scripts.restore).toContain("'/usr/local/bin/etcdutl' 'snapshot' 'restore' \"$SNAPSHOT\" '--name=etcd-1'");
    expect(renderEtcdHosts({ ...base, version: '3.4.23' }).scripts.restore).toContain("'/usr/local/bin/etcdctl' 'snapshot' 'restore'");
  });

  test('warns when members span zones', () => {
    expect(renderEtcdHosts({ ...base, hosts: hosts(3, ['a', 'b', 'c']) }).resolved.warnings[0]).toMatch(/members span zones \(a, b, c\); every write waits for a majority across zones/);
    expect(r.resolved.warnings).toEqual([]);
  });
});

describe('ExternalEtcdCluster refusals', () => {
  test('fails on an even member count, with the quorum arithmetic', () => {
    expect(problems({ hosts: hosts(4) })).toContain(
      "'hosts' must be an odd count: 4 members need a quorum of 3 and tolerate 1 failure(s), the same as 3 members with more ways to fail (got 4; allowed: 3, 5 or 7). Fix: use 3 or 5 members",
    );
  });

  test('fails on a single member unless it is explicitly for development', () => {
    expect(problems({ hosts: hosts(1) })).toContain("'hosts' has a single member: quorum 1, no failure tolerated");
    expect(renderEtcdHosts({ ...base, hosts: hosts(1), developmentSingleMember: true }).resolved.faultTolerance).toBe(0);
  });

  test('fails on 9 members', () => {
    expect(problems({ hosts: hosts(9) })).toContain("'hosts' must be 3, 5 or 7 members");
  });

  test('fails on a quota above 8 GiB', () => {
    expect(problems({ quotaBackendBytes: 16 * 2 ** 30 })).toContain("'quotaBackendBytes' must be a positive byte count of at most 8 GiB, etcd's suggested maximum");
  });

  test('fails on an election timeout below 10x the heartbeat', () => {
    expect(problems({ heartbeatIntervalMs: 250, electionTimeoutMs: 1250 })).toContain(
      "'electionTimeoutMs' must be at least 10x the heartbeat (2500 ms) and at most 50000 ms, or one slow heartbeat starts an election (got 1250; allowed: 2500..50000). Fix: use 2500",
    );
  });

  test('fails on a flag the version does not have', () => {
    expect(problems({ version: '3.4.23', extraFlags: { 'tls-min-version': 'TLS1.3' } })).toContain("'extraFlags.tls-min-version' is not a flag of etcd 3.4.23; etcd refuses to start on an unknown flag");
    expect(renderEtcdHosts({ ...base, version: '3.4.25', extraFlags: { 'tls-min-version': 'TLS1.3' } }).members[0].command).toContain('--tls-min-version=TLS1.3');
    expect(problems({ version: '3.6.4', extraFlags: { 'experimental-compact-hash-check-enabled': 'true' } })).toContain('(3.6 replaced the experimental corruption-check flags with --feature-gates and --corrupt-check-time)');
  });

  test('fails on a flag gpuplane renders', () => {
    expect(problems({ extraFlags: { '--quota-backend-bytes': '1' } })).toContain("'extraFlags.--quota-backend-bytes' is rendered by gpuplane from a typed option");
  });

  test('fails on an unknown version and on duplicate members', () => {
    expect(problems({ version: '3.3.27' })).toContain("'version' must be an etcd 3.4, 3.5 or 3.6 release (got \"3.3.27\"");
    expect(problems({ hosts: [...hosts(2), { name: 'etcd-1', address: '10.0.1.99' }] })).toContain("'hosts' must not repeat a member name");
  });
});

describe('versions', () => {
  test.each([
    ['3.4.24', false, false], ['3.4.25', true, false], ['3.4.29', true, true], ['3.5.7', false, false], ['3.5.8', true, false], ['3.5.11', true, true], ['3.6.0', true, true],
  ] as const)('%s: tls-min-version %s, /livez %s', (v, tls, livez) => {
    expect(etcdHasFlag(parseEtcdVersion(v)!, 'tls-min-version')).toBe(tls);
    expect(etcdHasLivez(parseEtcdVersion(v)!)).toBe(livez);
  });
});

describe('kubeadm ClusterConfiguration', () => {
  const r = { endpoints: renderEtcdHosts(base).resolved.members.map((m) => m.clientUrl) };
  test('v1beta4 points API servers at the external endpoints with kubeadm file paths', () => {
    expect(kubeadmClusterConfiguration(r)).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      etcd: { external: {
        endpoints: ['https://10.0.1.10:2379', 'https://10.0.1.11:2379', 'https://10.0.1.12:2379'],
        caFile: '/etc/kubernetes/pki/etcd/ca.crt', certFile: '/etc/kubernetes/pki/apiserver-etcd-client.crt', keyFile: '/etc/kubernetes/pki/apiserver-etcd-client.key',
      } },
      apiServer: { extraArgs: [{ name: 'etcd-compaction-interval', value: '5m' }] },
    });
  });
  test('an etcd cluster managed elsewhere is accepted the same way', () => {
    expect((kubeadmClusterConfiguration(externalEtcdEndpoints(['https://10.9.0.1:2379'])) as any).etcd.external.endpoints).toEqual(['https://10.9.0.1:2379']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(() => externalEtcdEndpoints(['http://10.9.0.1:2379'])).toThrow("'endpoints[0]' must be an https URL with a port (got \"http://10.9.0.1:2379\")");
  });

  test('v1beta3 writes extra args as a map', () => {
    expect(parse(kubeadmClusterConfigurationYaml(r, { apiVersion: 'v1beta3' })).apiServer.extraArgs).toEqual({ 'etcd-compaction-interval': '5m' });
  });
});

describe('stacked-to-external migration', () => {
  test('adds one at a time, repoints, removes one at a time, never below quorum', () => {
    const plan = planStackedToExternal(['cp-1', 'cp-2', 'cp-3'], ['etcd-1', 'etcd-2', 'etcd-3']);
    expect(plan.map((s) => `${s.action}${s.member ? ` ${s.member}` : ''} ${s.healthyVoters}/${s.members} q${s.quorum}`)).toEqual([
      'snapshot 3/3 q2',
      'add-learner etcd-1 3/3 q2', 'promote etcd-1 4/4 q3', 'add-learner etcd-2 4/4 q3', 'promote etcd-2 5/5 q3', 'add-learner etcd-3 5/5 q3', 'promote etcd-3 6/6 q4',
      'repoint-api-servers 6/6 q4',
      'remove-stacked cp-1 5/5 q3', 'remove-stacked cp-2 4/4 q3', 'remove-stacked cp-3 3/3 q2',
    ]);
  });

  test('fails if a step would drop below a majority', () => {
    // Learners do not count toward the quorum, so one dead stacked member is survivable; two of three is not.
    expect(planStackedToExternal(['cp-1', 'cp-2', 'cp-3'], ['etcd-1', 'etcd-2', 'etcd-3'], ['cp-3']).every((s) => s.healthyVoters >= s.quorum)).toBe(true);
    expect(() => planStackedToExternal(['cp-1', 'cp-2', 'cp-3'], ['etcd-1', 'etcd-2', 'etcd-3'], ['cp-2', 'cp-3'])).toThrow(
      'leaves step "start (the stacked cluster has already lost quorum)" with 1 healthy of 3 voting members, below the quorum of 2',
    );
  });

  test('fails on an even external cluster', () => {
    expect(() => planStackedToExternal(['cp-1'], ['e1', 'e2'])).toThrow("'external' must be an odd number of members: 2 members need 2 for quorum and tolerate no more failures than 1 (got 2). Fix: use 1 or 3");
  });
});

describe('monitoring', () => {
  const r = renderEtcdHosts(base).resolved;
  test('scrape config for the plain-HTTP metrics listeners', () => {
    expect(etcdScrapeConfig(r, 'etcd')).toMatchObject({ job_name: 'etcd', static_configs: [{ targets: ['10.0.1.10:2381', '10.0.1.11:2381', '10.0.1.12:2381'] }] });
  });

  test('annotations are rendered text: the backup summary names the cluster and the age, no template literal survives', () => {
    for (const backup of [undefined, { source: 'cronjob' as const, namespace: 'etcd', cronjob: 'etcd-backup' }]) {
      const rules = etcdAlertRules(r, { job: 'etcd', certificateSource: 'x509-exporter', backup });
      expect(rules.find((x) => x.alert === 'EtcdBackupTooOld')!.annotations.summary).toBe(`No etcd backup of ${r.name} for more than ${r.backup.maxAgeHours} hours`);
      for (const rule of rules) for (const text of Object.values(rule.annotations)) expect({ alert: rule.alert, text }).toEqual({ alert: rule.alert, text: expect.not.stringMatching(/\$\{|undefined/) });
    }
  });

  describeWithBinary('promtool', 'prometheus', 'promtool test rules', () => {
    // Thresholds and expressions under test; the rendered annotations are checked above and in test/integration/alerts-e2e.promtool.test.ts.
    const rules = etcdAlertRules(r, { job: 'etcd', certificateSource: 'x509-exporter' }).map(({ annotations: _a, ...rule }) => rule); // eslint-disable-line @typescript-eslint/no-unused-vars
    const groups = [{ name: 'etcd', rules }];
    const bucket = (metric: string, le: string, values: string) => ({ series: `${metric}_bucket{job="etcd",instance="m1",le="${le}"}`, values });

    test('WAL fsync: p99 above 10 ms warns, above 25 ms is critical', () => {
      // 100 fsyncs a minute: 20 minutes under 8 ms, 20 minutes between 8 and 16 ms (p99 ~16 ms), 20 minutes between
      // 16 and 32 ms (p99 ~32 ms).
      const m = 'etcd_disk_wal_fsync_duration_seconds';
      const series = [
        bucket(m, '0.008', '0+100x20 2000+0x40'),
        bucket(m, '0.016', '0+100x40 4000+0x20'),
        bucket(m, '0.032', '0+100x60'),
        bucket(m, '+Inf', '0+100x60'),
      ];
      expect(promtoolTestRules(groups, [{
        interval: '1m', input_series: series,
        alert_rule_test: [
          { eval_time: '19m', alertname: 'EtcdWalFsyncSlow', exp_alerts: [] },
          { eval_time: '19m', alertname: 'EtcdWalFsyncCritical', exp_alerts: [] },
          { eval_time: '38m', alertname: 'EtcdWalFsyncSlow', exp_alerts: [{ exp_labels: { instance: 'm1', severity: 'warning' } }] },
          { eval_time: '38m', alertname: 'EtcdWalFsyncCritical', exp_alerts: [] },
          { eval_time: '58m', alertname: 'EtcdWalFsyncCritical', exp_alerts: [{ exp_labels: { instance: 'm1', severity: 'critical' } }] },
        ],
      }])).toMatch(/SUCCESS/);
    });

    test('leader changes: more than one an hour', () => {
      expect(promtoolTestRules(groups, [{
        interval: '1m',
        input_series: [{ series: 'etcd_server_leader_changes_seen_total{job="etcd",instance="m1"}', values: '0x30 1x30 3x30' }],
        alert_rule_test: [
          { eval_time: '45m', alertname: 'EtcdFrequentLeaderChanges', exp_alerts: [] },
          { eval_time: '80m', alertname: 'EtcdFrequentLeaderChanges', exp_alerts: [{ exp_labels: { severity: 'warning' } }] },
        ],
      }])).toMatch(/SUCCESS/);
    });

    test('database quota: above 80% warns, above 95% is critical', () => {
      const quota = 2 * 2 ** 30;
      expect(promtoolTestRules(groups, [{
        interval: '1m',
        input_series: [
          { series: 'etcd_server_quota_backend_bytes{job="etcd",instance="m1"}', values: `${quota}x60` },
          { series: 'etcd_mvcc_db_total_size_in_bytes{job="etcd",instance="m1"}', values: `${quota * 0.5}x10 ${quota * 0.85}x20 ${quota * 0.97}x20` },
        ],
        alert_rule_test: [
          { eval_time: '9m', alertname: 'EtcdDatabaseQuotaHigh', exp_alerts: [] },
          { eval_time: '25m', alertname: 'EtcdDatabaseQuotaHigh', exp_alerts: [{ exp_labels: { instance: 'm1', severity: 'warning' } }] },
          { eval_time: '25m', alertname: 'EtcdDatabaseQuotaCritical', exp_alerts: [] },
          { eval_time: '36m', alertname: 'EtcdDatabaseQuotaCritical', exp_alerts: [{ exp_labels: { instance: 'm1', severity: 'critical' } }] },
        ],
      }])).toMatch(/SUCCESS/);
    });
  });
});
