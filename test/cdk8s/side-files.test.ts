import { App, Chart, Testing } from 'cdk8s';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ExternalEtcdCluster, GpuOperatorStack, GpuplaneApp, sideFilesOf, synthApp, writeSideFiles } from '../../lib/cdk8s';
import { saveSideFiles } from '../../lib/core/side-files';

const tmp = () => mkdtempSync(join(tmpdir(), 'gpuplane-side-'));
const HOSTS = [1, 2, 3].map((i) => ({ name: `etcd-${i}`, address: `10.0.0.${i}` }));

/** An operator stack and a hosts-mode etcd in two charts, plus anything `extra` adds. */
function app(AppClass: typeof App, outdir: string, extra?: (a: App) => void): App {
  const a = new AppClass({ outdir });
  new GpuOperatorStack(new Chart(a, 'gpu-operator'), 'Operator', { platform: 'eks', delivery: 'flux' });
  new ExternalEtcdCluster(new Chart(a, 'etcd'), 'Etcd', { name: 'etcd-prod', version: '3.5.21', hosts: HOSTS });
  extra?.(a);
  return a;
}

function tree(dir: string, base = ''): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tree(dir, join(base, e.name)) : [join(base, e.name)])).sort();
}

const EXPECTED = [
  'etcd.k8s.yaml', 'etcd.kubeadm.yaml',
  ...HOSTS.flatMap((h) => ['command.txt', 'etcd.env', 'etcd.service'].map((f) => join('etcd', h.name, f))),
  'etcd/etcd-backup.sh', 'etcd/etcd-backup.service', 'etcd/etcd-backup.timer', 'etcd/etcd-defrag.service', 'etcd/etcd-defrag.sh', 'etcd/etcd-defrag.timer', 'etcd/etcd-health-check.sh', 'etcd/etcd-restore.sh',
  'gpu-operator.k8s.yaml', 'gpu-operator.values.yaml',
];

