import { GpuSpec } from '../catalog/gpus';
import { refuse } from '../errors';
import { MigGeometry, MigProfile } from '../catalog/mig-geometry';

/** A multiset of MIG profiles on one GPU: profile name -> instance count. */
export type MigLayout = Readonly<Record<string, number>>;

/** One MIG instance placed at a memory slice. */
export interface MigPlacement {
  readonly profile: string;
  readonly memorySliceStart: number;
}

/** Whether a MIG layout fits a GPU, with a placement when it does and the closest valid layouts when not. */
export interface MigLayoutCheck {
  readonly valid: boolean;
  /** One non-overlapping placement, when valid. */
  readonly placement?: readonly MigPlacement[];
  /** Why the layout is refused, in NVIDIA's terms. */
  readonly problems: readonly string[];
  /** The nearest valid layouts (fewest instances added or removed), when refused. */
  readonly closest: readonly MigLayout[];
  readonly computeSlicesUsed: number;
  readonly memorySlicesUsed: number;
}

/** Canonical text of a layout: `1g.10gb x2 + 3g.40gb x1`, profiles sorted. */
export function formatMigLayout(layout: MigLayout): string {
  const parts = Object.keys(layout).filter((k) => layout[k] > 0).sort().map((k) => `${k} x${layout[k]}`);
  return parts.length ? parts.join(' + ') : '(no instances)';
}

function expand(geometry: MigGeometry, layout: MigLayout): MigProfile[] {
  const list: MigProfile[] = [];
  for (const [name, count] of Object.entries(layout)) for (let i = 0; i < count; i++) list.push(geometry.profiles[name]);
  // Largest first: fewer choices, earlier failure.
  return list.sort((a, b) => b.memorySlices - a.memorySlices || a.name.localeCompare(b.name));
}

/**
 * Searches for a non-overlapping placement (mig-parted tries every order, so does this). Returns the placement
 * or, when none exists, the largest prefix it could place and the first instance that did not fit.
 */
function search(instances: readonly MigProfile[]): { placement?: MigPlacement[]; bestPlaced: MigPlacement[]; blocked?: MigProfile } {
  let best: MigPlacement[] = [];
  let blocked: MigProfile | undefined;
  const current: MigPlacement[] = [];
  const step = (i: number, used: number): boolean => {
    if (i === instances.length) return true;
    const p = instances[i];
    for (const start of p.placementStarts) {
      const mask = ((1 << p.memorySlices) - 1) << start;
      if (used & mask) continue;
      current.push({ profile: p.name, memorySliceStart: start });
      if (step(i + 1, used | mask)) return true;
      current.pop();
    }
    if (current.length >= best.length) {
      best = [...current];
      blocked = p;
    }
    return false;
  };
  return step(0, 0) ? { placement: [...current], bestPlaced: current } : { bestPlaced: best, blocked };
}

const validCache = new WeakMap<MigGeometry, MigLayout[]>();

/** Every valid non-empty layout of a GPU, enumerated once per geometry. */
export function validMigLayouts(geometry: MigGeometry): readonly MigLayout[] {
  const cached = validCache.get(geometry);
  if (cached) return cached;
  const names = Object.keys(geometry.profiles);
  const out: MigLayout[] = [];
  const counts = new Array<number>(names.length).fill(0);
  const walk = (i: number): void => {
    if (i === names.length) {
      const layout: Record<string, number> = {};
      names.forEach((n, j) => { if (counts[j] > 0) layout[n] = counts[j]; });
      if (Object.keys(layout).length > 0 && checkLayout(geometry, layout, false).valid) out.push(layout);
      return;
    }
    for (let c = 0; c <= geometry.profiles[names[i]].maxInstances; c++) {
      counts[i] = c;
      walk(i + 1);
    }
    counts[i] = 0;
  };
  walk(0);
  validCache.set(geometry, out);
  return out;
}

function distance(a: MigLayout, b: MigLayout): number {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let d = 0;
  for (const k of keys) d += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
  return d;
}

function slicesUsed(geometry: MigGeometry, layout: MigLayout, key: 'computeSlices' | 'memorySlices'): number {
  return Object.entries(layout).reduce((sum, [n, c]) => sum + (geometry.profiles[n]?.[key] ?? 0) * c, 0);
}

