import { Problem, ProblemCollector } from '../errors';
import { GpuSpec, lookupGpu } from '../catalog/gpus';
import { lookupModel, ModelSpec, Quantization, QUANTIZATIONS } from '../catalog/models';
import { isPinnedImage, parseQuantity } from '../kube';
import { durationSeconds } from '../options/formats';
import { checkOptions } from '../options/schema';
import { GPU_MEMORY_UTILIZATION_REASON, HF_TOKEN_ENV_VARS, MAX_GPU_MEMORY_UTILIZATION, UNPINNED_IMAGE_REASON } from '../validate/production';
import { estimateVllmMemory, VllmMemoryInput, weightsGiB } from './estimator';
import { leaderSelector, multiNodeFix, multiNodeNamespaceLabels, resolveMultiNode } from './multinode';
import { parseVllmArgs, TWO_BYTE_DTYPES, VLLM_FLAG_RULES } from './flags';
import type { AutoscalingOptions, CustomModel, MonitoringOptions, ResolvedVllmService, VllmServiceOptions } from './options';
import { resolveDelivery } from './delivery';
import { VLLM_SERVICE_OPTIONS } from './options-schema';
import { VLLM_ENGINE } from '../serving/engine';
import { resolveScaleToZero } from '../serving/scale-to-zero';
import { loraFitProblem, resolveLora } from './lora';
import { HF_HOME } from './workload';
import { GPU_MEMORY_UTILIZATION_DEFAULTS, sharedUtilization } from './utilization';
import { DEFAULT_VLLM_VERSION, parseVllmVersion } from './version';
import { checkDraOptions } from './dra';
import { checkQueueFit } from '../kueue/service';

/** The problem of an image that is not pinned to a release tag or a digest (undefined when it is pinned). */
export function imagePinProblem(image: string): Problem | undefined {
  if (isPinnedImage(image)) return undefined;
  return {
    field: 'image', message: `must be pinned to a release tag or digest; ${UNPINNED_IMAGE_REASON}`, value: image,
    allowed: 'e.g. "vllm/vllm-openai:v0.26.0" or an @sha256 digest', fix: 'pin the tag that matches vllmVersion',
  };
}

/** Flags gpuplane renders itself (flag -> the typed option); passing them through extraArgs is refused. */
export const MANAGED_FLAGS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(VLLM_FLAG_RULES).filter(([, r]) => r.kind === 'managed').map(([flag, r]) => [flag, r.prop!]),
);

/**
 * Environment variables gpuplane sets or that would undo what it renders: each is refused in `env`, with the option
 * that owns it. Kubernetes keeps the last of two entries with one name, so a duplicate silently wins.
 */
