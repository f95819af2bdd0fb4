/** Generated fleet instances and an independent exact solver, shared by the tests and the benchmark. */
import { findGpu } from '../../../lib/core/catalog/gpus';
import { checkMigLayout, migProfileMemoryGiB, validMigLayouts } from '../../../lib/core/gpu/mig-layout';
import { solveMip } from '../../../lib/core/planning/highs-sync';
import { FleetGpuOffer, FleetIsolation, FleetRequest, FleetWorkload } from '../../../lib/core/planning/types';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ISOLATIONS: FleetIsolation[] = ['mig', 'shared', 'whole'];
const MODELS = ['llama-3.2-1b', 'llama-3.2-3b', 'llama-3.1-8b', 'qwen3-4b', 'qwen2.5-14b', 'llama-3.1-70b'];

/** A random instance: `classes` workloads with memory needs (and some models), on one or two GPU models. */
export function randomInstance(seed: number, classes: number, maxReplicas: number, opts: { models?: boolean; twoGpus?: boolean } = {}): FleetRequest {
  const r = rng(seed);
  const workloads: FleetWorkload[] = [];
  for (let i = 0; i < classes; i++) {
    const isolation = ISOLATIONS[Math.floor(r() * 3)];
    const replicas = 1 + Math.floor(r() * maxReplicas);
    if (opts.models && r() < 0.4) {
      workloads.push({ name: `w${i}`, model: MODELS[Math.floor(r() * MODELS.length)], maxModelLen: 4096 * (1 + Math.floor(r() * 2)), concurrency: 1 + Math.floor(r() * 8), replicas, isolation });
    } else {
      // Needs spread over the slice sizes: small (embeddings), mid (7-8B), large (whole GPU or more).
      const band = r();
      const memoryGiB = Math.round((band < 0.5 ? 2 + r() * 16 : band < 0.85 ? 18 + r() * 40 : 60 + r() * 90) * 10) / 10;
      workloads.push({ name: `w${i}`, memoryGiB, replicas, isolation });
    }
  }
  const gpus: FleetGpuOffer[] = [{ gpu: 'H100-80GB', gpusPerNode: 8, hourlyPrice: 3 + Math.round(r() * 10) / 10 }];
  if (opts.twoGpus) gpus.push({ gpu: r() < 0.5 ? 'L40S' : 'A100-40GB', gpusPerNode: 4, hourlyPrice: 1.2 + Math.round(r() * 10) / 10 });
  return { workloads, gpus, objective: r() < 0.5 ? 'cost' : 'gpus' };
}

/**
 * The exact optimum by a different formulation: every GPU pattern (a valid MIG layout of any kind with the replica
 * classes on its instances, a set of time-sliced replicas within the cap, or a TP group) enumerated explicitly, and
 * an integer program over pattern counts solved to proven optimality. Memory-need workloads only.
 */
export function exactOptimum(req: FleetRequest): { gpus: number; cost: number; objective: number } {
  const cap = Math.floor((req.sharedMemoryCap ?? 0.9) * 100 + 1e-9);
  const ws = req.workloads;
  const patterns: { cost: number; gpus: number; price: number; cover: number[] }[] = [];
  for (const offer of req.gpus) {
    const spec = findGpu(offer.gpu)!;
    const price = offer.hourlyPrice;
    const weight = req.objective === 'gpus' ? 1 + price * 1e-4 : price;
    const perNode = offer.gpusPerNode ?? 8;
    // Whole GPUs: TP in powers of two up to the node.
    ws.forEach((w, i) => {
      for (let tp = 1; tp <= perNode; tp *= 2) {
        if (w.memoryGiB! / tp <= spec.memoryGiB) {
          const cover = ws.map(() => 0);
          cover[i] = 1;
          patterns.push({ cost: weight * tp, gpus: tp, price, cover });
          break;
        }
      }
    });
    // Time-slicing: every multiset of shared replicas within the cap.
    const shared = ws.map((w, i) => ({ i, share: Math.max(1, Math.ceil(Math.round((w.memoryGiB! / spec.memoryGiB) * 1e6) / 1e4)), ok: w.isolation === 'shared' })).filter((x) => x.ok && x.share <= cap);
    const walk = (k: number, left: number, cover: number[]) => {
      if (k === shared.length) {
        if (cover.some((c) => c > 0)) patterns.push({ cost: weight, gpus: 1, price, cover: [...cover] });
        return;
      }
      const s = shared[k];
      for (let n = 0; n * s.share <= left && n <= (ws[s.i].replicas ?? 1); n++) {
        cover[s.i] = n;
        walk(k + 1, left - n * s.share, cover);
      }
      cover[s.i] = 0;
    };
    walk(0, cap, ws.map(() => 0));
    // MIG: every valid layout (media extensions included), every assignment of classes to its instances.
    if (spec.mig) {
      const migCapable = ws.map((w, i) => ({ i, need: w.memoryGiB!, ok: w.isolation !== 'whole' })).filter((x) => x.ok);
      for (const layout of validMigLayouts(spec.mig)) {
        if (!checkMigLayout(spec, layout).valid) throw new Error('enumerated layout refused');
        const inst = Object.entries(layout).flatMap(([p, c]) => new Array<number>(c).fill(migProfileMemoryGiB(spec, p))).sort((a, b) => b - a);
        const seen = new Set<string>();
        const rec = (j: number, cover: number[]) => {
          if (j === inst.length) {
            const key = cover.join(',');
            if (!seen.has(key) && cover.some((c) => c > 0)) { seen.add(key); patterns.push({ cost: weight, gpus: 1, price, cover: [...cover] }); }
            return;
          }
          rec(j + 1, cover); // leave the instance empty
          for (const x of migCapable) {
            if (x.need <= inst[j] && cover[x.i] < (ws[x.i].replicas ?? 1)) {
              cover[x.i]++;
              rec(j + 1, cover);
              cover[x.i]--;
            }
          }
        };
        rec(0, ws.map(() => 0));
      }
    }
  }
  const n = patterns.length;
  const rows = ws.map((w, i) => ({ lower: w.replicas ?? 1, upper: 1e30, cols: patterns.map((_, k) => k).filter((k) => patterns[k].cover[i] > 0), values: patterns.filter((p) => p.cover[i] > 0).map((p) => p.cover[i]) }));
  const res = solveMip({ numCols: n, colCost: patterns.map((p) => p.cost), colLower: new Array(n).fill(0), colUpper: new Array(n).fill(1e30), integrality: new Array(n).fill(1), rows }, { mipRelGap: 0, timeLimitSeconds: 20 });
  if (res.status !== 'optimal') throw new Error(`exact solver: ${res.status}`);
  let gpus = 0;
  let cost = 0;
  res.colValue.forEach((v, k) => {
    const x = Math.round(v);
    gpus += x * patterns[k].gpus;
    cost += x * patterns[k].gpus * patterns[k].price;
  });
  return { gpus, cost, objective: req.objective === 'gpus' ? gpus : cost };
}
