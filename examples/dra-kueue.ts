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
 * Kueue-admitted services: a ClusterQueue with 48 H100s of quota (and the CPU and memory the pods request), a
 * LocalQueue in the services' namespace, Llama 3.1 8B queued on it (a single-node replica is one pod, one Kueue
 * Workload), and Llama 3.1 405B across 2 nodes of 8 H100 (a LeaderWorkerSet: Kueue admits each group as one
 * Workload, all its pods or none, so a group never holds half its GPUs waiting for the rest).
 */
export const EXAMPLE_KUEUE_CHART = 'kueue-llama';
export const EXAMPLE_KUEUE_QUEUES: KueueQueuesOptions = {
  clusterQueue: 'gpu-inference',
  flavors: [{ name: 'h100', gpu: 'H100-80GB', quota: { gpus: 48, cpu: '384', memory: '3072Gi' } }],
  localQueues: [{ name: 'inference', namespace: 'inference' }],
};
export const EXAMPLE_KUEUE_SERVICE: Omit<VllmServiceOptions, 'queue'> = {
  name: 'llama-8b-queued', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB',
  autoscaling: { minReplicas: 2, maxReplicas: 8 },
};
export const EXAMPLE_KUEUE_GROUP_SERVICE: Omit<VllmServiceOptions, 'queue'> = {
  name: 'llama-405b-queued', namespace: 'inference', model: 'llama-3.1-405b', gpu: 'H100-80GB',
  tensorParallelSize: 8, pipelineParallelSize: 2, maxModelLen: 8192, autoscaling: { minReplicas: 2, maxReplicas: 3 }, multiNode: { socketInterface: 'eth0' },
};
