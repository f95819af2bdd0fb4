import { dnsLabel, goDuration, imageReference, labels, promDuration, quantity, url } from '../options/formats';
import { alt, arr, bool, num, obj, off, oneOf, opt, posInt, record, Schema, str } from '../options/schema';
import { GPU_INPUT, MODEL_ARCHITECTURE, objectName, PLACEMENT, QUANTIZATION } from '../options/shared-schemas';
import type {
  AutoscalingOptions, CustomModel, IstioOptions, ModelCacheOptions, ModelImageOptions, ModelLoaderOptions, MonitoringOptions, NetworkPolicyOptions, ResourceOverrides, VllmServiceOptions,
} from './options';
import { LORA_ADAPTERS, LORA_OPTIONS } from './lora';
import { parseVllmVersion } from './version';
import { KUEUE_QUEUE } from '../kueue/service';
import { MULTI_NODE_OPTIONS } from './multinode-options';

/** Characters a served model name may use: it lands in `--served-model-name`, PromQL label matchers and routes. */
const SERVED_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/;

/** Why a Hugging Face repository id (or a path in the cache) would not load, or undefined. */
function modelIdProblem(s: string): string | undefined {
  if (s.startsWith('/')) return /[\s'"`$\\;&|<>]/.test(s) ? 'must be a path without spaces, quotes or shell syntax' : undefined;
  return /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/.test(s) ? undefined : 'must be a Hugging Face repository id ("org/name") or an absolute path in the model cache';
}

const CUSTOM_MODEL = obj<CustomModel>({
  huggingFaceId: str({ minLength: 1, test: modelIdProblem, fix: 'set the repository vLLM loads, e.g. "org/model"' }),
  architecture: MODEL_ARCHITECTURE,
  quantization: opt(QUANTIZATION),
}, { expected: 'a custom model { huggingFaceId, architecture }' });

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

const resourceQuantities = obj<{ readonly cpu?: string; readonly memory?: string }>({ cpu: opt(quantity('4')), memory: opt(quantity('48Gi')) });

/** A Hugging Face revision: a commit sha, or a tag or branch name (git ref grammar, no shell syntax). */
export function revisionProblem(s: string): string | undefined {
  if (/^[0-9a-f]{40}$/.test(s)) return undefined;
  if (s.length > 255 || !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(s) || s.includes('..') || s.endsWith('/') || s.endsWith('.lock')) {
    return 'must be a commit sha (40 hex digits) or a tag or branch name';
  }
  return undefined;
}

/** A relative directory inside a model image. */
function imagePathProblem(s: string): string | undefined {
  if (s === '') return undefined;
  return /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(s) && !s.split('/').includes('..') ? undefined : 'must be a relative path inside the image (letters, digits, . _ - and /, no "..")';
}

/** `1.35`, `v1.35` or `v1.35.2`. */
export const KUBERNETES_VERSION = /^v?(\d+)\.(\d+)(?:\.\d+)?$/;

const MODEL_LOADER = obj<ModelLoaderOptions>({
  image: opt(imageReference('e.g. "vllm/vllm-openai:v0.26.0"')),
  backoffLimit: opt(num({ integer: true, min: 0, fix: 'use 4' })),
  ttlSecondsAfterFinished: opt(num({ integer: true, min: 0, fix: 'use 86400' })),
});

const MODEL_IMAGE = obj<ModelImageOptions>({
  reference: imageReference('e.g. "registry.example.com/models/llama-3.3-70b@sha256:..."'),
  pullPolicy: opt(oneOf(['IfNotPresent', 'Always', 'Never'])),
  path: opt(str({ expected: 'a path inside the image', test: imagePathProblem, fix: 'e.g. "models/llama-3.3-70b"' })),
});

const MODEL_CACHE = obj<ModelCacheOptions>({
  mode: opt(oneOf(['shared', 'perReplica', 'image'], "use 'perReplica' for one claim per replica")),
  accessMode: opt(oneOf(['ReadWriteOnce', 'ReadWriteMany'])),
  size: opt(quantity('40Gi')),
  storageClassName: opt(objectName('name a StorageClass of the cluster')),
  existingClaimName: opt(objectName('name an existing PersistentVolumeClaim')),
  loader: opt(alt({ boolean: bool(), object: MODEL_LOADER })),
  image: opt(MODEL_IMAGE),
});

const AUTOSCALING = obj<AutoscalingOptions>({
  mode: opt(oneOf(['hpa', 'keda'], "use 'hpa' (with prometheus-adapter) or 'keda'")),
  minReplicas: opt(num({ integer: true, min: 0, fix: "use 2 for production, or 0 with mode 'keda' to scale to zero" })),
  maxReplicas: opt(posInt('e.g. 8')),
  targetRequestsWaiting: opt(num({ gt: 0, fix: 'use 5' })),
  prometheusServerAddress: opt(url('http://prometheus-operated.monitoring.svc:9090')),
  cooldownSeconds: opt(posInt('omit it for the larger of 600 and the startup budget')),
});

const MONITORING = obj<MonitoringOptions>({
  enabled: opt(bool()),
  labels: opt(labels()),
  interval: opt(promDuration('15s')),
  ttftObjectiveSeconds: opt(num({ gt: 0, fix: 'use 2' })),
  interTokenLatencyObjectiveSeconds: opt(num({ gt: 0, fix: 'use 0.1' })),
  requestsWaitingThreshold: opt(num({ min: 0, fix: 'use 10' })),
});

const NETWORK_POLICY = obj<NetworkPolicyOptions>({
  enabled: opt(bool()),
  allowedNamespaces: opt(arr(dnsLabel(63, 'name a namespace'), { unique: true })),
  allowedPodLabels: opt(labels()),
  metricsScraperNamespace: opt(dnsLabel(63, 'name the namespace of Prometheus')),
});

const ISTIO = obj<IstioOptions>({
  mode: oneOf(['bypass', 'tuned'], "use 'bypass' to keep the sidecar off GPU pods"),
  timeout: opt(goDuration('300s', ['ms', 's', 'm', 'h'])),
});

const RESOURCES = obj<ResourceOverrides>({ requests: opt(resourceQuantities), limits: opt(resourceQuantities) });

/** Every VllmService option, checked as strictly at run time as TypeScript checks it at compile time. */
export const VLLM_SERVICE_OPTIONS: Schema<VllmServiceOptions> = obj<VllmServiceOptions>({
  name: dnsLabel(52, 'rename it, e.g. "llama-8b" (object names add suffixes, so at most 52 characters)'),
  namespace: opt(dnsLabel(63)),
  createNamespace: opt(bool()),
  namespaceGpuQuota: opt(posInt('e.g. 8')),
  model: alt({ string: str({ minLength: 1, expected: 'a catalog model id or Hugging Face id' }), object: CUSTOM_MODEL }),
  modelRevision: opt(str({ expected: 'a Hugging Face revision', test: revisionProblem, fix: 'pin the commit sha shown on the model page' })),
  kubernetesVersion: opt(str({ expected: 'a Kubernetes version', test: (s) => (KUBERNETES_VERSION.test(s) ? undefined : 'must be a Kubernetes version such as "1.35" or "v1.35.2"') })),
  servedModelName: opt(str({
    minLength: 1, maxLength: 256, expected: 'a model name',
    test: (s) => (SERVED_NAME.test(s) ? undefined : 'must use letters, digits and . _ : / @ + - only (it is placed in PromQL and routes, where quotes and spaces break)'),
    fix: 'e.g. "llama-3.1-8b"',
  })),
  gpu: opt(GPU_INPUT),
  placement: opt(PLACEMENT),
  gpusPerNode: opt(posInt('set the GPUs on one node, e.g. 8', 16)),
  sharedGpu: opt(bool()),
  tensorParallelSize: opt(posInt('use 1, 2, 4 or 8')),
  pipelineParallelSize: opt(posInt('use the number of nodes, e.g. 2', 64)),
  multiNode: opt(MULTI_NODE_OPTIONS),
  gpuMemoryUtilization: opt(num({ fix: 'use 0.85 on whole GPUs, 0.75 on shared ones' })),
  maxModelLen: opt(posInt('set the longest context your application sends, e.g. 8192')),
  maxNumSeqs: opt(posInt('use 256, or lower it when you see preemptions')),
  maxNumBatchedTokens: opt(posInt('e.g. 8192')),
  blockSize: opt(oneOf([8, 16, 32, 64, 128], 'omit it for 16')),
  enforceEager: opt(bool()),
  kvCacheDtype: opt(oneOf(['auto', 'fp8'], "use 'fp8' to halve the KV cache")),
  quantization: opt(QUANTIZATION),
  vllmVersion: opt(str({ expected: 'a vLLM release', test: (s) => (parseVllmVersion(s) ? undefined : 'must be a vLLM release number'), allowed: 'e.g. "0.26.0"' })),
  image: opt(imageReference('e.g. "vllm/vllm-openai:v0.26.0"')),
  extraArgs: opt(arr(str())),
  env: opt(record(str(), str({ expected: 'an environment variable name', test: (s) => (ENV_NAME.test(s) ? undefined : 'must be an environment variable name') }))),
  hfTokenSecret: opt(alt({ boolean: off(), object: obj<{ readonly name: string; readonly key?: string }>({ name: objectName('name the Secret holding the token'), key: opt(str({ test: (s) => (/^[-._a-zA-Z0-9]+$/.test(s) ? undefined : 'must be a Secret key') })) }) })),
  downloadModel: opt(bool()),
  downloadMiBps: opt(num({ gt: 0, fix: 'use 100' })),
  modelCache: opt(MODEL_CACHE),
  replicas: opt(posInt('use 2 for production')),
  autoscaling: opt(alt({ boolean: off(), object: AUTOSCALING })),
  spareGpus: opt(num({ integer: true, min: 0, fix: 'use 0 unless the cluster keeps GPUs free for rollouts' })),
  startupBudgetSeconds: opt(posInt('omit it for the derived budget')),
  shmSize: opt(quantity('16Gi')),
  resources: opt(RESOURCES),
  terminationGracePeriodSeconds: opt(posInt('use 60')),
  revisionHistoryLimit: opt(num({ integer: true, min: 0, fix: 'use 3' })),
  monitoring: opt(alt({ boolean: off(), object: MONITORING })),
  networkPolicy: opt(alt({ boolean: off(), object: NETWORK_POLICY })),
  istio: opt(ISTIO),
  labels: opt(labels()),
  adapters: opt(LORA_ADAPTERS),
  lora: opt(LORA_OPTIONS),
  queue: opt(KUEUE_QUEUE),
});
