/**
 * Synth time and peak memory of N VllmServices in one cdk8s app against N plain cdk8s-plus Deployments with a
 * Service each, for N = 1, 10, 100, 1000. Each run is a fresh process (the median of three is reported), so
 * module loading and peak RSS are comparable. Prints a table and the per-service ratios.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';

interface Run { kind: string; count: number; ms: number; yamlBytes: number; peakRssMiB: number; rssBeforeMiB: number }

const COUNTS = (process.env.BENCH_COUNTS ?? '1,10,100,1000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function measure(kind: string, count: number): Run {
  const runs: Run[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, 'synth-one.ts'), kind, String(count)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    runs.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[Math.floor(runs.length / 2)];
}

const rows: string[] = [];
rows.push('    N | gpuplane ms | baseline ms | time ratio | gpuplane MiB (+build) | baseline MiB (+build) | memory ratio (build)');
const results: { count: number; g: Run; b: Run }[] = [];
for (const count of COUNTS) {
  const g = measure('gpuplane', count);
  const b = measure('baseline', count);
  results.push({ count, g, b });
  const gBuild = g.peakRssMiB - g.rssBeforeMiB;
  const bBuild = b.peakRssMiB - b.rssBeforeMiB;
  rows.push(
    `${String(count).padStart(5)} | ${g.ms.toFixed(0).padStart(11)} | ${b.ms.toFixed(0).padStart(11)} | ${(g.ms / b.ms).toFixed(2).padStart(10)} | ` +
      `${g.peakRssMiB.toFixed(0).padStart(8)} (+${gBuild.toFixed(0).padStart(5)}) | ${b.peakRssMiB.toFixed(0).padStart(8)} (+${bBuild.toFixed(0).padStart(5)}) | ${(gBuild / Math.max(bBuild, 1)).toFixed(2)}`,
  );
}
console.log(rows.join('\n'));
const last = results[results.length - 1];
const first = results[0];
if (results.length > 1) {
  const perG = (last.g.ms - first.g.ms) / (last.count - first.count);
  const perB = (last.b.ms - first.b.ms) / (last.count - first.count);
  console.log(`\nmarginal time per service: gpuplane ${perG.toFixed(2)} ms, baseline ${perB.toFixed(2)} ms, ratio ${(perG / perB).toFixed(2)} (target <= 3)`);
  const growth = results.map((r) => `${r.count}: ${(r.g.ms / r.count).toFixed(2)} ms/service`).join(', ');
  console.log(`gpuplane time per service by N (linear growth keeps this flat or falling): ${growth}`);
  const gKiB = last.g.yamlBytes / last.count / 1024;
  const bKiB = last.b.yamlBytes / last.count / 1024;
  console.log(`YAML per service: gpuplane ${gKiB.toFixed(1)} KiB, baseline ${bKiB.toFixed(1)} KiB; time per KiB written: gpuplane ${(last.g.ms / last.count / gKiB).toFixed(3)} ms, baseline ${(last.b.ms / last.count / bKiB).toFixed(3)} ms`);
}
