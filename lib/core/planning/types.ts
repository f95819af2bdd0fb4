import type { KarpenterOptions, GpuPoolRenderOptions } from '../gpu/pool-render';
import type { MigLayout } from '../gpu/mig-layout';

/**
 * How a workload's replicas may share a GPU.
 * - `mig`: a MIG instance of its own (hardware isolation of memory and compute), or whole GPUs.
 * - `shared`: time-slicing on a whole GPU with other `shared` replicas (no memory isolation), a MIG instance, or whole GPUs.
 * - `whole`: whole GPUs only; a tensor-parallel group when one GPU does not hold a replica.
 */
export type FleetIsolation = 'mig' | 'shared' | 'whole';

/** One workload of the fleet: a model sized by the estimator, or a memory need given directly. */
export interface FleetWorkload {
  /** DNS-1123 label; names the VllmServices the fleet renders. */
  readonly name: string;
  /** A catalog model id or Hugging Face id (exclusive with memoryGiB). @default - none; memoryGiB is required then */
  readonly model?: string;
  /** GiB of GPU memory one replica needs (exclusive with model): weights, overheads and KV cache. @default - none; model is required then */
  readonly memoryGiB?: number;
  /** `--max-model-len` (model workloads). @default - the model's maximum context capped at 8192, as VllmService does */
  readonly maxModelLen?: number;
  /**
   * Requests of full `maxModelLen` one replica must hold in its KV cache at once (model workloads).
   * @default 1 - what vLLM itself needs to start
   */
  readonly concurrency?: number;
  /** `--kv-cache-dtype` (model workloads). @default 'auto' */
  readonly kvCacheDtype?: 'auto' | 'fp8';
  /** vLLM release the estimator sizes for (model workloads). @default DEFAULT_VLLM_VERSION */
  readonly vllmVersion?: string;
  /** @default 1 */
  readonly replicas?: number;
  /** @default 'mig' - hardware isolation, what production inference with SLAs needs */
  readonly isolation?: FleetIsolation;
}

/** A GPU model the fleet may use. */
export interface FleetGpuOffer {
  /** Catalog GPU id, e.g. `H100-80GB`. */
  readonly gpu: string;
  /** GPUs on one node; bounds tensor parallelism and groups GPUs into nodes. @default 8 */
  readonly gpusPerNode?: number;
  /** Price of one GPU for one hour (any currency; the plan's cost is in the same unit). */
  readonly hourlyPrice: number;
  /** The most GPUs of this model the plan may use (quota, capacity reservation). @default - unlimited */
  readonly maxGpus?: number;
  /** Karpenter provisioning for the pools of this GPU (see GpuPoolRenderOptions). @default - no Karpenter NodePool */
  readonly karpenter?: KarpenterOptions;
}

/** What planGpuFleet plans: the workloads, the GPUs on offer and the objective. */
export interface FleetRequest {
  readonly workloads: readonly FleetWorkload[];
  readonly gpus: readonly FleetGpuOffer[];
  /** `cost`: the lowest hourly cost; `gpus`: the fewest GPUs, then the lowest cost. @default 'cost' */
  readonly objective?: 'cost' | 'gpus';
  /**
   * What the plan pays for. `gpu`: every GPU that carries a replica (per-GPU pricing, or nodes shared with others).
   * `node`: whole nodes of `gpusPerNode` GPUs, idle GPUs of a partly used node included (what most clouds rent);
   * `gpus`, `cost` and the bound then count provisioned GPUs.
   * @default 'gpu'
   */
  readonly billing?: 'gpu' | 'node';
  /** Prefix of the pool names. @default 'fleet' */
  readonly name?: string;
  /**
   * Fraction of a time-sliced GPU's memory the `shared` replicas on it may claim together. Each vLLM process takes
   * `--gpu-memory-utilization` of the whole device and refuses to start when less is free, so the shares must add
   * up to less than 1; the rest is headroom for every extra process's CUDA context and for fragmentation.
   * @default 0.9 - vLLM's own default utilization for one process, here shared by all of them
   */
  readonly sharedMemoryCap?: number;
  /**
   * MIG layouts the planner may choose: any layout NVIDIA can place, or only the GPU's `all-balanced` layout
   * (for comparison with NVIDIA's fixed config).
   * @default 'any'
   */
  readonly migLayouts?: 'any' | 'balanced';
}

/** Where one replica runs. */
export interface FleetAssignment {
  readonly workload: string;
  /** 0-based replica index within the workload. */
  readonly replica: number;
  readonly gpu: string;
  /** Name of the pool (see `pools`). */
  readonly pool: string;
  /** 0-based node index within the pool. */
  readonly node: number;
  /** GPU index on the node (the first GPU of a tensor-parallel group). */
  readonly device: number;
  /** The MIG profile, `whole` (dedicated GPUs) or `shared` (time-sliced GPU). */
  readonly profile: string;
  readonly tensorParallelSize: number;
  /** GPU memory the replica needs on each of its GPUs or on its instance, GiB. */
  readonly needGiB: number;
  /** `--gpu-memory-utilization` the replica runs with (its share of the device on time-sliced GPUs). */
  readonly gpuMemoryUtilization: number;
}

/** One planned GPU: what it carries. */
export interface FleetGpu {
  readonly gpu: string;
  readonly pool: string;
  readonly node: number;
  readonly device: number;
  readonly kind: 'mig' | 'shared' | 'whole';
  /** MIG GPUs: the layout. */
  readonly layout?: MigLayout;
  /** Occupants: one per MIG instance (undefined workload = spare instance), per shared replica, or the TP group. */
  readonly slots: readonly FleetSlot[];
}

/** One slot of a planned GPU: a MIG instance, a share of the device, or the whole device. */
export interface FleetSlot {
  readonly profile: string;
  /** Memory slices the instance spans (MIG), or hundredths of the device memory (shared). */
  readonly start?: number;
  readonly size: number;
  readonly workload?: string;
  readonly replica?: number;
  readonly needGiB?: number;
}

/** GPUs and hourly cost of a plan. */
export interface FleetTotals {
  readonly gpus: number;
  readonly cost: number;
}

/** A proven lower bound on a plan's GPUs and cost. */
export interface FleetLowerBound extends FleetTotals {
  /** How the bound was proven. */
  readonly method: string;
}

/** A planned fleet: its pools, which replica runs where, the totals and the lower bound. */
export interface FleetPlan extends FleetTotals {
  readonly objective: 'cost' | 'gpus';
  readonly billing: 'gpu' | 'node';
  /** No plan under the planner's rules can use fewer GPUs or cost less than this. */
  readonly lowerBound: FleetLowerBound;
  /** One whole GPU (or tensor-parallel group) per replica, on the cheapest offered GPU that holds it. */
  readonly naive: FleetTotals;
  /** Relative gap of the objective to the lower bound: (plan - bound) / bound. */
  readonly gap: number;
  /** Whole nodes the pools provision (GPUs of a partly used last node included) and their cost. */
  readonly provisioned: FleetTotals & { readonly nodes: number };
  readonly assignments: readonly FleetAssignment[];
  /** Every used GPU with its layout and occupants, in pool, node and device order. */
  readonly gpuList: readonly FleetGpu[];
  /** Pool options, one per GPU model and layout group: render them with GpuNodePool / MigNodePool. */
  readonly pools: readonly GpuPoolRenderOptions[];
  /** How the solver ended: `optimal` or `gap-limited`. */
  readonly solverStatus: string;
  /** Milliseconds spent planning. */
  readonly millis: number;
}
