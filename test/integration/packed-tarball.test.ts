/**
 * The integrations as a user gets them, in a fresh project that installs gpuplane from its packed tarball: `cdk8s
 * synth` with the validation plugin declared in cdk8s.yaml, `gpuplane/pulumi/policy` through the package's exports,
 * and the installed gpuplane-check as a Helm 4 post-renderer plugin. The tarball is `npm pack` of a fresh build.
 * Offline: it is unpacked into the project's node_modules and every other package is linked from this checkout's
 * node_modules (`npm install --offline` finds no cached registry metadata here), so npm's own dependency
 * resolution for the tarball is not exercised.
 */
import { execFileSync, spawnSync } from 'child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import * as ts from 'typescript';
import { layerBinaries } from '../helpers/helm';
import { PROGRAMS } from '../helpers/readme-programs';

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

/** The packed tarball, unpacked into a project; built once for every test in this file. */
let work: string;
let project: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gpuplane-synth-plugin-'));
  // A package directory like the published one: a fresh build, package.json, README and LICENSE, packed by npm.
  const pkg = join(work, 'package');
  mkdirSync(pkg);
  execFileSync(process.execPath, [join(MODULES, 'typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json'), '--outDir', join(pkg, 'build')], { stdio: 'pipe' });
  for (const f of ['package.json', 'README.md', 'LICENSE']) copyFileSync(join(ROOT, f), join(pkg, f));
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

