import { Problem, ProblemCollector } from '../errors';
import { GpuInput, GpuSpec, lookupGpu } from '../catalog/gpus';
import { lookupModel, ModelArchitecture, ModelSpec, Quantization, QUANTIZATIONS } from '../catalog/models';
import { isDns1123Label, isPinnedImage, parseQuantity } from '../kube';
import { GPU_MEMORY_UTILIZATION_REASON, HF_TOKEN_ENV_VARS, MAX_GPU_MEMORY_UTILIZATION, normalizeFlag, UNPINNED_IMAGE_REASON } from '../validate/production';
import { estimateVllmMemory, VllmMemoryEstimate, weightsGiB } from './estimator';
import { GpuPlacement } from '../gpu/placement';
import { Toleration } from '../gpu/pool';
import { DEFAULT_VLLM_VERSION, parseVllmVersion, VersionTuple } from './version';

/** A model outside the catalog: the repository vLLM loads and its architecture. */
export interface CustomModel {
  /** Hugging Face repository id (or a path inside the model cache) passed to `--model`. */
  readonly huggingFaceId: string;
  /** Architecture facts; `architectureFromHuggingFaceConfig(config)` builds them from the model's config.json. */
  readonly architecture: ModelArchitecture;
  /** @default 'none' */
  readonly quantization?: Quantization;
}

/** Where the model weights are cached between restarts. */
export interface ModelCacheOptions {
  /**
   * `shared`: one PersistentVolumeClaim mounted by every replica (needs ReadWriteMany with more than one replica).
   * `perReplica`: a generic ephemeral volume, one claim per pod, deleted with the pod.
   * @default - 'shared' with one replica, 'perReplica' when more than one replica can run
   */
  readonly mode?: 'shared' | 'perReplica';
  /** @default 'ReadWriteOnce' - what every storage class offers; 'ReadWriteMany' lets replicas share one cache */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteMany';
  /** Volume size. @default - twice the weights, rounded up to whole Gi (the articles' sizing) */
  readonly size?: string;
  /** @default - the cluster's default storage class */
  readonly storageClassName?: string;
  /** Mount an existing claim instead of creating one (shared mode only). @default - gpuplane creates `<name>-model-cache` */
  readonly existingClaimName?: string;
}

/** Autoscaling on queue depth (`vllm:num_requests_waiting`), never on CPU. */
export interface AutoscalingOptions {
  /**
   * `hpa`: an autoscaling/v2 HPA on the pods metric `vllm_num_requests_waiting` plus the prometheus-adapter rule
   * that serves it. `keda`: a KEDA ScaledObject with a Prometheus trigger.
   * @default 'hpa'
   */
  readonly mode?: 'hpa' | 'keda';
  /** @default 2 - one replica means an outage on every pod failure */
  readonly minReplicas?: number;
  /** @default 8 */
  readonly maxReplicas?: number;
  /** Average waiting requests per pod that triggers a scale-up. @default 5 */
  readonly targetRequestsWaiting?: number;
  /** Prometheus URL KEDA queries. @default 'http://prometheus-operated.monitoring.svc:9090' */
  readonly prometheusServerAddress?: string;
}

export interface MonitoringOptions {
  /** Render a ServiceMonitor and a PrometheusRule. @default true */
  readonly enabled?: boolean;
  /** Labels the Prometheus operator selects rules and monitors by. @default {} */
  readonly labels?: Record<string, string>;
  /** Scrape interval. @default '15s' */
  readonly interval?: string;
  /** p95 time-to-first-token objective in seconds; the alert fires above it. @default 2 */
  readonly ttftObjectiveSeconds?: number;
  /** Waiting requests per pod sustained for 10 minutes that raise an alert. @default 10 */
  readonly requestsWaitingThreshold?: number;
}

