import type { GpuPoolRenderOptions } from '../lib/core/gpu/pool-render';
import type { GpuOperatorStackOptions } from '../lib/core/operator/stack';
import type { VllmServiceOptions } from '../lib/core/vllm/options';

/** GPU pools, each in a chart of its own with the services placed on it. Shared by the cdk8s app and the Pulumi program. */
export const EXAMPLE_POOLS: Record<string, GpuPoolRenderOptions> = {
  // H100s cut into two 3g.40gb instances each: one 8B model per instance, hardware-isolated.
  'h100-mig': {
    name: 'h100-mig',
    gpu: 'H100-80GB',
    nodes: { min: 1, max: 4 },
    mig: { layout: { '3g.40gb': 2 } },
    karpenter: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, instanceTypes: ['p5.48xlarge'] },
  },
  // The hybrid: two 3g.40gb per A100 80GB, each shared by two pods through time-slicing.
  'a100-hybrid': {
    name: 'a100-hybrid',
    gpu: 'A100-80GB',
    nodes: 2,
    mig: { layout: { '3g.40gb': 2 }, timeSlicingReplicas: 2 },
  },
  // T4s time-sliced by two for small models and development: each pod may take its share of the 14.6 GiB (vLLM's
  // --gpu-memory-utilization is a fraction of the whole device), 0.45 of it, which holds Qwen3 1.7B and its cache.
  't4-shared': {
    name: 't4-shared',
    gpu: 'T4',
    gpusPerNode: 1,
    nodes: { min: 1, max: 6 },
    timeSlicing: { replicas: 2 },
  },
};

/** Services on pool units: `profile` names the MIG instance (omitted on whole-GPU pools). */
export const EXAMPLE_POOL_SERVICES: readonly { readonly pool: string; readonly profile?: string; readonly service: Omit<VllmServiceOptions, 'gpu' | 'placement'> }[] = [
  { pool: 'h100-mig', profile: '3g.40gb', service: { name: 'llama-8b-mig', namespace: 'inference', model: 'llama-3.1-8b', maxModelLen: 8192 } },
  { pool: 'h100-mig', profile: '3g.40gb', service: { name: 'qwen3-8b-mig', namespace: 'inference', model: 'qwen3-8b', maxModelLen: 16384 } },
  { pool: 'a100-hybrid', profile: '3g.40gb', service: { name: 'qwen25-7b-hybrid', namespace: 'inference', model: 'qwen2.5-7b', maxModelLen: 8192 } },
  { pool: 't4-shared', service: { name: 'qwen3-1b7-dev', namespace: 'dev', model: 'qwen3-1.7b', maxModelLen: 4096, autoscaling: false, replicas: 1 } },
];

/** The GPU Operator on EKS (GitOps through Flux, every pool) and on GKE (Argo CD, the H100 pool). */
export const EXAMPLE_OPERATORS: Record<string, Omit<GpuOperatorStackOptions, 'pools'> & { readonly pools: readonly string[] }> = {
  'gpu-operator-eks': { platform: 'eks', delivery: 'flux', pools: ['h100-mig', 'a100-hybrid', 't4-shared'], monitoring: { labels: { release: 'kube-prometheus-stack' } } },
  'gpu-operator-gke': { platform: 'gke', delivery: 'argocd', pools: ['h100-mig'] },
};

/** The operator charts that also get the GPU pools Grafana dashboard. */
export const EXAMPLE_GPU_DASHBOARDS: readonly string[] = ['gpu-operator-eks'];
