import { findGpu, GPU_IDS, GpuSpec } from '../catalog/gpus';
import { findModel, MODEL_IDS, ModelSpec } from '../catalog/models';
import { ProblemCollector } from '../errors';
import { isDns1123Label } from '../kube';
import { MigLayout, migProfileMemoryGiB, validMigLayouts } from '../gpu/mig-layout';
import { estimateVllmMemory } from '../vllm/estimator';
import { GPU_MEMORY_UTILIZATION_DEFAULTS } from '../vllm/utilization';
import { DEFAULT_VLLM_VERSION, parseVllmVersion } from '../vllm/version';
import { FleetGpuOffer, FleetIsolation, FleetRequest, FleetWorkload } from './types';

/**
 * `--gpu-memory-utilization` the rendered VllmServices run with, so the planner's fit is the construct's fit:
 * VllmService's defaults, 0.85 on whole GPUs and 0.75 on MIG instances (shared placements).
 */
export const WHOLE_GPU_UTILIZATION = GPU_MEMORY_UTILIZATION_DEFAULTS.wholeGpu;
/** The --gpu-memory-utilization the planner uses on a MIG instance. */
export const MIG_UTILIZATION = GPU_MEMORY_UTILIZATION_DEFAULTS.migInstance;
/** The --gpu-memory-utilization cap the planner shares a device under. */
export const DEFAULT_SHARED_MEMORY_CAP = GPU_MEMORY_UTILIZATION_DEFAULTS.sharedDevice;

/** One offered GPU model, resolved. */
export interface ResolvedOffer {
  readonly index: number;
  readonly spec: GpuSpec;
  readonly gpusPerNode: number;
  readonly price: number;
  readonly maxGpus: number;
  readonly offer: FleetGpuOffer;
  /** MIG layout types: distinct instance-size multisets, each with one representative layout (MIG GPUs). */
  readonly layouts: readonly LayoutType[];
  /** Distinct instance sizes in memory slices, ascending (MIG GPUs). */
  readonly sizes: readonly number[];
  /** Memory of an instance of each size (GiB). */
  readonly sizeMemory: ReadonlyMap<number, number>;
}

export interface LayoutType {
  readonly layout: MigLayout;
  /** Instances of the representative layout, largest first, with their placement start. */
  readonly instances: readonly { readonly profile: string; readonly size: number; readonly start: number }[];
  /** For each size in `sizes`: instances of at least that size. */
  readonly atLeast: readonly number[];
}

/** How one replica of a workload can run on one GPU model. */
export interface ReplicaOptions {
  /** Smallest MIG instance size (memory slices) that holds it, with its need there. */
  readonly mig?: { readonly size: number; readonly needGiB: number };
  /** Hundredths of the device memory it claims when time-sliced. */
  readonly shared?: { readonly share: number; readonly needGiB: number };
  /** Whole GPUs: the tensor-parallel size and the need per GPU. */
  readonly whole?: { readonly tp: number; readonly needGiB: number };
}

export interface ResolvedWorkload {
  readonly index: number;
  readonly workload: FleetWorkload;
  readonly name: string;
  readonly replicas: number;
  readonly isolation: FleetIsolation;
  readonly model?: ModelSpec;
  readonly maxModelLen?: number;
  /** Per offer index. */
  readonly options: readonly ReplicaOptions[];
}

const WORKLOAD_KEYS = ['name', 'model', 'memoryGiB', 'maxModelLen', 'concurrency', 'kvCacheDtype', 'vllmVersion', 'replicas', 'isolation'];
const OFFER_KEYS = ['gpu', 'gpusPerNode', 'hourlyPrice', 'maxGpus', 'karpenter'];
const REQUEST_KEYS = ['workloads', 'gpus', 'objective', 'billing', 'name', 'sharedMemoryCap', 'migLayouts'];

function unknownKeys(value: unknown, allowed: readonly string[], field: string, p: ProblemCollector): void {
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) p.add({ field: field ? `${field}.${key}` : key, message: 'is not an option', value: (value as Record<string, unknown>)[key], allowed: allowed.join(', '), fix: 'remove it or correct its spelling' });
  }
}

