import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { buildApp } from '../../examples/main';
import { CheckIo, main } from '../../lib/cli/gpuplane-check';

const ROOT = resolve(__dirname, '../..');

/** The articles' first-draft vLLM Deployment, as someone writes it by hand. */
const BAD = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: vllm, namespace: ml }
spec:
  selector: { matchLabels: { app: vllm } }
  template:
    metadata: { labels: { app: vllm } }
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:latest
          args: [--model, meta-llama/Llama-3.1-8B-Instruct, --max-model-len, "8192"]
          ports: [{ name: http, containerPort: "8000" }]
          resources: { limits: { cpu: "8", nvidia.com/gpu: "1" }, requests: { nvidia.com/gpu: "1" } }
          startupProbe: { httpGet: { path: /health, port: http }, periodSeconds: 10, failureThreshold: 60 }
          readinessProbe: { httpGet: { path: /health, port: http } }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
`;

function runMain(argv: string[], files: Record<string, string> = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CheckIo = {
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: no such file or directory, open '${p}'`);
      return files[p];
    },
    readStdin: () => stdin,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  };
  return { status: main(argv, io), out, err };
}

describe('gpuplane-check', () => {
  test('reports every problem of a hand-written manifest and exits 1', () => {
    const r = runMain(['bad.yaml'], { 'bad.yaml': BAD });
    expect(r.status).toBe(1);
    expect(r.out).toEqual([
      'Deployment/ml/vllm: schema apps/v1/Deployment: data/spec/template/spec/containers/0/ports/0/containerPort must be integer',
      'Deployment/ml/vllm container vllm: limits.cpu "8" on a GPU container throttles tokenization and request handling while the GPU waits. Remove limits.cpu and size requests.cpu instead',
      'Deployment/ml/vllm container vllm: image "vllm/vllm-openai:latest" is not pinned; an unpinned or latest image changes under you on the next pull, and a GPU node pulls gigabytes to find out. Pin a release tag or an @sha256 digest',
      expect.stringContaining('Deployment/ml/vllm: maxSurge "25%" needs 1 free GPU(s)'),
    ]);
    expect(r.err).toEqual(['gpuplane-check: 2 object(s), 4 problem(s); no schema known for example.com/v1/Widget (other checks ran)']);
  });

  test('--rules-only skips the schema and semantic checks', () => {
    const r = runMain(['--rules-only', '-'], {}, BAD);
    expect(r.status).toBe(1);
    expect(r.out).toHaveLength(3);
    expect(r.err).toEqual(['gpuplane-check: 2 object(s), 3 problem(s) (production rules only)']);
  });

  test('every manifest gpuplane synthesizes for the examples is clean', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'gpuplane-check-'));
    buildApp(outdir).synth();
    const files = Object.fromEntries(readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).map((f) => [f, readFileSync(join(outdir, f), 'utf8')]));
    expect(Object.keys(files).length).toBeGreaterThan(8);
    for (const name of Object.keys(files)) {
      const r = runMain([name], files);
      expect({ name, out: r.out, status: r.status }).toEqual({ name, out: [], status: 0 });
    }
  });

  test('--closed over all the example files at once: objects of different files (apps) are not duplicates', () => {
    // The EKS and GKE operator charts both render Namespace/gpu-operator, the operator's HelmRelease and so on: two
    // apps for two clusters, as `gpuplane-check --closed dist/*.yaml` reads them.
    const outdir = mkdtempSync(join(tmpdir(), 'gpuplane-check-'));
    buildApp(outdir).synth();
    const names = readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort();
    const files = Object.fromEntries(names.map((f) => [f, readFileSync(join(outdir, f), 'utf8')]));
    const r = runMain(['--closed', ...names], files);
    expect(r.out.filter((l) => l.includes('rendered twice'))).toEqual([]);
    expect({ out: r.out, status: r.status }).toEqual({ out: [], status: 0 });
  });

  test('an object twice within one file is still rendered twice; the same object in two files is not', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: ml }\n';
    expect(runMain(['a.yaml'], { 'a.yaml': `${cm}---\n${cm}` }).out).toEqual(['ConfigMap/ml/a: rendered twice in a.yaml']);
    expect(runMain(['--closed', 'a.yaml', 'b.yaml'], { 'a.yaml': cm, 'b.yaml': cm }).out).toEqual([]);
  });

  test.each<[string, string[], Record<string, string>, string]>([
    ['no input', [], {}, 'gpuplane-check: no manifest given'],
    ['an unknown option', ['--fix', 'a.yaml'], {}, 'gpuplane-check: unknown option --fix'],
    ['a missing file', ['missing.yaml'], {}, "gpuplane-check: ENOENT: no such file or directory, open 'missing.yaml'"],
    ['broken YAML', ['b.yaml'], { 'b.yaml': 'kind: [' }, 'gpuplane-check: b.yaml: '],
    ['a document that is not an object', ['c.yaml'], { 'c.yaml': '- a\n- b\n' }, 'gpuplane-check: c.yaml: a document is not a Kubernetes object (it needs apiVersion and kind)'],
    ['an object without a name', ['d.yaml'], { 'd.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { generateName: x- }\n' }, 'gpuplane-check: d.yaml: ConfigMap without metadata.name'],
  ])('exits 2 on %s, saying why', (_name, argv, files, message) => {
    const r = runMain(argv, files);
    expect(r.status).toBe(2);
    expect(r.err[0]).toContain(message);
  });

  test('targets outside the files are not problems unless --closed says the files are the whole application', () => {
    const files = {
      'app.yaml': BAD,
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: metrics, namespace: ml }\nspec: { selector: { app: made-by-an-operator }, ports: [{ port: 9090 }] }\n',
    };
    expect(runMain(['app.yaml', 'svc.yaml'], files).out.join('\n')).not.toContain('Service/ml/metrics');
    expect(runMain(['--closed', 'app.yaml', 'svc.yaml'], files).out).toContain('Service/ml/metrics: spec.selector selects no workload of this render');
  });

  test('reads List objects item by item', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: a }\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: b }\n`;
    const r = runMain(['l.yaml'], { 'l.yaml': list });
    expect(r).toEqual({ status: 0, out: [], err: ['gpuplane-check: 2 object(s), 0 problem(s)'] });
  });

  test('runs as a command: reads standard input, prints problems on stdout, exits 1', () => {
    const r = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'lib/cli/gpuplane-check.ts'), '-'], { input: BAD, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
    expect(r.stderr).toContain('4 problem(s)');
  });
});