describe('side files (cdk8s)', () => {
  test.each([['GpuplaneApp', GpuplaneApp], ['App', App]] as const)('%s: synth() writes each construct\'s side files beside the manifests', (_name, AppClass) => {
    const out = tmp();
    const a = app(AppClass, out);
    a.synth();
    const files = tree(out);
    for (const f of EXPECTED.filter((x) => !x.includes('etcd-backup.service') && !x.includes('etcd-defrag.service'))) expect(files).toContain(f);
    expect(files).toEqual([...files].sort());
    expect(files.filter((f) => !f.endsWith('.k8s.yaml'))).toEqual(sideFilesOf(a).map((f) => f.path).sort());
    const stack = a.node.findAll().find((c): c is GpuOperatorStack => c instanceof GpuOperatorStack)!;
    expect(readFileSync(join(out, 'gpu-operator.values.yaml'), 'utf8')).toBe(stack.valuesYaml);
    const etcd = a.node.findAll().find((c): c is ExternalEtcdCluster => c instanceof ExternalEtcdCluster)!;
    expect(readFileSync(join(out, 'etcd.kubeadm.yaml'), 'utf8')).toBe(etcd.kubeadmConfigYaml());
    expect(readFileSync(join(out, 'etcd', 'etcd-2', 'etcd.env'), 'utf8')).toBe(etcd.hostFiles!.members[1].environmentFile);
    expect(readFileSync(join(out, 'etcd', 'etcd-2', 'command.txt'), 'utf8')).toBe(`${etcd.hostFiles!.members[1].command.join(' \\\n  ')}\n`);
  });

  test('a plain App synthesized through synthApp() writes the same tree as a GpuplaneApp', () => {
    const a = tmp();
    const b = tmp();
    app(GpuplaneApp, a).synth();
    synthApp(app(App, b));
    expect(tree(b)).toEqual(tree(a));
    for (const f of tree(a)) expect([f, readFileSync(join(b, f), 'utf8')]).toEqual([f, readFileSync(join(a, f), 'utf8')]);
  });

  test('sideFiles: false writes none; an object renames them', () => {
    const out = tmp();
    const a = new GpuplaneApp({ outdir: out });
    new GpuOperatorStack(new Chart(a, 'op'), 'Operator', { platform: 'eks', delivery: 'flux', sideFiles: false });
    new ExternalEtcdCluster(new Chart(a, 'etcd'), 'Etcd', { version: '3.5.21', hosts: HOSTS, sideFiles: { kubeadmFile: 'control-plane/kubeadm.yaml', hostsDirectory: 'hosts/etcd' } });
    new ExternalEtcdCluster(new Chart(a, 'etcd-2'), 'Etcd', { version: '3.5.21', hosts: HOSTS, sideFiles: false });
    a.synth();
    const files = tree(out);
    expect(files.filter((f) => !f.endsWith('.k8s.yaml') && !f.startsWith(join('hosts', 'etcd')))).toEqual([join('control-plane', 'kubeadm.yaml')]);
    expect(files).toContain(join('hosts', 'etcd', 'etcd-1', 'etcd.service'));
  });

  test('kubeadm options shape the kubeadm side file', () => {
    const a = Testing.app();
    const etcd = new ExternalEtcdCluster(new Chart(a, 'etcd'), 'Etcd', { version: '3.4.23', hosts: HOSTS, kubeadm: { apiVersion: 'v1beta3' } });
    expect(etcd.sideFiles[0]).toEqual({ path: 'etcd.kubeadm.yaml', content: etcd.kubeadmConfigYaml({ apiVersion: 'v1beta3' }) });
  });

  test('fails at synth, naming the fix, if the default kubeadm file cannot be made (etcd 3.4 and kubeadm v1beta4)', () => {
    const out = tmp();
    const a = new GpuplaneApp({ outdir: out });
    new ExternalEtcdCluster(new Chart(a, 'etcd'), 'Etcd', { version: '3.4.23', hosts: HOSTS });
    expect(() => a.synth()).toThrow(/apiVersion.*v1beta4.*etcd 3\.4/s);
  });

  test('fails if two constructs write one path, naming both and the fix', () => {
    const a = new GpuplaneApp({ outdir: tmp() });
    const chart = new Chart(a, 'ops');
    new GpuOperatorStack(chart, 'A', { platform: 'eks', delivery: 'flux' });
    new GpuOperatorStack(chart, 'B', { platform: 'eks', delivery: 'flux' });
    expect(() => a.synth()).toThrow("ops/B: 1 problem\n  - 'sideFiles' writes 'ops.values.yaml', which 'ops/A' already writes");
    expect(() => sideFilesOf(a)).toThrow(/rename one with the sideFiles option/);
  });

  test.each([
    [{ valuesFile: '/etc/values.yaml' }, "'sideFiles.valuesFile' must be relative to the output directory"],
    [{ valuesFile: '../values.yaml' }, "'sideFiles.valuesFile' must not have empty, \".\" or \"..\" segments"],
    [{ valuesFile: 'a\\b.yaml' }, "'sideFiles.valuesFile' must use \"/\" between folders"],
    [{ valuesFiles: 'x.yaml' }, 'valuesFile'],
    [true, 'takes false to switch the feature off'],
  ])('fails if sideFiles is %j', (sideFiles, message) => {
    const chart = Testing.chart();
    expect(() => new GpuOperatorStack(chart, 'Op', { platform: 'eks', delivery: 'flux', sideFiles: sideFiles as never })).toThrow(message);
  });

  test('fails if an etcd sideFiles option is wrong, at construction', () => {
    expect(() => new ExternalEtcdCluster(Testing.chart(), 'Etcd', { version: '3.5.21', hosts: HOSTS, sideFiles: { hostsDirectory: '' } })).toThrow("ExternalEtcdCluster 'etcd': 1 problem\n  - 'sideFiles.hostsDirectory' must not be empty (got \"\"). Fix: use e.g. \"etcd-hosts\"");
  });

  test('a synth that fails validation writes no side files (GpuplaneApp); synthYaml() into a missing folder writes none', () => {
    const out = tmp();
    rmSync(out, { recursive: true });
    const bad = app(GpuplaneApp, out, (a) => new Chart(a, 'bad').node.addValidation({ validate: () => ['boom'] }));
    expect(() => bad.synth()).toThrow('boom');
    expect(existsSync(join(out, 'gpu-operator.values.yaml'))).toBe(false);
    rmSync(out, { recursive: true });
    const a = app(App, out);
    a.synthYaml();
    expect(existsSync(out)).toBe(false);

  });

  test('writeSideFiles(app, dir) writes them elsewhere and returns the paths', () => {
    const a = app(App, tmp());
    const dir = tmp();
    const written = writeSideFiles(a, dir);
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual(sideFilesOf(a).map((f) => join(...f.path.split('/'))));
  });

  test('saveSideFiles refuses a path outside the folder', () => {
    expect(() => saveSideFiles(tmp(), [{ path: '../x', content: '' }])).toThrow("'path' must not have empty, \".\" or \"..\" segments (the file stays inside the output directory) (got \"../x\")");
  });
});