export const MANAGED_ENV: Readonly<Record<string, string>> = {
  HF_HOME: "the model cache volume is mounted at HF_HOME; another path leaves the cache unused and downloads on every start. Size or replace the cache with 'modelCache'",
  HF_HUB_CACHE: "it moves the hub cache off the model cache volume, so every start downloads again. Use 'modelCache'",
  HUGGINGFACE_HUB_CACHE: "it moves the hub cache off the model cache volume, so every start downloads again. Use 'modelCache'",
  TRANSFORMERS_CACHE: "it moves the cache off the model cache volume, so every start downloads again. Use 'modelCache'",
  HF_HUB_OFFLINE: "gpuplane sets it from 'downloadModel' (false renders HF_HUB_OFFLINE=1 and closes the hub egress)",
  CUDA_VISIBLE_DEVICES: 'the device plugin chooses the GPUs a pod sees; overriding it points vLLM at GPUs the pod was not given',
  NVIDIA_VISIBLE_DEVICES: 'the device plugin chooses the GPUs a pod sees; overriding it points vLLM at GPUs the pod was not given',
  VLLM_ALLOW_RUNTIME_LORA_UPDATING: "gpuplane sets it from 'lora.runtimeLoading', which also warns about what it opens",
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

/**
 * The least host memory the articles' table allows for a model (8B 16Gi, 13B 24Gi, 70B 48Gi: the bottom of each
 * range): vLLM stages the weights through host memory while loading, and a limit below this is OOMKilled on start.
 */
export function minHostMemoryGiB(parameters: number): number {
  if (parameters <= 9e9) return 16;
  if (parameters <= 15e9) return 24;
  if (parameters <= 40e9) return 32;
  if (parameters <= 80e9) return 48;
  return Math.ceil((48 * parameters) / 70e9);
}

/** Namespaces Kubernetes owns: gpuplane must never render (and so own, and delete) them. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Label keys gpuplane sets on every object; user labels must not replace them (selectors depend on them). */
const MANAGED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/version'];

type Part<K extends keyof ResolvedVllmService> = Pick<ResolvedVllmService, K>;

function resolveModelInput(model: string | CustomModel, p: ProblemCollector): ModelSpec | undefined {
  if (typeof model === 'string') return lookupModel(model, 'model', p);
  return { id: model.huggingFaceId, huggingFaceId: model.huggingFaceId, ...model.architecture, quantization: model.quantization ?? 'none' };
}

/** Model, GPU, placement and tensor parallelism: what the fit check runs on. */
function resolveShape(o: VllmServiceOptions, p: ProblemCollector): Part<'placement' | 'gpusPerNode' | 'tensorParallelSize' | 'sharedGpu' | 'gpuResourceName' | 'nodeSelector' | 'tolerations'> & { model?: ModelSpec; gpu?: GpuSpec } {
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
    // MPS: the device plugin pins each client's device memory to its share (total / replicas). Whether CUDA then
    // reports the share or the whole device as total is not settled upstream, so the fit check takes the share as the
    // device and the utilization stays a share of it as well (see resolveUtilization): safe under either reading.
    // The limit is whole MiB (k8s-device-plugin v0.20.0 cmd/mps-control-daemon/mps/daemon.go: total/replicas/1024/1024),
    // so the share is floored to MiB first, then to 0.01 GiB: never above what the plugin pins.
    const memoryGiB = placement.sharing === 'mps' ? Math.floor((Math.floor((placement.memoryGiB * 1024) / placement.podsPerUnit) / 1024) * 100) / 100 : placement.memoryGiB;
    gpu = { ...placement.gpu, id: placement.profile ? `${placement.gpu.id} MIG ${placement.profile}` : placement.gpu.id, memoryGiB };
  } else if (o.gpu === undefined) {
    p.add({ field: 'gpu', message: 'is required without a placement', value: undefined, fix: "set gpu (e.g. 'H100-80GB') or placement (pool.slice(...))" });
  } else {
    gpu = lookupGpu(o.gpu, 'gpu', p);
  }

  const tp = o.tensorParallelSize ?? 1;
  const gpusPerNode = o.gpusPerNode ?? placement?.gpusPerNode ?? 8;
  if (placement && o.gpusPerNode !== undefined && o.gpusPerNode !== placement.gpusPerNode) {
    p.add({ field: 'gpusPerNode', message: `contradicts pool '${placement.poolName}', whose nodes have ${placement.gpusPerNode} GPUs`, value: o.gpusPerNode, fix: 'drop gpusPerNode; the placement decides it' });
  }
  // TP above the GPUs of one node is the multi-node layout's to accept or refuse (resolveMultiNode).
  if (model?.attentionHeads !== undefined) {
    const heads = model.attentionHeads;
    const divisors = Array.from({ length: Math.min(heads, gpusPerNode) }, (_, i) => i + 1).filter((d) => heads % d === 0);
    p.check(heads % tp === 0, { field: 'tensorParallelSize', message: `must divide the model's ${heads} attention heads`, value: tp, allowed: divisors.join(', '), fix: 'pick one of the allowed values' });
  }
  const sharedGpu = placement ? placement.shared : o.sharedGpu ?? false;
  if (placement && placement.shared) {
    p.check(tp === 1, {
      field: 'tensorParallelSize', message: `must be 1 on a ${placement.profile ? `MIG instance (${placement.profile})` : 'shared GPU'}; a pod gets one unit and cannot span units`, value: tp,
      fix: 'use a larger profile or a pool of whole GPUs for tensor parallelism',
    });
  }
  return {
    model, gpu, placement, gpusPerNode, tensorParallelSize: tp, sharedGpu,
    gpuResourceName: placement?.resourceName ?? 'nvidia.com/gpu',
    nodeSelector: placement?.nodeSelector,
    tolerations: placement?.tolerations ?? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  };
}

