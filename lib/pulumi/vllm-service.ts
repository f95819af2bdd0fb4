import * as pulumi from '@pulumi/pulumi';
import { VllmMemoryEstimate } from '../core/vllm/estimator';
import { ResolvedVllmService, VllmServiceOptions } from '../core/vllm/options';
import { renderVllmService } from '../core/vllm/render';
import { createKubernetesResources } from './resources';

export interface VllmServiceArgs extends Omit<VllmServiceOptions, 'name'> {
  /** Name of every rendered object. @default - the component's name */
  readonly name?: string;
}

/**
 * vLLM's OpenAI server as a Pulumi component: the same objects the cdk8s construct synthesizes, one typed
 * @pulumi/kubernetes resource each. Args are plain values: they shape the structure and feed the fit check.
 */
export class VllmService extends pulumi.ComponentResource {
  public readonly resolved: ResolvedVllmService;
  public readonly memory: VllmMemoryEstimate;
  /** Every child resource by object id (`Deployment`, `Service`, ...). */
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  /** In-cluster base URL of the OpenAI-compatible API. */
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: VllmServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Render (and refuse bad options) before registering anything with the engine.
    const objectName = args.name ?? name;
    const render = renderVllmService({ ...args, name: objectName });
    super('gpuplane:index:VllmService', name, {}, opts);
    this.resolved = render.resolved;
    this.memory = render.resolved.memory;
    this.resources = createKubernetesResources(this, name, objectName, render.objects);
    this.url = pulumi.output(`http://${objectName}.${render.resolved.namespace}.svc.cluster.local:8000/v1`);
    this.registerOutputs({ url: this.url, kvCacheTokens: this.memory.kvCacheTokens, maxConcurrency: this.memory.maxConcurrency });
  }
}
