import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { gatewayOptionsOf, InferenceGatewayProps } from '../core/routing/props';
import { renderInferenceGateway, ResolvedInferenceGateway } from '../core/routing/render';
import { addRenderedObjects } from './rendered';

/**
 * Many models behind one Gateway, through the Gateway API Inference Extension: per VllmService an InferencePool and
 * its llm-d endpoint picker (prefix-cache, KV-cache and queue aware), per model an HTTPRoute (a weighted canary
 * between two services). See InferenceGatewayOptions.
 */
export class InferenceGateway extends Construct {
  public readonly resolved: ResolvedInferenceGateway;
  /** Every rendered object by id (`InferencePool-llama`, `Deployment-llama-epp`, `HTTPRoute-llama`, ...). */
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: InferenceGatewayProps) {
    super(scope, id);
    const name = props?.name ?? id.toLowerCase();
    const render = renderInferenceGateway(gatewayOptionsOf(name, props));
    this.resolved = render.resolved;
    this.apiObjects = addRenderedObjects(this, name, render.objects);
  }
}
