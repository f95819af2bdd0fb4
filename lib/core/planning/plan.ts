import { GpuplaneValidationError } from '../errors';
import { formatMigLayout, MigLayout } from '../gpu/mig-layout';
import type { GpuPoolRenderOptions } from '../gpu/pool-render';
import { SolverUnavailable } from './highs-sync';
import { allLayoutTypes, LayoutType, MIG_UTILIZATION, ResolvedOffer, resolveRequest, WHOLE_GPU_UTILIZATION } from './sizing';
import { Mode, packBins, replicaClasses, solveMaster } from './solve';
import { FleetAssignment, FleetGpu, FleetPlan, FleetRequest, FleetSlot } from './types';

interface Member { readonly workload: number; readonly replica: number }

interface BuiltGpu {
  readonly offer: ResolvedOffer;
  readonly kind: Mode;
  readonly layout?: MigLayout;
  readonly slots: { profile: string; start?: number; size: number; member?: Member; needGiB?: number; util?: number }[];
  /** Whole GPUs: the TP group this GPU belongs to and its rank. */
  readonly group?: { readonly id: number; readonly rank: number; readonly tp: number; readonly member: Member; readonly needGiB: number };
}

const reshapeCache = new Map<string, LayoutType>();

function lexCompare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The solver only counts instances of each size, so a GPU may come back with bigger instances than its occupants
 * need. Re-cut it with the valid layout that holds its occupants most tightly (least memory above each need), then
 * has the most spare instances and compute slices; occupants go back largest first into the smallest instance.
 */
