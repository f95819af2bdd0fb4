import { ProblemCollector } from '../errors';
import { findGpu, GPU_IDS, GpuSpec } from '../catalog/gpus';
import { checkOptions } from '../options/schema';
import { GPU_POOL_OPTIONS } from './pool-schema';
import { checkMigLayout, formatMigLayout, MigLayout, migProfileMemoryGiB } from './mig-layout';
import { DevicePluginConfig, maxMpsReplicas, SharingBlock } from './sharing';

/** A node taint. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A pod toleration. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect: string;
}

/**
 * A MIG layout choice: `'balanced'` (NVIDIA's all-balanced layout), a profile name (that profile on every GPU, as
 * many as fit), one layout for every GPU, or an explicit list with one layout per GPU of the node.
 */
export type MigLayoutChoice = 'balanced' | string | MigLayout | readonly MigLayout[];

/** A pool's MIG layout, and time-slicing inside each instance if wanted. */
export interface MigPoolOptions {
  readonly layout: MigLayoutChoice;
  /** Time-slicing inside each MIG instance (the hybrid): replicas per instance. @default - no time-slicing */
  readonly timeSlicingReplicas?: number;
  /**
   * How the device plugin names the instances: `single` advertises them as `nvidia.com/gpu` (one profile on every
   * GPU of the node), `mixed` as `nvidia.com/mig-<profile>`. The GPU Operator sets one strategy for the whole cluster
   * (MIG_STRATEGY in the device plugin's environment overrides the per-node config), so every MIG pool of one
   * operator must agree; GpuOperatorStack refuses pools that do not.
   * @default - 'single' when every GPU has one profile (workloads request plain nvidia.com/gpu), else 'mixed'
   */
  readonly strategy?: 'single' | 'mixed';
}

/** Time-slicing of whole GPUs: several pods per GPU, without memory isolation. */
export interface TimeSlicingOptions {
  /** Pods per GPU (at least 2). */
  readonly replicas: number;
  /** Advertise `nvidia.com/gpu.shared` instead of `nvidia.com/gpu`, so pods opt in to sharing. @default false */
  readonly renameByDefault?: boolean;
  /** Refuse requests for more than one replica (two replicas are not twice the GPU). @default true */
  readonly failRequestsGreaterThanOne?: boolean;
}

/** CUDA MPS sharing of whole GPUs. */
export interface MpsOptions {
  /** MPS clients per GPU (2..48; 2..16 below compute capability 7.5). */
  readonly replicas: number;
  /** @default false */
  readonly renameByDefault?: boolean;
}

/** The workloads the pool will carry, for the sharing warnings. */
export interface PoolWorkloadProfile {
  /** Production inference that needs memory isolation (SLA). @default false */
  readonly productionInference?: boolean;
  /** How many teams place workloads on one GPU. @default 1 */
  readonly teams?: number;
}

/** A GPU node pool: the GPU, the nodes, their labels and taints, and how the GPUs are shared. */
export interface GpuPoolOptions {
  /** DNS-1123 label; names the pool's mig-parted config and device-plugin config. */
  readonly name: string;
  /** Catalog GPU id. */
  readonly gpu: string;
  /** @default 8 */
  readonly gpusPerNode?: number;
  /** Node count, or an autoscaling range. @default 1 */
  readonly nodes?: number | { readonly min: number; readonly max: number };
  /** MIG partitioning. Exclusive with timeSlicing and mps at the pool level. @default - whole GPUs */
  readonly mig?: MigPoolOptions;
  /** Time-slicing of whole GPUs. @default - none */
  readonly timeSlicing?: TimeSlicingOptions;
  /** MPS on whole GPUs. @default - none */
  readonly mps?: MpsOptions;
  /** Node taints. @default [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] - keeps non-GPU pods off */
  readonly taints?: readonly Taint[];
  /** Extra node labels. @default {} */
  readonly labels?: Record<string, string>;
  /** @default {} */
  readonly workloads?: PoolWorkloadProfile;
}

