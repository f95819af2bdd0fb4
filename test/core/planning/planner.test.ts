import { findGpu } from '../../../lib/core/catalog/gpus';
import { GpuplaneValidationError } from '../../../lib/core/errors';
import { checkMigLayout, migProfileMemoryGiB } from '../../../lib/core/gpu/mig-layout';
import { resolveGpuPool } from '../../../lib/core/gpu/pool';
import { fleetSvg, fleetTable, FleetPlan, FleetRequest, planGpuFleet } from '../../../lib/core/planning';
import { MIG_UTILIZATION } from '../../../lib/core/planning/sizing';
import { exactOptimum, randomInstance } from './instances';

/** Every invariant a plan must hold, whatever the instance. */
function checkPlan(req: FleetRequest, plan: FleetPlan): void {
  const cap = req.sharedMemoryCap ?? 0.9;
  // Every replica placed exactly once.
  const expected = req.workloads.flatMap((w) => Array.from({ length: w.replicas ?? 1 }, (_, i) => `${w.name}#${i}`)).sort();
  expect(plan.assignments.map((a) => `${a.workload}#${a.replica}`).sort()).toEqual(expected);
  // GPUs: unique positions, valid layouts, no instance used twice, memory held.
  const positions = new Set<string>();
  for (const g of plan.gpuList) {
    const key = `${g.pool}/${g.node}/${g.device}`;
    expect(positions.has(key)).toBe(false);
    positions.add(key);
    const spec = findGpu(g.gpu)!;
    if (g.kind === 'mig') {
      const check = checkMigLayout(spec, g.layout!);
      expect(check.problems).toEqual([]);
      // The slots are the layout's instances at non-overlapping placements.
      let used = 0;
      for (const s of g.slots) {
        const mask = ((1 << s.size) - 1) << s.start!;
        expect(used & mask).toBe(0);
        used |= mask;
        expect(spec.mig!.profiles[s.profile].placementStarts).toContain(s.start);
        if (s.workload !== undefined) {
          const w = req.workloads.find((x) => x.name === s.workload)!;
          expect(s.needGiB!).toBeLessThanOrEqual(migProfileMemoryGiB(spec, s.profile) * (w.model ? MIG_UTILIZATION : 1) + 1e-9);
          if (w.memoryGiB !== undefined) expect(s.needGiB).toBeCloseTo(w.memoryGiB, 6);
          expect(w.isolation ?? 'mig').not.toBe('whole');
        }
      }
      const counts: Record<string, number> = {};
      for (const s of g.slots) counts[s.profile] = (counts[s.profile] ?? 0) + 1;
      expect(counts).toEqual(g.layout);
    } else if (g.kind === 'shared') {
      const total = g.slots.reduce((s, x) => s + x.size, 0);
      expect(total).toBeLessThanOrEqual(Math.floor(cap * 100 + 1e-9));
      expect(g.slots.reduce((s, x) => s + x.needGiB!, 0)).toBeLessThanOrEqual(spec.memoryGiB * cap + 1e-6);
      for (const s of g.slots) expect(req.workloads.find((x) => x.name === s.workload)!.isolation).toBe('shared');
    } else {
      expect(g.slots).toHaveLength(1);
      expect(g.slots[0].needGiB!).toBeLessThanOrEqual(spec.memoryGiB + 1e-9);
    }
  }
  // TP groups on one node, contiguous.
  for (const a of plan.assignments.filter((x) => x.tensorParallelSize > 1)) {
    const node = plan.gpuList.filter((g) => g.pool === a.pool && g.node === a.node);
    const perNode = req.gpus.find((o) => o.gpu === a.gpu)!.gpusPerNode ?? 8;
    expect(a.device + a.tensorParallelSize).toBeLessThanOrEqual(perNode);
    expect(node.filter((g) => g.device >= a.device && g.device < a.device + a.tensorParallelSize)).toHaveLength(a.tensorParallelSize);
  }
  // Costs add up.
  const price = (id: string) => req.gpus.find((o) => o.gpu === id)!.hourlyPrice;
  const nodeCost = plan.pools.reduce((s, p) => s + (p.nodes as number) * (p.gpusPerNode ?? 8) * price(p.gpu), 0);
  expect(plan.provisioned.cost).toBeCloseTo(nodeCost, 6);
  if ((req.billing ?? 'gpu') === 'gpu') {
    expect(plan.gpus).toBe(plan.gpuList.length);
    expect(plan.cost).toBeCloseTo(plan.gpuList.reduce((s, g) => s + price(g.gpu), 0), 6);
  } else {
    expect(plan.gpus).toBe(plan.provisioned.gpus);
    expect(plan.cost).toBeCloseTo(nodeCost, 6);
  }
  for (const o of req.gpus) if (o.maxGpus !== undefined) expect(plan.gpuList.filter((g) => g.gpu === o.gpu).length).toBeLessThanOrEqual(o.maxGpus);
  // Bounds.
  expect(plan.gpus).toBeGreaterThanOrEqual(plan.lowerBound.gpus);
  expect(plan.cost).toBeGreaterThanOrEqual(plan.lowerBound.cost - 1e-6);
  expect(plan.gap).toBeGreaterThanOrEqual(0);
  // Pools render: layouts per GPU of the node, resources the services request.
  for (const pool of plan.pools) expect(() => resolveGpuPool(pool)).not.toThrow();
  const poolGpus = plan.pools.reduce((s, p) => s + (p.nodes as number) * (p.gpusPerNode ?? 8), 0);
  expect(poolGpus).toBe(plan.provisioned.gpus);
  expect(plan.provisioned.gpus).toBeGreaterThanOrEqual(plan.gpus);
}