/**
 * `--gpu-memory-utilization`. vLLM takes it as a fraction of the whole device and refuses to start when less is free,
 * so pods sharing one GPU (time-slicing or MPS) each get their share: the default is the whole-GPU value split over
 * the pods, and a given value must keep the sum of the shares within the cap.
 */
function resolveUtilization(o: VllmServiceOptions, shape: ReturnType<typeof resolveShape>, p: ProblemCollector): number {
  const pods = shape.placement?.podsPerUnit ?? 1;
  const defaults = GPU_MEMORY_UTILIZATION_DEFAULTS;
  const util = o.gpuMemoryUtilization ?? (pods > 1 ? sharedUtilization(pods) : shape.sharedGpu ? defaults.migInstance : defaults.wholeGpu);
  if (!p.check(util > 0 && util <= MAX_GPU_MEMORY_UTILIZATION, {
    field: 'gpuMemoryUtilization', message: `must be in (0, ${MAX_GPU_MEMORY_UTILIZATION}]; ${GPU_MEMORY_UTILIZATION_REASON}`, value: util,
    allowed: `(0, ${MAX_GPU_MEMORY_UTILIZATION}]`, fix: 'use 0.85 on whole GPUs, 0.75 on shared ones',
  })) return util;
  if (pods > 1) {
    const sharing = shape.placement?.sharing === 'mps' ? 'MPS' : 'time-slicing';
    p.check(util * pods <= MAX_GPU_MEMORY_UTILIZATION + 1e-9, {
      field: 'gpuMemoryUtilization',
      message: `must leave room for the ${pods} pods that ${sharing} puts on one ${shape.placement?.profile ? 'MIG instance' : 'GPU'} of pool '${shape.placement?.poolName}': vLLM reserves this fraction of the whole device and the next pod refuses to start (${pods} x ${util} = ${Math.round(util * pods * 100) / 100} of it)`,
      value: util, allowed: `(0, ${Math.floor((MAX_GPU_MEMORY_UTILIZATION / pods) * 100) / 100}]`,
      fix: `omit it for ${sharedUtilization(pods)}, lower the pool's replicas, or use MIG for isolated shares`,
    });
  }
  return util;
}

/** vLLM arguments from the typed options, and what `extraArgs` and `env` may add. */
function resolveEngine(o: VllmServiceOptions, model: ModelSpec | undefined, p: ProblemCollector): Part<'maxModelLen' | 'maxNumSeqs' | 'maxNumBatchedTokens' | 'blockSize' | 'quantization' | 'kvCacheDtype' | 'enforceEager' | 'extraArgs' | 'env'> {
  const maxModelLen = o.maxModelLen ?? (model?.maxPositionEmbeddings !== undefined ? Math.min(model.maxPositionEmbeddings, 8192) : 8192);
  if (model?.maxPositionEmbeddings !== undefined) {
    p.check(maxModelLen <= model.maxPositionEmbeddings, {
      field: 'maxModelLen', message: `must not exceed the model's maximum context of ${model.maxPositionEmbeddings} tokens`, value: maxModelLen,
      allowed: `1..${model.maxPositionEmbeddings}`, fix: `lower it to ${model.maxPositionEmbeddings} or less`,
    });
  }
  const quantization: Quantization = o.quantization ?? model?.quantization ?? 'none';
  p.check(QUANTIZATIONS.includes(quantization), { field: 'quantization', message: 'is not a quantization gpuplane can size', value: quantization, allowed: QUANTIZATIONS.join(', '), fix: 'pick one of them' });
  if (o.quantization !== undefined && model && o.quantization !== (model.quantization ?? 'none') && o.quantization !== 'fp8') {
    p.add({
      field: 'quantization', message: `'${o.quantization}' needs a checkpoint quantized that way, and ${model.id} is '${model.quantization ?? 'none'}'`, value: o.quantization,
      allowed: "'fp8' (vLLM quantizes on load), or the checkpoint's own", fix: 'pick a pre-quantized model (e.g. llama-3.1-70b-awq) or use fp8',
    });
  }
  const extraArgs = o.extraArgs ?? [];
  checkExtraArgs(extraArgs, p);
  const env = o.env ?? {};
  for (const key of HF_TOKEN_ENV_VARS) {
    p.check(!(key in env), { field: `env.${key}`, message: 'must not hold a token literal; it would be written into the rendered YAML', value: '(redacted)', fix: 'put the token in a Secret and set hfTokenSecret' });
  }
  for (const [key, why] of Object.entries(MANAGED_ENV)) {
    p.check(!(key in env), { field: `env.${key}`, message: `must not be set: ${why}`, value: env[key], fix: 'remove it' });
  }
  return {
    maxModelLen, maxNumSeqs: o.maxNumSeqs ?? 256, maxNumBatchedTokens: o.maxNumBatchedTokens, blockSize: o.blockSize,
    quantization, kvCacheDtype: o.kvCacheDtype ?? 'auto', enforceEager: o.enforceEager ?? false, extraArgs, env,
  };
}

