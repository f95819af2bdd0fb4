import * as pulumi from '@pulumi/pulumi';
import { VllmMemoryEstimate } from '../core/vllm/estimator';
import { refuse } from '../core/errors';
import { isDns1123Label } from '../core/kube';
import { imagePinProblem, ResolvedVllmService, VllmServiceOptions } from '../core/vllm/options';
import { renderVllmService } from '../core/vllm/render';
import { InputLeaves } from './inputs';
import { createKubernetesResources } from './resources';
import { logWarnings, refuseWarningsIfStrict, strictFor, StrictArgs } from './warnings';

export interface VllmServiceArgs extends Omit<VllmServiceOptions, 'name' | 'namespace' | 'image' | 'hfTokenSecret'>, StrictArgs {
  /** Name of every rendered object. @default - the component's name */
  readonly name?: string;
  /** May come from another resource (`ns.metadata.name`); checked as a DNS-1123 label when it resolves. @default 'default' */
  readonly namespace?: pulumi.Input<string>;
  /** May be an Output; checked for a pinned tag or digest when it resolves. @default `vllm/vllm-openai:v<vllmVersion>` */
  readonly image?: pulumi.Input<string>;
  /** The Secret name may be an Output. @default { name: 'hf-token', key: 'token' } */
  readonly hfTokenSecret?: { readonly name: pulumi.Input<string>; readonly key?: string } | false;
}

/** The rule the core applies to a plain namespace, applied to a resolved Input. */
export function checkNamespace(v: string): void {
  if (!isDns1123Label(v)) {
    refuse('VllmService', { field: 'namespace', message: 'must be a DNS-1123 label', value: v, fix: 'use lower-case letters, digits and "-"' });
  }
}

/** The rule the core applies to a plain image, applied to a resolved Input. */
export function checkImage(v: string): void {
  const problem = imagePinProblem(v);
  if (problem) refuse('VllmService', problem);
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
  /** Advice about the configuration, logged on the component (errors in strict mode). */
  public readonly warnings: readonly string[];

  constructor(name: string, args: VllmServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Render (and refuse bad options) before registering anything with the engine. Input leaves render as
    // sentinels and are substituted into the objects afterwards.
    const { strict, ...options } = args;
    const objectName = options.name ?? name;
    const inputs = new InputLeaves();
    const namespace = inputs.leaf(args.namespace, 'gpuplane-input-namespace', checkNamespace);
    const image = inputs.leaf(args.image, 'gpuplane-input/image:pinned-when-resolved', checkImage);
    const hfTokenSecret = args.hfTokenSecret === false || args.hfTokenSecret === undefined
      ? args.hfTokenSecret
      : { key: args.hfTokenSecret.key, name: inputs.leaf(args.hfTokenSecret.name, 'gpuplane-input-hf-token-secret')! };
    const render = renderVllmService({ ...options, name: objectName, namespace, image, hfTokenSecret });
    refuseWarningsIfStrict(`VllmService '${objectName}'`, render.resolved.warnings, strictFor(strict));
    super('gpuplane:index:VllmService', name, {}, opts);
    this.warnings = render.resolved.warnings;
    logWarnings(this, this.warnings);
    this.resolved = render.resolved;
    this.memory = render.resolved.memory;
    this.resources = createKubernetesResources(this, name, objectName, render.objects.map((o) => inputs.substitute(o)));
    this.url = pulumi.output(inputs.substitute(`http://${objectName}.${render.resolved.namespace}.svc.cluster.local:8000/v1`));
    this.registerOutputs({ url: this.url, kvCacheTokens: this.memory.kvCacheTokens, maxConcurrency: this.memory.maxConcurrency });
  }
}
