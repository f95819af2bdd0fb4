import { ProblemCollector } from '../errors';
import { KubeObject, parseQuantity } from '../kube';
import { custom } from '../options/schema';
import { KUEUE_QUEUE_LABEL, KueueFlavor, KueueLocalQueue } from './queues';

/** The `queue` option: a LocalQueue from renderKueueQueues (or the KueueQueues construct's `localQueue()`). */
export const KUEUE_QUEUE = custom<KueueLocalQueue>('a Kueue LocalQueue', (v) => {
  const q = v as Partial<KueueLocalQueue> | null;
  return q !== null && typeof q === 'object' && typeof q.name === 'string' && typeof q.namespace === 'string' && Array.isArray(q.flavors)
    ? undefined
    : 'must be a LocalQueue from renderKueueQueues(...).localQueue(name) or the KueueQueues construct';
}, 'take it from queues.localQueue(name)');

/** What the quota check needs of a service: its pods' requests and how many of them must run. */
export interface QueuedWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly gpuId: string;
  readonly gpuResourceName: string;
  readonly dra: boolean;
  readonly gpusPerPod: number;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * Pods of one replica: a multi-node replica is a LeaderWorkerSet group, which Kueue admits as one workload, all
   * its pods or none (gang admission), so the quota is counted in whole groups. @default 1
   */
  readonly podsPerReplica?: number;
}

const gib = (bytes: number) => `${Math.round((bytes / 2 ** 30) * 10) / 10}Gi`;

/**
 * Refuses a workload its queue can never admit: Kueue admits a Deployment pod by pod (each pod is one Workload), so
 * every pod must fit one flavor's quota (GPUs, CPU and memory), and the minimum replicas must fit together or the
 * service never reaches its minimum. Returns the warnings (replicas above the quota stay gated, not failing).
 */
export function checkQueueFit(queue: KueueLocalQueue, w: QueuedWorkload, p: ProblemCollector): string[] {
  const warnings: string[] = [];
  const where = `LocalQueue '${queue.namespace}/${queue.name}' (ClusterQueue '${queue.clusterQueue}')`;
  p.check(queue.namespace === w.namespace, {
    field: 'queue', message: `is in namespace '${queue.namespace}', and a workload can only use a LocalQueue of its own namespace ('${w.namespace}')`, value: `${queue.namespace}/${queue.name}`,
    fix: `add a LocalQueue in '${w.namespace}' to the KueueQueues and pass it`,
  });
  if (w.dra) {
    p.add({
      field: 'queue', message: "does not count DRA claims: the ClusterQueue's quota is on nvidia.com/gpu, and Kueue counts ResourceClaims only with its alpha DRA support and device-class mappings, which gpuplane does not configure", value: queue.name,
      fix: 'use a placement on nvidia.com/gpu for a Kueue-admitted service, or drop queue',
    });
    return warnings;
  }
  if (w.gpuResourceName !== 'nvidia.com/gpu') {
    p.add({
      field: 'queue', message: `covers nvidia.com/gpu, cpu and memory, and the pods request ${w.gpuResourceName}: Kueue keeps a workload with an uncovered resource pending forever`, value: queue.name,
      fix: 'place the service on whole GPUs (nvidia.com/gpu) or drop queue',
    });
    return warnings;
  }
  const flavors = queue.flavors.filter((f) => f.gpu.id === w.gpuId);
  if (flavors.length === 0) {
    p.add({
      field: 'queue', message: `has no flavor of the service's GPU (${w.gpuId}): ${where} offers ${queue.flavors.map((f) => `'${f.name}' (${f.gpu.id})`).join(', ')}, so the pods are never admitted`, value: queue.name,
      fix: `add a ${w.gpuId} flavor to the queues, or run the service on one of the flavors' GPUs`,
    });
    return warnings;
  }
  const cpu = parseQuantity(w.cpuRequest) ?? 0;
  const memory = parseQuantity(w.memoryRequest) ?? 0;
  const podsIn = (f: KueueFlavor) => {
    const gpus = f.borrowingLimitGpus !== undefined ? f.gpus + f.borrowingLimitGpus : f.gpus;
    return Math.min(Math.floor(gpus / w.gpusPerPod), cpu > 0 ? Math.floor(f.cpu / cpu) : Infinity, memory > 0 ? Math.floor(f.memoryBytes / memory) : Infinity);
  };
  const unbounded = queue.cohort !== undefined && flavors.some((f) => f.borrowingLimitGpus === undefined);
  const group = w.podsPerReplica ?? 1;
  // Whole replicas: a group whose pods do not all fit is not admitted at all.
  const capacity = Math.floor(flavors.reduce((sum, f) => sum + podsIn(f), 0) / group);
  const quotaText = flavors.map((f) => `'${f.name}' ${f.gpus}${f.borrowingLimitGpus ? ` (+${f.borrowingLimitGpus} borrowed)` : ''} GPUs, ${f.cpu} CPU, ${gib(f.memoryBytes)}`).join('; ');
  const pod = `${group > 1 ? `${group} pods of ` : ''}${w.gpusPerPod} GPUs, ${w.cpuRequest} CPU, ${w.memoryRequest}`;
  if (!unbounded) {
    p.check(capacity >= 1, {
      field: 'queue', message: `can never admit one ${group > 1 ? 'replica (a group, admitted all or nothing)' : 'pod'} of the service: ${group > 1 ? 'a replica' : 'a pod'} requests ${pod} and ${where} has ${quotaText}`, value: queue.name,
      fix: 'raise the flavor quota, lower tensorParallelSize or the resource requests, or join a cohort with borrowing',
    });
    p.check(capacity < 1 || capacity >= w.minReplicas, {
      field: 'queue', message: `admits at most ${capacity} ${group > 1 ? 'replica(s)' : 'pod(s)'} of the service (${pod} each; ${quotaText}), below its ${w.minReplicas} minimum replicas: the service never reaches its minimum`, value: queue.name,
      fix: `raise the quota to ${w.minReplicas * w.gpusPerPod * group} GPUs or lower the minimum replicas`,
    });
    if (capacity >= w.minReplicas && capacity < w.maxReplicas) {
      warnings.push(`VllmService '${w.name}': ${where} admits at most ${capacity} of its ${w.maxReplicas} replicas (${pod} each; ${quotaText}); the rest wait gated until quota frees up.`);
    }
  }
  return warnings;
}

/** The queue-name label on the workload (Kueue's Deployment integration reads it from the Deployment's labels). */
export function withQueueLabel(objects: readonly KubeObject[], queue: KueueLocalQueue | undefined): KubeObject[] {
  if (!queue) return [...objects];
  return objects.map((o) => (o.kind === 'Deployment' || o.kind === 'LeaderWorkerSet' || o.kind === 'StatefulSet'
    ? { ...o, metadata: { ...o.metadata, labels: { ...(o.metadata.labels ?? {}), [KUEUE_QUEUE_LABEL]: queue.name } } }
    : o));
}