const EXAMPLE: FleetRequest = {
  workloads: [
    { name: 'chat', model: 'llama-3.1-8b', maxModelLen: 8192, concurrency: 8, replicas: 3, isolation: 'mig' },
    { name: 'embed', memoryGiB: 9, replicas: 4, isolation: 'shared' },
  ],
  gpus: [
    { gpu: 'H100-80GB', gpusPerNode: 8, hourlyPrice: 4.0, maxGpus: 64 },
    { gpu: 'L40S', gpusPerNode: 4, hourlyPrice: 1.9 },
  ],
  objective: 'cost',
};

describe('planGpuFleet', () => {
  test('the issue example: every replica placed, bound proven, table and SVG rendered', () => {
    const plan = planGpuFleet(EXAMPLE);
    checkPlan(EXAMPLE, plan);
    expect(plan.cost).toBeLessThan(plan.naive.cost);
    expect(fleetTable(plan)).toContain('GPU fleet plan (cost)');
    expect(fleetSvg(plan)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    // Deterministic.
    const again = planGpuFleet(EXAMPLE);
    expect({ ...again, millis: 0 }).toEqual({ ...plan, millis: 0 });
  });

  test('8B chat at 8 x 8192 tokens takes a 3g.40gb on an H100 (estimator at the MIG utilization)', () => {
    const plan = planGpuFleet({ workloads: [{ name: 'chat', model: 'llama-3.1-8b', maxModelLen: 8192, concurrency: 8, replicas: 4 }], gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3 }] });
    expect(new Set(plan.assignments.map((a) => a.profile))).toEqual(new Set(['3g.40gb', '4g.40gb']));
    expect(plan.gpus).toBe(2);
    expect(plan.lowerBound.gpus).toBe(2);
  });

  test('a 70B on whole GPUs is a TP group of one node', () => {
    // Four L40S (37.7 GiB usable each) are just short for the 131.5 GiB of weights plus the TP>1 communication
    // buffers and KV cache; eight hold it.
    const plan = planGpuFleet({ workloads: [{ name: 'big', model: 'llama-3.1-70b', maxModelLen: 8192, concurrency: 4, isolation: 'whole' }], gpus: [{ gpu: 'L40S', gpusPerNode: 8, hourlyPrice: 1.9 }] });
    expect(plan.assignments[0]).toMatchObject({ profile: 'whole', tensorParallelSize: 8, device: 0 });
    expect(plan.gpus).toBe(8);
  });

  test('balanced layouts only: never better than any layout', () => {
    const any = planGpuFleet({ ...EXAMPLE, workloads: [{ name: 'a', memoryGiB: 30, replicas: 6 }], gpus: [EXAMPLE.gpus[0]] });
    const balanced = planGpuFleet({ ...EXAMPLE, workloads: [{ name: 'a', memoryGiB: 30, replicas: 6 }], gpus: [EXAMPLE.gpus[0]], migLayouts: 'balanced' });
    expect(any.gpus).toBe(3);
    expect(balanced.gpus).toBe(6);
  });

  test('node billing: whole nodes are what the plan pays for, and the bound holds for them', () => {
    for (const seed of [7, 8, 9, 10]) {
      const req = { ...randomInstance(seed, 6, 5, { models: true, twoGpus: true }), billing: 'node' as const };
      const plan = planGpuFleet(req);
      checkPlan(req, plan);
      const perGpu = planGpuFleet({ ...req, billing: 'gpu' });
      // Paying for nodes, the node-aware plan never provisions more than the per-GPU plan does.
      if (req.objective === 'cost') expect(plan.cost).toBeLessThanOrEqual(perGpu.provisioned.cost * 1.002 + 1e-6);
      else expect(plan.gpus).toBeLessThanOrEqual(perGpu.provisioned.gpus);
    }
  });

  describe('property tests over random instances', () => {
    const seeds = Array.from({ length: 24 }, (_, i) => i + 1);
    test.each(seeds)('seed %i: invariants hold', (seed) => {
      const req = randomInstance(seed, 2 + (seed % 6), 5, { models: true, twoGpus: seed % 2 === 0 });
      checkPlan(req, planGpuFleet(req));
    });
  });

  test('a 1,000-workload instance: invariants hold, within 1% of the proven bound', () => {
    const req = randomInstance(4242, 1000, 4, { models: true, twoGpus: true });
    const plan = planGpuFleet(req);
    checkPlan(req, plan);
    expect(plan.gap).toBeLessThanOrEqual(0.01);
  });

  describe('exact optimum on generated small instances', () => {
    const seeds = Array.from({ length: 16 }, (_, i) => 100 + i);
    test.each(seeds)('seed %i: bound <= optimum <= plan, within 1 GPU and 2%', (seed) => {
      const req = randomInstance(seed, 2 + (seed % 3), 3, { twoGpus: seed % 2 === 1 });
      const plan = planGpuFleet(req);
      checkPlan(req, plan);
      const exact = exactOptimum(req);
      if (req.objective === 'gpus') {
        expect(plan.lowerBound.gpus).toBeLessThanOrEqual(exact.gpus);
        expect(plan.gpus).toBeGreaterThanOrEqual(exact.gpus);
        expect(plan.gpus - exact.gpus).toBeLessThanOrEqual(1);
      } else {
        expect(plan.lowerBound.cost).toBeLessThanOrEqual(exact.cost + 1e-6);
        expect(plan.cost).toBeGreaterThanOrEqual(exact.cost - 1e-6);
        expect(plan.cost).toBeLessThanOrEqual(exact.cost * 1.02 + 1e-6);
      }
    });
  });
});

