/**
 * `cdk8s synth` with the validation plugin declared in cdk8s.yaml, in a fresh project that installs gpuplane from
 * its packed tarball (`npm pack` of a fresh build). Offline: the tarball is unpacked into the project's
 * node_modules and every other package is linked from this checkout's node_modules (npm cannot install from the
 * registry here), so npm's own dependency resolution for the tarball is not exercised.
 */
import { execFileSync, spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

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

describe('cdk8s synth with the GpuplaneValidation plugin (packed tarball)', () => {
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
    return spawnSync(process.execPath, [join(MODULES, 'cdk8s-cli/bin/cdk8s'), 'synth'], {
      cwd: project, encoding: 'utf8', env: { ...process.env, BAD: bad ? '1' : '0', CDK8S_CHECK_UPGRADE: 'false' },
    });
  };

  test('a clean app synthesizes and the plugin reports success', () => {
    const r = synth(false);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
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
});
