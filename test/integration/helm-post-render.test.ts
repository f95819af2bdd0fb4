/**
 * gpuplane-check as a Helm 4 post-renderer, with the real helm binary: `helm template` of our own fixture charts
 * through the plugin that `gpuplane-check --helm-plugin` writes.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { parseAllDocuments } from 'yaml';
import { CheckIo, HELM_PLUGIN_NAME, main, writeHelmPlugin } from '../../lib/cli/gpuplane-check';
import { describeWithHelm } from '../helpers/helm';

const ROOT = resolve(__dirname, '../..');
const CHARTS = join(ROOT, 'test/fixtures/charts');

function runMain(argv: string[], stdin: string) {
  let stdout = '';
  const err: string[] = [];
  const io: CheckIo = { readFile: () => '', readStdin: () => stdin, out: (l) => { stdout += `${l}\n`; }, err: (l) => err.push(l), write: (t) => { stdout += t; } };
  return { status: main(argv, io), stdout, err };
}

describe('gpuplane-check --post-render (without helm)', () => {
  const bad = 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - name: vllm\n      image: vllm/vllm-openai:latest\n      resources: { limits: { nvidia.com/gpu: "1" } }\n';
  test('clean input comes back byte for byte on stdout, nothing else there', () => {
    const text = '# Source: x\napiVersion: v1\nkind: ConfigMap\nmetadata:   { name: a }\ndata: { k: "v" }\n---\n';
    expect(runMain(['--post-render'], text)).toEqual({ status: 0, stdout: text, err: [] });
  });
  test('problems go to stderr, nothing to stdout, exit 1', () => {
    const r = runMain(['--post-render'], bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.err.join('\n')).toContain('Pod//p container vllm: image "vllm/vllm-openai:latest" is not pinned');
    expect(r.err[r.err.length - 1]).toMatch(/problem\(s\): the release is refused; fix the chart or its values$/);
  });
  test('file arguments are refused (Helm gives its input on stdin); parse errors exit 2', () => {
    expect(runMain(['--post-render', 'a.yaml'], '').status).toBe(2);
    const r = runMain(['--post-render'], 'kind: [');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
  test('--helm-plugin writes a postrenderer/v1 plugin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuplane-helm-plugin-'));
    try {
      expect(writeHelmPlugin(dir, ['/usr/bin/node', "/a path/with 'quotes'.js"])).toBe(join(dir, 'gpuplane'));
      expect(readFileSync(join(dir, 'gpuplane', 'plugin.yaml'), 'utf8')).toContain('type: postrenderer/v1\nname: gpuplane\n');
      expect(readFileSync(join(dir, 'gpuplane', 'post-render.sh'), 'utf8')).toContain(`\n'/usr/bin/node' '/a path/with '\\''quotes'\\''.js' '--post-render' "$@" 2>"$report"\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithHelm('helm 4 template --post-renderer gpuplane (real helm)', (helm) => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const helmRun = (...args: string[]) => spawnSync(helm, args, { env, encoding: 'utf8' });

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'gpuplane-helm-'));
    // helm 4.1.4 installs into $HELM_DATA_HOME/plugins whatever HELM_PLUGINS says, and lists from HELM_PLUGINS.
    env = { ...process.env, HELM_PLUGINS: join(home, 'data', 'plugins'), HELM_CONFIG_HOME: join(home, 'config'), HELM_CACHE_HOME: join(home, 'cache'), HELM_DATA_HOME: join(home, 'data'), GPUPLANE_POST_RENDER_REPORT: join(home, 'report.txt') };
    const plugin = writeHelmPlugin(home, [process.execPath, '-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'lib/cli/gpuplane-check.ts')]);
    const installed = helmRun('plugin', 'install', plugin);
    if (installed.status !== 0) throw new Error(`helm plugin install failed: ${installed.stderr}`);
    expect(helmRun('plugin', 'list').stdout).toMatch(new RegExp(`^${HELM_PLUGIN_NAME}\\s+0\\.1\\.0\\s+postrenderer/v1`, 'm'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const report = () => readFileSync(join(home, 'report.txt'), 'utf8');

  test('the bad chart (CPU limit, latest image, no probes) is refused; the problems are in the report file', () => {
    const r = helmRun('template', 'rel', join(CHARTS, 'vllm-bad'), '--post-renderer', HELM_PLUGIN_NAME);
    expect(r.status).not.toBe(0);
    expect(r.stdout).not.toContain('kind: Deployment');
    // helm 4.1.4 drops the plugin's stderr: it says only that the plugin failed.
    expect(r.stderr).toContain('failed to invoke post-renderer plugin "gpuplane"');
    expect(report()).toContain('Deployment//rel-vllm container vllm: limits.cpu "8" on a GPU container');
    expect(report()).toContain('image "vllm/vllm-openai:latest" is not pinned');
    expect(report()).toContain('the release is refused');
  });

  test('the good chart passes and the output equals helm template without the post-renderer', () => {
    const plain = helmRun('template', 'rel', join(CHARTS, 'vllm-good'));
    expect(plain.status).toBe(0);
    const post = helmRun('template', 'rel', join(CHARTS, 'vllm-good'), '--post-renderer', HELM_PLUGIN_NAME);
    expect({ status: post.status, stderr: post.stderr }).toEqual({ status: 0, stderr: '' });
    // Helm 4 re-reads the post-renderer's output and writes it out again in its own YAML style (flow maps without
    // inner spaces, list indentation), so the documents are compared, not the bytes; the checker itself returns
    // the bytes unchanged (tested above).
    const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
    expect(docs(post.stdout)).toEqual(docs(plain.stdout));
    expect(docs(post.stdout)).toHaveLength(2);
    expect(post.stdout).toContain('image: vllm/vllm-openai:v0.11.0');
  });

  test('helm install (--dry-run=client: no cluster here) refuses the bad chart and installs the good one', () => {
    const noCluster = { ...env, KUBECONFIG: join(home, 'no-kubeconfig') };
    const badInstall = spawnSync(helm, ['install', 'rel', join(CHARTS, 'vllm-bad'), '--dry-run=client', '--post-renderer', HELM_PLUGIN_NAME], { env: noCluster, encoding: 'utf8' });
    expect(badInstall.status).not.toBe(0);
    expect(badInstall.stderr).toContain('INSTALLATION FAILED');
    expect(report()).toContain('limits.cpu "8" on a GPU container');
    const goodInstall = spawnSync(helm, ['install', 'ok', join(CHARTS, 'vllm-good'), '--dry-run=client', '--post-renderer', HELM_PLUGIN_NAME], { env: noCluster, encoding: 'utf8' });
    expect({ status: goodInstall.status, stderr: goodInstall.stderr }).toEqual({ status: 0, stderr: '' });
    expect(goodInstall.stdout).toContain('STATUS: pending-install');
  });

  test('--post-renderer-args reach the checker (--rules-only)', () => {
    const r = helmRun('template', 'rel', join(CHARTS, 'vllm-bad'), '--post-renderer', HELM_PLUGIN_NAME, '--post-renderer-args', '--rules-only');
    expect(r.status).not.toBe(0);
    expect(report()).toContain('is not pinned');
    expect(report()).toContain('(production rules only)');
  });
});
