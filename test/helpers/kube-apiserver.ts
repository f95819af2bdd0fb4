import { ChildProcess, execFileSync, spawn } from 'child_process';
import { openSync, readFileSync, writeFileSync } from 'fs';
import { request as httpsRequest } from 'https';
import { createServer } from 'net';
import { join } from 'path';

/** A free TCP port on 127.0.0.1 (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number, alive: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = alive();
    if (dead) throw new Error(`${what}: ${dead}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

class Proc {
  private p?: ChildProcess;
  constructor(readonly name: string, readonly argv: readonly string[], readonly logFile: string) {}
  start(): void {
    const out = openSync(this.logFile, 'a');
    this.p = spawn(this.argv[0], this.argv.slice(1), { stdio: ['ignore', out, out] });
  }
  /** Why the process is not running (undefined while it runs), with its log's tail. */
  exited(): string | undefined {
    if (!this.p || this.p.exitCode === null && this.p.signalCode === null) return undefined;
    const log = readFileSync(this.logFile, 'utf8').split('\n').slice(-25).join('\n');
    return `${this.name} exited (${this.p.exitCode ?? this.p.signalCode}); last lines of ${this.logFile}:\n${log}`;
  }
  async stop(): Promise<void> {
    const p = this.p;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
      setTimeout(() => p.kill('SIGKILL'), 10000).unref();
    });
  }
}

export interface KubeResponse {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly text: string;
  /** Each `Warning` response header's text (RFC 7234 `299 - "text"`), one per header. */
  readonly warnings: readonly string[];
}

/** The admission plugins enabled: a production cluster's set that works without controllers or webhooks. */
export const ADMISSION_PLUGINS = [
  'NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'PodSecurity', 'Priority', 'DefaultTolerationSeconds',
  'DefaultStorageClass', 'StorageObjectInUseProtection', 'PersistentVolumeClaimResize', 'RuntimeClass',
  'DefaultIngressClass', 'NodeRestriction', 'TaintNodesByCondition', 'CertificateApproval', 'CertificateSigning',
  'CertificateSubjectRestriction', 'ClusterTrustBundleAttest', 'MutatingAdmissionPolicy', 'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionWebhook', 'ResourceQuota',
];

/**
 * A real control plane on loopback: etcd (plain HTTP on a random port, one member) and kube-apiserver (TLS with a
 * self-signed CA and serving certificate, token authentication, RBAC, the production admission plugins, a
 * service-account signing key pair, a service cluster IP range). Clients talk REST with Node's https.
 */
export class ControlPlane {
  private readonly etcd: Proc;
  private readonly apiserver: Proc;
  readonly token = `gpuplane-${Math.random().toString(36).slice(2)}${Date.now()}`;
  private ca = '';
  url = '';
  readonly timings: Record<string, number> = {};

