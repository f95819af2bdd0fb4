import { refuse } from '../errors';

/**
 * MIG geometry: the GPU-instance profiles a GPU offers and where each can be placed on its memory slices.
 * A layout (a multiset of profiles on one GPU) is valid when every instance gets one of its allowed placements
 * without overlapping another, at most one media-extension (`+me`) instance exists, and no profile exceeds its
 * instance count. This is what NVML enforces when mig-parted creates the instances.
 */
export interface MigProfile {
  /** e.g. `3g.40gb`, `1g.10gb+me`. */
  readonly name: string;
  readonly computeSlices: number;
  readonly memorySlices: number;
  /** The nominal memory in the profile name (GB). */
  readonly memoryGB: number;
  readonly maxInstances: number;
  /** Media extensions (`+me`): decoders/JPEG/OFA; at most one such instance per GPU. */
  readonly mediaExtensions: boolean;
  /** Memory slices where an instance of this profile may start; it then spans `memorySlices` slices. */
  readonly placementStarts: readonly number[];
}

/** A GPU's MIG geometry: compute and memory slices and the profiles with their placements. */
export interface MigGeometry {
  readonly computeSlices: number;
  readonly memorySlices: number;
  /** Profiles by name, in NVIDIA's table order (smallest first). */
  readonly profiles: Readonly<Record<string, MigProfile>>;
  /** The layout NVIDIA's `all-balanced` config applies to this GPU. */
  readonly balanced: Readonly<Record<string, number>>;
}

function profile(name: string, computeSlices: number, memorySlices: number, maxInstances: number, placementStarts: number[]): MigProfile {
  const m = /^\d+g\.(\d+)gb/.exec(name);
  if (!m) refuse('MIG geometry', { field: 'profile', message: 'must be named <compute>g.<memory>gb', value: name, fix: 'use NVIDIA\'s profile names, e.g. 3g.40gb' });
  return { name, computeSlices, memorySlices, memoryGB: Number(m[1]), maxInstances, mediaExtensions: name.endsWith('+me'), placementStarts };
}

/**
 * The 8-memory-slice, 7-compute-slice layout shared by A100, H100, H200, GH200, B200 and GB200. Only the profile
 * names differ (they carry each GPU's memory per slice).
 * @param mem the memory tokens of the one-, two-, four- and eight-slice profiles, e.g. [10, 20, 40, 80] for H100 80GB
 */
export function eightSliceGeometry([m1, m2, m4, m8]: readonly [number, number, number, number]): MigGeometry {
  const list = [
    profile(`1g.${m1}gb`, 1, 1, 7, [0, 1, 2, 3, 4, 5, 6]),
    profile(`1g.${m1}gb+me`, 1, 1, 1, [0, 1, 2, 3, 4, 5, 6]),
    profile(`1g.${m2}gb`, 1, 2, 4, [0, 2, 4, 6]),
    profile(`2g.${m2}gb`, 2, 2, 3, [0, 2, 4]),
    profile(`3g.${m4}gb`, 3, 4, 2, [0, 4]),
    profile(`4g.${m4}gb`, 4, 4, 1, [0]),
    profile(`7g.${m8}gb`, 7, 8, 1, [0]),
  ];
  return {
    computeSlices: 7,
    memorySlices: 8,
    profiles: Object.fromEntries(list.map((p) => [p.name, p])),
    balanced: { [`1g.${m1}gb`]: 2, [`2g.${m2}gb`]: 1, [`3g.${m4}gb`]: 1 },
  };
}

/** The A30: 4 memory and 4 compute slices. */
export function a30Geometry(): MigGeometry {
  const list = [
    profile('1g.6gb', 1, 1, 4, [0, 1, 2, 3]),
    profile('1g.6gb+me', 1, 1, 1, [0, 1, 2, 3]),
    profile('2g.12gb', 2, 2, 2, [0, 2]),
    profile('2g.12gb+me', 2, 2, 1, [0, 2]),
    profile('4g.24gb', 4, 4, 1, [0]),
  ];
  return { computeSlices: 4, memorySlices: 4, profiles: Object.fromEntries(list.map((p) => [p.name, p])), balanced: { '1g.6gb': 2, '2g.12gb': 1 } };
}

/** The name mig-parted uses for a single-profile config: `all-1g.10gb`, `all-1g.10gb.me` for `+me`. */
export function allProfileConfigName(profileName: string): string {
  return `all-${profileName.replace('+me', '.me')}`;
}