const positive = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;
const positiveInt = (v: unknown): v is number => positive(v) && Number.isInteger(v);
const round2 = (x: number): number => Math.round(x * 100) / 100;

const layoutCache = new Map<string, { layouts: LayoutType[]; sizes: number[] }>();

/** Distinct instance-size multisets of the GPU's valid layouts (media-extension profiles left out), undominated. */
export function layoutTypes(spec: GpuSpec, only: 'any' | 'balanced'): { layouts: LayoutType[]; sizes: number[] } {
  const key = `${spec.id}/${only}`;
  const cached = layoutCache.get(key);
  if (cached) return cached;
  const mig = spec.mig!;
  const sizes = [...new Set(Object.values(mig.profiles).filter((p) => !p.mediaExtensions).map((p) => p.memorySlices))].sort((a, b) => a - b);
  const candidates = only === 'balanced' ? [mig.balanced] : validMigLayouts(mig).filter((l) => Object.keys(l).every((n) => !mig.profiles[n].mediaExtensions));
  const bySizes = new Map<string, { layout: MigLayout; compute: number; text: string }>();
  for (const layout of candidates) {
    const list = Object.entries(layout).flatMap(([n, c]) => new Array<number>(c).fill(mig.profiles[n].memorySlices)).sort((a, b) => b - a);
    const k = list.join(',');
    const compute = Object.entries(layout).reduce((s, [n, c]) => s + mig.profiles[n].computeSlices * c, 0);
    const text = Object.keys(layout).sort().map((n) => `${n}x${layout[n]}`).join('+');
    const prev = bySizes.get(k);
    if (!prev || compute > prev.compute || (compute === prev.compute && text < prev.text)) bySizes.set(k, { layout, compute, text });
  }
  const types: LayoutType[] = [...bySizes.values()].map(({ layout }) => {
    const instances = placeInstances(spec, layout);
    return { layout, instances, atLeast: sizes.map((s) => instances.filter((i) => i.size >= s).length) };
  });
  const dominated = (a: LayoutType, b: LayoutType) => a.atLeast.every((x, i) => x <= b.atLeast[i]) && a.atLeast.some((x, i) => x < b.atLeast[i]);
  const kept = types.filter((t) => !types.some((o) => dominated(t, o)))
    .sort((a, b) => b.atLeast.join(',').localeCompare(a.atLeast.join(',')));
  // Two types with equal counts: keep one.
  const unique = kept.filter((t, i) => kept.findIndex((o) => o.atLeast.join(',') === t.atLeast.join(',')) === i);
  const result = { layouts: unique, sizes };
  layoutCache.set(key, result);
  return result;
}

const allCache = new Map<string, LayoutType[]>();

/** Every valid layout of the GPU (media extensions left out) with its instances, for reshaping planned GPUs. */
export function allLayoutTypes(spec: GpuSpec): readonly LayoutType[] {
  const cached = allCache.get(spec.id);
  if (cached) return cached;
  const mig = spec.mig!;
  const sizes = layoutTypes(spec, 'any').sizes;
  const out = validMigLayouts(mig).filter((l) => Object.keys(l).every((n) => !mig.profiles[n].mediaExtensions)).map((layout) => {
    const instances = placeInstances(spec, layout);
    return { layout, instances, atLeast: sizes.map((sz) => instances.filter((i) => i.size >= sz).length) };
  });
  allCache.set(spec.id, out);
  return out;
}