/** Flags in `extraArgs` that gpuplane renders, or that change memory or GPU shape, are refused with the option to use. */
function checkExtraArgs(extraArgs: readonly string[], p: ProblemCollector): void {
  const parsed = parseVllmArgs(extraArgs);
  for (const word of parsed.malformed) {
    p.add({ field: 'extraArgs', message: 'must list a flag and its value as separate items; vLLM receives one argument with a space in it and refuses it', value: word, fix: `write ${JSON.stringify(word.trim().split(/\s+/))}` });
  }
  for (const flag of parsed.flags) {
    const rule = VLLM_FLAG_RULES[flag.name];
    if (rule?.kind === 'managed') {
      p.add({ field: 'extraArgs', message: `must not repeat ${flag.name}, which gpuplane renders from '${rule.prop}'`, value: flag.raw, fix: `remove it and set '${rule.prop}' instead` });
    } else if (rule?.kind === 'refused') {
      p.add({
        field: 'extraArgs', message: `must not pass ${flag.name}: ${rule.reason}`, value: flag.raw,
        fix: rule.prop ? `remove it and use '${rule.prop}'` : 'remove it; gpuplane cannot check a server that uses it',
      });
    } else if (flag.name === '--dtype' && flag.value !== undefined && !TWO_BYTE_DTYPES.includes(flag.value)) {
      p.add({ field: 'extraArgs', message: `must not pass --dtype ${flag.value}: the fit check sizes the 2-byte weights of the checkpoint`, value: flag.raw, allowed: TWO_BYTE_DTYPES.join(', '), fix: "quantize through 'quantization' instead" });
    }
  }
}

/** Replicas and queue-depth autoscaling. */
function resolveScaling(o: VllmServiceOptions, p: ProblemCollector): Part<'replicas' | 'autoscaling' | 'minReplicas' | 'maxPossibleReplicas'> {
  let autoscaling: Required<AutoscalingOptions> | undefined;
  if (o.autoscaling !== false) {
    const a = o.autoscaling ?? {};
    autoscaling = {
      mode: a.mode ?? 'hpa',
      minReplicas: a.minReplicas ?? 2,
      maxReplicas: a.maxReplicas ?? 8,
      targetRequestsWaiting: a.targetRequestsWaiting ?? 5,
      prometheusServerAddress: a.prometheusServerAddress ?? 'http://prometheus-operated.monitoring.svc:9090',
      cooldownSeconds: a.cooldownSeconds ?? 600, // derived from the startup budget in resolveScaleToZero
    };
    p.check(autoscaling.maxReplicas >= autoscaling.minReplicas, {
      field: 'autoscaling.maxReplicas', message: `must be an integer at least minReplicas (${autoscaling.minReplicas})`, value: autoscaling.maxReplicas, fix: `raise it to ${autoscaling.minReplicas} or more, or lower minReplicas`,
    });
  }
  p.check(!(autoscaling && o.replicas !== undefined), {
    field: 'replicas', message: 'does nothing while autoscaling is on (the autoscaler owns the replica count)', value: o.replicas,
    fix: 'set autoscaling.minReplicas and maxReplicas, or autoscaling: false with replicas',
  });
  const replicas = o.replicas ?? 2;
  return { replicas, autoscaling, minReplicas: autoscaling ? autoscaling.minReplicas : replicas, maxPossibleReplicas: autoscaling ? autoscaling.maxReplicas : replicas };
}

