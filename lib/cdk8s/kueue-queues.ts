import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KueueLocalQueue, KueueQueuesOptions, KueueQueuesRender, renderKueueQueues } from '../core/kueue/queues';
import { addRenderedObjects } from './rendered';

/**
 * Kueue queues with GPU quota: a ResourceFlavor per GPU flavor, a ClusterQueue with quota per flavor on
 * `nvidia.com/gpu`, `cpu` and `memory`, and LocalQueues. Pass `localQueue(name)` as a VllmService's `queue`.
 */
export class KueueQueues extends Construct {
  public readonly render: KueueQueuesRender;
  /** Every rendered object by id (`ClusterQueue-gpu-inference`, `LocalQueue-inference`, ...). */
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: KueueQueuesOptions) {
    super(scope, id);
    this.render = renderKueueQueues(props);
    this.apiObjects = addRenderedObjects(this, 'gpuplane', this.render.objects);
  }

  /** The LocalQueue named `name` (in `namespace` when several share the name), for VllmService `queue`. */
  public localQueue(name: string, namespace?: string): KueueLocalQueue {
    return this.render.localQueue(name, namespace);
  }
}