/** A placement of the layout's instances on memory slices (the same search checkMigLayout runs), largest first. */
function placeInstances(spec: GpuSpec, layout: MigLayout): { profile: string; size: number; start: number }[] {
  const mig = spec.mig!;
  const list = Object.entries(layout).flatMap(([n, c]) => new Array<string>(c).fill(n))
    .sort((a, b) => mig.profiles[b].memorySlices - mig.profiles[a].memorySlices || a.localeCompare(b));
  const out: { profile: string; size: number; start: number }[] = [];
  const step = (i: number, used: number): boolean => {
    if (i === list.length) return true;
    const p = mig.profiles[list[i]];
    for (const start of p.placementStarts) {
      const mask = ((1 << p.memorySlices) - 1) << start;
      if (used & mask) continue;
      out.push({ profile: p.name, size: p.memorySlices, start });
      if (step(i + 1, used | mask)) return true;
      out.pop();
    }
    return false;
  };
  step(0, 0);
  return out;
}

/** The profile name a slice of `size` memory slices has in a layout type (for messages and pools). */
export function profileOfSize(spec: GpuSpec, size: number): string {
  const mig = spec.mig!;
  return Object.values(mig.profiles).filter((p) => !p.mediaExtensions && p.memorySlices === size).sort((a, b) => b.computeSlices - a.computeSlices)[0].name;
}

interface ModelSizer {
  /** GPU memory one replica needs per GPU on a unit of `memoryGiB`, at tensor parallelism `tp`. */
  need(memoryGiB: number, tp: number): number;
}