/** One kind of schedulable GPU resource the pool offers. */
export interface PoolResource {
  readonly resourceName: string;
  /** MIG profile, for MIG pools. */
  readonly profile?: string;
  readonly memoryGiB: number;
  /** Memory not isolated between the pods that share it (time-slicing or MPS replicas). */
  readonly shared: boolean;
  readonly instancesPerNode: number;
  /** Schedulable units per node (instances x replicas). */
  readonly unitsPerNode: number;
  readonly unitsMin: number;
  readonly unitsMax: number;
}

/** A GPU pool with every default resolved. */
export interface ResolvedGpuPool {
  readonly name: string;
  readonly gpu: GpuSpec;
  readonly gpusPerNode: number;
  readonly nodes: { readonly min: number; readonly max: number };
  readonly kind: 'mig' | 'time-slicing' | 'mps' | 'exclusive';
  /** The layout of each GPU of a node (MIG pools). */
  readonly perGpuLayouts: readonly MigLayout[];
  readonly migStrategy: 'none' | 'single' | 'mixed';
  readonly replicas: number;
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly devicePluginConfig: DevicePluginConfig;
  /** This pool's entry for mig-parted's `mig-configs`, named after the pool (MIG pools). */
  readonly migPartedConfig?: Readonly<Record<string, readonly MigPartedEntry[]>>;
  readonly resources: readonly PoolResource[];
  /** GPU memory (GiB per GPU, averaged over the node) no instance of the layout uses. */
  readonly unusedMemoryGiBPerGpu: number;
  readonly warnings: readonly string[];
}

/** One entry of a mig-parted config. */
export interface MigPartedEntry {
  readonly devices: 'all' | readonly number[];
  readonly 'mig-enabled': boolean;
  readonly 'mig-devices'?: MigLayout;
}

/** The node label that names a node's gpuplane pool. */
export const POOL_LABEL = 'gpuplane.dev/pool';
/** The taint gpuplane puts on a pool's GPU nodes unless the pool sets its own. */
export const DEFAULT_GPU_TAINT: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

/** The tolerations a pod needs to land on nodes with these taints. */
export function tolerationsFor(taints: readonly Taint[]): Toleration[] {
  return taints.map((t) => (t.value === undefined ? { key: t.key, operator: 'Exists', effect: t.effect } : { key: t.key, operator: 'Equal', value: t.value, effect: t.effect }));
}

function layoutsFor(gpu: GpuSpec, choice: MigLayoutChoice, gpusPerNode: number, p: ProblemCollector): MigLayout[] | undefined {
  const mig = gpu.mig!;
  if (choice === 'balanced') return new Array(gpusPerNode).fill(mig.balanced);
  if (typeof choice === 'string') {
    const profile = mig.profiles[choice];
    if (!profile) {
      p.add({ field: 'mig.layout', message: `names a profile the ${gpu.id} does not have`, value: choice, allowed: `'balanced', ${Object.keys(mig.profiles).join(', ')}, or an explicit layout`, fix: 'pick one of its profiles' });
      return undefined;
    }
    return new Array(gpusPerNode).fill({ [choice]: profile.maxInstances });
  }
  if (Array.isArray(choice)) {
    if (choice.length !== gpusPerNode) {
      p.add({ field: 'mig.layout', message: `must list one layout per GPU of the node (${gpusPerNode})`, value: `${choice.length} layouts`, fix: `give ${gpusPerNode} layouts, or one layout for every GPU` });
      return undefined;
    }
    return [...choice];
  }
  return new Array(gpusPerNode).fill(choice as MigLayout);
}