describe('refusals', () => {
  const problems = (req: unknown): string[] => {
    try {
      planGpuFleet(req as FleetRequest);
    } catch (e) {
      expect(e).toBeInstanceOf(GpuplaneValidationError);
      return (e as GpuplaneValidationError).problems.map((p) => `${p.field}: ${p.message}`);
    }
    throw new Error('expected a refusal');
  };

  test('fails if the offer is empty', () => {
    expect(problems({ workloads: [{ name: 'a', memoryGiB: 9 }], gpus: [] })).toEqual([expect.stringMatching(/^gpus: must offer at least one GPU model/)]);
  });

  test('fails if a workload fits no offered GPU, with the numbers', () => {
    const p = problems({ workloads: [{ name: 'huge', model: 'llama-3.1-405b', maxModelLen: 8192 }], gpus: [{ gpu: 'L4', gpusPerNode: 1, hourlyPrice: 0.8 }] });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/'huge' fits no offered GPU.*L4: \d+(\.\d+)? GiB per GPU at tensorParallelSize 1, 18.7 GiB usable/);
  });

  test('fails if maxGpus is too small', () => {
    const p = problems({ workloads: [{ name: 'a', memoryGiB: 70, replicas: 5, isolation: 'whole' }], gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3, maxGpus: 4 }] });
    expect(p[0]).toMatch(/maxGpus: together allow 4 GPUs, and the workloads need at least 5/);
  });

  test('fails if maxGpus leaves no plan the solver can find (packing, not only memory)', () => {
    // Eight one-slice replicas fill the eight memory slices of one GPU, but a GPU has seven compute slices.
    const p = problems({ workloads: [{ name: 'a', memoryGiB: 5, replicas: 8 }], gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3, maxGpus: 1 }] });
    expect(p[0]).toMatch(/^gpus\[\]\.maxGpus: leave no plan/);
  });

  test('fails on unknown keys, non-finite and non-positive numbers, both model and memory', () => {
    const p = problems({
      workloads: [{ name: 'a', memoryGiB: Number.NaN }, { name: 'b', memoryGiB: -1 }, { name: 'c', model: 'llama-3.1-8b', memoryGiB: 3 }, { name: 'd', memoryGiB: 3, replica: 2 }],
      gpus: [{ gpu: 'H100-80GB', hourlyPrice: Number.POSITIVE_INFINITY }],
      objectve: 'cost',
    });
    expect(p).toEqual(expect.arrayContaining([
      expect.stringMatching(/^objectve: is not an option/),
      expect.stringMatching(/^gpus\[0\]\.hourlyPrice: must be a positive, finite price/),
      expect.stringMatching(/^workloads\[0\]\.memoryGiB: must be a positive, finite number/),
      expect.stringMatching(/^workloads\[1\]\.memoryGiB: must be a positive, finite number/),
      expect.stringMatching(/^workloads\[2\]: must give exactly one of model and memoryGiB/),
      expect.stringMatching(/^workloads\[3\]\.replica: is not an option/),
    ]));
  });
});
