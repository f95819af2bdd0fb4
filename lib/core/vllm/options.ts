import type { GpuInput, GpuSpec } from '../catalog/gpus';
import type { ModelArchitecture, ModelSpec, Quantization } from '../catalog/models';
import type { GpuPlacement } from '../gpu/placement';
import type { Toleration } from '../gpu/pool';
import type { VllmMemoryEstimate } from './estimator';
import type { ServingSpec } from '../serving/spec';
import type { LoraAdapter, LoraOptions, ResolvedLora } from './lora';
import type { VersionTuple } from './version';
import type { KueueLocalQueue } from '../kueue/queues';
import type { MultiNodeOptions } from './multinode-options';
import type { ResolvedMultiNode } from './multinode';

/** A model outside the catalog: the repository vLLM loads and its architecture. */
export interface CustomModel {
  /** Hugging Face repository id (or a path inside the model cache) passed to `--model`. */
  readonly huggingFaceId: string;
  /** Architecture facts; `architectureFromHuggingFaceConfig(config)` builds them from the model's config.json. */
  readonly architecture: ModelArchitecture;
  /** @default 'none' */
  readonly quantization?: Quantization;
}

/** The loader Job that fills a shared cache once, before any serving pod starts (see lib/core/vllm/loader.ts). */
export interface ModelLoaderOptions {
  /**
   * Image with Python and huggingface_hub that runs the download.
   * @default - the serving image: pinned like it, already trusted, and it holds the huggingface_hub release vLLM reads the cache with
   */
  readonly image?: string;
  /** Retries of a failed download; each retry resumes the partial files. @default 4 */
  readonly backoffLimit?: number;
  /** Seconds a finished Job (and its logs) is kept; the cache keeps its completion marker either way. @default 86400 - a day to read the logs */
  readonly ttlSecondsAfterFinished?: number;
}

/** A model packaged as an OCI artifact or image, mounted read-only as an image volume (KEP-4639). */
export interface ModelImageOptions {
  /** Image reference, pinned to a tag or an `@sha256` digest (the pin of the weights). */
  readonly reference: string;
  /** @default 'IfNotPresent' - a pinned reference never changes, so the node's copy is reused */
  readonly pullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  /** Directory inside the image that holds config.json and the safetensors. @default '' - the image root */
  readonly path?: string;
}

/** Where the model weights are cached between restarts, and how they get there. */
export interface ModelCacheOptions {
  /**
   * `shared`: one PersistentVolumeClaim mounted by every replica (ReadWriteMany with more than one replica), filled
   * once by a loader Job. `perReplica`: a StatefulSet with one claim per replica (volumeClaimTemplates) that survives
   * restarts, rollouts, rescheduling and scale-down, so each replica downloads once, on its first start, on any storage
   * class (a StatefulSet's claim templates are immutable: a new size or storage class needs the StatefulSet deleted
   * with `--cascade=orphan` and re-applied, and existing claims resized by hand). `image`: the weights come from an OCI
   * image volume (`image` below).
   * @default - 'image' when image is set; with more than one replica 'shared' when accessMode is ReadWriteMany or
   * existingClaimName is set (one copy for all), else 'perReplica' (works on ReadWriteOnce storage, never downloads per
   * pod start); 'shared' with one replica
   */
  readonly mode?: 'shared' | 'perReplica' | 'image';
  /** @default 'ReadWriteOnce' - what every storage class offers; 'ReadWriteMany' lets replicas share one cache */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteMany';
  /** Volume size. @default - twice the weights, rounded up to whole Gi (the articles' sizing) */
  readonly size?: string;
  /** @default - the cluster's default storage class */
  readonly storageClassName?: string;
  /** Mount an existing claim instead of creating one (shared mode only). @default - gpuplane creates `<name>-model-cache` */
  readonly existingClaimName?: string;
  /**
   * Fill the shared cache with a loader Job before the serving pods start (they wait for its completion marker and
   * run offline); `false` lets the pods download themselves.
   * @default - on for a shared ReadWriteMany claim gpuplane creates (unless downloadModel is given), off otherwise
   */
  readonly loader?: boolean | ModelLoaderOptions;
  /** The weights as an OCI image volume. Needs kubernetesVersion 1.35 or later. @default - none: the weights come from the hub */
  readonly image?: ModelImageOptions;
}

