import { refuse } from '../errors';
import { GpuSpec } from '../catalog/gpus';
import type { DraClaimRequest } from './dra';
import { POOL_LABEL, ResolvedGpuPool, Toleration, tolerationsFor } from './pool';

/**
 * Where a workload runs: one schedulable GPU unit of a pool (a MIG instance, a time-sliced or MPS replica, or a
 * whole GPU). Carries everything a workload needs: the resource to request, node selection, tolerations, the
 * memory it may use, and whether that memory is shared with other pods.
 */
export interface GpuPlacement {
  readonly poolName: string;
  readonly gpu: GpuSpec;
  /** MIG profile when the unit is a MIG instance. */
  readonly profile?: string;
  /** Extended resource to request (one unit). */
  readonly resourceName: string;
  /** GPU memory the unit has, in GiB (the instance's for MIG, the whole GPU's otherwise). */
  readonly memoryGiB: number;
  /** Not a whole dedicated GPU (MIG instance, time-slicing or MPS replica): vLLM keeps more headroom. */
  readonly shared: boolean;
  /** Memory not isolated from other pods (time-slicing or MPS). */
  readonly memoryShared: boolean;
  /**
   * Pods that can share one unit (time-slicing or MPS replicas; 1 for exclusive GPUs and plain MIG instances). vLLM's
   * `--gpu-memory-utilization` is a fraction of the whole device, so each pod may take only its share of it.
   */
  readonly podsPerUnit: number;
  /** `time-slicing` or `mps` when pods share the unit's memory. */
  readonly sharing?: 'time-slicing' | 'mps';
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** GPUs on one node of the pool (bounds tensor parallelism on whole-GPU pools). */
  readonly gpusPerNode: number;
  /** The profiles the pool offers, for messages. */
  readonly poolProfiles: readonly string[];
  /**
   * GPUs through Dynamic Resource Allocation (`draGpuClaim`): the workload renders a ResourceClaimTemplate with this
   * request instead of an extended-resource count.
   * @default - none: the device plugin's extended resource (`resourceName`)
   */
  readonly dra?: DraClaimRequest;
}

/** The placement handle of one profile of a MIG pool, or of the GPUs of a whole-GPU pool (profile omitted). */
export function poolPlacement(pool: ResolvedGpuPool, profile?: string): GpuPlacement {
  const profiles = pool.resources.map((r) => r.profile).filter((x): x is string => x !== undefined);
  let resource = pool.resources[0];
  if (pool.kind === 'mig') {
    const match = pool.resources.find((r) => r.profile === profile);
    if (!match) {
      refuse(`GPU pool '${pool.name}'`, { field: 'profile', message: `must be a MIG profile in pool '${pool.name}'`, value: profile, allowed: profiles.join(', '), fix: "pick a profile of the pool's layout, or add it to the layout" });
    }
    resource = match;
  } else if (profile !== undefined) {
    refuse(`GPU pool '${pool.name}'`, { field: 'profile', message: `does not apply: the pool has whole GPUs (${pool.kind})`, value: profile, fix: 'call slice() without a profile' });
  }
  return {
    poolName: pool.name,
    gpu: pool.gpu,
    profile: resource.profile,
    resourceName: resource.resourceName,
    memoryGiB: resource.memoryGiB,
    shared: pool.kind !== 'exclusive',
    memoryShared: resource.shared,
    podsPerUnit: resource.shared ? pool.replicas : 1,
    sharing: !resource.shared ? undefined : pool.kind === 'mps' ? 'mps' : 'time-slicing',
    nodeSelector: { [POOL_LABEL]: pool.name },
    tolerations: tolerationsFor(pool.taints),
    gpusPerNode: pool.gpusPerNode,
    poolProfiles: profiles,
  };
}