function reshape(g: BuiltGpu, workloads: readonly { options: readonly { mig?: { size: number } }[] }[]): BuiltGpu {
  const occupants = g.slots.filter((s) => s.member).map((s) => ({ s, need: workloads[s.member!.workload].options[g.offer.index].mig!.size }))
    .sort((a, b) => b.need - a.need || a.s.member!.workload - b.s.member!.workload || a.s.member!.replica - b.s.member!.replica);
  const key = `${g.offer.spec.id}/${occupants.map((o) => o.need).join(',')}`;
  let best = reshapeCache.get(key);
  if (!best) {
    let bestScore: number[] | undefined;
    for (const t of allLayoutTypes(g.offer.spec)) {
      const free = [...t.instances].sort((a, b) => a.size - b.size);
      let waste = 0;
      let ok = true;
      for (const o of occupants) {
        const i = free.findIndex((x) => x.size >= o.need);
        if (i < 0) { ok = false; break; }
        waste += free[i].size - o.need;
        free.splice(i, 1);
      }
      if (!ok) continue;
      const compute = Object.entries(t.layout).reduce((sum, [n, c]) => sum + g.offer.spec.mig!.profiles[n].computeSlices * c, 0);
      const score = [waste, -t.instances.length, -compute];
      const cmp = bestScore ? lexCompare(score, bestScore) || formatMigLayout(t.layout).localeCompare(formatMigLayout(best!.layout)) : -1;
      if (cmp < 0) { best = t; bestScore = score; }
    }
    reshapeCache.set(key, best!);
  }
  const slots: BuiltGpu['slots'] = best!.instances.map((x) => ({ profile: x.profile, start: x.start, size: x.size }));
  const order = slots.map((s, i) => ({ s, i })).sort((a, b) => a.s.size - b.s.size || a.i - b.i);
  for (const o of occupants) {
    const at = order.findIndex((x) => x.s.size >= o.need && !x.s.member);
    Object.assign(order[at].s, { member: o.s.member, needGiB: o.s.needGiB, util: o.s.util });
  }
  return { ...g, layout: best!.layout, slots };
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;
const slug = (id: string): string => id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * Plans the GPUs that serve a mix of workloads: the fewest GPUs or the lowest cost, MIG layouts NVIDIA can place,
 * time-sliced GPUs and tensor-parallel groups, grouped into node pools. See FleetRequest and FleetPlan; the method is
 * described in solve.ts. Refuses (GpuplaneValidationError) requests that no plan can satisfy, with the numbers.
 */
export function planGpuFleet(request: FleetRequest): FleetPlan {
  const started = process.hrtime.bigint();
  const r = resolveRequest(request);
  const { offers, workloads } = r;
  const capHundredths = Math.floor(r.cap * 100 + 1e-9);

  // Naive: a whole GPU (or TP group) per replica on the offered GPU that serves it best alone.
  let naiveGpus = 0;
  let naiveCost = 0;
  for (const w of workloads) {
    const choices = w.options.map((o, i) => ({ tp: o.whole?.tp ?? (o.mig || o.shared ? 1 : Infinity), price: offers[i].price })).filter((c) => Number.isFinite(c.tp));
    choices.sort((a, b) => (r.objective === 'cost' ? a.tp * a.price - b.tp * b.price || a.tp - b.tp : a.tp - b.tp || a.price - b.price));
    naiveGpus += choices[0].tp * w.replicas;
    naiveCost += choices[0].tp * choices[0].price * w.replicas;
  }

  // Under node billing the naive plan rents whole nodes too.
  if (r.billing === 'node') {
    const perOffer = new Map<number, number>();
    for (const w of workloads) {
      const choices = w.options.map((o, i) => ({ i, tp: o.whole?.tp ?? (o.mig || o.shared ? 1 : Infinity), price: offers[i].price })).filter((c) => Number.isFinite(c.tp));
      choices.sort((a, b) => (r.objective === 'cost' ? a.tp * a.price - b.tp * b.price || a.tp - b.tp : a.tp - b.tp || a.price - b.price));
      perOffer.set(choices[0].i, (perOffer.get(choices[0].i) ?? 0) + choices[0].tp * w.replicas);
    }
    naiveGpus = 0;
    naiveCost = 0;
    for (const [i, n] of perOffer) {
      const g = Math.ceil(n / offers[i].gpusPerNode) * offers[i].gpusPerNode;
      naiveGpus += g;
      naiveCost += g * offers[i].price;
    }
  }

  const classes = replicaClasses(workloads);
  let master: ReturnType<typeof solveMaster>;
  try {
    master = solveMaster(offers, classes, capHundredths, r.objective, Math.max(1, naiveGpus), r.billing);
  } catch (e) {
    if (e instanceof SolverUnavailable) throw new GpuplaneValidationError('GPU fleet', [{ field: 'gpus', message: `could not be planned: the HiGHS solver failed (${e.reason})`, fix: 'check that the highs package is installed' }]);
    throw e;
  }
  if (master.split.length === 0 && master.status !== 'infeasible') {
    throw new GpuplaneValidationError('GPU fleet', [{
      field: 'workloads', message: `could not be planned: the solver stopped (${master.status}) before it found a plan`, value: `${classes.length} replica classes`,
      fix: 'split the request into smaller fleets, or report it with the request',
    }]);
  }
  if (master.status === 'infeasible') {
    throw new GpuplaneValidationError('GPU fleet', [{
      field: 'gpus[].maxGpus', message: 'leave no plan that places every replica (the solver proved it infeasible)',
      value: offers.map((o) => `${o.spec.id}: ${Number.isFinite(o.maxGpus) ? o.maxGpus : 'unlimited'}`), fix: 'raise maxGpus or offer another GPU model',
    }]);
  }

  // Which replica goes where: members of a class in order, over the class's (offer, mode) counts in order.
  const placed = new Map<string, { offer: number; mode: Mode }>();
  const byOfferMode = new Map<string, Member[]>();
  classes.forEach((c, ci) => {
    let m = 0;
    for (const s of master!.split[ci]) {
      for (let i = 0; i < s.count && m < c.members.length; i++, m++) {
        const member = c.members[m];
        placed.set(`${member.workload}/${member.replica}`, s);
        const key = `${s.offer}/${s.mode}`;
        if (!byOfferMode.has(key)) byOfferMode.set(key, []);
        byOfferMode.get(key)!.push(member);
      }
    }
  });

  const gpus: BuiltGpu[] = [];
  let groupId = 0;
  for (const o of offers) {
    // MIG: the layout counts, then best fit, largest need first.
    const migMembers = [...(byOfferMode.get(`${o.index}/mig`) ?? [])].sort((a, b) => workloads[b.workload].options[o.index].mig!.size - workloads[a.workload].options[o.index].mig!.size || a.workload - b.workload || a.replica - b.replica);
    if (migMembers.length > 0) {
      const migGpus: BuiltGpu[] = [];
      o.layouts.forEach((t, k) => {
        for (let i = 0; i < (master!.layoutCounts[o.index][k] ?? 0); i++) {
          migGpus.push({ offer: o, kind: 'mig', layout: t.layout, slots: t.instances.map((x) => ({ profile: x.profile, start: x.start, size: x.size })) });
        }
      });
      const free = new Map<number, { gpu: number; slot: number }[]>(o.sizes.map((s) => [s, []]));
      migGpus.forEach((g, gi) => g.slots.forEach((s, si) => free.get(s.size)!.push({ gpu: gi, slot: si })));
      const cursor = new Map<number, number>(o.sizes.map((s) => [s, 0]));
      for (const m of migMembers) {
        const need = workloads[m.workload].options[o.index].mig!;
        const size = o.sizes.find((s) => s >= need.size && cursor.get(s)! < free.get(s)!.length);
        if (size === undefined) throw new GpuplaneValidationError('GPU fleet', [{ field: 'workloads', message: `internal: no ${need.size}-slice MIG instance left on ${o.spec.id}`, fix: 'report this plan request as a bug' }]);
        const at = free.get(size)![cursor.get(size)!];
        cursor.set(size, cursor.get(size)! + 1);
        Object.assign(migGpus[at.gpu].slots[at.slot], { member: m, needGiB: need.needGiB, util: MIG_UTILIZATION });
      }
      const reshaped = migGpus.filter((g) => g.slots.some((s) => s.member)).map((g) => (r.migLayouts === 'any' ? reshape(g, workloads) : g));
      gpus.push(...reshaped);
    }
    // Time-slicing: bin packing of the shares.
    const sharedMembers = byOfferMode.get(`${o.index}/shared`) ?? [];
    if (sharedMembers.length > 0) {
      const shares = sharedMembers.map((m) => workloads[m.workload].options[o.index].shared!);
      for (const bin of packBins(shares.map((s) => s.share), capHundredths)) {
        let start = 0;
        const slots = bin.map((i) => {
          const s = { profile: 'shared', start, size: shares[i].share, member: sharedMembers[i], needGiB: shares[i].needGiB, util: shares[i].share / 100 };
          start += shares[i].share;
          return s;
        });
        gpus.push({ offer: o, kind: 'shared', slots });
      }
    }
    // Whole GPUs: one TP group per replica.
    for (const m of byOfferMode.get(`${o.index}/whole`) ?? []) {
      const whole = workloads[m.workload].options[o.index].whole!;
      const id = groupId++;
      for (let rank = 0; rank < whole.tp; rank++) {
        gpus.push({ offer: o, kind: 'whole', slots: [{ profile: 'whole', size: 1, member: rank === 0 ? m : undefined, needGiB: whole.needGiB, util: WHOLE_GPU_UTILIZATION }], group: { id, rank, tp: whole.tp, member: m, needGiB: whole.needGiB } });
      }
    }
  }

  // Nodes and pools.
  const pools: GpuPoolRenderOptions[] = [];
  const listed: FleetGpu[] = [];
  const assignments: FleetAssignment[] = [];
  let provisionedGpus = 0;
  let provisionedCost = 0;
  let provisionedNodes = 0;
  const assign = (m: Member, g: BuiltGpu, pool: string, node: number, device: number, profile: string, tp: number, needGiB: number, util: number) => {
    assignments.push({ workload: workloads[m.workload].name, replica: m.replica, gpu: g.offer.spec.id, pool, node, device, profile, tensorParallelSize: tp, needGiB: round(needGiB, 3), gpuMemoryUtilization: round(util, 2) });
  };
  const listGpu = (g: BuiltGpu, pool: string, node: number, device: number) => {
    const slots: FleetSlot[] = g.slots.map((s) => ({ profile: s.profile, start: s.start, size: s.size, workload: (s.member ?? g.group?.member) ? workloads[(s.member ?? g.group!.member).workload].name : undefined, replica: (s.member ?? g.group?.member)?.replica, needGiB: s.member || g.group ? round(s.needGiB ?? 0, 3) : undefined }));
    listed.push({ gpu: g.offer.spec.id, pool, node, device, kind: g.kind, layout: g.layout, slots });
    for (const s of g.slots) if (s.member) assign(s.member, g, pool, node, device, s.profile, g.group?.tp ?? 1, s.needGiB ?? 0, s.util ?? 1);
  };
  for (const o of offers) {
    const base = `${r.name}-${slug(o.spec.id)}`;
    const addNodes = (nodes: number) => {
      provisionedNodes += nodes;
      provisionedGpus += nodes * o.gpusPerNode;
      provisionedCost += nodes * o.gpusPerNode * o.price;
    };
    // MIG: GPUs sorted by layout, chunked into nodes; nodes with equal per-GPU layouts share a pool.
    const mig = gpus.filter((g) => g.offer === o && g.kind === 'mig').sort((a, b) => formatMigLayout(a.layout!).localeCompare(formatMigLayout(b.layout!)));
    const nodeGroups = new Map<string, BuiltGpu[][]>();
    for (let i = 0; i < mig.length; i += o.gpusPerNode) {
      const node = mig.slice(i, i + o.gpusPerNode);
      const layouts = node.map((g) => g.layout!);
      while (layouts.length < o.gpusPerNode) layouts.push(layouts[layouts.length - 1]); // spare GPUs of a partly used node
      const key = layouts.map(formatMigLayout).join(' | ');
      if (!nodeGroups.has(key)) nodeGroups.set(key, []);
      nodeGroups.get(key)!.push(node);
    }
    let migPool = 0;
    for (const [, nodes] of nodeGroups) {
      const name = `${base}-mig${migPool ? `-${migPool + 1}` : ''}`;
      migPool++;
      const layouts = nodes[0].map((g) => g.layout!);
      while (layouts.length < o.gpusPerNode) layouts.push(layouts[layouts.length - 1]);
      const same = layouts.every((l) => formatMigLayout(l) === formatMigLayout(layouts[0]));
      pools.push({ name, gpu: o.spec.id, gpusPerNode: o.gpusPerNode, nodes: nodes.length, mig: { layout: same ? layouts[0] : layouts }, ...(o.offer.karpenter ? { karpenter: o.offer.karpenter } : {}) });
      addNodes(nodes.length);
      nodes.forEach((node, n) => node.forEach((g, dev) => listGpu(g, name, n, dev)));
    }
    // Time-sliced GPUs: one pool; replicas per GPU = the most replicas any GPU carries.
    const shared = gpus.filter((g) => g.offer === o && g.kind === 'shared');
    if (shared.length > 0) {
      const name = `${base}-shared`;
      const nodes = Math.ceil(shared.length / o.gpusPerNode);
      pools.push({ name, gpu: o.spec.id, gpusPerNode: o.gpusPerNode, nodes, timeSlicing: { replicas: Math.max(2, ...shared.map((g) => g.slots.length)) }, ...(o.offer.karpenter ? { karpenter: o.offer.karpenter } : {}) });
      addNodes(nodes);
      shared.forEach((g, i) => listGpu(g, name, Math.floor(i / o.gpusPerNode), i % o.gpusPerNode));
    }
    // Whole GPUs: TP groups, largest first, first fit into nodes (a group never spans nodes).
    const whole = gpus.filter((g) => g.offer === o && g.kind === 'whole');
    if (whole.length > 0) {
      const name = `${base}-whole`;
      const groups = new Map<number, BuiltGpu[]>();
      for (const g of whole) {
        if (!groups.has(g.group!.id)) groups.set(g.group!.id, []);
        groups.get(g.group!.id)!.push(g);
      }
      const sorted = [...groups.values()].sort((a, b) => b.length - a.length || a[0].group!.id - b[0].group!.id);
      const nodeLoad: BuiltGpu[][] = [];
      for (const grp of sorted) {
        const node = nodeLoad.find((n) => n.length + grp.length <= o.gpusPerNode);
        if (node) node.push(...grp); else nodeLoad.push([...grp]);
      }
      pools.push({ name, gpu: o.spec.id, gpusPerNode: o.gpusPerNode, nodes: nodeLoad.length, ...(o.offer.karpenter ? { karpenter: o.offer.karpenter } : {}) });
      addNodes(nodeLoad.length);
      nodeLoad.forEach((node, n) => node.forEach((g, dev) => listGpu(g, name, n, dev)));
    }
  }

  const planGpus = r.billing === 'node' ? provisionedGpus : listed.length;
  const planCost = r.billing === 'node' ? round(provisionedCost, 6) : round(listed.reduce((s, g) => s + offers.find((o) => o.spec.id === g.gpu)!.price, 0), 6);
  for (const o of offers) {
    const used = listed.filter((g) => g.gpu === o.spec.id).length;
    if (used > o.maxGpus) {
      throw new GpuplaneValidationError('GPU fleet', [{
        field: `gpus[${o.index}].maxGpus`, message: `is too small: the time-sliced GPUs do not pack into the capacity the solver counted, and the plan needs ${used} ${o.spec.id}`,
        value: o.maxGpus, fix: `raise maxGpus to ${used}`,
      }]);
    }
  }
  assignments.sort((a, b) => a.workload.localeCompare(b.workload) || a.replica - b.replica);
  const lbGpus = master.gpusBound;
  const lbCost = round(master.costBound - 1e-9, 6);
  const objectiveValue = r.objective === 'cost' ? planCost : planGpus;
  const boundValue = r.objective === 'cost' ? lbCost : lbGpus;
  const method = `${r.billing === 'node' ? 'whole nodes; ' : ''}HiGHS MIP over MIG layout counts (exact per instance size), time-slicing shares relaxed to memory capacity and whole-GPU groups; ${r.objective === 'cost' ? 'cost from its dual bound, GPUs from the LP relaxation' : 'GPUs from its dual bound, cost from the LP relaxation'}`;
  return {
    objective: r.objective,
    billing: r.billing,
    gpus: planGpus,
    cost: planCost,
    lowerBound: { gpus: lbGpus, cost: lbCost, method },
    naive: { gpus: naiveGpus, cost: round(naiveCost, 6) },
    gap: boundValue > 0 ? round((objectiveValue - boundValue) / boundValue, 6) : 0,
    provisioned: { nodes: provisionedNodes, gpus: provisionedGpus, cost: round(provisionedCost, 6) },
    assignments,
    gpuList: listed,
    pools,
    solverStatus: master.status,
    millis: Number(process.hrtime.bigint() - started) / 1e6,
  };
}

