import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GpuPlacement } from '../core/gpu/placement';
import { MigPoolOptions, ResolvedGpuPool } from '../core/gpu/pool';
import { GpuPoolHandle, GpuPoolRenderOptions, renderGpuPool } from '../core/gpu/pool-render';
import { isPlacedWorkloadSource, PlacedWorkload, PlacedWorkloadSource } from '../core/gpu/reconfigure';
import { addRenderedObjects } from './rendered';
import { reportWarnings, strictFor, StrictProps } from './warnings';

export interface GpuNodePoolProps extends Omit<GpuPoolRenderOptions, 'name'>, StrictProps {
  /** @default - the construct id, lower-cased */
  readonly name?: string;
}

/**
 * A node pool of one GPU model: whole GPUs, time-slicing or MPS, or a MIG layout (see MigNodePool). Renders the
 * Karpenter NodePool when asked; its device-plugin and mig-parted configs are collected by GpuOperatorStack.
 */
export class GpuNodePool extends Construct {
  public readonly resolved: ResolvedGpuPool;
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;
  /** Sharing warnings (time-slicing for production inference, MPS across teams). */
  public readonly warnings: readonly string[];
  private readonly handle: GpuPoolHandle;

  constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    const { strict, ...options } = props;
    const name = options.name ?? id.toLowerCase();
    const render = renderGpuPool({ ...options, name });
    this.resolved = render.resolved;
    this.handle = new GpuPoolHandle(render.resolved);
    this.warnings = render.resolved.warnings;
    reportWarnings(this, `GPU pool '${name}'`, this.warnings, strictFor(this, strict));
    this.apiObjects = addRenderedObjects(this, name, render.objects);
  }

  /** A unit for a workload: `slice('3g.40gb')` on MIG pools, `slice()` on whole-GPU pools. */
  public slice(profile?: string): GpuPlacement {
    return this.handle.slice(profile);
  }

  /** Bash procedure that moves the pool's nodes to a mig-parted config (MIG pools). */
  public reconfigurationScript(newConfig?: string): string {
    return this.handle.reconfigurationScript(newConfig);
  }

  /**
   * Services whose disruption budgets would block a reconfiguration drain: the given ones, or by default every
   * VllmService of the app placed on this pool.
   */
  public drainWarnings(workloads?: readonly PlacedWorkload[]): string[] {
    const placed = workloads ?? this.node.root.node.findAll()
      .filter((c): c is typeof c & PlacedWorkloadSource => isPlacedWorkloadSource(c))
      .map((s) => s.placedWorkload)
      .filter((w): w is PlacedWorkload => w !== undefined);
    return this.handle.drainWarnings(placed);
  }
}

/** Props of MigNodePool: a GpuNodePool whose GPUs are partitioned with MIG. */
export interface MigNodePoolProps extends Omit<GpuNodePoolProps, 'mig' | 'timeSlicing' | 'mps'> {
  /** The MIG layout and optional time-slicing inside each instance. */
  readonly mig: MigPoolOptions;
}

/** A GPU node pool with a MIG layout. */
export class MigNodePool extends GpuNodePool {
  constructor(scope: Construct, id: string, props: MigNodePoolProps) {
    super(scope, id, props);
  }
}