function checkLayout(geometry: MigGeometry, layout: MigLayout, withClosest: boolean): MigLayoutCheck {
  const problems: string[] = [];
  const known = Object.keys(geometry.profiles);
  for (const [name, count] of Object.entries(layout)) {
    if (!Number.isInteger(count) || count < 0) problems.push(`${name}: the count must be a non-negative integer (got ${count})`);
    else if (!geometry.profiles[name]) problems.push(`profile ${name} does not exist on this GPU (allowed: ${known.join(', ')})`);
    else if (count > geometry.profiles[name].maxInstances) problems.push(`${name} x${count}: at most ${geometry.profiles[name].maxInstances} instance(s) of ${name} fit on one GPU`);
  }
  const me = Object.entries(layout).filter(([n]) => geometry.profiles[n]?.mediaExtensions).reduce((s, [, c]) => s + c, 0);
  if (me > 1) problems.push(`${me} media-extension (+me) instances: a GPU has one set of media engines, so at most one +me instance`);
  const compute = slicesUsed(geometry, layout, 'computeSlices');
  const memory = slicesUsed(geometry, layout, 'memorySlices');
  let placement: MigPlacement[] | undefined;
  if (problems.length === 0) {
    if (compute > geometry.computeSlices) problems.push(`needs ${compute} compute slices; the GPU has ${geometry.computeSlices}`);
    const result = search(expand(geometry, layout));
    placement = result.placement;
    if (!placement && result.blocked) {
      const held = result.bestPlaced.map((p) => `${p.profile}@${p.memorySliceStart}`).join(', ') || 'nothing';
      problems.push(
        `no free placement for ${result.blocked.name}: it may start only at memory slice${result.blocked.placementStarts.length > 1 ? 's' : ''} ${result.blocked.placementStarts.join(', ')} ` +
          `spanning ${result.blocked.memorySlices}, and in the best arrangement (${held}) every such span overlaps another instance (${memory} of ${geometry.memorySlices} memory slices requested)`,
      );
    }
  }
  const valid = problems.length === 0 && placement !== undefined && Object.values(layout).some((c) => c > 0);
  if (Object.values(layout).every((c) => c === 0) && problems.length === 0) problems.push('the layout has no instances; use mig-enabled without devices (all-enabled) or disable MIG');
  let closest: MigLayout[] = [];
  if (!valid && withClosest) {
    const ranked = validMigLayouts(geometry)
      .map((l) => ({ l, d: distance(l, layout), m: slicesUsed(geometry, l, 'memorySlices') }))
      .sort((a, b) => a.d - b.d || b.m - a.m || formatMigLayout(a.l).localeCompare(formatMigLayout(b.l)));
    closest = ranked.slice(0, 3).map((r) => r.l);
  }
  return { valid, placement: valid ? placement : undefined, problems, closest, computeSlicesUsed: compute, memorySlicesUsed: memory };
}

/** Says whether NVIDIA's tools could create this layout on one GPU, and if not, why and what is closest. */
export function checkMigLayout(gpu: GpuSpec, layout: MigLayout): MigLayoutCheck {
  if (!gpu.mig) {
    return { valid: false, problems: [`${gpu.id} does not support MIG`], closest: [], computeSlicesUsed: 0, memorySlicesUsed: 0 };
  }
  return checkLayout(gpu.mig, layout, true);
}

/**
 * Memory a MIG device reports, in GiB: its share of the GPU's memory slices, less about 2% that the instance
 * reserves (GPU Feature Discovery labels an H100 80GB 1g.10gb with 9984 MiB, a 3g.40gb with 40320 MiB).
 */
export function migProfileMemoryGiB(gpu: GpuSpec, profileName: string): number {
  const p = gpu.mig?.profiles[profileName];
  if (!p || !gpu.mig) refuse(`GPU ${gpu.id}`, { field: 'profile', message: `is not a MIG profile of the ${gpu.id}`, value: profileName, allowed: Object.keys(gpu.mig?.profiles ?? {}).join(', ') || 'none (no MIG)', fix: 'pick one of its profiles' });
  return Math.round(((gpu.memoryGiB * p.memorySlices) / gpu.mig.memorySlices) * 0.98 * 100) / 100;
}

/** The smallest profile (by memory, then compute) whose memory holds `memoryGiB`; media-extension profiles excluded. */
export function smallestMigProfileFor(gpu: GpuSpec, memoryGiB: number): MigProfile | undefined {
  if (!gpu.mig) return undefined;
  return Object.values(gpu.mig.profiles)
    .filter((p) => !p.mediaExtensions && migProfileMemoryGiB(gpu, p.name) >= memoryGiB)
    .sort((a, b) => a.memorySlices - b.memorySlices || a.computeSlices - b.computeSlices)[0];
}