/** Resolves and checks a pool; throws every problem at once. */
export function resolveGpuPool(o: GpuPoolOptions): ResolvedGpuPool {
  const subject = `GPU pool '${typeof (o as { name?: unknown })?.name === 'string' ? o.name : '?'}'`;
  checkOptions(subject, GPU_POOL_OPTIONS, o);
  const p = new ProblemCollector();
  const gpu = findGpu(o.gpu);
  if (!gpu) p.add({ field: 'gpu', message: 'names an unknown GPU', value: o.gpu, allowed: GPU_IDS.join(', '), fix: 'use a catalog id' });
  const gpusPerNode = o.gpusPerNode ?? 8;
  p.check(Number.isInteger(gpusPerNode) && gpusPerNode >= 1 && gpusPerNode <= 16, { field: 'gpusPerNode', message: 'must be an integer from 1 to 16', value: gpusPerNode, fix: 'use the GPUs of one node, e.g. 8' });
  const nodes = typeof o.nodes === 'object' ? o.nodes : { min: o.nodes ?? 1, max: o.nodes ?? 1 };
  p.check(Number.isInteger(nodes.min) && nodes.min >= 0 && Number.isInteger(nodes.max) && nodes.max >= Math.max(1, nodes.min), {
    field: 'nodes', message: 'must be a count of at least 1, or { min, max } with 0 <= min <= max and max >= 1', value: o.nodes, fix: 'e.g. 2 or { min: 1, max: 4 }',
  });
  const modes = [o.mig && 'mig', o.timeSlicing && 'timeSlicing', o.mps && 'mps'].filter(Boolean) as string[];
  if (modes.includes('mig') && modes.includes('mps')) {
    p.add({ field: 'mps', message: 'cannot be combined with MIG; the device plugin supports MPS on full GPUs only', value: o.mps, fix: 'use mig.timeSlicingReplicas for sharing inside MIG instances, or drop MIG' });
  } else if (modes.length > 1) {
    p.add({ field: modes.join(', '), message: 'are exclusive at the pool level; the device plugin config takes timeSlicing or mps, never both', value: modes, fix: 'keep one; for sharing inside MIG instances use mig.timeSlicingReplicas' });
  }
  if (o.mig && gpu && !gpu.migCapable) {
    p.add({ field: 'mig', message: `is not available on the ${gpu.id}; MIG needs A100, A30, H100, H200, GH200, B200 or GB200`, value: o.gpu, fix: 'use timeSlicing or mps on this GPU, or a MIG-capable GPU' });
  }
  const taints = o.taints ?? [DEFAULT_GPU_TAINT];
  for (const key of Object.keys(o.labels ?? {})) {
    p.check(![POOL_LABEL, 'nvidia.com/device-plugin.config', 'nvidia.com/mig.config'].includes(key), {
      field: `labels[${JSON.stringify(key)}]`, message: 'is a node label gpuplane sets from the pool (the device plugin, the MIG manager and the placements read it)', value: o.labels![key], fix: 'use a label key of your own',
    });
  }
  p.throwIfAny(subject);

  const g = gpu!;
  const warnings: string[] = [];
  const { kind, perGpuLayouts, migStrategy, replicas, sharing, renamed } = resolveSharing(o, g, gpusPerNode, p);
  p.throwIfAny(subject);

  if (kind === 'time-slicing' && o.workloads?.productionInference) {
    warnings.push(`${subject}: time-slicing gives no memory isolation: one pod can take the memory the others need and a CUDA fault can take them all down. For production inference with SLAs use MIG${g.migCapable ? ` (the ${g.id} supports it)` : ' on a MIG-capable GPU'}.`);
  }
  if (taints.length === 0) {
    warnings.push(`${subject}: no taint on the GPU nodes, so any pod may land there and take the CPU and memory GPU workloads need. Keep the default nvidia.com/gpu taint unless the nodes are dedicated some other way.`);
  }
  if (kind === 'mps' && (o.workloads?.teams ?? 1) > 1) {
    warnings.push(`${subject}: MPS assumes trusted clients of one team: memory limits are enforced by CUDA, not hardware, and one fatal error kills every client on the GPU. Give each team its own GPUs or use MIG.`);
  }

  const devicePluginConfig: DevicePluginConfig = { version: 'v1', flags: { migStrategy: kind === 'mig' ? migStrategy : 'none' }, sharing };
  const migPartedConfig = kind === 'mig' ? { [o.name]: migPartedEntries(perGpuLayouts) } : undefined;
  const nodeLabels: Record<string, string> = {
    ...(o.labels ?? {}),
    [POOL_LABEL]: o.name,
    'nvidia.com/device-plugin.config': o.name,
    ...(kind === 'mig' ? { 'nvidia.com/mig.config': o.name } : {}),
  };

  const resources = poolResources(g, kind, perGpuLayouts, migStrategy, replicas, renamed, gpusPerNode, nodes);
  const usedSlices = perGpuLayouts.reduce((s, l) => s + Object.entries(l).reduce((t, [n, c]) => t + g.mig!.profiles[n].memorySlices * c, 0), 0);
  const unusedMemoryGiBPerGpu = kind === 'mig' ? Math.round(((gpusPerNode * g.mig!.memorySlices - usedSlices) / gpusPerNode / g.mig!.memorySlices) * g.memoryGiB * 100) / 100 : 0;

  return { name: o.name, gpu: g, gpusPerNode, nodes, kind, perGpuLayouts, migStrategy, replicas, nodeLabels, taints, devicePluginConfig, migPartedConfig, resources, unusedMemoryGiBPerGpu, warnings };
}

