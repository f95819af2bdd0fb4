import * as pulumi from '@pulumi/pulumi';
import { gatewayOptionsOf, InferenceGatewayProps } from '../core/routing/props';
import { renderInferenceGateway, ResolvedInferenceGateway } from '../core/routing/render';
import { createKubernetesResources } from './resources';

/** Args of the InferenceGateway component. */
export type InferenceGatewayArgs = Omit<InferenceGatewayProps, 'name'> & {
  /** Prefix of the rendered routes. @default - the component's name */
  readonly name?: string;
};

/**
 * The InferenceGateway as a Pulumi component: the same objects the cdk8s construct synthesizes. Backends are Pulumi
 * VllmService components (their `resolved`); args are plain values, since they shape the objects and the timeouts.
 */
export class InferenceGateway extends pulumi.ComponentResource {
  public readonly resolved: ResolvedInferenceGateway;
  /** Every child resource by object id. */
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: InferenceGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    const objectName = args?.name ?? name;
    const render = renderInferenceGateway(gatewayOptionsOf(objectName, args));
    super('gpuplane:index:InferenceGateway', name, {}, opts);
    this.resolved = render.resolved;
    this.resources = createKubernetesResources(this, name, objectName, render.objects);
    this.registerOutputs({});
  }
}