function modelSizer(w: FleetWorkload, model: ModelSpec, maxModelLen: number, concurrency: number): ModelSizer {
  const cache = new Map<string, number>();
  return {
    need(memoryGiB: number, tp: number): number {
      const key = `${memoryGiB}/${tp}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      // The estimator at utilization 1 gives the memory taken before the KV cache (weights, activation peak, non-torch,
      // CUDA graphs: they depend on the unit's memory through the batch size); the KV cache for `concurrency`
      // requests of maxModelLen tokens, in whole blocks, is added to it.
      const e = estimateVllmMemory({
        model, gpu: { id: `planner-${memoryGiB}`, memoryGiB }, tensorParallelSize: tp, gpuMemoryUtilization: 1,
        maxModelLen, kvCacheDtype: w.kvCacheDtype ?? 'auto', vllmVersion: w.vllmVersion ?? DEFAULT_VLLM_VERSION,
      });
      const fixed = e.breakdown.budgetGiB - e.availableKvGiB;
      const kvGiB = (concurrency * Math.ceil(maxModelLen / e.breakdown.blockSize) * e.breakdown.blockSize * e.kvBytesPerTokenPerGpu) / 2 ** 30;
      const need = Math.ceil((fixed + kvGiB) * 1000) / 1000;
      cache.set(key, need);
      return need;
    },
  };
}

/** Checks the request and sizes every workload on every offered GPU; throws every problem at once. */
export function resolveRequest(req: FleetRequest): { offers: ResolvedOffer[]; workloads: ResolvedWorkload[]; cap: number; objective: 'cost' | 'gpus'; billing: 'gpu' | 'node'; name: string; migLayouts: 'any' | 'balanced' } {
  const subject = 'GPU fleet';
  const p = new ProblemCollector();
  unknownKeys(req, REQUEST_KEYS, '', p);
  const objective = req.objective ?? 'cost';
  p.check(objective === 'cost' || objective === 'gpus', { field: 'objective', message: "must be 'cost' or 'gpus'", value: objective, allowed: "'cost', 'gpus'", fix: "use 'cost' for the cheapest fleet or 'gpus' for the fewest GPUs" });
  const billing = req.billing ?? 'gpu';
  p.check(billing === 'gpu' || billing === 'node', { field: 'billing', message: "must be 'gpu' or 'node'", value: billing, allowed: "'gpu', 'node'", fix: "use 'node' when you rent whole nodes" });
  const name = req.name ?? 'fleet';
  p.check(typeof name === 'string' && isDns1123Label(name) && name.length <= 30, { field: 'name', message: 'must be a DNS-1123 label of at most 30 characters (pool names add suffixes)', value: name, fix: 'e.g. "fleet"' });
  const cap = req.sharedMemoryCap ?? DEFAULT_SHARED_MEMORY_CAP;
  p.check(positive(cap) && cap <= 0.95, { field: 'sharedMemoryCap', message: 'must be a number in (0, 0.95]', value: cap, allowed: '(0, 0.95]', fix: 'use 0.9' });
  const migLayouts = req.migLayouts ?? 'any';
  p.check(migLayouts === 'any' || migLayouts === 'balanced', { field: 'migLayouts', message: "must be 'any' or 'balanced'", value: migLayouts, allowed: "'any', 'balanced'", fix: "use 'any'" });

  const offers: ResolvedOffer[] = [];
  if (!Array.isArray(req.gpus) || req.gpus.length === 0) {
    p.add({ field: 'gpus', message: 'must offer at least one GPU model', value: req.gpus, fix: "e.g. [{ gpu: 'H100-80GB', hourlyPrice: 4 }]" });
  } else {
    const seen = new Set<string>();
    req.gpus.forEach((o, i) => {
      const f = `gpus[${i}]`;
      unknownKeys(o, OFFER_KEYS, f, p);
      const spec = typeof o?.gpu === 'string' ? findGpu(o.gpu) : undefined;
      if (!spec) { p.add({ field: `${f}.gpu`, message: 'names an unknown GPU', value: o?.gpu, allowed: GPU_IDS.join(', '), fix: 'use a catalog id' }); return; }
      if (!p.check(!seen.has(spec.id), { field: `${f}.gpu`, message: 'is offered twice', value: o.gpu, fix: 'merge the two offers' })) return;
      seen.add(spec.id);
      const gpusPerNode = o.gpusPerNode ?? 8;
      const ok1 = p.check(positiveInt(gpusPerNode) && gpusPerNode <= 16, { field: `${f}.gpusPerNode`, message: 'must be an integer from 1 to 16', value: gpusPerNode, fix: 'use the GPUs of one node, e.g. 8' });
      const ok2 = p.check(positive(o.hourlyPrice), { field: `${f}.hourlyPrice`, message: 'must be a positive, finite price per GPU-hour', value: o.hourlyPrice, fix: 'e.g. 4.0 for an H100' });
      const ok3 = p.check(o.maxGpus === undefined || positiveInt(o.maxGpus), { field: `${f}.maxGpus`, message: 'must be a positive integer', value: o.maxGpus, fix: 'omit it for no limit' });
      if (!(ok1 && ok2 && ok3)) return;
      const lt = spec.mig ? layoutTypes(spec, migLayouts === 'balanced' ? 'balanced' : 'any') : { layouts: [], sizes: [] };
      const sizeMemory = new Map(lt.sizes.map((s) => [s, migProfileMemoryGiB(spec, profileOfSize(spec, s))]));
      offers.push({ index: offers.length, spec, gpusPerNode, price: o.hourlyPrice, maxGpus: o.maxGpus ?? Number.POSITIVE_INFINITY, offer: o, layouts: lt.layouts, sizes: lt.sizes, sizeMemory });
    });
  }

  const workloads: ResolvedWorkload[] = [];
  if (!Array.isArray(req.workloads) || req.workloads.length === 0) {
    p.add({ field: 'workloads', message: 'must list at least one workload', value: req.workloads, fix: "e.g. [{ name: 'chat', model: 'llama-3.1-8b', replicas: 2 }]" });
  } else {
    const names = new Set<string>();
    req.workloads.forEach((w, i) => {
      const f = `workloads[${i}]`;
      unknownKeys(w, WORKLOAD_KEYS, f, p);
      if (!p.check(typeof w?.name === 'string' && isDns1123Label(w.name) && w.name.length <= 40, { field: `${f}.name`, message: 'must be a DNS-1123 label of at most 40 characters', value: w?.name, fix: 'e.g. "chat"' })) return;
      if (!p.check(!names.has(w.name), { field: `${f}.name`, message: 'is used by two workloads', value: w.name, fix: 'give each workload its own name' })) return;
      names.add(w.name);
      const replicas = w.replicas ?? 1;
      const isolation = w.isolation ?? 'mig';
      const okR = p.check(positiveInt(replicas), { field: `${f}.replicas`, message: 'must be a positive integer', value: replicas, fix: 'e.g. 2' });
      const okI = p.check(['mig', 'shared', 'whole'].includes(isolation), { field: `${f}.isolation`, message: "must be 'mig', 'shared' or 'whole'", value: isolation, allowed: "'mig', 'shared', 'whole'", fix: "use 'mig' for hardware isolation" });
      const hasModel = w.model !== undefined;
      const hasMemory = w.memoryGiB !== undefined;
      if (!p.check(hasModel !== hasMemory, { field: `${f}`, message: 'must give exactly one of model and memoryGiB', value: { model: w.model, memoryGiB: w.memoryGiB }, fix: 'name a catalog model, or the GiB one replica needs' })) return;
      let model: ModelSpec | undefined;
      let maxModelLen: number | undefined;
      let concurrency = 1;
      if (hasModel) {
        model = typeof w.model === 'string' ? findModel(w.model) : undefined;
        if (!model) { p.add({ field: `${f}.model`, message: 'names an unknown model', value: w.model, allowed: MODEL_IDS.join(', '), fix: 'use a catalog id, or give memoryGiB' }); return; }
        maxModelLen = w.maxModelLen ?? Math.min(model.maxPositionEmbeddings ?? 8192, 8192);
        concurrency = w.concurrency ?? 1;
        const okL = p.check(positiveInt(maxModelLen) && maxModelLen <= (model.maxPositionEmbeddings ?? Infinity), { field: `${f}.maxModelLen`, message: `must be a positive integer of at most the model's context (${model.maxPositionEmbeddings})`, value: maxModelLen, fix: 'e.g. 8192' });
        const okC = p.check(positiveInt(concurrency), { field: `${f}.concurrency`, message: 'must be a positive integer', value: concurrency, fix: 'e.g. 8' });
        const okK = p.check(w.kvCacheDtype === undefined || w.kvCacheDtype === 'auto' || w.kvCacheDtype === 'fp8', { field: `${f}.kvCacheDtype`, message: "must be 'auto' or 'fp8'", value: w.kvCacheDtype, fix: "use 'fp8' to halve the KV cache" });
        const okV = p.check(w.vllmVersion === undefined || parseVllmVersion(w.vllmVersion) !== undefined, { field: `${f}.vllmVersion`, message: 'must be a vLLM release number', value: w.vllmVersion, fix: `omit it for ${DEFAULT_VLLM_VERSION}` });
        if (!(okL && okC && okK && okV)) return;
      } else {
        if (!p.check(positive(w.memoryGiB), { field: `${f}.memoryGiB`, message: 'must be a positive, finite number of GiB', value: w.memoryGiB, fix: 'e.g. 9' })) return;
        for (const k of ['maxModelLen', 'concurrency', 'kvCacheDtype', 'vllmVersion'] as const) {
          p.check(w[k] === undefined, { field: `${f}.${k}`, message: 'only applies to model workloads', value: w[k], fix: 'remove it, or give model instead of memoryGiB' });
        }
      }
      if (!(okR && okI)) return;
      const sizer: ModelSizer = model ? modelSizer(w, model, maxModelLen!, concurrency) : { need: (_m: number, tp: number) => w.memoryGiB! / tp };
      const options = offers.map((o) => sizeOn(o, sizer, isolation, model, cap));
      workloads.push({ index: workloads.length, workload: w, name: w.name, replicas, isolation, model, maxModelLen, options });
    });
  }
  p.throwIfAny(subject);

  // A workload that fits no offered GPU, with the numbers.
  for (const w of workloads) {
    if (w.options.some((o) => o.mig || o.shared || o.whole)) continue;
    const detail = offers.map((o) => {
      const tp = maxTp(o);
      const need = w.model ? modelSizer(w.workload, w.model, w.maxModelLen!, w.workload.concurrency ?? 1).need(o.spec.memoryGiB, tp) : w.workload.memoryGiB! / tp;
      return `${o.spec.id}: ${round2(need)} GiB per GPU at tensorParallelSize ${tp}, ${round2(o.spec.memoryGiB * WHOLE_GPU_UTILIZATION)} GiB usable`;
    }).join('; ');
    p.add({
      field: `workloads[${w.index}]`, message: `'${w.name}' fits no offered GPU, not even as a tensor-parallel group of a whole node (${detail})`,
      value: w.model ? `${w.model.id}, maxModelLen ${w.maxModelLen}, concurrency ${w.workload.concurrency ?? 1}` : `${w.workload.memoryGiB} GiB`,
      fix: 'offer a larger GPU or more GPUs per node, lower maxModelLen or concurrency, or use kvCacheDtype fp8',
    });
  }
  // maxGpus too small for even a lower bound on the GPUs the workloads need.
  const totalCap = offers.reduce((s, o) => s + o.maxGpus, 0);
  if (Number.isFinite(totalCap)) {
    const minGpus = workloads.reduce((s, w) => s + w.replicas * Math.min(...w.options.map((o, i) => minGpuShare(o, offers[i], cap))), 0);
    p.check(minGpus <= totalCap + 1e-9, {
      field: 'gpus[].maxGpus', message: `together allow ${totalCap} GPUs, and the workloads need at least ${Math.ceil(minGpus - 1e-9)} even packed perfectly`,
      value: offers.map((o) => o.maxGpus), fix: `raise maxGpus to allow at least ${Math.ceil(minGpus - 1e-9)} GPUs, or offer another GPU model`,
    });
  }
  p.throwIfAny(subject);
  return { offers, workloads, cap, objective, billing, name, migLayouts };
}