/** mig-parted entries: `devices: all` when every GPU shares the layout, else one entry per group of GPU indices. */
function migPartedEntries(layouts: readonly MigLayout[]): MigPartedEntry[] {
  const groups = new Map<string, { layout: MigLayout; devices: number[] }>();
  layouts.forEach((layout, i) => {
    const k = formatMigLayout(layout);
    const g = groups.get(k) ?? { layout, devices: [] };
    g.devices.push(i);
    groups.set(k, g);
  });
  const sortedLayout = (l: MigLayout): MigLayout => Object.fromEntries(Object.keys(l).filter((k) => l[k] > 0).sort().map((k) => [k, l[k]]));
  if (groups.size === 1) return [{ devices: 'all', 'mig-enabled': true, 'mig-devices': sortedLayout(layouts[0]) }];
  return [...groups.values()].map((g) => ({ devices: g.devices, 'mig-enabled': true, 'mig-devices': sortedLayout(g.layout) }));
}

function poolResources(
  g: GpuSpec, kind: ResolvedGpuPool['kind'], layouts: readonly MigLayout[], strategy: ResolvedGpuPool['migStrategy'],
  replicas: number, renamed: boolean, gpusPerNode: number, nodes: { min: number; max: number },
): PoolResource[] {
  const unit = (perNode: number, shared: number) => ({ unitsPerNode: perNode * shared, unitsMin: perNode * shared * nodes.min, unitsMax: perNode * shared * nodes.max });
  if (kind !== 'mig') {
    const name = renamed ? 'nvidia.com/gpu.shared' : 'nvidia.com/gpu';
    return [{ resourceName: name, memoryGiB: g.memoryGiB, shared: replicas > 1, instancesPerNode: gpusPerNode, ...unit(gpusPerNode, replicas) }];
  }
  const counts = new Map<string, number>();
  for (const l of layouts) for (const [n, c] of Object.entries(l)) if (c > 0) counts.set(n, (counts.get(n) ?? 0) + c);
  return [...counts.keys()].sort().map((profile) => ({
    resourceName: strategy === 'single' ? 'nvidia.com/gpu' : `nvidia.com/mig-${profile}`,
    profile,
    memoryGiB: migProfileMemoryGiB(g, profile),
    shared: replicas > 1,
    instancesPerNode: counts.get(profile)!,
    ...unit(counts.get(profile)!, replicas),
  }));
}


/**
 * MIG layout choices as values, so a layout never hides in a string: `MigLayouts.balanced()`, one profile on every
 * GPU, one multiset for every GPU, or one layout per GPU of the node (what `mig.layout` takes).
 */
export const MigLayouts = {
  /** NVIDIA's `all-balanced` layout on every GPU. */
  balanced: (): MigLayoutChoice => 'balanced',
  /** As many instances of one profile as fit, on every GPU (`all-3g.40gb`). */
  allOf: (profile: string): MigLayoutChoice => profile,
  /** The same multiset of profiles on every GPU (`{ '3g.40gb': 2 }`). */
  of: (layout: MigLayout): MigLayoutChoice => ({ ...layout }),
  /** One layout per GPU of the node, in device order. */
  perGpu: (layouts: readonly MigLayout[]): MigLayoutChoice => layouts.map((l) => ({ ...l })),
} as const;

