import type { VllmServiceOptions } from '../lib/core/vllm/options';

/**
 * The example services, shared by the cdk8s app (main.ts) and the Pulumi program (pulumi/index.ts) so both build
 * exactly the same objects.
 */
export const EXAMPLE_SERVICES: Record<string, VllmServiceOptions> = {
  // Llama 3.1 8B on one H100: the defaults do the rest (HPA 2-8 on queue depth, a StatefulSet with one cache claim per
  // replica that each downloads once, probes, alerts).
  'llama-8b-h100': {
    name: 'llama-8b',
    namespace: 'inference',
    model: 'llama-3.1-8b',
    gpu: 'H100-80GB',
    maxModelLen: 8192,
  },
  // Llama 3.3 70B across four H100s of one node (TP=4, /dev/shm for NCCL), served from a pre-filled cache: a loader Job
  // downloads the pinned commit once into a ReadWriteMany claim and verifies it; every replica waits for its marker and
  // loads offline, so a rollout, reschedule or scale-up never downloads the 131 GiB again.
  'llama-70b-tp4': {
    name: 'llama-70b',
    namespace: 'inference',
    model: 'llama-3.3-70b',
    // meta-llama/Llama-3.3-70B-Instruct's commit, as the hub cache's snapshot directory names it.
    modelRevision: '6f6073b423013f6a7d4d9f39144961bfbfbc386b',
    gpu: 'H100-80GB',
    tensorParallelSize: 4,
    maxModelLen: 16384,
    autoscaling: { minReplicas: 2, maxReplicas: 4 },
    modelCache: { mode: 'shared', accessMode: 'ReadWriteMany', storageClassName: 'efs-sc', loader: true },
  },
  // An AWQ-quantized 70B on a single H100: 37 GiB of weights leave room for the KV cache.
  'llama-70b-awq': {
    name: 'llama-70b-awq',
    namespace: 'inference',
    model: 'llama-3.1-70b-awq',
    gpu: 'H100-80GB',
    maxModelLen: 8192,
    autoscaling: false,
    replicas: 2,
  },
  // KEDA on queue depth, Istio tuned for streaming, callers limited to one namespace, its own namespace with a quota.
  'qwen-keda-istio': {
    name: 'qwen3-8b',
    namespace: 'chat',
    createNamespace: true,
    namespaceGpuQuota: 8,
    model: 'qwen3-8b',
    gpu: 'L40S',
    maxModelLen: 16384,
    autoscaling: { mode: 'keda', minReplicas: 2, maxReplicas: 6, prometheusServerAddress: 'http://prometheus-operated.monitoring.svc:9090' },
    istio: { mode: 'tuned' },
    networkPolicy: { allowedNamespaces: ['chat-frontend'] },
    monitoring: { labels: { release: 'kube-prometheus-stack' }, ttftObjectiveSeconds: 1.5 },
  },
  // Llama 3.1 405B in BF16 does not fit one 8 x H100 node (94.5 GiB of weights per GPU): a LeaderWorkerSet of 2 pods
  // per replica, TP 8 inside each node over NVLink, PP 2 across the nodes over plain Ethernet (one hand-off per step).
  'llama-405b-multinode': {
    name: 'llama-405b',
    namespace: 'inference',
    model: 'llama-3.1-405b',
    gpu: 'H100-80GB',
    tensorParallelSize: 8,
    pipelineParallelSize: 2,
    maxModelLen: 8192,
    autoscaling: { minReplicas: 2, maxReplicas: 3 },
    multiNode: { socketInterface: 'eth0' },
  },
  // DeepSeek-R1 (671B MoE, FP8 checkpoint, MLA) across 2 nodes of 8 x H100 on an InfiniBand fabric: each rank gets an
  // HCA from the RDMA device plugin and IPC_LOCK for GPUDirect RDMA, which PodSecurity baseline refuses, so it runs in
  // a namespace of its own that gpuplane creates with enforce=privileged.
  'deepseek-r1-multinode': {
    name: 'deepseek-r1',
    namespace: 'inference-rdma',
    createNamespace: true,
    namespaceGpuQuota: 32,
    model: 'deepseek-r1',
    gpu: 'H100-80GB',
    tensorParallelSize: 8,
    pipelineParallelSize: 2,
    maxModelLen: 32768,
    autoscaling: false,
    replicas: 2,
    multiNode: { interconnect: 'infiniband', socketInterface: 'eth0', ibHca: 'mlx5', rdma: { resourceName: 'rdma/ib', count: 1 } },
  },
};
