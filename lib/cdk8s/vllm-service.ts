import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { VllmMemoryEstimate } from '../core/vllm/estimator';
import { ResolvedVllmService, VllmServiceOptions } from '../core/vllm/options';
import { renderVllmService } from '../core/vllm/render';
import { PlacedWorkload, placedWorkloadOf, PlacedWorkloadSource } from '../core/gpu/reconfigure';
import { addRenderedObjects } from './rendered';
import { reportWarnings, strictFor, StrictProps } from './warnings';

export interface VllmServiceProps extends Omit<VllmServiceOptions, 'name'>, StrictProps {
  /** Name of every rendered object. @default - the construct id, lower-cased */
  readonly name?: string;
}

/** vLLM's OpenAI server on Kubernetes with production defaults. See VllmServiceOptions for every prop. */
export class VllmService extends Construct implements PlacedWorkloadSource {
  /** Every option with its default resolved. */
  public readonly resolved: ResolvedVllmService;
  /** The memory estimate the fit check used. */
  public readonly memory: VllmMemoryEstimate;
  /** Every rendered object by id (`Deployment`, `Service`, `HorizontalPodAutoscaler`, ...). */
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;
  /** The workload running the pods: a Deployment, a StatefulSet when each replica keeps its own cache claim, or the LeaderWorkerSet (`LeaderWorkerSet-lws`) of a service whose replicas span nodes. */
  public readonly workload: ApiObject;
  /** @deprecated the same object as `workload`, which is not always a Deployment (a StatefulSet with per-replica caches, a LeaderWorkerSet across nodes). */
  public readonly deployment: ApiObject;
  public readonly service: ApiObject;
  /** In-cluster base URL of the OpenAI-compatible API. */
  public readonly url: string;
  /** Advice about the configuration, printed at synth (errors in strict mode). */
  public readonly warnings: readonly string[];

  /** Where the service sits on a pool, for the pool's drain warnings (PlacedWorkloadSource). */
  public get placedWorkload(): PlacedWorkload | undefined {
    return placedWorkloadOf(this.resolved);
  }

  constructor(scope: Construct, id: string, props: VllmServiceProps) {
    super(scope, id);
    const { strict, ...options } = props;
    const name = options.name ?? id.toLowerCase();
    const render = renderVllmService({ ...options, name });
    this.warnings = render.resolved.warnings;
    reportWarnings(this, `VllmService '${name}'`, this.warnings, strictFor(this, strict));
    this.resolved = render.resolved;
    this.memory = render.resolved.memory;
    this.apiObjects = addRenderedObjects(this, name, render.objects);
    this.workload = this.apiObjects[render.resolved.delivery.workloadKind === 'LeaderWorkerSet' ? 'LeaderWorkerSet-lws' : render.resolved.delivery.workloadKind];
    this.deployment = this.workload;
    this.service = this.apiObjects.Service;
    this.url = `http://${name}.${render.resolved.namespace}.svc.cluster.local:8000/v1`;
  }
}