/** Autoscaling on queue depth (`vllm:num_requests_waiting`), never on CPU. */
export interface AutoscalingOptions {
  /**
   * `hpa`: an autoscaling/v2 HPA on the pods metric `vllm_num_requests_waiting` plus the prometheus-adapter rule
   * that serves it. `keda`: a KEDA ScaledObject with a Prometheus trigger.
   * @default 'hpa'
   */
  readonly mode?: 'hpa' | 'keda';
  /**
   * 0 scales to zero when idle (mode 'keda' only: the HPA cannot reach zero without the alpha HPAScaleToZero gate);
   * the first request after idle then waits for the cold start, held by the InferenceGateway's router.
   * @default 2 - one replica means an outage on every pod failure
   */
  readonly minReplicas?: number;
  /** @default 8 */
  readonly maxReplicas?: number;
  /** Average waiting requests per pod that triggers a scale-up. @default 5 */
  readonly targetRequestsWaiting?: number;
  /** Prometheus URL KEDA queries. @default 'http://prometheus-operated.monitoring.svc:9090' */
  readonly prometheusServerAddress?: string;
  /**
   * KEDA `cooldownPeriod`: seconds without requests before scaling to zero. Must be at least the startup budget: a
   * shorter one spends more time loading the model than serving it.
   * @default - the larger of 600 and startupBudgetSeconds
   */
  readonly cooldownSeconds?: number;
}

/** The ServiceMonitor and alert rules of a VllmService. */
export interface MonitoringOptions {
  /** Render a ServiceMonitor and a PrometheusRule. Prefer `monitoring: false` to switch them off. @default true */
  readonly enabled?: boolean;
  /** Labels the Prometheus operator selects rules and monitors by. @default {} */
  readonly labels?: Record<string, string>;
  /** Scrape interval. @default '15s' */
  readonly interval?: string;
  /** p95 time-to-first-token objective in seconds; the alert fires above it. @default 2 */
  readonly ttftObjectiveSeconds?: number;
  /** p95 inter-token latency in seconds; the alert fires above it. @default 0.1 - 10 tokens/s, where streaming starts to stutter */
  readonly interTokenLatencyObjectiveSeconds?: number;
  /** Waiting requests per pod sustained for 10 minutes that raise an alert. @default 10 */
  readonly requestsWaitingThreshold?: number;
}

/** Who may call a VllmService's serving port. */
export interface NetworkPolicyOptions {
  /** Render the NetworkPolicy. Prefer `networkPolicy: false` to switch it off. @default true */
  readonly enabled?: boolean;
  /** Namespaces whose pods may call the serving port. @default - only pods of the service's own namespace */
  readonly allowedNamespaces?: readonly string[];
  /** Pod labels (in allowed namespaces, or the own namespace) that may call the serving port. @default - any pod there */
  readonly allowedPodLabels?: Record<string, string>;
  /** Namespace of the Prometheus that scrapes `/metrics`. @default 'monitoring' */
  readonly metricsScraperNamespace?: string;
}

/** How a VllmService meets an Istio mesh: no sidecar, or a sidecar tuned for long streaming requests. */
export interface IstioOptions {
  /**
   * `bypass`: no sidecar on GPU pods (`sidecar.istio.io/inject: "false"`). `tuned`: a small sidecar (50m/64Mi), a
   * VirtualService with a 300 s timeout for streaming, a DestinationRule with inference-sized connection pools,
   * and a warm-up request before the pod turns ready.
   */
  readonly mode: 'bypass' | 'tuned';
  /** Route timeout for long generations. @default '300s' */
  readonly timeout?: string;
}

