/**
 * Synth time and peak memory of N VllmServices in one cdk8s app against N plain cdk8s-plus Deployments with a
 * Service each, for N = 1, 10, 100, 1000. A third column, the floor, is cdk8s alone writing the same manifests as
 * the VllmServices (rendered before the clock starts): the part of the cost that comes from the volume of output
 * rather than from gpuplane's own work. Each run is a fresh process (the median of five is reported), so module
 * loading and peak RSS are comparable. Prints a table and the per-service ratios.
 *
 * Environment: BENCH_COUNTS (default 1,10,100,1000), BENCH_REPEATS (default 5).
 */
import { execFileSync } from 'child_process';
import { join } from 'path';

interface Run { kind: string; count: number; ms: number; yamlBytes: number; peakRssMiB: number; rssBeforeMiB: number }

const COUNTS = (process.env.BENCH_COUNTS ?? '1,10,100,1000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const KINDS = ['gpuplane', 'baseline', 'floor'] as const;

function runOnce(kind: string, count: number): Run {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'synth-one.ts'), kind, String(count)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** The kinds run in turn, REPEATS rounds, so a slow spell of the machine hits all of them alike; medians. */
function measure(count: number): Record<(typeof KINDS)[number], Run> {
  const runs = Object.fromEntries(KINDS.map((k) => [k, [] as Run[]])) as Record<(typeof KINDS)[number], Run[]>;
  for (let i = 0; i < REPEATS; i++) for (const k of KINDS) runs[k].push(runOnce(k, count));
  const median = (rs: Run[]) => [...rs].sort((a, b) => a.ms - b.ms)[Math.floor(rs.length / 2)];
  return Object.fromEntries(KINDS.map((k) => [k, median(runs[k])])) as Record<(typeof KINDS)[number], Run>;
}

const build = (r: Run) => r.peakRssMiB - r.rssBeforeMiB;
const rows: string[] = [];
rows.push('    N | gpuplane ms | baseline ms | floor ms | time ratio | gpuplane MiB (+build) | baseline MiB (+build) | memory ratio (build)');
const results: { count: number; runs: Record<(typeof KINDS)[number], Run> }[] = [];
for (const count of COUNTS) {
  const runs = measure(count);
  results.push({ count, runs });
  const { gpuplane: g, baseline: b, floor: f } = runs;
  rows.push(
    `${String(count).padStart(5)} | ${g.ms.toFixed(0).padStart(11)} | ${b.ms.toFixed(0).padStart(11)} | ${f.ms.toFixed(0).padStart(8)} | ${(g.ms / b.ms).toFixed(2).padStart(10)} | ` +
      `${g.peakRssMiB.toFixed(0).padStart(8)} (+${build(g).toFixed(0).padStart(5)}) | ${b.peakRssMiB.toFixed(0).padStart(8)} (+${build(b).toFixed(0).padStart(5)}) | ${(build(g) / Math.max(build(b), 1)).toFixed(2)}`,
  );
}
console.log(rows.join('\n'));
if (results.length > 1) {
  const first = results[0];
  const last = results[results.length - 1];
  const marginal = (k: (typeof KINDS)[number]) => (last.runs[k].ms - first.runs[k].ms) / (last.count - first.count);
  const [g, b, f] = KINDS.map(marginal);
  console.log(`\nmarginal time per service: gpuplane ${g.toFixed(2)} ms, baseline ${b.toFixed(2)} ms, ratio ${(g / b).toFixed(2)} (target <= 3)`);
  console.log(`cdk8s alone writing gpuplane's manifests: ${f.toFixed(2)} ms per service, ${(f / b).toFixed(2)} x the baseline; gpuplane's own work on top: ${(g - f).toFixed(2)} ms (${((g - f) / g * 100).toFixed(0)}% of its time)`);
  const growth = results.map((r) => `${r.count}: ${(r.runs.gpuplane.ms / r.count).toFixed(2)} ms/service`).join(', ');
  console.log(`gpuplane time per service by N (linear growth keeps this flat or falling): ${growth}`);
  const gKiB = last.runs.gpuplane.yamlBytes / last.count / 1024;
  const bKiB = last.runs.baseline.yamlBytes / last.count / 1024;
  console.log(`YAML per service: gpuplane ${gKiB.toFixed(1)} KiB (8 objects), baseline ${bKiB.toFixed(1)} KiB (2 objects); time per KiB written: gpuplane ${(last.runs.gpuplane.ms / last.count / gKiB).toFixed(3)} ms, baseline ${(last.runs.baseline.ms / last.count / bKiB).toFixed(3)} ms`);
}
