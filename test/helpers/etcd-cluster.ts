import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { openSync, writeFileSync } from 'fs';
import { join } from 'path';

/** Generates a CA and server, peer and client certificates for 127.0.0.1 with openssl. */
export function generateCertificates(dir: string): { ca: string; server: string; serverKey: string; peer: string; peerKey: string; client: string; clientKey: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=gpuplane-test-etcd-ca']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  const issue = (name: string, cn: string, ext: string) => {
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '365', '-extfile', ext]);
  };
  issue('server', 'etcd-server', 'san.ext');
  issue('peer', 'etcd-peer', 'san.ext');
  issue('client', 'etcd-client', 'client.ext');
  const f = (n: string) => join(dir, n);
  return { ca: f('ca.crt'), server: f('server.crt'), serverKey: f('server.key'), peer: f('peer.crt'), peerKey: f('peer.key'), client: f('client.crt'), clientKey: f('client.key') };
}

/** A running member started from a rendered command line. */
export class RunningMember {
  private process?: ChildProcess;

  constructor(public readonly name: string, public readonly command: readonly string[], private readonly logFile: string) {}

  start(): void {
    const out = openSync(this.logFile, 'a');
    this.process = spawn(this.command[0], this.command.slice(1), { stdio: ['ignore', out, out] });
  }

  async stop(): Promise<void> {
    const p = this.process;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
      setTimeout(() => p.kill('SIGKILL'), 5000).unref();
    });
    this.process = undefined;
  }

  get running(): boolean {
    return this.process !== undefined && this.process.exitCode === null;
  }
}

/** Runs etcdctl (on PATH, or `binary`) with the client certificate; returns status and output. */
export function etcdctl(certs: { ca: string; client: string; clientKey: string }, endpoints: string, args: string[], timeout = '5s', binary = 'etcdctl'): { ok: boolean; out: string } {
  const r = spawnSync(binary, [`--endpoints=${endpoints}`, `--cacert=${certs.ca}`, `--cert=${certs.client}`, `--key=${certs.clientKey}`, `--command-timeout=${timeout}`, ...args], {
    encoding: 'utf8', timeout: 30000, // etcdctl 3.4+ speaks the v3 API by default; 3.6 warns on ETCDCTL_API
  });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
