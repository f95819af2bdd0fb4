/**
 * Start-up cost: the time of importing gpuplane, of the first `renderVllmService` call (which loads the validators
 * for the kinds it renders) and of the second, each in a fresh process; medians of BENCH_REPEATS (default 5) runs.
 * Also the module files loaded. Run: `ts-node --transpile-only bench/first-render.ts`; with GPUPLANE_BENCH_BUILD=1
 * it measures the compiled library in build/ (`npm run build` first), as plain node runs it, without ts-node
 * compiling gpuplane's own lazily loaded modules inside the first render.
 */
import { execFileSync } from 'child_process';

interface Sample {
  importMs: number; firstRenderMs: number; secondRenderMs: number; modules: number }

/** What the registry of kinds required before it named each model's own module: the whole group/version indexes. */
const BARRELS = [
  'kubernetes-models/v1',
  'kubernetes-models/apps/v1',
  'kubernetes-models/autoscaling/v2',
  'kubernetes-models/batch/v1',
  'kubernetes-models/networking.k8s.io/v1',
  'kubernetes-models/policy/v1',
  'kubernetes-models/rbac.authorization.k8s.io/v1',
  '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
  '@kubernetes-models/istio/networking.istio.io/v1beta1',
  '@kubernetes-models/keda/keda.sh/v1alpha1',
];

function child(barrels: boolean): void {
  const t0 = process.hrtime.bigint();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require(process.env.GPUPLANE_BENCH_BUILD ? '../build' : '../lib') as typeof import('../lib');
  const before = Object.keys(require.cache).length;
  const t1 = process.hrtime.bigint();
  // The 'before' figure: the first render as it was, loading the indexes (a render loads the same per-kind files).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (barrels) for (const b of BARRELS) require(b);
  lib.renderVllmService({ name: 'a', namespace: 'b', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
  const t2 = process.hrtime.bigint();
  lib.renderVllmService({ name: 'c', namespace: 'b', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
  const t3 = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  const s: Sample = { importMs: ms(t0, t1), firstRenderMs: ms(t1, t2), secondRenderMs: ms(t2, t3), modules: Object.keys(require.cache).length - before };
  console.log(JSON.stringify(s));
}

if (process.argv[2] === 'child') {
  child(process.argv[3] === 'before');
} else {
  const repeats = Number(process.env.BENCH_REPEATS ?? 5);
  const samples: Record<'before' | 'after', Sample[]> = { before: [], after: [] };
  for (let i = 0; i < repeats; i++) {
    for (const mode of ['before', 'after'] as const) {
      const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, 'child', mode], { encoding: 'utf8' });
      samples[mode].push(JSON.parse(out.trim().split('\n').pop()!));
    }
  }
  const median = (mode: 'before' | 'after', k: keyof Sample) => samples[mode].map((s) => s[k]).sort((a, b) => a - b)[Math.floor(repeats / 2)];
  console.log(`first render, fresh processes, median of ${repeats} (before: the kinds' group indexes; after: each kind's own model module)`);
  console.log('        | first renderVllmService ms | second ms | module files loaded by the first render');
  for (const mode of ['before', 'after'] as const) {
    console.log(`${mode.padEnd(7)} | ${median(mode, 'firstRenderMs').toFixed(0).padStart(26)} | ${median(mode, 'secondRenderMs').toFixed(1).padStart(9)} | ${median(mode, 'modules')}`);
  }
}