/** The fraction of a GPU a replica takes at the least (for the maxGpus check). */
function minGpuShare(o: ReplicaOptions, offer: ResolvedOffer, cap: number): number {
  const shares: number[] = [];
  if (o.mig) shares.push(o.mig.size / offer.spec.mig!.memorySlices);
  if (o.shared) shares.push(o.shared.share / 100 / cap);
  if (o.whole) shares.push(o.whole.tp);
  return shares.length ? Math.min(...shares) : Number.POSITIVE_INFINITY;
}

const maxTp = (o: ResolvedOffer): number => {
  let t = 1;
  while (t * 2 <= o.gpusPerNode) t *= 2;
  return t;
};

/** The ways a replica can run on one offered GPU model. */
function sizeOn(o: ResolvedOffer, sizer: ModelSizer, isolation: FleetIsolation, model: ModelSpec | undefined, cap: number): ReplicaOptions {
  const out: { mig?: ReplicaOptions['mig']; shared?: ReplicaOptions['shared']; whole?: ReplicaOptions['whole'] } = {};
  const util = (m: number) => (model ? m : 1); // a model's need is compared with the memory vLLM may use; a given need with the memory
  if (isolation !== 'whole' && o.spec.mig) {
    for (const s of o.sizes) {
      const mem = o.sizeMemory.get(s)!;
      const need = sizer.need(mem, 1);
      if (need <= (model ? mem * MIG_UTILIZATION : mem)) { out.mig = { size: s, needGiB: need }; break; }
    }
  }
  if (isolation === 'shared') {
    const need = sizer.need(o.spec.memoryGiB, 1);
    const share = Math.max(1, Math.ceil(Math.round((need / o.spec.memoryGiB) * 1e6) / 1e4));
    if (share <= Math.floor(cap * 100 + 1e-9)) out.shared = { share, needGiB: need };
  }
  for (let tp = 1; tp <= o.gpusPerNode; tp *= 2) {
    if (model?.attentionHeads !== undefined && model.attentionHeads % tp !== 0) continue;
    const need = sizer.need(o.spec.memoryGiB, tp);
    if (need <= o.spec.memoryGiB * (model ? WHOLE_GPU_UTILIZATION : util(1))) { out.whole = { tp, needGiB: need }; break; }
  }
  return out;
}
