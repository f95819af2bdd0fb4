/**
 * Planner benchmark: plan time and optimality gap of planGpuFleet over generated instances of 10, 100 and 1,000
 * workloads (memory needs and catalog models, mig/shared/whole isolation, one or two GPU models), the gap measured
 * against the planner's own proven lower bound; and, on small instances, against the exact optimum computed by the
 * test suite's independent pattern formulation. One process; the first plan includes loading HiGHS (reported apart).
 *
 * Environment: PLANNER_BENCH_SIZES (default 10,100,1000), PLANNER_BENCH_SEEDS (instances per size, default 5).
 */
import { planGpuFleet } from '../lib/core/planning';
import { exactOptimum, randomInstance } from '../test/core/planning/instances';

const SIZES = (process.env.PLANNER_BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const SEEDS = Number(process.env.PLANNER_BENCH_SEEDS ?? 5);

// Cold start: the worker thread, loading HiGHS, and V8 compiling the hot WebAssembly functions on first use.
const t0 = Date.now();
planGpuFleet({ workloads: [{ name: 'warm', memoryGiB: 9 }], gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3 }] });
const t1 = Date.now();
for (let s = 0; s < 3; s++) planGpuFleet(randomInstance(99 + s, 100, 4, { models: true, twoGpus: true }));
console.log(`cold start: first plan ${t1 - t0} ms, then three 100-workload warm-up plans ${Date.now() - t1} ms\n`);

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
console.log('workloads  replicas  objective  GPUs plan/bound  cost plan/bound   gap (objective)  ms');
for (const n of SIZES) {
  const times: number[] = [];
  const gaps: number[] = [];
  for (let s = 0; s < SEEDS; s++) {
    const req = randomInstance(1000 * n + s, n, 4, { models: true, twoGpus: s % 2 === 0 });
    const started = process.hrtime.bigint();
    const plan = planGpuFleet(req);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    times.push(ms);
    const replicas = req.workloads.reduce((a, w) => a + (w.replicas ?? 1), 0);
    gaps.push(plan.gap);
    console.log(`${String(n).padStart(9)}  ${String(replicas).padStart(8)}  ${plan.objective.padStart(9)}  ${`${plan.gpus}/${plan.lowerBound.gpus}`.padStart(15)}  ${`${plan.cost.toFixed(1)}/${plan.lowerBound.cost.toFixed(1)}`.padStart(15)}  ${pct(plan.gap).padStart(15)}  ${ms.toFixed(0).padStart(4)}`);
  }
  times.sort((a, b) => a - b);
  console.log(`${String(n).padStart(9)}  plan time median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms; gap to the bound mean ${pct(gaps.reduce((a, b) => a + b, 0) / gaps.length)}, max ${pct(Math.max(...gaps))}\n`);
}

// Small instances against the exact optimum (memory needs only; the exact solver enumerates every GPU pattern).
let within = 0;
let worst = 0;
let exactHits = 0;
const SMALL = 30;
for (let s = 0; s < SMALL; s++) {
  const req = randomInstance(500 + s, 2 + (s % 4), 4, { twoGpus: s % 2 === 1 });
  const plan = planGpuFleet(req);
  const exact = exactOptimum(req);
  const value = req.objective === 'gpus' ? plan.gpus : plan.cost;
  const gap = value / exact.objective - 1;
  worst = Math.max(worst, gap);
  if (gap <= 1e-9) exactHits++;
  if (req.objective === 'gpus' ? plan.gpus - exact.gpus <= 1 : gap <= 0.02) within++;
}
console.log(`small instances vs the exact optimum: ${within}/${SMALL} within 1 GPU (gpus) or 2% (cost); ${exactHits}/${SMALL} optimal; worst gap ${pct(worst)}`);
