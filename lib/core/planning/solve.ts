import { MipModel, MipResult, solveMip } from './highs-sync';
import { ResolvedOffer, ResolvedWorkload } from './sizing';

/**
 * The integer program. Replicas are aggregated into classes (replicas that can run the same ways on every offered
 * GPU model are interchangeable), so its size depends on the number of distinct classes, not on the replica count.
 *
 * Variables, per offered GPU model g:
 * - `y[g,k]`: GPUs of g cut with MIG layout type k (a distinct multiset of instance sizes, undominated);
 * - `u[g]`: time-sliced GPUs of g;
 * - `d[c,g,m]`: replicas of class c placed on g in mode m (a MIG instance, a time-slicing share, a TP group).
 *
 * Rows:
 * - every replica placed: sum over g, m of `d[c,g,m]` = replicas of c;
 * - MIG (exact): for each instance size s, the replicas that need an instance of at least s fit in the instances of at
 *   least s (Hall's condition; with nested sizes it is also sufficient, so any solution assigns with best fit);
 * - time-slicing (relaxed): the shares of the replicas on g's shared GPUs add up to at most cap x `u[g]`, and the
 *   replicas claiming more than half the cap need a GPU each; the bin packing itself is done afterwards;
 * - `maxGpus` of each g.
 * The MIP optimum of this relaxation (HiGHS's dual bound when it stops early) is the proven lower bound.
 */
export interface ReplicaClass {
  readonly key: string;
  /** Replicas, in workload and replica order. */
  readonly members: { readonly workload: number; readonly replica: number }[];
  /** The options of the class (those of its first member). */
  readonly options: ResolvedWorkload['options'];
}

export type Mode = 'mig' | 'shared' | 'whole';

export interface MasterSolution {
  /** Per offer: GPUs per layout type. */
  readonly layoutCounts: number[][];
  /** Per offer: time-sliced GPUs the relaxation counted. */
  readonly sharedGpus: number[];
  /** Per class: replicas per offer and mode. */
  readonly split: { readonly offer: number; readonly mode: Mode; readonly count: number }[][];
  readonly status: string;
  /** Proven bound on the GPUs and on the cost of any plan. */
  readonly gpusBound: number;
  readonly costBound: number;
}

export function replicaClasses(workloads: readonly ResolvedWorkload[]): ReplicaClass[] {
  const byKey = new Map<string, ReplicaClass>();
  for (const w of workloads) {
    const key = JSON.stringify(w.options.map((o) => [o.mig?.size ?? 0, o.shared?.share ?? 0, o.whole?.tp ?? 0]));
    let c = byKey.get(key);
    if (!c) {
      c = { key, members: [], options: w.options };
      byKey.set(key, c);
    }
    for (let r = 0; r < w.replicas; r++) c.members.push({ workload: w.index, replica: r });
  }
  return [...byKey.values()];
}

interface Built {
  readonly model: MipModel;
  readonly y: number[][];
  readonly u: number[];
  readonly d: { offer: number; mode: Mode; col: number }[][];
  readonly gpuCols: { col: number; gpus: number; offer: number }[];
}

/** Under node billing a used GPU costs this fraction of its price: among plans with equal nodes, fewer busy GPUs. */
const NODE_TIE_BREAK = 1e-4;

