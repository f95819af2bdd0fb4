import { mkdtempSync, writeFileSync, mkdirSync } from 'fs';
import { join } from 'path';
import { spawnSync } from 'child_process';
import { renderEtcdHosts } from '../lib/core/etcd/hosts';
import { generateCertificates, RunningMember, etcdctl, waitFor } from '../test/helpers/etcd-cluster';
(async () => {
  const dir = mkdtempSync('/tmp/etcddbg-'); const base = 25000;
  const certs = generateCertificates(dir);
  const render = renderEtcdHosts({ name: 'etcd-it', version: '3.4.23', binaryDir: '/usr/bin',
    hosts: [0, 1, 2].map((i) => ({ name: `m${i}`, address: '127.0.0.1', clientPort: base + i * 3, peerPort: base + i * 3 + 1, metricsPort: base + i * 3 + 2, dataDir: join(dir, `m${i}.etcd`) })),
    tls: { caFile: certs.ca, certFile: certs.server, keyFile: certs.serverKey, peerCaFile: certs.ca, peerCertFile: certs.peer, peerKeyFile: certs.peerKey, clientCertFile: certs.client, clientKeyFile: certs.clientKey },
    backup: { dir: join(dir, 'backups'), retain: 2, textfileDir: join(dir, 'textfile') }, defrag: { pauseSeconds: 1 } });
  mkdirSync(join(dir, 'textfile'));
  const members = render.members.map((m) => new RunningMember(m.member.name, m.command, join(dir, `${m.member.name}.log`)));
  members.forEach((m) => m.start());
  const eps = render.members.map((m) => m.member.clientUrl).join(',');
  await waitFor('healthy', () => etcdctl(certs, eps, ['endpoint', 'health']).ok);
  for (const [n, s] of [['health', render.scripts.healthCheck], ['backup', render.scripts.backup]] as const) {
    writeFileSync(join(dir, n + '.sh'), s);
    const r = spawnSync('bash', [join(dir, n + '.sh')], { encoding: 'utf8' });
    console.log('=====', n, r.status, r.stdout, r.stderr);
  }
  console.log(etcdctl(certs, eps, ['endpoint', 'status', '-w', 'json']).out);
  await Promise.all(members.map((m) => m.stop()));
})();
