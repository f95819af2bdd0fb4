/**
 * The README's TypeScript examples are part of the product: every block type-checks against the library, and the
 * ones that run without a cluster run. Imports of `gpuplane` are pointed at lib/ (the package name resolves to the
 * built files only after `npm run build`), so this cannot see how the package's own name resolves: the packed-tarball
 * test compiles the same programs against the installed tarball under each module resolution.
 */
import { execFileSync } from 'child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import * as ts from 'typescript';
import { BLOCKS, PROGRAMS } from './helpers/readme-programs';

const ROOT = resolve(__dirname, '..');
const snippetDir = join(ROOT, '.readme-snippets');
const fileOf = (name: string) => join(snippetDir, `${name}.ts`);

beforeAll(() => {
  rmSync(snippetDir, { recursive: true, force: true });
  mkdirSync(snippetDir);
  for (const [name, code] of Object.entries(PROGRAMS)) {
    const pointed = code.replace(/from 'gpuplane\/pulumi\/policy'/g, `from '${join(ROOT, 'lib/pulumi/policy')}'`).replace(/from 'gpuplane\/pulumi'/g, `from '${join(ROOT, 'lib/pulumi')}'`).replace(/from 'gpuplane'/g, `from '${join(ROOT, 'lib')}'`);
    writeFileSync(fileOf(name), `${pointed}\nexport {};\n`);
  }
});
afterAll(() => rmSync(snippetDir, { recursive: true, force: true }));

/** Runs one snippet in a fresh process in `cwd`; returns stdout and stderr. */
function run(name: string, cwd: string): { stdout: string; stderr: string } {
  const stderrFile = join(cwd, '.stderr');
  const fd = openSync(stderrFile, 'w');
  try {
    const stdout = execFileSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), fileOf(name)], {
      cwd, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: join(cwd, 'out'), TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') }, stdio: ['ignore', 'pipe', fd],
    });
    return { stdout, stderr: readFileSync(stderrFile, 'utf8') };
  } catch (e) {
    throw new Error(`README program ${name} failed: ${(e as Error).message}\n${readFileSync(stderrFile, 'utf8')}`);
  } finally {
    closeSync(fd);
  }
}

describe('README examples', () => {
  test('every TypeScript block is covered by a program here', () => {
    const covered = new Set(Object.values(PROGRAMS));
    for (const b of BLOCKS) expect([...covered].some((p) => p.includes(b))).toBe(true);
  });

  test('every program type-checks (strict) against the library', () => {
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, lib: ['lib.es2022.d.ts'],
      strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'], resolveJsonModule: true,
    };
    const program = ts.createProgram(Object.keys(PROGRAMS).map(fileOf), options);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${d.file.fileName.replace(`${ROOT}/`, '')}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  });

  test('the cdk8s quick start synthesizes and prints the concurrency', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuplane-readme-'));
    const { stdout } = run('cdk8s-quick-start', cwd);
    expect(Number(stdout.trim())).toBeGreaterThan(10);
    expect(readdirSync(join(cwd, 'out'))).toEqual(['inference.k8s.yaml']);
    const yaml = readFileSync(join(cwd, 'out', 'inference.k8s.yaml'), 'utf8');
    expect(yaml).toContain('priorityClassName: inference');
    expect(yaml).toContain('example.com/owner: platform');
  });

  test('the production-rules example reports the problems of a hand-written manifest', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuplane-readme-'));
    writeFileSync(join(cwd, 'vllm.yaml'), [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: { name: vllm, namespace: ml }', 'spec:', '  selector: { matchLabels: { app: vllm } }',
      '  template:', '    metadata: { labels: { app: vllm } }', '    spec:', '      containers:', '        - name: vllm', '          image: vllm/vllm-openai:latest',
      '          args: [--model, meta-llama/Llama-3.1-8B-Instruct]', "          resources: { limits: { cpu: '8', nvidia.com/gpu: '1' } }", '---', '',
    ].join('\n'));
    const { stderr } = run('production-rules', cwd);
    expect(stderr).toContain('Deployment/ml/vllm container vllm: limits.cpu "8" on a GPU container');
    expect(stderr).toContain('Deployment/ml/vllm container vllm: image "vllm/vllm-openai:latest" is not pinned');
    expect(stderr).toContain('Deployment/ml/vllm container vllm: no --max-model-len');
    expect(stderr).toContain('Deployment/ml/vllm: maxSurge "25%" needs 1 free GPU(s)');
  });

  test('the LoRA and scale-to-zero example constructs (adapters fit, the gateway accepts the adapter route)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuplane-readme-'));
    expect(() => run('lora-and-scale-to-zero', cwd)).not.toThrow();
  });

  test('the DRA and Kueue example constructs without errors', () => {
    expect(() => run('dra-kueue', mkdtempSync(join(tmpdir(), 'gpuplane-readme-')))).not.toThrow();
  });

  test('the GPU pool and etcd examples construct without errors', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuplane-readme-'));
    expect(() => run('gpu-pools', cwd)).not.toThrow();
    expect(() => run('etcd', cwd)).not.toThrow();
  });

  test('the multi-node example constructs its LeaderWorkerSet and prints the per-rank numbers', () => {
    const { stdout } = run('multi-node', mkdtempSync(join(tmpdir(), 'gpuplane-readme-')));
    expect(stdout).toContain('LeaderWorkerSet llama-405b-lws: 2 pods x 8 GPUs, native launch, 47.253 GiB of weights per rank');
  });

  test('the fleet planner example plans and constructs the fleet', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuplane-readme-'));
    const { stdout } = run('fleet', cwd);
    expect(stdout).toContain('GPU fleet plan (cost)');
    expect(stdout).toContain('fleet-h100-80gb-mig');
  });

  test("the estimator example reads a Hugging Face config.json", () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gpuplane-readme-'));
    writeFileSync(join(cwd, 'config.json'), JSON.stringify({
      architectures: ['LlamaForCausalLM'], hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32, num_hidden_layers: 32,
      num_key_value_heads: 8, vocab_size: 128256, max_position_embeddings: 131072, torch_dtype: 'bfloat16', tie_word_embeddings: false,
    }));
    expect(() => run('estimator', cwd)).not.toThrow();
  });
});
