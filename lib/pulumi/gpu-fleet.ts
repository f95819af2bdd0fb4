import * as pulumi from '@pulumi/pulumi';
import { writeFileSync } from 'fs';
import { FleetPlan, FleetRequest } from '../core/planning/types';
import { planGpuFleet } from '../core/planning/plan';
import { fleetSvg, fleetTable } from '../core/planning/report';
import { FleetServiceOverrides, fleetServices } from '../core/planning/services';
import { GpuNodePool, MigNodePool } from './gpu-node-pool';
import { VllmService } from './vllm-service';

/** Args of the GpuFleet component: the fleet request plus service overrides. */
export interface GpuFleetArgs extends FleetRequest {
  /** Extra VllmService options per model workload name. @default {} */
  readonly services?: Readonly<Record<string, FleetServiceOverrides>>;
  /** Print the plan table to stderr when the component is created. @default true */
  readonly printTable?: boolean;
}

/**
 * A planned GPU fleet as a Pulumi component (`gpuplane:index:GpuFleet`): the same plan, pools and services as the
 * cdk8s GpuFleet, as child components.
 */
export class GpuFleet extends pulumi.ComponentResource {
  public readonly plan: FleetPlan;
  public readonly pools: readonly GpuNodePool[];
  public readonly services: Readonly<Record<string, VllmService>>;
  public readonly table: string;
  public readonly svg: string;

  constructor(name: string, args: GpuFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    const { services: overrides, printTable, ...request } = args;
    const plan = planGpuFleet(request); // refuse before registering anything
    super('gpuplane:index:GpuFleet', name, {}, opts);
    this.plan = plan;
    this.table = fleetTable(plan);
    this.svg = fleetSvg(plan);
    const byName: Record<string, GpuNodePool> = {};
    this.pools = plan.pools.map((p) => {
      const pool = p.mig ? new MigNodePool(p.name, { ...p, mig: p.mig }, { parent: this }) : new GpuNodePool(p.name, p, { parent: this });
      byName[p.name] = pool;
      return pool;
    });
    const services: Record<string, VllmService> = {};
    for (const s of fleetServices(request, plan, overrides)) {
      services[s.options.name] = new VllmService(s.options.name, { ...s.options, placement: byName[s.pool].slice(s.profile) }, { parent: this });
    }
    this.services = services;
    if (printTable ?? true) process.stderr.write(`GpuFleet ${name}:\n${this.table}`);
    this.registerOutputs({ gpus: plan.gpus, cost: plan.cost, lowerBoundGpus: plan.lowerBound.gpus, pools: plan.pools.map((p) => p.name) });
  }

  /** Writes the SVG picture to a file. */
  public writeSvg(path: string): void {
    writeFileSync(path, this.svg);
  }
}
