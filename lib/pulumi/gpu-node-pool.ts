import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { GpuPlacement } from '../core/gpu/placement';
import { MigPoolOptions, ResolvedGpuPool } from '../core/gpu/pool';
import { GpuPoolHandle, GpuPoolRenderOptions, renderGpuPool } from '../core/gpu/pool-render';
import { createKubernetesResources } from './resources';
import { logWarnings, refuseWarningsIfStrict, strictFor, StrictArgs } from './warnings';

export interface GpuNodePoolArgs extends Omit<GpuPoolRenderOptions, 'name'>, StrictArgs {
  /** @default - the component name */
  readonly name?: string;
  /** Existing nodes to label and taint for the pool (NodePatch, server-side apply). @default [] */
  readonly existingNodes?: readonly string[];
}

/** The core options of the args (without the component-only keys). */
function poolOptions(name: string, args: GpuNodePoolArgs): GpuPoolRenderOptions {
  const { existingNodes: _nodes, strict: _strict, ...options } = args; // eslint-disable-line @typescript-eslint/no-unused-vars
  return { ...options, name: options.name ?? name };
}

function build(self: pulumi.ComponentResource, name: string, args: GpuNodePoolArgs, render: ReturnType<typeof renderGpuPool>) {
  const resources: Record<string, pulumi.CustomResource> = createKubernetesResources(self, name, render.resolved.name, render.objects);
  for (const node of args.existingNodes ?? []) {
    resources[`NodePatch-${node}`] = new k8s.core.v1.NodePatch(
      `${name}-nodepatch-${node}`,
      { metadata: { name: node, labels: { ...render.resolved.nodeLabels } }, spec: { taints: render.resolved.taints.map((t) => ({ ...t })) } },
      { parent: self },
    );
  }
  return { resources };
}

/** A GPU node pool as a Pulumi component (`gpuplane:index:GpuNodePool`). */
export class GpuNodePool extends pulumi.ComponentResource {
  public readonly resolved: ResolvedGpuPool;
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  public readonly warnings: readonly string[];
  private readonly handle: GpuPoolHandle;

  constructor(name: string, args: GpuNodePoolArgs, opts?: pulumi.ComponentResourceOptions, type = 'gpuplane:index:GpuNodePool') {
    const render = renderGpuPool(poolOptions(name, args)); // refuse bad options before registering anything
    refuseWarningsIfStrict(`GPU pool '${render.resolved.name}'`, render.resolved.warnings, strictFor(args.strict));
    super(type, name, {}, opts);
    const { resources } = build(this, name, args, render);
    this.resolved = render.resolved;
    this.handle = new GpuPoolHandle(render.resolved);
    this.warnings = render.resolved.warnings;
    logWarnings(this, this.warnings);
    this.resources = resources;
    this.registerOutputs({ nodeLabels: render.resolved.nodeLabels, kind: render.resolved.kind });
  }

  /** Where a workload runs on this pool: a MIG profile, a shared unit or whole GPUs. */
  public slice(profile?: string): GpuPlacement {
    return this.handle.slice(profile);
  }

  /** The cordon, evict, relabel, wait and uncordon procedure for moving the pool to another MIG config. */
  public reconfigurationScript(newConfig?: string): string {
    return this.handle.reconfigurationScript(newConfig);
  }
}

/** Args of MigNodePool: a GpuNodePool whose GPUs are partitioned with MIG. */
export interface MigNodePoolArgs extends Omit<GpuNodePoolArgs, 'mig' | 'timeSlicing' | 'mps'> {
  readonly mig: MigPoolOptions;
}

/** A MIG node pool as a Pulumi component (`gpuplane:index:MigNodePool`). */
export class MigNodePool extends GpuNodePool {
  constructor(name: string, args: MigNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super(name, args, opts, 'gpuplane:index:MigNodePool');
  }
}
