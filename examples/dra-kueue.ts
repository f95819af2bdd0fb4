import type { GpuOperatorStackOptions } from '../lib/core/operator/stack';
import type { KueueQueuesOptions } from '../lib/core/kueue/queues';
import type { DraGpuClaimOptions } from '../lib/core/gpu/dra';
import type { VllmServiceOptions } from '../lib/core/vllm/options';

/**
 * GPUs through Dynamic Resource Allocation: the GPU Operator with the NVIDIA DRA driver (its device plugin off), and
 * Llama 3.1 70B on a ResourceClaimTemplate that selects four 80 GB H100s by the driver's attributes (product name and
 * memory capacity) instead of an nvidia.com/gpu count.
 */
export const EXAMPLE_DRA_CHART = 'llama-70b-dra';
export const EXAMPLE_DRA_OPERATOR: GpuOperatorStackOptions = { platform: 'generic', delivery: 'flux', draDriver: {} };
export const EXAMPLE_DRA_CLAIM: Omit<DraGpuClaimOptions, 'driver'> = { gpu: 'H100-80GB' };
export const EXAMPLE_DRA_SERVICE: Omit<VllmServiceOptions, 'placement'> = {
  name: 'llama-70b-dra', namespace: 'inference', model: 'llama-3.1-70b', tensorParallelSize: 4,
  autoscaling: { minReplicas: 2, maxReplicas: 4 },
};

/**
 * A Kueue-admitted service: a ClusterQueue with 16 H100s of quota (and the CPU and memory its pods request), a
 * LocalQueue in the service's namespace, and Llama 3.1 8B queued on it. A single-node replica is one pod, which Kueue
 * admits as one Workload; a multi-node example (LeaderWorkerSet, one Workload per group) follows the LWS work.
 */
export const EXAMPLE_KUEUE_CHART = 'kueue-llama';
export const EXAMPLE_KUEUE_QUEUES: KueueQueuesOptions = {
  clusterQueue: 'gpu-inference',
  flavors: [{ name: 'h100', gpu: 'H100-80GB', quota: { gpus: 16, cpu: '192', memory: '1536Gi' } }],
  localQueues: [{ name: 'inference', namespace: 'inference' }],
};
export const EXAMPLE_KUEUE_SERVICE: Omit<VllmServiceOptions, 'queue'> = {
  name: 'llama-8b-queued', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB',
  autoscaling: { minReplicas: 2, maxReplicas: 8 },
};