/** CPU, host memory and /dev/shm. */
function resolveResources(o: VllmServiceOptions, model: ModelSpec | undefined, tp: number, nodes: number, p: ProblemCollector): Part<'shmSize' | 'cpuRequest' | 'memoryRequest' | 'memoryLimit'> {
  const res = o.resources ?? {};
  p.check(res.limits?.cpu === undefined, {
    field: 'resources.limits.cpu', message: 'must not be set; CPU limits throttle tokenization and request handling', value: res.limits?.cpu,
    fix: 'remove it and size resources.requests.cpu instead',
  });
  const ranks = tp * nodes;
  p.check(!(ranks === 1 && o.shmSize !== undefined), { field: 'shmSize', message: 'does nothing at tensorParallelSize 1 (/dev/shm is mounted for NCCL between ranks only)', value: o.shmSize, fix: 'drop shmSize' });
  const shmSize = ranks > 1 ? o.shmSize ?? '16Gi' : undefined;
  const shmGiB = shmSize ? parseQuantity(shmSize)! / GIB : 0;
  if (shmSize) {
    p.check(shmGiB >= 1, { field: 'shmSize', message: 'must be at least 1Gi: NCCL and vLLM\'s custom all-reduce keep their buffers between ranks in /dev/shm', value: shmSize, fix: 'omit it for 16Gi' });
  }
  // Each node of a group stages only its pipeline stage's share of the weights.
  const hostGiB = model ? hostMemoryGiB(model.parameters / nodes) : 24;
  const memoryRequest = res.requests?.memory ?? `${Math.ceil(hostGiB + shmGiB)}Gi`;
  const memRequestBytes = parseQuantity(memoryRequest)!;
  const memoryLimit = res.limits?.memory ?? `${Math.ceil((memRequestBytes * 1.3) / GIB)}Gi`;
  p.check(parseQuantity(memoryLimit)! >= memRequestBytes, {
    field: 'resources.limits.memory', message: `must be a quantity at least the memory request (${memoryRequest})`, value: memoryLimit, fix: 'omit it for 30% above the request',
  });
  if (model && (res.limits?.memory !== undefined || res.requests?.memory !== undefined)) {
    const min = minHostMemoryGiB(model.parameters / nodes);
    const field = res.limits?.memory !== undefined ? 'resources.limits.memory' : 'resources.requests.memory';
    p.check(parseQuantity(memoryLimit)! >= min * GIB, {
      field, message: `must allow at least ${min}Gi of host memory for ${model.id}: vLLM stages the weights through host memory while loading, and the container is OOMKilled (exit 137) on start below that`,
      value: field === 'resources.limits.memory' ? memoryLimit : memoryRequest, fix: 'omit resources for the sized defaults, or raise it',
    });
  }
  if (shmSize && res.requests?.memory !== undefined) {
    p.check(memRequestBytes >= (shmGiB + 8) * GIB, {
      field: 'resources.requests.memory', message: `must include the ${shmSize} /dev/shm (memory-backed, charged to the container) plus the process itself`, value: memoryRequest,
      fix: `raise it to at least ${Math.ceil(shmGiB + hostGiB)}Gi`,
    });
  }
  return { shmSize, cpuRequest: res.requests?.cpu ?? String(4 + 2 * (tp - 1)), memoryRequest, memoryLimit };
}