function build(offers: readonly ResolvedOffer[], classes: readonly ReplicaClass[], capHundredths: number, price: (o: ResolvedOffer) => number, billing: 'gpu' | 'node'): Built {
  const cost = (o: ResolvedOffer) => (billing === 'node' ? NODE_TIE_BREAK * price(o) : price(o));
  const colCost: number[] = [];
  const colUpper: number[] = [];
  const col = (c: number, upper: number): number => {
    colCost.push(c);
    colUpper.push(upper);
    return colCost.length - 1;
  };
  const rows: { lower: number; upper: number; cols: number[]; values: number[] }[] = [];
  const INF = 1e30;
  const y: number[][] = [];
  const u: number[] = [];
  const gpuCols: { col: number; gpus: number; offer: number }[] = [];
  for (const o of offers) {
    const usesMig = classes.some((c) => c.options[o.index].mig);
    y.push(usesMig ? o.layouts.map(() => { const k = col(cost(o), Number.isFinite(o.maxGpus) ? o.maxGpus : INF); gpuCols.push({ col: k, gpus: 1, offer: o.index }); return k; }) : []);
    const usesShared = classes.some((c) => c.options[o.index].shared);
    const k = usesShared ? col(cost(o), Number.isFinite(o.maxGpus) ? o.maxGpus : INF) : -1;
    if (k >= 0) gpuCols.push({ col: k, gpus: 1, offer: o.index });
    u.push(k);
  }
  const d = classes.map((c) => {
    const list: { offer: number; mode: Mode; col: number }[] = [];
    for (const o of offers) {
      const opt = c.options[o.index];
      if (opt.mig) list.push({ offer: o.index, mode: 'mig', col: col(0, c.members.length) });
      if (opt.shared) list.push({ offer: o.index, mode: 'shared', col: col(0, c.members.length) });
      if (opt.whole) {
        const k = col(cost(o) * opt.whole.tp, c.members.length);
        gpuCols.push({ col: k, gpus: opt.whole.tp, offer: o.index });
        list.push({ offer: o.index, mode: 'whole', col: k });
      }
    }
    rows.push({ lower: c.members.length, upper: c.members.length, cols: list.map((x) => x.col), values: list.map(() => 1) });
    return list;
  });
  for (const o of offers) {
    if (y[o.index].length > 0) {
      o.sizes.forEach((s, si) => {
        const cols: number[] = [];
        const values: number[] = [];
        classes.forEach((c, ci) => {
          const m = c.options[o.index].mig;
          const v = d[ci].find((x) => x.offer === o.index && x.mode === 'mig');
          if (m && v && m.size >= s) { cols.push(v.col); values.push(1); }
        });
        if (cols.length === 0) return;
        o.layouts.forEach((t, k) => { if (t.atLeast[si] > 0) { cols.push(y[o.index][k]); values.push(-t.atLeast[si]); } });
        rows.push({ lower: -INF, upper: 0, cols, values });
      });
    }
    if (u[o.index] >= 0) {
      const cols: number[] = [];
      const values: number[] = [];
      const bigCols: number[] = [];
      classes.forEach((c, ci) => {
        const sh = c.options[o.index].shared;
        const v = d[ci].find((x) => x.offer === o.index && x.mode === 'shared');
        if (sh && v) {
          cols.push(v.col);
          values.push(sh.share);
          if (sh.share * 2 > capHundredths) bigCols.push(v.col);
        }
      });
      rows.push({ lower: -INF, upper: 0, cols: [...cols, u[o.index]], values: [...values, -capHundredths] });
      if (bigCols.length) rows.push({ lower: -INF, upper: 0, cols: [...bigCols, u[o.index]], values: [...bigCols.map(() => 1), -1] });
    }
    if (Number.isFinite(o.maxGpus)) {
      const mine = gpuCols.filter((g) => g.offer === o.index);
      rows.push({ lower: -INF, upper: o.maxGpus, cols: mine.map((g) => g.col), values: mine.map((g) => g.gpus) });
    }
    if (billing === 'node') {
      // Whole nodes per kind of GPU (a node belongs to one pool): nodes x gpusPerNode hold that kind's GPUs.
      const kinds: { cols: number[]; values: number[] }[] = [
        { cols: y[o.index], values: y[o.index].map(() => 1) },
        { cols: u[o.index] >= 0 ? [u[o.index]] : [], values: [1] },
        { cols: [], values: [] },
      ];
      classes.forEach((c, ci) => {
        const v = d[ci].find((x) => x.offer === o.index && x.mode === 'whole');
        if (v) { kinds[2].cols.push(v.col); kinds[2].values.push(c.options[o.index].whole!.tp); }
      });
      const nodeCols: number[] = [];
      for (const k of kinds) {
        if (k.cols.length === 0) continue;
        const n = col(price(o) * o.gpusPerNode, Number.isFinite(o.maxGpus) ? Math.floor(o.maxGpus / o.gpusPerNode) : INF);
        nodeCols.push(n);
        rows.push({ lower: -INF, upper: 0, cols: [...k.cols, n], values: [...k.values.slice(0, k.cols.length), -o.gpusPerNode] });
      }
      if (Number.isFinite(o.maxGpus) && nodeCols.length) rows.push({ lower: -INF, upper: Math.floor(o.maxGpus / o.gpusPerNode), cols: nodeCols, values: nodeCols.map(() => 1) });
    }
  }
  const n = colCost.length;
  return {
    model: { numCols: n, colCost, colLower: new Array<number>(n).fill(0), colUpper, integrality: new Array<number>(n).fill(1), rows },
    y, u, d, gpuCols,
  };
}

