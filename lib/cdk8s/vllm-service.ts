import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { canonicalize, KubeObject } from '../core/kube';
import { objectId } from '../core/object-ids';
import { validateObjects } from '../core/validate';
import { VllmMemoryEstimate } from '../core/vllm/estimator';
import { ResolvedVllmService, VllmServiceOptions } from '../core/vllm/options';
import { renderVllmService } from '../core/vllm/render';

export interface VllmServiceProps extends Omit<VllmServiceOptions, 'name'> {
  /** Name of every rendered object. @default - the construct id, lower-cased */
  readonly name?: string;
}

/**
 * Adds one ApiObject per rendered object to the construct tree and validates the final manifests at synth, so an
 * override (`addJsonPatch`, metadata changes) that breaks a schema or a rule fails `cdk8s synth` with this
 * construct's path. The core already validated the objects as rendered; at synth they are validated again only
 * when something changed them (the check of all of them together, since rules span objects).
 */
export function addRenderedObjects(scope: Construct, owner: string, objects: readonly KubeObject[]): Record<string, ApiObject> {
  const out: Record<string, ApiObject> = {};
  const rendered = new Map<string, string>();
  for (const obj of objects) {
    const id = objectId(owner, obj);
    out[id] = new ApiObject(scope, id, obj as unknown as ConstructorParameters<typeof ApiObject>[2]);
    rendered.set(id, JSON.stringify(obj));
  }
  scope.node.addValidation({
    validate: () => {
      const final = Object.entries(out).map(([id, o]) => [id, o.toJson() as KubeObject] as const);
      const changed = final.some(([id, json]) => JSON.stringify(canonicalize(json)) !== rendered.get(id));
      return changed ? validateObjects(final.map(([, json]) => json)) : [];
    },
  });
  return out;
}

/** vLLM's OpenAI server on Kubernetes with production defaults. See VllmServiceOptions for every prop. */
export class VllmService extends Construct {
  /** Every option with its default resolved. */
  public readonly resolved: ResolvedVllmService;
  /** The memory estimate the fit check used. */
  public readonly memory: VllmMemoryEstimate;
  /** Every rendered object by id (`Deployment`, `Service`, `HorizontalPodAutoscaler`, ...). */
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;
  public readonly deployment: ApiObject;
  public readonly service: ApiObject;
  /** In-cluster base URL of the OpenAI-compatible API. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: VllmServiceProps) {
    super(scope, id);
    const name = props.name ?? id.toLowerCase();
    const render = renderVllmService({ ...props, name });
    this.resolved = render.resolved;
    this.memory = render.resolved.memory;
    this.apiObjects = addRenderedObjects(this, name, render.objects);
    this.deployment = this.apiObjects.Deployment;
    this.service = this.apiObjects.Service;
    this.url = `http://${name}.${render.resolved.namespace}.svc.cluster.local:8000/v1`;
  }
}