/** CPU and memory requests (and a memory limit) for the vLLM container. */
export interface ResourceOverrides {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  /** CPU limits are refused (they throttle tokenization); a memory limit may be given. */
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/** Everything a VllmService takes. Only `name`, `model` and `gpu` are required. */
export interface VllmServiceOptions {
  /** DNS-1123 label; names every rendered object. */
  readonly name: string;
  /** @default 'default' */
  readonly namespace?: string;
  /** Create the namespace. @default false */
  readonly createNamespace?: boolean;
  /** With createNamespace: a ResourceQuota capping `requests.nvidia.com/gpu` in it. @default - no quota */
  readonly namespaceGpuQuota?: number;
  /** A catalog model id or Hugging Face id, or a custom model. */
  readonly model: string | CustomModel;
  /**
   * `--revision`: the Hugging Face revision (a commit sha, or a tag or branch) the pods and the loader Job fetch.
   * @default - the repository's default branch ('main'); the loader records the commit it fetched and never refetches
   */
  readonly modelRevision?: string;
  /**
   * The cluster's Kubernetes version (`1.35` or `v1.35.2`); features gated on it (image volumes) are refused below
   * the version that turns them on by default.
   * @default - unknown: version-gated features are refused until it is set
   */
  readonly kubernetesVersion?: string;
  /** `--served-model-name`. @default - the Hugging Face id */
  readonly servedModelName?: string;
  /**
   * The GPU each rank runs on (catalog id or `{ memoryGiB }`); sizes the fit check and the node affinity.
   * @default - the placement's GPU; one of gpu and placement is required
   */
  readonly gpu?: GpuInput;
  /**
   * A unit of a GPU pool (`pool.slice('3g.40gb')`): the resource to request, node selection and tolerations come
   * from the pool, the fit check uses the unit's memory, and shared units lower the memory utilization.
   * @default - whole GPUs requested as nvidia.com/gpu on any GPU node
   */
  readonly placement?: GpuPlacement;
  /** GPUs on one node; tensor parallelism cannot span nodes. @default - the placement's pool, else 8 */
  readonly gpusPerNode?: number;
  /** The GPU is shared (MIG slice or time-slicing): lowers the default memory utilization. @default false */
  readonly sharedGpu?: boolean;
  /** `--tensor-parallel-size`; GPUs per pod. @default 1 */
  readonly tensorParallelSize?: number;
  /**
   * `--pipeline-parallel-size`: stages, each holding its share of the layers. When tensorParallelSize x
   * pipelineParallelSize exceeds gpusPerNode, a replica spans nodes and VllmService renders a LeaderWorkerSet (one pod
   * per node, TP inside the node, PP across nodes).
   * @default 1 - vLLM's default, no pipeline
   */
  readonly pipelineParallelSize?: number;
  /** Network and NCCL settings of a replica that spans nodes. @default - Ethernet, NCCL's own interface choice, no RDMA devices */
  readonly multiNode?: MultiNodeOptions;
  /** `--gpu-memory-utilization`. @default 0.85 on whole GPUs, 0.75 on shared GPUs (headroom for fragmentation) */
  readonly gpuMemoryUtilization?: number;
  /** `--max-model-len`. @default - the model's maximum context capped at 8192 (never the full context by accident) */
  readonly maxModelLen?: number;
  /** `--max-num-seqs`. @default 256 */
  readonly maxNumSeqs?: number;
  /**
   * `--max-num-batched-tokens`: tokens in one forward pass, which sizes the activation peak the fit check subtracts.
   * @default - vLLM's own default for the version and GPU (not rendered)
   */
  readonly maxNumBatchedTokens?: number;
  /** `--block-size`: tokens per KV cache block. @default - vLLM's default of 16 on CUDA (not rendered) */
  readonly blockSize?: 8 | 16 | 32 | 64 | 128;
  /** `--enforce-eager`: no CUDA graphs (less memory, slower decode). @default false */
  readonly enforceEager?: boolean;
  /** `--kv-cache-dtype`. @default 'auto' */
  readonly kvCacheDtype?: 'auto' | 'fp8';
  /** `--quantization`. @default - the catalog entry's, else 'none' */
  readonly quantization?: Quantization;
  /** vLLM release; picks flag spellings, metric names and the estimator's overheads. @default DEFAULT_VLLM_VERSION */
  readonly vllmVersion?: string;
  /** Container image. @default `vllm/vllm-openai:v<vllmVersion>` (pinned, never `latest`) */
  readonly image?: string;
  /** Extra `vllm serve` arguments, appended after gpuplane's. Flags gpuplane manages are refused. @default [] */
  readonly extraArgs?: readonly string[];
  /** Extra environment variables. @default {} */
  readonly env?: Record<string, string>;
  /** Secret holding the Hugging Face token, exposed as `HF_TOKEN`; `false` for public models. @default { name: 'hf-token', key: 'token' } */
  readonly hfTokenSecret?: { readonly name: string; readonly key?: string } | false;
  /**
   * The serving pods download the model from the hub at startup (egress allowed, startup budget includes it). `false`
   * runs them offline (HF_HUB_OFFLINE=1), which needs something that fills the cache: an existing claim, the loader
   * Job or an image volume.
   * @default - false where the loader Job or an image volume delivers the model, true otherwise
   */
  readonly downloadModel?: boolean;
  /** Assumed hub download speed in MiB/s for the startup budget. @default 100 */
  readonly downloadMiBps?: number;
  /** @default - see ModelCacheOptions */
  readonly modelCache?: ModelCacheOptions;
  /** Replicas when autoscaling is off. @default 2 */
  readonly replicas?: number;
  /** Queue-depth autoscaling; `false` turns it off. @default { mode: 'hpa' } */
  readonly autoscaling?: AutoscalingOptions | false;
  /**
   * GPUs the cluster keeps free for rollouts; with fewer than one pod's worth the rollout never surges. Recorded on
   * the Deployment as the `gpuplane.dev/spare-gpus` annotation, which the production rules read.
   * @default 0
   */
  readonly spareGpus?: number;
  /** startupProbe budget in seconds; refused below what the delivery path needs (see ModelDelivery.startup). @default - 1.5 x the estimated download-and-load time of the delivery path, at least 600 s (1260 s for weights of 40 GiB and more, or 40B parameters and more however packed) */
  readonly startupBudgetSeconds?: number;
  /** `/dev/shm` size when tensorParallelSize > 1 (counted in the memory request). @default '16Gi' */
  readonly shmSize?: string;
  /** @default - requests sized from the model, memory limit 30% above, no CPU limit */
  readonly resources?: ResourceOverrides;
  /** @default 60 - KServe's grace, enough to finish in-flight requests after the 15 s preStop */
  readonly terminationGracePeriodSeconds?: number;
  /** @default 3 */
  readonly revisionHistoryLimit?: number;
  /** ServiceMonitor and alerts; `false` turns them off. @default {} - on: an unmonitored GPU server fails silently */
  readonly monitoring?: MonitoringOptions | false;
  /** NetworkPolicy; `false` turns it off. @default {} - on: model servers take traffic only from allowed callers */
  readonly networkPolicy?: NetworkPolicyOptions | false;
  /** @default - no Istio-specific configuration */
  readonly istio?: IstioOptions;
  /** Extra labels on every object. @default {} */
  readonly labels?: Record<string, string>;
  /** LoRA adapters served next to the base model, each under its own model name. @default - none (no --enable-lora) */
  readonly adapters?: readonly LoraAdapter[];
  /** LoRA settings (derived from the adapters unless given). @default - derived from adapters; LoRA off without adapters */
  readonly lora?: LoraOptions;
  /**
   * A Kueue LocalQueue (`renderKueueQueues(...).localQueue(name)`): the Deployment gets the `kueue.x-k8s.io/queue-name`
   * label, Kueue admits each pod against the ClusterQueue's GPU quota, and a service the quota can never admit is refused.
   * @default - not queued: pods are scheduled as soon as GPUs are free
   */
  readonly queue?: KueueLocalQueue;
}

/** Options with every default resolved once; the engine-neutral part is the serving layer's ServingSpec. */
export interface ResolvedVllmService extends ServingSpec {
  readonly name: string;
  readonly namespace: string;
  readonly createNamespace: boolean;
  readonly namespaceGpuQuota?: number;
  readonly model: ModelSpec;
  readonly servedModelName: string;
  readonly gpu: GpuSpec;
  readonly gpusPerNode: number;
  readonly placement?: GpuPlacement;
  /** The extended resource requested per rank. */
  readonly gpuResourceName: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  readonly sharedGpu: boolean;
  readonly tensorParallelSize: number;
  readonly pipelineParallelSize: number;
  /** The group layout when a replica spans nodes (rendered as a LeaderWorkerSet); undefined on one node. */
  readonly multiNode?: ResolvedMultiNode;
  readonly gpuMemoryUtilization: number;
  readonly maxModelLen: number;
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens?: number;
  readonly blockSize?: number;
  readonly enforceEager: boolean;
  readonly kvCacheDtype: 'auto' | 'fp8';
  readonly quantization: Quantization;
  readonly vllmVersion: string;
  readonly version: VersionTuple;
  readonly image: string;
  readonly extraArgs: readonly string[];
  readonly env: Record<string, string>;
  readonly hfTokenSecret?: { readonly name: string; readonly key: string };
  readonly downloadModel: boolean;
  readonly modelCache: ServingSpec['modelCache'];
  readonly modelRevision?: string;
  readonly kubernetesVersion?: string;
  readonly replicas: number;
  readonly autoscaling?: Required<AutoscalingOptions>;
  readonly maxPossibleReplicas: number;
  readonly minReplicas: number;
  readonly spareGpus: number;
  readonly startupBudgetSeconds: number;
  readonly estimatedLoadSeconds: number;
  readonly shmSize?: string;
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
  readonly terminationGracePeriodSeconds: number;
  readonly revisionHistoryLimit: number;
  readonly monitoring: Required<MonitoringOptions>;
  readonly networkPolicy: Required<Omit<NetworkPolicyOptions, 'allowedNamespaces' | 'allowedPodLabels'>> & Pick<NetworkPolicyOptions, 'allowedNamespaces' | 'allowedPodLabels'>;
  readonly istio?: Required<IstioOptions>;
  readonly labels: Record<string, string>;
  readonly memory: VllmMemoryEstimate;
  /** LoRA, when on. */
  readonly lora?: ResolvedLora;
  /** The adapters' model names (the gateway routes them to this service's pool). */
  readonly adapterNames: readonly string[];
  /** Advice about a configuration that works but is known to hurt; printed at synth, errors in strict mode. */
  readonly warnings: readonly string[];
  readonly queue?: KueueLocalQueue;
}


export { hostMemoryGiB, imagePinProblem, MANAGED_FLAGS, MANAGED_ENV, resolveVllmService } from './resolve';
export { estimateLoadSeconds } from './delivery';
export { VLLM_SERVICE_OPTIONS } from './options-schema';