describe('the packed tarball: cdk8s synth with the GpuplaneValidation plugin, the policy pack module, the Helm plugin', () => {
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

/**
 * Projects as users start them, each with the template's own tsconfig.json (only moduleResolution varied where the
 * mode is not the template's):
 * - `pulumi new typescript`: pulumi/templates typescript/tsconfig.json, commonjs + node (node10) from a3029400
 *   (2024-04-15) until 81e65225 (2026-03-25), nodenext + nodenext since; package.json without "type".
 * - `cdk8s init typescript-app`: cdk8s-cli 2.207.60 templates/typescript-app/tsconfig.json, "module": "CommonJS"
 *   and no moduleResolution (so node10), lib es2016, noUnusedLocals and noUnusedParameters.
 * - bundler resolution (esbuild, webpack, vite and tsx users): the Pulumi template with module preserve.
 * node16 resolves these CommonJS imports as nodenext does (TypeScript 5.9), so nodenext stands for both. The cdk8s
 * project compiles the programs that do not import gpuplane/pulumi (its template emits declarations, and a Pulumi
 * output's type cannot be named from a cdk8s project).
 */
const PULUMI_TEMPLATE = {
  strict: true, outDir: 'bin', target: 'es2020', module: 'commonjs', moduleResolution: 'node', sourceMap: true, experimentalDecorators: true,
  pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true,
};
const CDK8S_TEMPLATE = {
  alwaysStrict: true, declaration: true, experimentalDecorators: true, inlineSourceMap: true, inlineSources: true, lib: ['es2016'], module: 'CommonJS',
  noEmit: false, noEmitOnError: true, noFallthroughCasesInSwitch: true, noImplicitAny: true, noImplicitReturns: true, noImplicitThis: true,
  noUnusedLocals: true, noUnusedParameters: true, resolveJsonModule: true, strict: true, strictNullChecks: true, strictPropertyInitialization: true,
  stripInternal: true, target: 'ES2017',
};
const PROJECTS: Record<string, Record<string, unknown>> = {
  'pulumi-node10': PULUMI_TEMPLATE,
  'pulumi-nodenext': { ...PULUMI_TEMPLATE, module: 'nodenext', moduleResolution: 'nodenext' },
  'pulumi-bundler': { ...PULUMI_TEMPLATE, module: 'preserve', moduleResolution: 'bundler' },
  'cdk8s-node10': CDK8S_TEMPLATE,
};

/** Parsed declaration files shared between the projects' programs (parsing @pulumi/kubernetes is most of the time). */
const parsedFiles = new Map<string, ts.SourceFile>();
function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!fileName.endsWith('.d.ts')) return read(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}|${JSON.stringify(languageVersion)}`;
    let file = parsedFiles.get(key);
    if (!file) {
      file = read(fileName, languageVersion, onError, shouldCreate);
      if (file) parsedFiles.set(key, file);
    }
    return file;
  };
  return host;
}

describe('the README programs compile against the packed tarball in projects made like the Pulumi and cdk8s templates', () => {
  const dirs: Record<string, string> = {};

  beforeAll(() => {
    for (const [name, compilerOptions] of Object.entries(PROJECTS)) {
      const dir = join(work, name);
      mkdirSync(dir);
      symlinkSync(join(project, 'node_modules'), join(dir, 'node_modules'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, main: 'index.ts', dependencies: { gpuplane: VERSION } }));
      const programs = Object.entries(PROGRAMS).filter(([, code]) => !name.startsWith('cdk8s') || !code.includes("from 'gpuplane/pulumi"));
      for (const [program, code] of programs) writeFileSync(join(dir, `${program}.ts`), `${code}\nexport {};\n`);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: programs.map(([p]) => `${p}.ts`) }));
      dirs[name] = dir;
    }
  });

  test.each(Object.keys(PROJECTS))('%s: every README program type-checks with the package as installed (no TS2307)', (name) => {
    const parsed = ts.getParsedCommandLineOfConfigFile(join(dirs[name], 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } })!;
    // The cdk8s project emits as its template does (its quick start runs below); the others only type-check.
    const options = name.startsWith('cdk8s') ? parsed.options : { ...parsed.options, noEmit: true };
    const program = ts.createProgram(parsed.fileNames, options, cachingHost(options));
    if (!options.noEmit) program.emit();
    // @pulumi/policy 1.21.0's own index.d.ts re-exports two names its proxy.d.ts does not declare (TS2305), in any
    // project without skipLibCheck that imports @pulumi/policy, gpuplane or not (README, Pulumi policy pack).
    const upstream = (d: ts.Diagnostic) => d.code === 2305 && /node_modules\/@pulumi\/policy\/index\.d\.ts$/.test(d.file?.fileName ?? '');
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => !upstream(d)).map((d) => `${d.file ? `${d.file.fileName.replace(`${work}/`, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : ''} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
    // The types came from the tarball, through the package's own name.
    const resolved = ['gpuplane', 'gpuplane/pulumi', 'gpuplane/pulumi/policy'].map((m) => ts.resolveModuleName(m, join(dirs[name], 'index.ts'), parsed.options, ts.sys).resolvedModule?.resolvedFileName.replace(`${project}/`, ''));
    expect(resolved).toEqual(['node_modules/gpuplane/build/index.d.ts', 'node_modules/gpuplane/build/pulumi/index.d.ts', 'node_modules/gpuplane/build/pulumi/policy.d.ts']);
  });

  test('plain Node resolves every entry point at run time, from CommonJS and from an ES module', () => {
    const cjs = "for (const [m, name] of [['gpuplane', 'VllmService'], ['gpuplane/pulumi', 'VllmService'], ['gpuplane/pulumi/policy', 'gpuplanePolicies']]) console.log(m, require.resolve(m).replace(process.cwd() + '/', ''), typeof require(m)[name])";
    expect(execFileSync(process.execPath, ['-e', cjs], { cwd: project, encoding: 'utf8' }).trim().split('\n')).toEqual([
      'gpuplane node_modules/gpuplane/build/index.js function', 'gpuplane/pulumi node_modules/gpuplane/build/pulumi/index.js function', 'gpuplane/pulumi/policy node_modules/gpuplane/build/pulumi/policy.js function',
    ]);
    const esm = "import { VllmService } from 'gpuplane'; import { VllmService as P } from 'gpuplane/pulumi'; import { gpuplanePolicies } from 'gpuplane/pulumi/policy'; console.log(typeof VllmService, typeof P, typeof gpuplanePolicies);";
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { cwd: project, encoding: 'utf8' }).trim()).toBe('function function function');
  });

  test('the cdk8s quick start, compiled with the cdk8s template options, synthesizes from the tarball', () => {
    const dir = dirs['cdk8s-node10']; // compiled by the type-check above (noEmitOnError: only if it type-checked)
    execFileSync(process.execPath, ['cdk8s-quick-start.js'], { cwd: dir, env: { ...process.env, CDK8S_OUTDIR: join(dir, 'out') }, stdio: 'pipe' });
    expect(readFileSync(join(dir, 'out', 'inference.k8s.yaml'), 'utf8')).toContain('priorityClassName: inference');
  });

  test('the tarball ships LICENSE and the option docs as JSDoc in the declarations, and not the TypeScript sources', () => {
    const pkg = join(project, 'node_modules', 'gpuplane');
    expect(readFileSync(join(pkg, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(readFileSync(join(pkg, 'build/core/vllm/options.d.ts'), 'utf8')).toMatch(/@default/);
    expect(() => readFileSync(join(pkg, 'lib/core/vllm/options.ts'))).toThrow();
  });
});