export interface NetworkPolicyOptions {
  /** @default true */
  readonly enabled?: boolean;
  /** Namespaces whose pods may call the serving port. @default - only pods of the service's own namespace */
  readonly allowedNamespaces?: readonly string[];
  /** Pod labels (in allowed namespaces, or the own namespace) that may call the serving port. @default - any pod there */
  readonly allowedPodLabels?: Record<string, string>;
  /** Namespace of the Prometheus that scrapes `/metrics`. @default 'monitoring' */
  readonly metricsScraperNamespace?: string;
}

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
  /** `--gpu-memory-utilization`. @default 0.85 on whole GPUs, 0.75 on shared GPUs (headroom for fragmentation) */
  readonly gpuMemoryUtilization?: number;
  /** `--max-model-len`. @default - the model's maximum context capped at 8192 (never the full context by accident) */
  readonly maxModelLen?: number;
  /** `--max-num-seqs`. @default 256 */
  readonly maxNumSeqs?: number;
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
  /** The model is downloaded from the hub at startup (egress allowed, startup budget includes it). @default true */
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
  /** startupProbe budget in seconds. @default - 1.5 x the estimated download-and-load time, at least 600 s (1260 s for weights of 40 GiB and more) */
  readonly startupBudgetSeconds?: number;
  /** `/dev/shm` size when tensorParallelSize > 1 (counted in the memory request). @default '16Gi' */
  readonly shmSize?: string;
  /** @default - requests sized from the model, memory limit 30% above, no CPU limit */
  readonly resources?: ResourceOverrides;
  /** @default 60 - KServe's grace, enough to finish in-flight requests after the 15 s preStop */
  readonly terminationGracePeriodSeconds?: number;
  /** @default 3 */
  readonly revisionHistoryLimit?: number;
  /** @default { enabled: true } */
  readonly monitoring?: MonitoringOptions;
  /** @default { enabled: true } */
  readonly networkPolicy?: NetworkPolicyOptions;
  /** @default - no Istio-specific configuration */
  readonly istio?: IstioOptions;
  /** Extra labels on every object. @default {} */
  readonly labels?: Record<string, string>;
}

/** Options with every default resolved once. */
export interface ResolvedVllmService {
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
  readonly gpuMemoryUtilization: number;
  readonly maxModelLen: number;
  readonly maxNumSeqs: number;
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
  readonly modelCache: Required<Omit<ModelCacheOptions, 'storageClassName' | 'existingClaimName'>> & Pick<ModelCacheOptions, 'storageClassName' | 'existingClaimName'>;
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
}

/** The problem of an image that is not pinned to a release tag or a digest (undefined when it is pinned). */
export function imagePinProblem(image: string): Problem | undefined {
  if (isPinnedImage(image)) return undefined;
  return {
    field: 'image', message: `must be pinned to a release tag or digest; ${UNPINNED_IMAGE_REASON}`, value: image,
    allowed: 'e.g. "vllm/vllm-openai:v0.26.0" or an @sha256 digest', fix: 'pin the tag that matches vllmVersion',
  };
}

/** Flags gpuplane renders itself; passing them again through extraArgs would silently fight the typed option. */
export const MANAGED_FLAGS: Record<string, string> = {
  '--model': 'model',
  '--served-model-name': 'servedModelName',
  '--port': '(fixed at 8000)',
  '--tensor-parallel-size': 'tensorParallelSize',
  '-tp': 'tensorParallelSize',
  '--gpu-memory-utilization': 'gpuMemoryUtilization',
  '--max-model-len': 'maxModelLen',
  '--max-num-seqs': 'maxNumSeqs',
  '--enforce-eager': 'enforceEager',
  '--kv-cache-dtype': 'kvCacheDtype',
  '--quantization': 'quantization',
  '-q': 'quantization',
  '--disable-log-requests': '(request logging is always off)',
  '--enable-log-requests': '(request logging is always off)',
  '--no-enable-log-requests': '(request logging is always off)',
};

const GIB = 2 ** 30;

/** Host memory request from the articles' rule of thumb (8B 16-24Gi, 13B 24-32Gi, 70B 48-64Gi), top of each range. */
export function hostMemoryGiB(parameters: number): number {
  if (parameters <= 9e9) return 24;
  if (parameters <= 15e9) return 32;
  if (parameters <= 40e9) return 48;
  if (parameters <= 80e9) return 64;
  return Math.ceil((64 * parameters) / 70e9 / 16) * 16;
}

