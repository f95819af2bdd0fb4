import { refuse } from '../errors';
import { canonicalize, KubeObject } from '../kube';
import { assertValidObjects } from '../validate';
import { GpuPlacement, poolPlacement } from './placement';
import { GpuPoolOptions, ResolvedGpuPool, resolveGpuPool } from './pool';
import { drainWarnings, migReconfigurationScript, PlacedWorkload } from './reconfigure';

/** Karpenter provisioning for the pool: new nodes get the pool's labels and taints from their first boot. */
export interface KarpenterOptions {
  /** The node class (e.g. `{ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }`). */
  readonly nodeClassRef: { readonly group: string; readonly kind: string; readonly name: string };
  /** Instance types with this GPU (e.g. `p5.48xlarge`). */
  readonly instanceTypes: readonly string[];
  /** @default ['on-demand'] - spot reclaims break long model loads */
  readonly capacityTypes?: readonly ('on-demand' | 'spot' | 'reserved')[];
  /** @default '720h' - recycle nodes monthly (drivers, kernels) */
  readonly expireAfter?: string;
  /** Consolidate only empty nodes, after this delay; never evict serving pods to pack them. @default '30m' */
  readonly consolidateAfter?: string;
}

/** GpuPoolOptions plus an optional Karpenter NodePool. */
export interface GpuPoolRenderOptions extends GpuPoolOptions {
  /** @default - no Karpenter NodePool; label and taint existing nodes (Pulumi: NodePatch) */
  readonly karpenter?: KarpenterOptions;
}

/** What renderGpuPool returns: the resolved pool and its objects. */
export interface GpuPoolRender {
  readonly resolved: ResolvedGpuPool;
  readonly objects: readonly KubeObject[];
}

function karpenterNodePool(r: ResolvedGpuPool, k: KarpenterOptions): KubeObject {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: r.name, labels: { 'app.kubernetes.io/managed-by': 'gpuplane', 'gpuplane.dev/pool': r.name } },
    spec: {
      template: {
        metadata: { labels: r.nodeLabels },
        spec: {
          nodeClassRef: k.nodeClassRef,
          requirements: [
            { key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...k.instanceTypes] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: [...(k.capacityTypes ?? ['on-demand'])] },
          ],
          taints: r.taints,
          expireAfter: k.expireAfter ?? '720h',
        },
      },
      limits: { 'nvidia.com/gpu': String(r.gpusPerNode * r.nodes.max) },
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: k.consolidateAfter ?? '30m', budgets: [{ nodes: '1' }] },
    },
  };
}

/** Resolves a pool and renders what it owns: the Karpenter NodePool when asked for. */
export function renderGpuPool(o: GpuPoolRenderOptions): GpuPoolRender {
  const resolved = resolveGpuPool(o);
  const warnings = [...resolved.warnings];
  if (o.karpenter?.capacityTypes?.includes('spot')) {
    warnings.push(`GPU pool '${o.name}': spot capacity for GPU nodes: a reclaim gives two minutes of notice, shorter than most model loads, and the replacement pod downloads and loads the model again. Keep inference on on-demand or reserved capacity.`);
  }
  const objects = (o.karpenter ? [karpenterNodePool(resolved, o.karpenter)] : []).map((x) => canonicalize(x));
  assertValidObjects(`GPU pool '${o.name}'`, objects);
  return { resolved: { ...resolved, warnings }, objects };
}

/** The typed handle a pool hands to workloads, plus its operations. */
export class GpuPoolHandle {
  constructor(public readonly resolved: ResolvedGpuPool) {}

  /** One unit of the pool: a MIG instance of `profile`, or a (shared) GPU of a whole-GPU pool. */
  slice(profile?: string): GpuPlacement {
    return poolPlacement(this.resolved, profile);
  }

  /** The procedure that moves the pool's nodes to a mig-parted config, as a bash script. */
  reconfigurationScript(newConfig?: string): string {
    if (this.resolved.kind !== 'mig') {
      refuse(`GPU pool '${this.resolved.name}'`, { field: 'reconfigurationScript', message: `needs a MIG layout to reconfigure; the pool is ${this.resolved.kind}`, value: this.resolved.kind, fix: 'call it on a MigNodePool' });
    }
    return migReconfigurationScript(this.resolved, newConfig);
  }

  /** Services whose PodDisruptionBudgets would block a reconfiguration drain. */
  drainWarnings(workloads: readonly PlacedWorkload[]): string[] {
    return drainWarnings(this.resolved, workloads);
  }
}
