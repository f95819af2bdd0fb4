import { GpuSpec } from '../catalog/gpus';

/**
 * The k8s-device-plugin (v0.20.0) config file, `version: v1`, as the plugin reads it. Only fields the plugin acts
 * on are modelled: `rename` and per-device `devices` under `resources[]` are parsed but ignored upstream, and
 * gpuplane refuses them rather than render something that silently does nothing.
 */
export interface DevicePluginConfig {
  readonly version: 'v1';
  readonly flags: { readonly migStrategy: 'none' | 'single' | 'mixed' };
  readonly sharing?: {
    readonly timeSlicing?: SharingBlock;
    readonly mps?: SharingBlock;
  };
}

/** The device plugin's `sharing` block (time-slicing or MPS) as the plugin's config file writes it. */
export interface SharingBlock {
  readonly renameByDefault?: boolean;
  readonly failRequestsGreaterThanOne?: boolean;
  readonly resources: readonly { readonly name: string; readonly replicas: number }[];
}

/** MPS replica limits: 48 clients per GPU, 16 before Volta's successor (compute capability 7.5). */
export function maxMpsReplicas(gpu: GpuSpec): number {
  return gpu.computeCapability !== undefined && gpu.computeCapability < 7.5 ? 16 : 48;
}

/** How a GPU is shared: MIG, MIG with time-slicing, time-slicing, MPS or not at all. */
export type SharingStrategy = 'mig' | 'mig+time-slicing' | 'time-slicing' | 'mps' | 'whole-gpu';

/** What recommendGpuSharing weighs: isolation, the GPU, and the workloads' memory and size. */
export interface SharingNeeds {
  /** Workloads must not see or disturb each other's memory (SLAs, tenants, production inference). */
  readonly memoryIsolation: boolean;
  /** Catalog GPU id. */
  readonly gpu: GpuSpec;
  /** `bursty`: short busy periods; `continuous`: always computing; `dev`: development and tests. */
  readonly pattern: 'bursty' | 'continuous' | 'dev';
  /** Workloads on one GPU belong to different teams (untrusted neighbours). @default false */
  readonly multipleTeams?: boolean;
  /** GPU memory one workload needs, in GiB; a workload needing most of the GPU gets it whole. @default - unknown */
  readonly memoryGiBPerWorkload?: number;
  /** How many workloads should share one GPU. @default - unknown */
  readonly workloadsPerGpu?: number;
}

/** The sharing strategy recommendGpuSharing picks, and why. */
export interface SharingRecommendation {
  readonly strategy: SharingStrategy;
  readonly reason: string;
}

/**
 * The articles' decision framework as a function: isolation first, then the hardware, then the workload pattern.
 */
export function recommendGpuSharing(n: SharingNeeds): SharingRecommendation {
  const gpu = n.gpu;
  if (n.memoryGiBPerWorkload !== undefined && n.memoryGiBPerWorkload > gpu.memoryGiB * 0.5) {
    return { strategy: 'whole-gpu', reason: `one workload needs ${n.memoryGiBPerWorkload} GiB, more than half of the ${gpu.id}'s ${gpu.memoryGiB} GiB: sharing gains nothing` };
  }
  if (n.memoryIsolation || n.multipleTeams) {
    const why = n.memoryIsolation ? 'memory isolation is required' : 'workloads of different teams share the GPU';
    if (!gpu.migCapable) {
      return { strategy: 'whole-gpu', reason: `${why}, and the ${gpu.id} has no MIG: only hardware partitioning isolates memory and faults, so give each workload its own GPU` };
    }
    if (n.workloadsPerGpu !== undefined && n.workloadsPerGpu > 7) {
      return { strategy: 'mig+time-slicing', reason: `${why}: MIG isolates, but gives at most 7 instances; time-slice inside each instance for ${n.workloadsPerGpu} workloads (isolation holds between instances, not within one)` };
    }
    return { strategy: 'mig', reason: `${why}: MIG gives each instance its own memory, cache and compute, and a fault stays inside its instance` };
  }
  if (n.pattern === 'continuous') {
    return { strategy: 'mps', reason: 'trusted workloads of one team that compute continuously: MPS runs their kernels concurrently instead of taking turns (one fatal error still takes down every client on the GPU)' };
  }
  return {
    strategy: 'time-slicing',
    reason: n.pattern === 'dev'
      ? 'development and tests: time-slicing works on any GPU and needs no workload changes; isolation does not matter here'
      : 'bursty trusted workloads rarely compete for the GPU at once, so taking turns costs little; time-slicing works on any GPU',
  };
}