/** Seconds to download (when downloading) and load the weights and compile; the startup budget is derived from it. */
export function estimateLoadSeconds(weightsGiB: number, opts: { download: boolean; downloadMiBps: number; enforceEager: boolean }): number {
  const download = opts.download ? (weightsGiB * 1024) / opts.downloadMiBps : 0;
  const load = weightsGiB * 2; // reading safetensors into GPU memory at about 0.5 GiB/s per pod from a network volume
  const compile = opts.enforceEager ? 0 : 90; // torch.compile and CUDA graph capture
  return Math.ceil(60 + download + load + compile); // 60 s process start, imports, profiling
}

function resolveModelInput(model: string | CustomModel, problems: ProblemCollector): ModelSpec | undefined {
  if (typeof model === 'string') return lookupModel(model, 'model', problems);
  if (!model.huggingFaceId) {
    problems.add({ field: 'model.huggingFaceId', message: 'is required for a custom model', value: model.huggingFaceId, fix: 'set the repository id vLLM loads, e.g. "org/model"' });
    return undefined;
  }
  const a = model.architecture;
  for (const key of ['layers', 'kvHeads', 'headDim', 'parameters'] as const) {
    if (!(typeof a?.[key] === 'number' && a[key] > 0)) {
      problems.add({ field: `model.architecture.${key}`, message: 'must be a positive number', value: a?.[key], fix: 'take it from the model config.json (architectureFromHuggingFaceConfig does this)' });
      return undefined;
    }
  }
  return { id: model.huggingFaceId, huggingFaceId: model.huggingFaceId, ...a, quantization: model.quantization ?? 'none' };
}

const positiveInt = (v: number): boolean => Number.isInteger(v) && v > 0;

