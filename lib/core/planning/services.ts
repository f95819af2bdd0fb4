import type { VllmServiceOptions } from '../vllm/options';
import { FleetPlan, FleetRequest } from './types';

/** Extra VllmService options per model workload (everything but what the plan decides). */
export type FleetServiceOverrides = Omit<VllmServiceOptions, 'name' | 'model' | 'gpu' | 'placement' | 'replicas' | 'autoscaling' | 'tensorParallelSize' | 'gpuMemoryUtilization' | 'maxModelLen' | 'kvCacheDtype' | 'vllmVersion' | 'gpusPerNode' | 'sharedGpu'>;

/** One VllmService the fleet renders: the replicas of one workload on one pool unit. */
export interface FleetServiceSpec {
  readonly workload: string;
  readonly pool: string;
  /** MIG profile, or undefined on whole-GPU and time-sliced pools (`pool.slice()`). */
  readonly profile?: string;
  /** The service's options, less the placement (the adapter takes it from its pool). */
  readonly options: Omit<VllmServiceOptions, 'placement'>;
}

/** Where a workload's replicas run in a plan: pool, profile and count. */
export interface FleetPlacementSpec {
  readonly pool: string;
  readonly profile?: string;
  readonly replicas: number;
  readonly tensorParallelSize: number;
  readonly gpuMemoryUtilization: number;
}

/** Groups the assignments of each workload by pool unit, in a stable order. */
export function fleetPlacements(plan: FleetPlan, workload: string): FleetPlacementSpec[] {
  const groups = new Map<string, FleetPlacementSpec & { replicas: number }>();
  for (const a of plan.assignments.filter((x) => x.workload === workload)) {
    const profile = a.profile === 'whole' || a.profile === 'shared' ? undefined : a.profile;
    const key = `${a.pool}/${profile ?? ''}/${a.tensorParallelSize}/${a.gpuMemoryUtilization}`;
    const g = groups.get(key);
    if (g) g.replicas++;
    else groups.set(key, { pool: a.pool, profile, replicas: 1, tensorParallelSize: a.tensorParallelSize, gpuMemoryUtilization: a.gpuMemoryUtilization });
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, g]) => g);
}

/**
 * The VllmServices of a plan: one per model workload and pool unit (a workload split over two profiles gets two,
 * named `<workload>-1`, `<workload>-2`). Replicas are the planned count with autoscaling off: the fleet is sized for
 * exactly these replicas. On time-sliced GPUs each service runs with its planned share as `--gpu-memory-utilization`;
 * elsewhere with VllmService's defaults, which the planner sized with. Memory-need workloads get no service.
 */
export function fleetServices(request: FleetRequest, plan: FleetPlan, overrides: Readonly<Record<string, FleetServiceOverrides>> = {}): FleetServiceSpec[] {
  const out: FleetServiceSpec[] = [];
  for (const w of request.workloads) {
    const model = w.model;
    if (model === undefined) continue;
    const groups = fleetPlacements(plan, w.name);
    groups.forEach((g, i) => {
      const name = groups.length === 1 ? w.name : `${w.name}-${i + 1}`;
      const shared = !g.profile && plan.pools.find((p) => p.name === g.pool)?.timeSlicing !== undefined;
      out.push({
        workload: w.name,
        pool: g.pool,
        profile: g.profile,
        options: {
          ...(overrides[w.name] ?? {}),
          name,
          model,
          maxModelLen: w.maxModelLen,
          kvCacheDtype: w.kvCacheDtype,
          vllmVersion: w.vllmVersion,
          replicas: g.replicas,
          autoscaling: false,
          tensorParallelSize: g.tensorParallelSize > 1 ? g.tensorParallelSize : undefined,
          gpuMemoryUtilization: shared ? g.gpuMemoryUtilization : undefined,
        },
      });
    });
  }
  return out;
}