/** Monitoring, network policy and Istio. `false` switches a feature off; `enabled: false` still works. */
function resolveSurroundings(o: VllmServiceOptions, p: ProblemCollector, warnings: string[]): Part<'monitoring' | 'networkPolicy' | 'istio'> {
  const m = o.monitoring === false ? { enabled: false } : o.monitoring ?? {};
  const monitoring: Required<MonitoringOptions> = {
    enabled: m.enabled ?? true,
    labels: m.labels ?? {},
    interval: m.interval ?? '15s',
    ttftObjectiveSeconds: m.ttftObjectiveSeconds ?? 2,
    interTokenLatencyObjectiveSeconds: m.interTokenLatencyObjectiveSeconds ?? 0.1,
    requestsWaitingThreshold: m.requestsWaitingThreshold ?? 10,
  };
  const n = o.networkPolicy === false ? { enabled: false } : o.networkPolicy ?? {};
  const networkPolicy = { enabled: n.enabled ?? true, metricsScraperNamespace: n.metricsScraperNamespace ?? 'monitoring', allowedNamespaces: n.allowedNamespaces, allowedPodLabels: n.allowedPodLabels };
  for (const [field, value] of [['monitoring', o.monitoring], ['networkPolicy', o.networkPolicy]] as const) {
    if (value && typeof value === 'object' && value.enabled === false) warnings.push(`'${field}.enabled: false' is the old spelling; write '${field}: false'.`);
  }
  p.check(!(networkPolicy.enabled === false && (n.allowedNamespaces || n.allowedPodLabels)), {
    field: 'networkPolicy', message: 'lists allowed callers but is switched off, so nothing restricts callers', value: o.networkPolicy, fix: 'drop enabled: false, or the allowed callers',
  });
  p.check(n.allowedNamespaces === undefined || n.allowedNamespaces.length > 0, {
    field: 'networkPolicy.allowedNamespaces', message: 'must not be empty: an ingress rule with no sources admits every caller', value: n.allowedNamespaces,
    fix: "list the namespaces allowed to call, or omit it for the service's own namespace",
  });
  const istio = o.istio ? { mode: o.istio.mode, timeout: o.istio.timeout ?? '300s' } : undefined;
  if (istio?.mode === 'tuned' && (durationSeconds(istio.timeout) ?? 300) < 60) {
    warnings.push(`'istio.timeout' ${istio.timeout} cuts long generations: a streamed answer of a few thousand tokens takes minutes. Use 300s unless every request is short.`);
  }
  return { monitoring, networkPolicy, istio };
}