  private constructor(readonly dir: string, readonly etcdBinary: string, readonly apiserverBinary: string, ports: { etcdClient: number; etcdPeer: number; apiserver: number }) {
    const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
    this.etcd = new Proc('etcd', [etcdBinary, '--name=apiserver-etcd', `--data-dir=${join(dir, 'etcd-data')}`,
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=apiserver-etcd=http://127.0.0.1:${ports.etcdPeer}`, '--quota-backend-bytes=1073741824', '--unsafe-no-fsync=true'], join(dir, 'etcd.log'));
    this.apiserver = new Proc('kube-apiserver', [apiserverBinary,
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${ports.apiserver}`,
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${join(dir, 'serving.crt')}`, `--tls-private-key-file=${join(dir, 'serving.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`, '--anonymous-auth=false',
      '--authorization-mode=RBAC',
      `--enable-admission-plugins=${ADMISSION_PLUGINS.join(',')}`,
      '--allow-privileged=true',
      `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
      `--service-account-key-file=${join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      // Loopback is not a valid Endpoints address; nothing in the tests reaches the in-cluster `kubernetes` Service.
      '--endpoint-reconciler-type=none',
      '--profiling=false', '--v=1'], join(dir, 'kube-apiserver.log'));
  }

  /** Generates the certificates and keys, starts etcd and kube-apiserver, waits until /readyz answers ok. */
  static async start(dir: string, etcdBinary: string, apiserverBinary: string): Promise<ControlPlane> {
    const ports = { etcdClient: await freePort(), etcdPeer: await freePort(), apiserver: await freePort() };
    const cp = new ControlPlane(dir, etcdBinary, apiserverBinary, ports);
    const t0 = Date.now();
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=gpuplane-test-apiserver-ca']);
    writeFileSync(join(dir, 'serving.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'serving.key', '-out', 'serving.csr', '-subj', '/CN=kube-apiserver']);
    run(['x509', '-req', '-in', 'serving.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'serving.crt', '-days', '30', '-extfile', 'serving.ext']);
    run(['genrsa', '-out', 'sa.key', '2048']);
    run(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
    writeFileSync(join(dir, 'tokens.csv'), `${cp.token},gpuplane-test-admin,gpuplane-test-admin,"system:masters"\n`);
    cp.ca = readFileSync(join(dir, 'ca.crt'), 'utf8');
    cp.url = `https://127.0.0.1:${ports.apiserver}`;
    cp.timings.certificatesMs = Date.now() - t0;

    cp.etcd.start();
    cp.apiserver.start();
    const t1 = Date.now();
    const dead = () => cp.etcd.exited() ?? cp.apiserver.exited();
    await waitUntil('kube-apiserver /readyz', async () => (await cp.request('GET', '/readyz')).text === 'ok', 120000, dead);
    cp.timings.startMs = Date.now() - t1;
    return cp;
  }

  async stop(): Promise<void> {
    await this.apiserver.stop();
    await this.etcd.stop();
  }

  get apiserverLog(): string {
    return join(this.dir, 'kube-apiserver.log');
  }

  /** One REST call. `body` is sent as JSON unless it is a string. */
  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(`${this.url}${path}`, {
        method, ca: this.ca,
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...(data === undefined ? {} : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(data) }) },
        timeout: 60000,
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          const warnings: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            if (res.rawHeaders[i].toLowerCase() === 'warning') warnings.push(res.rawHeaders[i + 1].replace(/^\d{3} \S+ "(.*)"$/, '$1').replace(/\\"/g, '"'));
          }
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text, warnings });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  /** Resolves apiVersion + kind to the REST resource (plural name, namespaced) through discovery. */
  async resource(apiVersion: string, kind: string): Promise<{ plural: string; namespaced: boolean } | undefined> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const r = await this.request('GET', path);
    if (r.status !== 200) return undefined;
    const found = (r.body.resources as { name: string; kind: string; namespaced: boolean }[]).find((x) => x.kind === kind && !x.name.includes('/'));
    return found && { plural: found.name, namespaced: found.namespaced };
  }

  /** The REST path of one object (the collection when `name` is omitted). */
  async objectPath(apiVersion: string, kind: string, namespace: string | undefined, name?: string): Promise<string> {
    const res = await this.resource(apiVersion, kind);
    if (!res) throw new Error(`the server does not serve ${apiVersion} ${kind}`);
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = res.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
    return `${base}${ns}/${res.plural}${name ? `/${name}` : ''}`;
  }

  /**
   * Server-side apply of one object (PATCH application/apply-patch+yaml, JSON being YAML) with strict field
   * validation; `dryRun` runs admission and validation without storing it.
   */
  async apply(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }, opts: { dryRun: boolean; fieldManager?: string }): Promise<KubeResponse> {
    const path = await this.objectPath(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const q = new URLSearchParams({ fieldManager: opts.fieldManager ?? 'gpuplane', fieldValidation: 'Strict', force: 'true' });
    if (opts.dryRun) q.set('dryRun', 'All');
    return this.request('PATCH', `${path}?${q}`, obj, 'application/apply-patch+yaml');
  }

  /** Create (POST) with strict field validation; `dryRun` runs admission and validation without storing it. */
  async create(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }, opts: { dryRun: boolean; fieldManager?: string }): Promise<KubeResponse> {
    const path = await this.objectPath(obj.apiVersion, obj.kind, obj.metadata.namespace);
    const q = new URLSearchParams({ fieldManager: opts.fieldManager ?? 'gpuplane', fieldValidation: 'Strict' });
    if (opts.dryRun) q.set('dryRun', 'All');
    return this.request('POST', `${path}?${q}`, obj);
  }
}