/** How the pool's GPUs are cut or shared: MIG layouts and strategy, time-slicing or MPS replicas, the plugin's sharing block. */
function resolveSharing(o: GpuPoolOptions, g: GpuSpec, gpusPerNode: number, p: ProblemCollector): {
  kind: ResolvedGpuPool['kind']; perGpuLayouts: MigLayout[]; migStrategy: ResolvedGpuPool['migStrategy']; replicas: number; sharing: DevicePluginConfig['sharing']; renamed: boolean;
} {
  let kind: ResolvedGpuPool['kind'] = 'exclusive';
  let perGpuLayouts: MigLayout[] = [];
  let migStrategy: ResolvedGpuPool['migStrategy'] = 'none';
  let replicas = 1;
  let sharing: DevicePluginConfig['sharing'];
  let renamed = false;

  const checkReplicas = (field: string, r: number, max: number) =>
    p.check(Number.isInteger(r) && r >= 2 && r <= max, {
      field, message: `must be an integer from 2 to ${max}`, value: r, allowed: `2..${max}`,
      fix: r < 2 ? 'one replica is no sharing: drop the option for exclusive GPUs' : `lower it to ${max}`,
    });

  if (o.mig) {
    kind = 'mig';
    const layouts = layoutsFor(g, o.mig.layout, gpusPerNode, p);
    if (layouts) {
      const seen = new Set<string>();
      layouts.forEach((layout, i) => {
        if (seen.has(formatMigLayout(layout))) return; // one report per distinct layout
        seen.add(formatMigLayout(layout));
        const check = checkMigLayout(g, layout);
        if (!check.valid) {
          p.add({
            field: Array.isArray(o.mig!.layout) ? `mig.layout[${i}]` : 'mig.layout',
            message: `cannot be placed on the ${g.id}: ${check.problems.join('; ')}`,
            value: formatMigLayout(layout),
            allowed: `closest valid layouts: ${check.closest.map(formatMigLayout).join(' | ')}`,
            fix: 'use one of the closest valid layouts, or checkMigLayout() to explore',
          });
        }
      });
      perGpuLayouts = layouts;
    }
    const profiles = new Set(perGpuLayouts.flatMap((l) => Object.keys(l).filter((k) => l[k] > 0)));
    const singleProfile = profiles.size === 1 && perGpuLayouts.every((l) => Object.keys(l).filter((k) => l[k] > 0).length === 1);
    migStrategy = o.mig.strategy ?? (singleProfile ? 'single' : 'mixed');
    p.check(!(migStrategy === 'single' && !singleProfile), {
      field: 'mig.strategy', message: `is 'single', which needs one profile on every GPU; the layout has ${[...profiles].sort().join(', ')}`, value: 'single',
      fix: "use 'mixed' (instances are requested as nvidia.com/mig-<profile>), or one profile on every GPU",
    });
    if (o.mig.timeSlicingReplicas !== undefined) {
      replicas = o.mig.timeSlicingReplicas;
      checkReplicas('mig.timeSlicingReplicas', replicas, 64);
      const names = migStrategy === 'single' ? ['nvidia.com/gpu'] : [...profiles].sort().map((pr) => `nvidia.com/mig-${pr}`);
      sharing = { timeSlicing: { failRequestsGreaterThanOne: true, resources: names.map((name) => ({ name, replicas })) } };
    }
  } else if (o.timeSlicing) {
    kind = 'time-slicing';
    replicas = o.timeSlicing.replicas;
    checkReplicas('timeSlicing.replicas', replicas, 64);
    renamed = o.timeSlicing.renameByDefault ?? false;
    const block: SharingBlock = { renameByDefault: renamed || undefined, failRequestsGreaterThanOne: o.timeSlicing.failRequestsGreaterThanOne ?? true, resources: [{ name: 'nvidia.com/gpu', replicas }] };
    sharing = { timeSlicing: block };
  } else if (o.mps) {
    kind = 'mps';
    replicas = o.mps.replicas;
    const max = maxMpsReplicas(g);
    checkReplicas('mps.replicas', replicas, max);
    renamed = o.mps.renameByDefault ?? false;
    sharing = { mps: { renameByDefault: renamed || undefined, resources: [{ name: 'nvidia.com/gpu', replicas }] } };
  }
  return { kind, perGpuLayouts, migStrategy, replicas, sharing, renamed };
}