/** Solves the relaxation: the MIP for the objective, and the LP relaxation for the other measure's bound. */
export function solveMaster(offers: readonly ResolvedOffer[], classes: readonly ReplicaClass[], capHundredths: number, objective: 'cost' | 'gpus', naiveGpus: number, billing: 'gpu' | 'node' = 'gpu'): MasterSolution {
  const maxPrice = Math.max(...offers.map((o) => o.price));
  // Fewest GPUs first: the cost term stays below half a GPU for every plan with at most the naive plan's GPUs.
  const delta = 1 / (2 * naiveGpus * maxPrice + 1);
  const primary = objective === 'cost' ? (o: ResolvedOffer) => o.price : (o: ResolvedOffer) => 1 + delta * o.price;
  const secondary = objective === 'cost' ? () => 1 : (o: ResolvedOffer) => o.price;
  const main = build(offers, classes, capHundredths, primary, billing);
  // A relative gap of 0.1% (a GPU in a thousand) and a node budget keep large instances fast and the result
  // deterministic; the time limit is only a safety net. The bound reported is HiGHS's dual bound either way.
  const result: MipResult = solveMip(main.model, { timeLimitSeconds: 10, mipRelGap: 1e-3, mipMaxNodes: 2000 });
  if (result.status === 'infeasible' || result.colValue.length !== main.model.numCols || result.colValue.some((v) => !Number.isFinite(v))) {
    return { layoutCounts: [], sharedGpus: [], split: [], status: result.status, gpusBound: 0, costBound: 0 };
  }
  const other = solveMip(build(offers, classes, capHundredths, secondary, billing).model, { relax: true });
  // Under node billing the objective also holds the busy GPUs' tie-break, at most NODE_TIE_BREAK of the nodes' own.
  const factor = billing === 'node' ? 1 + NODE_TIE_BREAK : 1;
  const v = (c: number) => Math.round(result.colValue[c]);
  const tol = 1e-6;
  const objBound = (Number.isFinite(result.dualBound) ? result.dualBound : 0) / factor;
  const otherBound = other.objective / factor;
  const gpusBound = objective === 'gpus' ? Math.max(0, Math.ceil(objBound - 0.5 - tol)) : Math.max(0, Math.ceil(otherBound - tol));
  const costBound = objective === 'cost' ? Math.max(0, objBound) : Math.max(0, otherBound);
  // An incumbent must place every replica (a solver stopped without one reports zeros).
  if (main.d.some((list, ci) => list.reduce((sum, x) => sum + v(x.col), 0) !== classes[ci].members.length)) {
    return { layoutCounts: [], sharedGpus: [], split: [], status: result.status === 'optimal' ? 'no-incumbent' : result.status, gpusBound, costBound };
  }
  return {
    layoutCounts: main.y.map((ks) => ks.map(v)),
    sharedGpus: main.u.map((k) => (k >= 0 ? v(k) : 0)),
    split: main.d.map((list) => list.map((x) => ({ offer: x.offer, mode: x.mode, count: v(x.col) }))),
    status: result.status,
    gpusBound,
    costBound,
  };
}

/**
 * Bin packing of integer sizes into bins of `capacity`: first-fit decreasing, then, for up to 60 items when FFD is
 * above the simple bound, a depth-first search with a node budget that returns the best packing it found.
 */
export function packBins(sizes: readonly number[], capacity: number): number[][] {
  const order = sizes.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  const bins: { load: number; items: number[] }[] = [];
  for (const it of order) {
    const bin = bins.find((b) => b.load + it.s <= capacity);
    if (bin) { bin.load += it.s; bin.items.push(it.i); } else bins.push({ load: it.s, items: [it.i] });
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  const lb = Math.max(Math.ceil(total / capacity), order.filter((x) => x.s * 2 > capacity).length);
  if (bins.length <= lb || order.length > 60) return bins.map((b) => b.items);
  let best = bins.map((b) => [...b.items]);
  let budget = 200000;
  const loads: number[] = [];
  const content: number[][] = [];
  let rest = total;
  const dfs = (k: number): boolean => {
    if (--budget < 0) return true;
    if (k === order.length) {
      if (loads.length < best.length) best = content.map((c) => [...c]);
      return loads.length <= lb;
    }
    const free = loads.reduce((s, l) => s + capacity - l, 0);
    if (loads.length + Math.max(0, Math.ceil((rest - free) / capacity)) >= best.length) return false;
    const it = order[k];
    const tried = new Set<number>();
    for (let b = 0; b < loads.length; b++) {
      if (loads[b] + it.s > capacity || tried.has(loads[b])) continue;
      tried.add(loads[b]);
      loads[b] += it.s; content[b].push(it.i); rest -= it.s;
      const stop = dfs(k + 1);
      loads[b] -= it.s; content[b].pop(); rest += it.s;
      if (stop) return true;
    }
    if (loads.length + 1 < best.length) {
      loads.push(it.s); content.push([it.i]); rest -= it.s;
      const stop = dfs(k + 1);
      loads.pop(); content.pop(); rest += it.s;
      if (stop) return true;
    }
    return false;
  };
  dfs(0);
  return best;
}