/** Resolves every default once and checks every option invariant; throws all problems together. */
export function resolveVllmService(o: VllmServiceOptions): ResolvedVllmService {
  const subject = `VllmService '${o.name}'`;
  const p = new ProblemCollector();
  p.check(typeof o.name === 'string' && isDns1123Label(o.name) && o.name.length <= 52, {
    field: 'name', message: 'must be a DNS-1123 label of at most 52 characters (object names add suffixes)', value: o.name,
    allowed: 'lower-case letters, digits and "-", starting and ending with a letter or digit', fix: 'rename it, e.g. "llama-8b"',
  });
  const namespace = o.namespace ?? 'default';
  p.check(isDns1123Label(namespace), { field: 'namespace', message: 'must be a DNS-1123 label', value: namespace, fix: 'use lower-case letters, digits and "-"' });

  const model = resolveModelInput(o.model, p);
  const placement = o.placement;
  let gpu: GpuSpec | undefined;
  if (placement) {
    p.check(o.gpu === undefined, { field: 'gpu', message: 'must not be set together with placement; the placement decides the GPU', value: o.gpu, fix: 'drop gpu' });
    p.check(o.sharedGpu === undefined || o.sharedGpu === placement.shared, { field: 'sharedGpu', message: `contradicts the placement, which is ${placement.shared ? 'shared' : 'a whole GPU'}`, value: o.sharedGpu, fix: 'drop sharedGpu' });
    if (placement.profile !== undefined) {
      p.check(placement.poolProfiles.includes(placement.profile), {
        field: 'placement', message: `names MIG profile ${placement.profile}, which pool '${placement.poolName}' does not have`, value: placement.profile,
        allowed: placement.poolProfiles.join(', '), fix: 'take the placement from pool.slice(profile)',
      });
    }
    gpu = { ...placement.gpu, id: placement.profile ? `${placement.gpu.id} MIG ${placement.profile}` : placement.gpu.id, memoryGiB: placement.memoryGiB };
  } else if (o.gpu === undefined) {
    p.add({ field: 'gpu', message: 'is required without a placement', value: undefined, fix: "set gpu (e.g. 'H100-80GB') or placement (pool.slice(...))" });
  } else {
    gpu = lookupGpu(o.gpu, 'gpu', p);
  }

  const versionString = o.vllmVersion ?? DEFAULT_VLLM_VERSION;
  const version = parseVllmVersion(versionString);
  p.check(version !== undefined, { field: 'vllmVersion', message: 'must be a vLLM release number', value: versionString, allowed: 'e.g. "0.26.0"', fix: `omit it to use ${DEFAULT_VLLM_VERSION}` });

  const image = o.image ?? `vllm/vllm-openai:v${versionString.replace(/^v/, '')}`;
  const unpinned = imagePinProblem(image);
  if (unpinned) p.add(unpinned);

  const tp = o.tensorParallelSize ?? 1;
  const gpusPerNode = o.gpusPerNode ?? placement?.gpusPerNode ?? 8;
  if (placement && o.gpusPerNode !== undefined && o.gpusPerNode !== placement.gpusPerNode) {
    p.add({ field: 'gpusPerNode', message: `contradicts pool '${placement.poolName}', whose nodes have ${placement.gpusPerNode} GPUs`, value: o.gpusPerNode, fix: 'drop gpusPerNode; the placement decides it' });
  }
  p.check(positiveInt(gpusPerNode), { field: 'gpusPerNode', message: 'must be a positive integer', value: gpusPerNode, fix: 'set the GPUs on one node of the pool, e.g. 8' });
  if (p.check(positiveInt(tp), { field: 'tensorParallelSize', message: 'must be a positive integer', value: tp, fix: 'use 1, 2, 4 or 8' })) {
    p.check(tp <= gpusPerNode, {
      field: 'tensorParallelSize', message: `must not exceed the GPUs on one node (${gpusPerNode}); tensor parallelism across nodes is too slow for inference`, value: tp,
      allowed: `1..${gpusPerNode}`, fix: 'use a node with more GPUs, quantize the model, or lower tensorParallelSize',
    });
    if (model?.attentionHeads !== undefined) {
      const heads = model.attentionHeads;
      const divisors = Array.from({ length: Math.min(heads, gpusPerNode) }, (_, i) => i + 1).filter((d) => heads % d === 0);
      p.check(heads % tp === 0, {
        field: 'tensorParallelSize', message: `must divide the model's ${heads} attention heads`, value: tp,
        allowed: divisors.join(', '), fix: 'pick one of the allowed values',
      });
    }
  }

  const sharedGpu = placement ? placement.shared : o.sharedGpu ?? false;
  if (placement && placement.shared) {
    p.check(tp === 1, {
      field: 'tensorParallelSize', message: `must be 1 on a ${placement.profile ? `MIG instance (${placement.profile})` : 'shared GPU'}; a pod gets one unit and cannot span units`, value: tp,
      fix: 'use a larger profile or a pool of whole GPUs for tensor parallelism',
    });
  }
  const util = o.gpuMemoryUtilization ?? (sharedGpu ? 0.75 : 0.85);
  p.check(typeof util === 'number' && util > 0 && util <= MAX_GPU_MEMORY_UTILIZATION, {
    field: 'gpuMemoryUtilization', message: `must be in (0, ${MAX_GPU_MEMORY_UTILIZATION}]; ${GPU_MEMORY_UTILIZATION_REASON}`, value: util,
    allowed: `(0, ${MAX_GPU_MEMORY_UTILIZATION}]`, fix: 'use 0.85 on whole GPUs, 0.75 on shared ones',
  });

  const maxModelLen = o.maxModelLen ?? (model?.maxPositionEmbeddings !== undefined ? Math.min(model.maxPositionEmbeddings, 8192) : 8192);
  if (p.check(positiveInt(maxModelLen), { field: 'maxModelLen', message: 'must be a positive integer number of tokens', value: maxModelLen, fix: 'set the longest context your application sends, e.g. 8192' }) && model?.maxPositionEmbeddings !== undefined) {
    p.check(maxModelLen <= model.maxPositionEmbeddings, {
      field: 'maxModelLen', message: `must not exceed the model's maximum context of ${model.maxPositionEmbeddings} tokens`, value: maxModelLen,
      allowed: `1..${model.maxPositionEmbeddings}`, fix: `lower it to ${model.maxPositionEmbeddings} or less`,
    });
  }
  const maxNumSeqs = o.maxNumSeqs ?? 256;
  p.check(positiveInt(maxNumSeqs), { field: 'maxNumSeqs', message: 'must be a positive integer', value: maxNumSeqs, fix: 'use 256, or lower it when you see preemptions' });

  const quantization = o.quantization ?? model?.quantization ?? 'none';
  p.check(QUANTIZATIONS.includes(quantization), { field: 'quantization', message: 'is not a quantization gpuplane can size', value: quantization, allowed: QUANTIZATIONS.join(', '), fix: 'pick one of them' });
  if (o.quantization !== undefined && model && o.quantization !== (model.quantization ?? 'none') && o.quantization !== 'fp8') {
    p.add({
      field: 'quantization', message: `'${o.quantization}' needs a checkpoint quantized that way, and ${model.id} is '${model.quantization ?? 'none'}'`, value: o.quantization,
      allowed: "'fp8' (vLLM quantizes on load), or the checkpoint's own", fix: 'pick a pre-quantized model (e.g. llama-3.1-70b-awq) or use fp8',
    });
  }
  const kvCacheDtype = o.kvCacheDtype ?? 'auto';
  p.check(kvCacheDtype === 'auto' || kvCacheDtype === 'fp8', { field: 'kvCacheDtype', message: 'must be auto or fp8', value: kvCacheDtype, allowed: "'auto', 'fp8'", fix: "use 'fp8' to halve the KV cache" });

  for (const arg of o.extraArgs ?? []) {
    const flag = normalizeFlag(arg).split('=')[0];
    const owner = MANAGED_FLAGS[flag];
    p.check(owner === undefined, { field: 'extraArgs', message: `must not repeat ${flag}, which gpuplane renders from '${owner}'`, value: arg, fix: `remove it and set '${owner}' instead` });
  }
  const env = o.env ?? {};
  for (const key of HF_TOKEN_ENV_VARS) {
    p.check(!(key in env), { field: `env.${key}`, message: 'must not hold a token literal; it would be written into the rendered YAML', value: '(redacted)', fix: 'put the token in a Secret and set hfTokenSecret' });
  }

  // Replicas and autoscaling.
  const autoscalingInput = o.autoscaling === false ? undefined : { mode: 'hpa' as const, ...(o.autoscaling ?? {}) };
  let autoscaling: Required<AutoscalingOptions> | undefined;
  if (autoscalingInput) {
    autoscaling = {
      mode: autoscalingInput.mode ?? 'hpa',
      minReplicas: autoscalingInput.minReplicas ?? 2,
      maxReplicas: autoscalingInput.maxReplicas ?? 8,
      targetRequestsWaiting: autoscalingInput.targetRequestsWaiting ?? 5,
      prometheusServerAddress: autoscalingInput.prometheusServerAddress ?? 'http://prometheus-operated.monitoring.svc:9090',
    };
    p.check(autoscaling.mode === 'hpa' || autoscaling.mode === 'keda', { field: 'autoscaling.mode', message: 'must be hpa or keda', value: autoscaling.mode, allowed: "'hpa', 'keda'", fix: "use 'hpa' (with prometheus-adapter) or 'keda'" });
    p.check(positiveInt(autoscaling.minReplicas), { field: 'autoscaling.minReplicas', message: 'must be a positive integer', value: autoscaling.minReplicas, fix: 'use 2 for production' });
    p.check(positiveInt(autoscaling.maxReplicas) && autoscaling.maxReplicas >= autoscaling.minReplicas, {
      field: 'autoscaling.maxReplicas', message: `must be an integer at least minReplicas (${autoscaling.minReplicas})`, value: autoscaling.maxReplicas, fix: `raise it to ${autoscaling.minReplicas} or more, or lower minReplicas`,
    });
    p.check(autoscaling.targetRequestsWaiting > 0, { field: 'autoscaling.targetRequestsWaiting', message: 'must be positive', value: autoscaling.targetRequestsWaiting, fix: 'use 5' });
  }
  const replicas = o.replicas ?? 2;
  p.check(positiveInt(replicas), { field: 'replicas', message: 'must be a positive integer', value: replicas, fix: 'use 2 for production' });
  const minReplicas = autoscaling ? autoscaling.minReplicas : replicas;
  const maxPossibleReplicas = autoscaling ? autoscaling.maxReplicas : replicas;

  // Model cache.
  const cacheIn = o.modelCache ?? {};
  const mode = cacheIn.mode ?? (maxPossibleReplicas > 1 ? 'perReplica' : 'shared');
  const accessMode = cacheIn.accessMode ?? 'ReadWriteOnce';
  p.check(mode === 'shared' || mode === 'perReplica', { field: 'modelCache.mode', message: 'must be shared or perReplica', value: mode, allowed: "'shared', 'perReplica'", fix: "use 'perReplica' for one cache per pod" });
  p.check(!(mode === 'shared' && accessMode === 'ReadWriteOnce' && maxPossibleReplicas > 1), {
    field: 'modelCache.accessMode',
    message: `must not be ReadWriteOnce for a cache shared by up to ${maxPossibleReplicas} replicas; the second pod hangs in ContainerCreating waiting for the volume`,
    value: accessMode, allowed: "'ReadWriteMany' with mode 'shared', or mode 'perReplica'",
    fix: "set modelCache.accessMode to 'ReadWriteMany' on an RWX storage class, or modelCache.mode to 'perReplica'",
  });
  p.check(!(mode === 'perReplica' && cacheIn.existingClaimName), { field: 'modelCache.existingClaimName', message: "only works with mode 'shared'; per-replica volumes are created per pod", value: cacheIn.existingClaimName, fix: "set modelCache.mode to 'shared' or drop existingClaimName" });

  const weightsTotal = model ? weightsGiB(model, quantization) : 0;
  const cacheSize = cacheIn.size ?? `${Math.max(10, Math.ceil(weightsTotal * 2))}Gi`;
  p.check(parseQuantity(cacheSize) !== undefined, { field: 'modelCache.size', message: 'must be a Kubernetes quantity', value: cacheSize, fix: 'use e.g. "40Gi"' });
  if (cacheIn.size !== undefined && parseQuantity(cacheSize) !== undefined) {
    p.check(parseQuantity(cacheSize)! >= weightsTotal * GIB, {
      field: 'modelCache.size', message: `must hold the weights (${weightsTotal.toFixed(1)} GiB)`, value: cacheSize, fix: `use at least ${Math.ceil(weightsTotal * 2)}Gi (twice the weights)`,
    });
  }

  // Startup budget.
  const downloadModel = o.downloadModel ?? true;
  const downloadMiBps = o.downloadMiBps ?? 100;
  p.check(downloadMiBps > 0, { field: 'downloadMiBps', message: 'must be positive', value: downloadMiBps, fix: 'use 100' });
  const enforceEager = o.enforceEager ?? false;
  const estimatedLoadSeconds = estimateLoadSeconds(weightsTotal, { download: downloadModel, downloadMiBps, enforceEager });
  const floor = weightsTotal >= 40 ? 1260 : 600;
  const startupBudgetSeconds = o.startupBudgetSeconds ?? Math.max(floor, Math.ceil((estimatedLoadSeconds * 1.5) / 10) * 10);
  p.check(startupBudgetSeconds >= estimatedLoadSeconds, {
    field: 'startupBudgetSeconds',
    message: `must cover the estimated download and load time of ${estimatedLoadSeconds} s (${weightsTotal.toFixed(1)} GiB of weights${downloadModel ? ` at ${downloadMiBps} MiB/s` : ''}); the kubelet would kill the pod mid-load`,
    value: startupBudgetSeconds, allowed: `>= ${estimatedLoadSeconds}`, fix: `omit it for the derived ${Math.max(floor, Math.ceil((estimatedLoadSeconds * 1.5) / 10) * 10)} s, or pre-load the cache and set downloadModel: false`,
  });

  // Resources.
  const res = o.resources ?? {};
  p.check(res.limits?.cpu === undefined, {
    field: 'resources.limits.cpu', message: 'must not be set; CPU limits throttle tokenization and request handling', value: res.limits?.cpu,
    fix: 'remove it and size resources.requests.cpu instead',
  });
  const shmSize = tp > 1 ? o.shmSize ?? '16Gi' : undefined;
  const shmGiB = shmSize ? (parseQuantity(shmSize) ?? NaN) / GIB : 0;
  if (shmSize) p.check(Number.isFinite(shmGiB) && shmGiB > 0, { field: 'shmSize', message: 'must be a Kubernetes quantity', value: shmSize, fix: 'use e.g. "16Gi"' });
  const hostGiB = model ? hostMemoryGiB(model.parameters) : 24;
  const memoryRequest = res.requests?.memory ?? `${Math.ceil(hostGiB + (Number.isFinite(shmGiB) ? shmGiB : 0))}Gi`;
  const memRequestBytes = parseQuantity(memoryRequest);
  p.check(memRequestBytes !== undefined, { field: 'resources.requests.memory', message: 'must be a Kubernetes quantity', value: memoryRequest, fix: 'use e.g. "48Gi"' });
  const memoryLimit = res.limits?.memory ?? `${Math.ceil(((memRequestBytes ?? 0) * 1.3) / GIB)}Gi`;
  const memLimitBytes = parseQuantity(memoryLimit);
  p.check(memLimitBytes !== undefined && memRequestBytes !== undefined && memLimitBytes >= memRequestBytes, {
    field: 'resources.limits.memory', message: `must be a quantity at least the memory request (${memoryRequest})`, value: memoryLimit, fix: 'omit it for 30% above the request',
  });
  if (shmSize && memRequestBytes !== undefined && res.requests?.memory !== undefined) {
    p.check(memRequestBytes >= (shmGiB + 8) * GIB, {
      field: 'resources.requests.memory', message: `must include the ${shmSize} /dev/shm (memory-backed, charged to the container) plus the process itself`, value: memoryRequest,
      fix: `raise it to at least ${Math.ceil(shmGiB + hostGiB)}Gi`,
    });
  }
  const cpuRequest = res.requests?.cpu ?? String(4 + 2 * (tp - 1));
  p.check(parseQuantity(cpuRequest) !== undefined, { field: 'resources.requests.cpu', message: 'must be a Kubernetes quantity', value: cpuRequest, fix: 'use e.g. "4"' });

  const spareGpus = o.spareGpus ?? 0;
  p.check(Number.isInteger(spareGpus) && spareGpus >= 0, { field: 'spareGpus', message: 'must be a non-negative integer', value: spareGpus, fix: 'use 0 unless the cluster keeps GPUs free for rollouts' });

  const monitoring: Required<MonitoringOptions> = {
    enabled: o.monitoring?.enabled ?? true,
    labels: o.monitoring?.labels ?? {},
    interval: o.monitoring?.interval ?? '15s',
    ttftObjectiveSeconds: o.monitoring?.ttftObjectiveSeconds ?? 2,
    requestsWaitingThreshold: o.monitoring?.requestsWaitingThreshold ?? 10,
  };
  p.check(/^\d+(ms|s|m|h)$/.test(monitoring.interval), { field: 'monitoring.interval', message: 'must be a Prometheus duration', value: monitoring.interval, fix: 'use e.g. "15s"' });
  p.check(monitoring.ttftObjectiveSeconds > 0, { field: 'monitoring.ttftObjectiveSeconds', message: 'must be positive', value: monitoring.ttftObjectiveSeconds, fix: 'use 2' });

  const networkPolicy = {
    enabled: o.networkPolicy?.enabled ?? true,
    metricsScraperNamespace: o.networkPolicy?.metricsScraperNamespace ?? 'monitoring',
    allowedNamespaces: o.networkPolicy?.allowedNamespaces,
    allowedPodLabels: o.networkPolicy?.allowedPodLabels,
  };
  for (const ns of [...(networkPolicy.allowedNamespaces ?? []), networkPolicy.metricsScraperNamespace]) {
    p.check(isDns1123Label(ns), { field: 'networkPolicy.allowedNamespaces', message: 'must hold namespace names', value: ns, fix: 'use DNS-1123 labels' });
  }

  let istio: Required<IstioOptions> | undefined;
  if (o.istio) {
    istio = { mode: o.istio.mode, timeout: o.istio.timeout ?? '300s' };
    p.check(istio.mode === 'bypass' || istio.mode === 'tuned', { field: 'istio.mode', message: 'must be bypass or tuned', value: istio.mode, allowed: "'bypass', 'tuned'", fix: "use 'bypass' to keep the sidecar off GPU pods" });
    p.check(/^\d+(ms|s|m|h)$/.test(istio.timeout), { field: 'istio.timeout', message: 'must be a duration', value: istio.timeout, fix: 'use e.g. "300s"' });
  }

  const hfTokenSecret = o.hfTokenSecret === false ? undefined : { name: o.hfTokenSecret?.name ?? 'hf-token', key: o.hfTokenSecret?.key ?? 'token' };
  const terminationGracePeriodSeconds = o.terminationGracePeriodSeconds ?? 60;
  p.check(Number.isInteger(terminationGracePeriodSeconds) && terminationGracePeriodSeconds > 15, { field: 'terminationGracePeriodSeconds', message: 'must be an integer above the 15 s preStop sleep', value: terminationGracePeriodSeconds, fix: 'use 60' });
  if (o.createNamespace !== true && o.namespaceGpuQuota !== undefined) {
    p.add({ field: 'namespaceGpuQuota', message: 'only applies with createNamespace: true (gpuplane does not own an existing namespace)', value: o.namespaceGpuQuota, fix: 'set createNamespace: true or drop the quota' });
  }
  if (o.namespaceGpuQuota !== undefined) {
    p.check(positiveInt(o.namespaceGpuQuota) && o.namespaceGpuQuota >= tp * minReplicas, {
      field: 'namespaceGpuQuota', message: `must be an integer of at least the GPUs the minimum replicas need (${tp * minReplicas})`, value: o.namespaceGpuQuota, fix: `raise it to ${tp * maxPossibleReplicas} to allow full scale-out`,
    });
  }

  p.throwIfAny(subject);
  // From here on, model, gpu and version are defined (a missing one is a problem above).
  const memory = estimateVllmMemory({
    model: model!, gpu: gpu!, tensorParallelSize: tp, gpuMemoryUtilization: util, maxModelLen, maxNumSeqs,
    kvCacheDtype, quantization, vllmVersion: versionString, enforceEager,
  });
  if (!memory.fits) {
    for (const sentence of memory.problems) {
      p.add({ field: 'model', message: `does not fit: ${sentence}`, value: `${model!.id} on ${gpu!.id}, tensorParallelSize ${tp}, maxModelLen ${maxModelLen}` });
    }
    p.throwIfAny(subject);
  }

  return {
    name: o.name,
    namespace,
    createNamespace: o.createNamespace ?? false,
    namespaceGpuQuota: o.namespaceGpuQuota,
    model: model!,
    servedModelName: o.servedModelName ?? model!.huggingFaceId,
    gpu: gpu!,
    gpusPerNode,
    placement,
    gpuResourceName: placement?.resourceName ?? 'nvidia.com/gpu',
    nodeSelector: placement?.nodeSelector,
    tolerations: placement?.tolerations ?? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    sharedGpu,
    tensorParallelSize: tp,
    gpuMemoryUtilization: util,
    maxModelLen,
    maxNumSeqs,
    enforceEager,
    kvCacheDtype,
    quantization,
    vllmVersion: versionString,
    version: version!,
    image,
    extraArgs: o.extraArgs ?? [],
    env,
    hfTokenSecret,
    downloadModel,
    modelCache: { mode, accessMode, size: cacheSize, storageClassName: cacheIn.storageClassName, existingClaimName: cacheIn.existingClaimName },
    replicas,
    autoscaling,
    maxPossibleReplicas,
    minReplicas,
    spareGpus,
    startupBudgetSeconds,
    estimatedLoadSeconds,
    shmSize,
    cpuRequest,
    memoryRequest,
    memoryLimit,
    terminationGracePeriodSeconds,
    revisionHistoryLimit: o.revisionHistoryLimit ?? 3,
    monitoring,
    networkPolicy,
    istio,
    labels: o.labels ?? {},
    memory,
  };
}

