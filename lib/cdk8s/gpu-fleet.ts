import { Construct } from 'constructs';
import { writeFileSync } from 'fs';
import { GpuPlacement } from '../core/gpu/placement';
import { FleetPlan, FleetRequest } from '../core/planning/types';
import { planGpuFleet } from '../core/planning/plan';
import { fleetSvg, fleetTable } from '../core/planning/report';
import { fleetPlacements, FleetServiceOverrides, fleetServices } from '../core/planning/services';
import { GpuNodePool, MigNodePool } from './gpu-node-pool';
import { chartIdOf, registerSideFiles } from './side-files';
import { VllmService } from './vllm-service';

/** Props of GpuFleet: the fleet request plus service overrides and what it prints and writes. */
export interface GpuFleetProps extends FleetRequest {
  /** Extra VllmService options per model workload name (namespace, monitoring, ...). @default {} */
  readonly services?: Readonly<Record<string, FleetServiceOverrides>>;
  /** Print the plan table to stderr at synth. @default true - the plan is what a reviewer wants to see */
  readonly printTable?: boolean;
  /**
   * Write the SVG picture as `<chart id>.fleet.svg` into the app's output directory at synth, with the other side
   * files (see `writeSideFiles`).
   * @default true - the picture is the plan's quickest review
   */
  readonly writeSvg?: boolean;
}

/**
 * A planned GPU fleet: plans the request with planGpuFleet, creates one GpuNodePool or MigNodePool per planned pool
 * and one VllmService per model workload and pool unit, placed with `pool.slice(profile)`. GpuOperatorStack collects
 * the pools like any other (construct the fleet before the stack).
 */
export class GpuFleet extends Construct {
  public readonly plan: FleetPlan;
  public readonly pools: readonly GpuNodePool[];
  /** The VllmServices by service name. */
  public readonly services: Readonly<Record<string, VllmService>>;
  /** The plan as a table. */
  public readonly table: string;
  /** The SVG picture of the fleet's GPUs and slices. */
  public readonly svg: string;
  private reported = false;

  constructor(scope: Construct, id: string, props: GpuFleetProps) {
    super(scope, id);
    const { services: overrides, printTable, writeSvg, ...request } = props;
    this.plan = planGpuFleet(request);
    this.table = fleetTable(this.plan);
    this.svg = fleetSvg(this.plan);
    const byName: Record<string, GpuNodePool> = {};
    this.pools = this.plan.pools.map((p) => {
      const pool = p.mig ? new MigNodePool(this, p.name, { ...p, mig: p.mig }) : new GpuNodePool(this, p.name, p);
      byName[p.name] = pool;
      return pool;
    });
    const services: Record<string, VllmService> = {};
    for (const s of fleetServices(request, this.plan, overrides)) {
      services[s.options.name] = new VllmService(this, s.options.name, { ...s.options, placement: byName[s.pool].slice(s.profile) });
    }
    this.services = services;
    this.node.addValidation({
      validate: () => {
        if (this.reported) return [];
        this.reported = true;
        if (printTable ?? true) process.stderr.write(`${this.node.path}:\n${this.table}`);
        return [];
      },
    });
    if (writeSvg ?? true) {
      const path = `${chartIdOf(this)}.fleet.svg`;
      registerSideFiles(this, () => [{ path, content: this.svg }]);
    }
  }

  /** Where a workload's replicas run (for memory-need workloads, whose pods you render yourself). */
  public placements(workload: string): { readonly placement: GpuPlacement; readonly replicas: number; readonly tensorParallelSize: number; readonly gpuMemoryUtilization: number }[] {
    return fleetPlacements(this.plan, workload).map((g) => ({
      placement: this.pools.find((p) => p.resolved.name === g.pool)!.slice(g.profile),
      replicas: g.replicas, tensorParallelSize: g.tensorParallelSize, gpuMemoryUtilization: g.gpuMemoryUtilization,
    }));
  }

  /** Writes the SVG picture to a file. */
  public writeSvg(path: string): void {
    writeFileSync(path, this.svg);
  }
}