/** Resolves every default once and checks every option invariant; throws all problems together. */
export function resolveVllmService(o: VllmServiceOptions): ResolvedVllmService {
  const subject = `VllmService '${typeof (o as { name?: unknown })?.name === 'string' ? o.name : '?'}'`;
  checkOptions(subject, VLLM_SERVICE_OPTIONS, o);
  const p = new ProblemCollector();
  const warnings: string[] = [];

  const versionString = o.vllmVersion ?? DEFAULT_VLLM_VERSION;
  const version = parseVllmVersion(versionString)!;
  const image = o.image ?? `vllm/vllm-openai:v${versionString.replace(/^v/, '')}`;
  const unpinned = imagePinProblem(image);
  if (unpinned) p.add(unpinned);

  const shape = resolveShape(o, p);
  const tp = shape.tensorParallelSize;
  const pp = o.pipelineParallelSize ?? 1;
  if (shape.model) p.check(pp <= shape.model.layers, { field: 'pipelineParallelSize', message: `must not exceed the model's ${shape.model.layers} layers (each stage holds at least one)`, value: pp, allowed: `1..${shape.model.layers}`, fix: 'use the number of nodes, e.g. 2' });
  const multiNode = resolveMultiNode({ name: o.name, tensorParallelSize: tp, pipelineParallelSize: pp, gpusPerNode: shape.gpusPerNode, placement: shape.placement, version, versionString, multiNode: o.multiNode, createNamespace: o.createNamespace }, p, warnings);
  // GPUs one pod requests: the whole replica on one node, one node's worth per rank of a group.
  const gpusPerPod = multiNode ? shape.gpusPerNode : tp * pp;
  const podsPerReplica = multiNode?.nodes ?? 1;
  const util = resolveUtilization(o, shape, p);
  const engine = resolveEngine(o, shape.model, p);
  const scaling = resolveScaling(o, p);
  const weightsTotal = shape.model ? weightsGiB(shape.model, engine.quantization) : 0;
  const { modelCache, ...startup } = resolveDelivery(o, {
    name: o.name, servingImage: image, repository: shape.model?.huggingFaceId ?? '', maxPossibleReplicas: scaling.maxPossibleReplicas * podsPerReplica,
    weightsGiB: weightsTotal, parameters: shape.model?.parameters ?? 0, enforceEager: engine.enforceEager, group: multiNode,
  }, p, warnings);
  const resources = resolveResources(o, shape.model, gpusPerPod, podsPerReplica, p);
  const surroundings = resolveSurroundings(o, p, warnings);
  const namespace = o.namespace ?? 'default';
  const autoscaling = resolveScaleToZero({
    subject: `VllmService '${o.name}'`, given: o.autoscaling || undefined, autoscaling: scaling.autoscaling, startupBudgetSeconds: startup.startupBudgetSeconds,
    estimatedLoadSeconds: startup.estimatedLoadSeconds, weightsGiB: weightsTotal, downloadModel: startup.downloadModel,
  }, p, warnings) as ResolvedVllmService['autoscaling'];
  const servedModelName = o.servedModelName ?? shape.model?.huggingFaceId ?? '';
  const lora = resolveLora(o.adapters, o.lora, {
    servedModelName, cacheMount: HF_HOME, egress: startup.downloadModel || !surroundings.networkPolicy.enabled,
  }, p, warnings, `VllmService '${o.name}'`);
  const gpusPerReplica = gpusPerPod * podsPerReplica;

  const hfTokenSecret = o.hfTokenSecret === false ? undefined : { name: o.hfTokenSecret?.name ?? 'hf-token', key: o.hfTokenSecret?.key ?? 'token' };
  const terminationGracePeriodSeconds = o.terminationGracePeriodSeconds ?? 60;
  p.check(terminationGracePeriodSeconds >= 30, {
    field: 'terminationGracePeriodSeconds', message: 'must leave vLLM time to drain after the 15 s preStop sleep and a 5 s margin (at least 10 s of --shutdown-timeout); streams are cut otherwise', value: terminationGracePeriodSeconds,
    allowed: '>= 30', fix: 'use 60 (40 s of drain)',
  });
  checkDraOptions(o, p);
  if (o.queue && shape.gpu) {
    warnings.push(...checkQueueFit(o.queue, {
      name: o.name, namespace: o.namespace ?? 'default', gpuId: shape.gpu.id, gpuResourceName: shape.gpuResourceName, dra: shape.placement?.dra !== undefined,
      gpusPerPod, podsPerReplica, cpuRequest: resources.cpuRequest, memoryRequest: resources.memoryRequest, minReplicas: scaling.minReplicas, maxReplicas: scaling.maxPossibleReplicas,
    }, p));
  }
  if (o.createNamespace !== true && o.namespaceGpuQuota !== undefined) {
    p.add({ field: 'namespaceGpuQuota', message: 'only applies with createNamespace: true (gpuplane does not own an existing namespace)', value: o.namespaceGpuQuota, fix: 'set createNamespace: true or drop the quota' });
  }
  if (o.namespaceGpuQuota !== undefined) {
    p.check(o.namespaceGpuQuota >= gpusPerReplica * scaling.minReplicas, {
      field: 'namespaceGpuQuota', message: `must be an integer of at least the GPUs the minimum replicas need (${gpusPerReplica * scaling.minReplicas})`, value: o.namespaceGpuQuota, fix: `raise it to ${gpusPerReplica * scaling.maxPossibleReplicas} to allow full scale-out`,
    });
  }
  if (o.createNamespace) {
    p.check(!SYSTEM_NAMESPACES.includes(namespace), { field: 'createNamespace', message: `would make gpuplane own the '${namespace}' namespace, which Kubernetes manages (deleting the app would delete it)`, value: true, fix: 'use a namespace of your own, or drop createNamespace' });
  }
  for (const key of Object.keys(o.labels ?? {})) {
    p.check(!MANAGED_LABELS.includes(key), { field: `labels[${JSON.stringify(key)}]`, message: 'is a label gpuplane sets on every object (selectors and the monitoring rely on it)', value: o.labels![key], fix: 'use a label key of your own, e.g. "example.com/team"' });
  }
  if (scaling.minReplicas === 1) {
    warnings.push(
      `VllmService '${o.name}' runs ${scaling.autoscaling ? 'at least ' : ''}one replica: every pod failure, node drain or rollout is an outage, and its PodDisruptionBudget (minAvailable 1) blocks node drains until you scale it up. Run 2 or more for production.`,
    );
  }
  if (shape.placement?.memoryShared) {
    warnings.push(
      `VllmService '${o.name}' runs on ${shape.placement.sharing === 'mps' ? 'MPS' : 'time-sliced'} units of pool '${shape.placement.poolName}' with ${scaling.autoscaling ? 'autoscaling and ' : ''}a PodDisruptionBudget, as production inference: ` +
        `${shape.placement.sharing === 'mps' ? 'MPS limits memory in software and one fatal error kills every client of the GPU' : 'time-slicing isolates neither memory nor faults, and latency depends on the neighbours'}. For SLAs use MIG or whole GPUs.`,
    );
  }

  p.throwIfAny(subject);
  // From here on, model and gpu are defined (a missing one is a problem above).
  const model = shape.model!;
  const gpu = shape.gpu!;
  const memoryInput: VllmMemoryInput = {
    model, gpu, tensorParallelSize: tp, gpuMemoryUtilization: util, maxModelLen: engine.maxModelLen, maxNumSeqs: engine.maxNumSeqs,
    maxNumBatchedTokens: engine.maxNumBatchedTokens, blockSize: engine.blockSize,
    kvCacheDtype: engine.kvCacheDtype, quantization: engine.quantization, vllmVersion: versionString, enforceEager: engine.enforceEager,
    lora: lora ? { maxLoras: lora.maxLoras, maxLoraRank: lora.maxLoraRank } : undefined,
    ...(pp > 1 || multiNode ? { pipelineParallelSize: pp, nodes: podsPerReplica } : {}),
  };
  const memory = estimateVllmMemory(memoryInput);
  for (const w of memory.warnings) warnings.push(`VllmService '${o.name}': ${w}`);
  if (!memory.fits) {
    const share = (shape.placement?.podsPerUnit ?? 1) > 1 ? `, ${gpuShare(util, gpu)} share of ${shape.placement!.podsPerUnit} pods` : '';
    // The estimate is per rank: each GPU holds weights / (TP x PP) and its stage's share of the KV cache.
    const fix = shape.placement?.shared ? undefined : multiNodeFix(memoryInput, model, gpu, shape.gpusPerNode, tp * pp);
    for (const sentence of memory.problems) {
      p.add({
        field: 'model', message: `does not fit: ${sentence}`, value: `${model.id} on ${gpu.id}${share}, tensorParallelSize ${tp}${pp > 1 ? `, pipelineParallelSize ${pp}` : ''}, maxModelLen ${engine.maxModelLen}`,
        fix,
      });
    }
    const loraProblem = loraFitProblem(lora, memory.breakdown.loraGiB, memory.availableKvGiB);
    if (loraProblem) p.add(loraProblem);
    p.throwIfAny(subject);
  }

  return {
    name: o.name, namespace, createNamespace: o.createNamespace ?? false, namespaceGpuQuota: o.namespaceGpuQuota,
    model, servedModelName, gpu,
    gpusPerNode: shape.gpusPerNode, placement: shape.placement, gpuResourceName: shape.gpuResourceName, nodeSelector: shape.nodeSelector,
    tolerations: shape.tolerations, sharedGpu: shape.sharedGpu, tensorParallelSize: tp, pipelineParallelSize: pp, multiNode, gpuMemoryUtilization: util,
    ...engine,
    vllmVersion: versionString, version, image, hfTokenSecret, engine: VLLM_ENGINE, appVersion: versionString.replace(/^v/, ''), gpusPerPod, podsPerReplica, servingPodLabels: multiNode ? leaderSelector() : undefined, namespaceLabels: multiNodeNamespaceLabels(multiNode), ...startup, modelCache, ...scaling, autoscaling,
    maxRequestsPerPod: engine.maxNumSeqs, lora, adapterNames: lora?.adapters.map((a) => a.name) ?? [],
    spareGpus: o.spareGpus ?? 0, ...resources, terminationGracePeriodSeconds, revisionHistoryLimit: o.revisionHistoryLimit ?? 3,
    ...surroundings, labels: o.labels ?? {}, memory, warnings, queue: o.queue,
  };
}

function gpuShare(util: number, gpu: GpuSpec): string {
  return `${Math.round(util * gpu.memoryGiB * 10) / 10} GiB`;
}
