import * as pulumi from '@pulumi/pulumi';
import { KueueLocalQueue, KueueQueuesOptions, KueueQueuesRender, renderKueueQueues } from '../core/kueue/queues';
import { createKubernetesResources } from './resources';

/** Arguments of the Pulumi KueueQueues (the same options as renderKueueQueues). */
export type KueueQueuesArgs = KueueQueuesOptions;

/** Kueue queues with GPU quota as a Pulumi component (`gpuplane:index:KueueQueues`): the cdk8s construct's objects. */
export class KueueQueues extends pulumi.ComponentResource {
  public readonly render: KueueQueuesRender;
  /** Every child resource by object id. */
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: KueueQueuesArgs, opts?: pulumi.ComponentResourceOptions) {
    const render = renderKueueQueues(args);
    super('gpuplane:index:KueueQueues', name, {}, opts);
    this.render = render;
    this.resources = createKubernetesResources(this, name, 'gpuplane', render.objects);
    this.registerOutputs({ clusterQueue: args.clusterQueue });
  }

  /** The LocalQueue named `name`, for VllmService `queue`. */
  public localQueue(name: string, namespace?: string): KueueLocalQueue {
    return this.render.localQueue(name, namespace);
  }
}
