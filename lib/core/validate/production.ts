import { isPinnedImage, KubeObject, objectKey, parseQuantity } from '../kube';
import { podSpecOf, podSpecsOf, scalesWorkload } from './semantic';
import { flagValue, normalizeFlag, parseVllmArgs } from '../vllm/flags';
import { draGpuCounter } from './dra-claims';
import { modelCacheFindings } from './model-cache';

export { normalizeFlag } from '../vllm/flags';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Annotation on a Deployment: GPUs the cluster keeps free for its rollouts. Without it a GPU Deployment must not
 * surge: with every GPU in use the surge pod stays Pending and the rollout never finishes.
 */
export const SPARE_GPUS_ANNOTATION = 'gpuplane.dev/spare-gpus';

/** The GPU cap above which vLLM's own headroom (CUDA graphs, fragmentation, NCCL buffers) turns into OOMs. */
export const MAX_GPU_MEMORY_UTILIZATION = 0.95;

/** Why the cap exists, in the words the option check and the rule both use. */
export const GPU_MEMORY_UTILIZATION_REASON = `above ${MAX_GPU_MEMORY_UTILIZATION} CUDA fragmentation under load turns into OOMs`;

/** Why images are pinned, in the words the option check and the rule both use. */
export const UNPINNED_IMAGE_REASON = 'an unpinned or latest image changes under you on the next pull';

/** A liveness `initialDelaySeconds` this long is a startup budget in the wrong probe. */
const LIVENESS_DELAY_AS_STARTUP_BUDGET = 60;

/** The environment variables huggingface_hub reads a token from. */
export const HF_TOKEN_ENV_VARS: readonly string[] = ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'];

/**
 * The production rules by stable id, with what each asks for in one line. Every check reports under one of these
 * ids (a typo is a compile error), so integrations select and grade rules by id, never by matching message text.
 */
export const PRODUCTION_RULES = {
  'hf-token-literal': 'no Hugging Face token as a literal env value (use a Secret)',
  'gpu-cpu-limit': 'no CPU limit on a GPU container',
  'pinned-image': 'GPU containers run a pinned image (a tag other than latest, or a digest)',
  'gpu-memory-utilization': 'vLLM --gpu-memory-utilization within (0, 0.95]',
  'max-model-len': 'vLLM servers set --max-model-len (or --config)',
  'shm-for-parallelism': 'tensor or pipeline parallel vLLM mounts /dev/shm from a Memory emptyDir',
  'startup-probe': 'vLLM servers have a startupProbe',
  'readiness-probe': 'vLLM servers have a readinessProbe',
  'liveness-delay': 'no startup budget in the liveness probe (initialDelaySeconds < 60)',
  'no-privilege': 'vLLM servers are neither privileged nor allowed privilege escalation',
  'rollout-progress': 'a Deployment rollout can replace pods (not maxSurge 0 and maxUnavailable 0)',
  'gpu-surge': 'GPU Deployments surge no more than their declared spare GPUs',
  'etcd-members': 'etcd runs an odd number of members, at least 3',
  'model-cache-persistent': 'vLLM workloads of more than one pod keep the Hugging Face cache on a PersistentVolumeClaim, not an emptyDir or ephemeral volume',
  'autoscaler-signal': 'autoscalers of vLLM workloads do not scale on CPU or memory',
} as const;

/** The stable id of a production rule (a key of PRODUCTION_RULES). */
export type ProductionRuleId = keyof typeof PRODUCTION_RULES;

/** Rules that need the other objects of the render (an autoscaler and its target). */
export const CROSS_OBJECT_PRODUCTION_RULES: readonly ProductionRuleId[] = ['model-cache-persistent', 'autoscaler-signal'];

/** One production problem: the rule that found it and the whole message (resource, value, allowed, fix). */
export interface ProductionFinding {
  readonly rule: ProductionRuleId;
  readonly message: string;
}

/** GPU extended resources: whole NVIDIA GPUs, shared (time-sliced) GPUs, MIG slices, AMD GPUs. */
export function isGpuResource(name: string): boolean {
  return /^nvidia\.com\/(gpu(\.shared)?|mig-.+)$/.test(name) || name === 'amd.com/gpu';
}

/** GPUs a container gets through Dynamic Resource Allocation claims (see dra-claims.ts). */
type ClaimGpus = (namespace: string | undefined, spec: Obj, c: Obj) => number;

/** GPUs (or slices) one container asks for: the sum of its GPU limits, else requests, plus the GPUs of its DRA claims. */
function containerGpus(c: Obj, spec?: Obj, namespace?: string, claims?: ClaimGpus): number {
  const res = { ...(c.resources?.requests ?? {}), ...(c.resources?.limits ?? {}) } as Record<string, string | number>;
  const counted = Object.entries(res).filter(([k]) => isGpuResource(k)).reduce((sum, [, q]) => sum + (parseQuantity(String(q)) ?? 0), 0);
  return counted + (claims && spec ? claims(namespace, spec, c) : 0);
}

/**
 * Command and args as one list of words. A shell script (`sh -c "vllm serve ..."`) is split into its words, so the
 * rules see the flags it passes.
 */
function wordsOf(c: Obj): string[] {
  const words: string[] = [...(c.command ?? []), ...(c.args ?? [])].map(String);
  const shell = words.length > 1 && /(^|\/)(ba|da|z)?sh$/.test(words[0]) && words.includes('-c');
  return shell ? words.flatMap((w) => w.split(/\s+/).filter(Boolean)) : words;
}

/** The words with long flags normalized (`--max_model_len` is `--max-model-len`). */
function tokensOf(c: Obj): string[] {
  return wordsOf(c).map(normalizeFlag);
}

/**
 * A vLLM OpenAI server container: `vllm serve`, the `vllm.entrypoints.openai.api_server` module, or the official
 * `vllm-openai` image run with its own entrypoint (no command).
 */
export function isVllmServer(c: Obj): boolean {
  const command: string[] = (c.command ?? []).map(String);
  const tokens = tokensOf(c);
  const serve = tokens.indexOf('serve');
  if (serve > 0 && (tokens[serve - 1] === 'vllm' || tokens[serve - 1].endsWith('/vllm'))) return true;
  if (tokens.includes('vllm.entrypoints.openai.api_server')) return true;
  const repo = String(c.image ?? '').split('@')[0].replace(/:[^/]*$/, '');
  return command.length === 0 && /(^|\/)vllm-openai$/.test(repo);
}

function checkVllmContainer(at: string, c: Obj, spec: Obj, out: ProductionFinding[]): void {
  const args = parseVllmArgs(wordsOf(c));
  const util = flagValue(args, '--gpu-memory-utilization');
  if (util !== undefined) {
    const u = Number(util);
    if (!(u > 0 && u <= MAX_GPU_MEMORY_UTILIZATION)) {
      out.push({ rule: 'gpu-memory-utilization', message: `${at}: --gpu-memory-utilization ${util} is outside (0, ${MAX_GPU_MEMORY_UTILIZATION}]; ${GPU_MEMORY_UTILIZATION_REASON}. Use 0.85 on a whole GPU, 0.75 on a shared one` });
    }
  }
  if (flagValue(args, '--max-model-len') === undefined && flagValue(args, '--config') === undefined) {
    out.push({ rule: 'max-model-len', message: `${at}: no --max-model-len, so vLLM reserves KV cache for the model's full context and may refuse to start or serve few requests at once. Pass --max-model-len sized to your longest request` });
  }
  const tpFlag = Number(flagValue(args, '--tensor-parallel-size') ?? 1);
  const ppFlag = Number(flagValue(args, '--pipeline-parallel-size') ?? 1);
  if (tpFlag * ppFlag > 1) {
    const ranks = ppFlag > 1 ? `--tensor-parallel-size ${tpFlag} x --pipeline-parallel-size ${ppFlag}` : `--tensor-parallel-size ${tpFlag}`;
    const memoryVolumes = new Set((spec.volumes ?? []).filter((v: Obj) => v.emptyDir?.medium === 'Memory').map((v: Obj) => v.name));
    if (!(c.volumeMounts ?? []).some((m: Obj) => m.mountPath === '/dev/shm' && memoryVolumes.has(m.name))) {
      out.push({ rule: 'shm-for-parallelism', message: `${at}: ${ranks} without /dev/shm from a Memory-backed emptyDir; NCCL between the ranks fails on the container's 64Mi default. Mount an emptyDir { medium: Memory, sizeLimit } at /dev/shm and count it in the memory request` });
    }
  }
  // `vllm serve --headless` is a worker rank of a multi-node group: no API server to probe; the leader's probes
  // cover the group (a dead rank exits and the LeaderWorkerSet recreates the group).
  if (flagValue(args, '--headless') !== undefined) {
    checkPrivilege(at, c, out);
    return;
  }
  if (!c.startupProbe) {
    out.push({ rule: 'startup-probe', message: `${at}: no startupProbe; loading the model takes minutes (21 for a 70B) and liveness kills the pod first. Add a startupProbe on /health whose periodSeconds x failureThreshold covers download and load` });
  }
  if (!c.readinessProbe) {
    out.push({ rule: 'readiness-probe', message: `${at}: no readinessProbe; a hung or overloaded server stays behind the Service. Add a readinessProbe on /health (period 5 s, failure 3)` });
  }
  const delay = c.livenessProbe?.initialDelaySeconds;
  if (typeof delay === 'number' && delay >= LIVENESS_DELAY_AS_STARTUP_BUDGET) {
    out.push({ rule: 'liveness-delay', message: `${at}: livenessProbe.initialDelaySeconds ${delay} is a startup budget in the liveness probe; a server that hangs later is detected that much later too. Remove it and give the startupProbe the budget` });
  }
  checkPrivilege(at, c, out);
}

function checkPrivilege(at: string, c: Obj, out: ProductionFinding[]): void {
  const sc = c.securityContext ?? {};
  if (sc.privileged === true || sc.allowPrivilegeEscalation === true) {
    out.push({ rule: 'no-privilege', message: `${at}: securityContext ${sc.privileged === true ? 'privileged: true' : 'allowPrivilegeEscalation: true'}; vLLM needs neither (the device plugin hands it the GPU). Set allowPrivilegeEscalation: false and drop all capabilities` });
  }
}

function checkContainer(at: string, c: Obj, spec: Obj, out: ProductionFinding[], namespace?: string, claims?: ClaimGpus): void {
  for (const e of c.env ?? []) {
    if (HF_TOKEN_ENV_VARS.includes(e.name) && e.value !== undefined) {
      out.push({ rule: 'hf-token-literal', message: `${at}: env ${e.name} holds the token in the manifest; anyone who can read the object or its Git history can use it. Use valueFrom.secretKeyRef` });
    }
  }
  if (containerGpus(c, spec, namespace, claims) > 0) {
    const cpuLimit = c.resources?.limits?.cpu;
    if (cpuLimit !== undefined) {
      out.push({ rule: 'gpu-cpu-limit', message: `${at}: limits.cpu "${cpuLimit}" on a GPU container throttles tokenization and request handling while the GPU waits. Remove limits.cpu and size requests.cpu instead` });
    }
    if (typeof c.image === 'string' && !isPinnedImage(c.image)) {
      out.push({ rule: 'pinned-image', message: `${at}: image "${c.image}" is not pinned; ${UNPINNED_IMAGE_REASON}, and a GPU node pulls gigabytes to find out. Pin a release tag or an @sha256 digest` });
    }
  }
  if (isVllmServer(c)) checkVllmContainer(at, c, spec, out);
}

/** Surge pods a Deployment's strategy allows: a count, or a percentage (at least one pod once above 0%). */
function surgeOf(strategy: Obj | undefined): { pods: number; text: string } {
  if (strategy?.type === 'Recreate') return { pods: 0, text: '0' };
  const s = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof s === 'number') return { pods: s, text: String(s) };
  const pct = /^(\d+)%$/.exec(String(s));
  return { pods: pct ? (Number(pct[1]) > 0 ? 1 : 0) : Number(s), text: `"${s}"` };
}

function checkRollout(key: string, obj: Obj, out: ProductionFinding[], claims?: ClaimGpus): void {
  const ru = obj.spec?.strategy?.rollingUpdate;
  if (obj.spec?.strategy?.type !== 'Recreate' && ru && (ru.maxSurge === 0 || ru.maxSurge === '0%') && (ru.maxUnavailable === 0 || ru.maxUnavailable === '0%')) {
    out.push({ rule: 'rollout-progress', message: `${key}: maxSurge and maxUnavailable are both 0, so the rollout cannot replace any pod. Use maxSurge 0 with maxUnavailable 1 on GPUs` });
  }
  const spec = podSpecOf(obj);
  const gpusPerPod = (spec?.containers ?? []).reduce((sum: number, c: Obj) => sum + containerGpus(c, spec, obj.metadata?.namespace, claims), 0);
  if (gpusPerPod === 0) return;
  const surge = surgeOf(obj.spec?.strategy);
  if (surge.pods === 0) return;
  const declared = obj.metadata?.annotations?.[SPARE_GPUS_ANNOTATION];
  const spare = declared === undefined ? 0 : Number(declared);
  if (!(Number.isInteger(spare) && spare >= 0)) {
    out.push({ rule: 'gpu-surge', message: `${key}: annotation ${SPARE_GPUS_ANNOTATION} "${declared}" must be a whole number of GPUs` });
    return;
  }
  if (surge.pods * gpusPerPod > spare) {
    out.push({ rule: 'gpu-surge', message: `${key}: maxSurge ${surge.text} needs ${surge.pods * gpusPerPod} free GPU(s) for the surge pod(s) (${gpusPerPod} per pod) but ${spare} are declared spare (annotation ${SPARE_GPUS_ANNOTATION}); with every GPU in use the new pod stays Pending and the rollout never finishes. Use maxSurge 0 with maxUnavailable 1, or declare the spare GPUs the cluster keeps` });
  }
}

/**
 * A LeaderWorkerSet rolls out whole groups (kubernetes-sigs/lws v0.10.0 `RollingUpdateConfiguration`: maxSurge and
 * maxUnavailable count groups, and the webhook refuses both 0). A surge group needs size x GPUs-per-pod free GPUs.
 */
function checkGroupRollout(key: string, obj: Obj, out: ProductionFinding[]): void {
  const lwt = obj.spec?.leaderWorkerTemplate ?? {};
  const size = Number(lwt.size ?? 1);
  const ru = obj.spec?.rolloutStrategy?.rollingUpdateConfiguration ?? {};
  const surge = ru.maxSurge ?? 0;
  const unavailable = ru.maxUnavailable ?? 1;
  const zero = (v: unknown) => v === 0 || v === '0%';
  if (zero(surge) && zero(unavailable)) {
    out.push({ rule: 'rollout-progress', message: `${key}: rolloutStrategy maxSurge and maxUnavailable are both 0, so no group can be replaced (the LWS webhook refuses it). Use maxSurge 0 with maxUnavailable 1 on GPUs` });
    return;
  }
  const templates = [lwt.leaderTemplate ?? lwt.workerTemplate, lwt.workerTemplate];
  const gpus = (t: Obj | undefined) => (t?.spec?.containers ?? []).reduce((sum: number, c: Obj) => sum + containerGpus(c), 0);
  const groupGpus = gpus(templates[0]) + (size - 1) * gpus(templates[1]);
  if (groupGpus === 0 || zero(surge)) return;
  const surgeGroups = typeof surge === 'number' ? surge : /^(\d+)%$/.test(String(surge)) ? 1 : Number(surge);
  const declared = obj.metadata?.annotations?.[SPARE_GPUS_ANNOTATION];
  const spare = declared === undefined ? 0 : Number(declared);
  if (Number.isInteger(spare) && surgeGroups * groupGpus > spare) {
    out.push({ rule: 'gpu-surge', message: `${key}: rolloutStrategy maxSurge ${JSON.stringify(surge)} needs ${surgeGroups * groupGpus} free GPU(s) for the surge group(s) (${size} pods, ${groupGpus} GPUs per group) but ${spare} are declared spare (annotation ${SPARE_GPUS_ANNOTATION}); the new group stays Pending and the rollout never finishes. Use maxSurge 0 with maxUnavailable 1` });
  }
}

/** A container running etcd itself (not etcdctl or a backup script). */
function isEtcdServer(c: Obj): boolean {
  const command: string[] = (c.command ?? []).map(String);
  return command.length > 0 && (command[0] === 'etcd' || command[0].endsWith('/etcd'));
}

function checkEtcdMembers(key: string, obj: Obj, out: ProductionFinding[]): void {
  if (!(podSpecOf(obj)?.containers ?? []).some(isEtcdServer)) return;
  const replicas = obj.spec?.replicas ?? 1;
  if (replicas < 3 || replicas % 2 === 0) {
    const tolerated = Math.floor((replicas - 1) / 2);
    const quorum = Math.floor(replicas / 2) + 1;
    const why = replicas < 3
      ? `tolerate no failure (quorum ${quorum})`
      : `tolerate ${tolerated} failure(s) (quorum ${quorum}), no more than ${replicas - 1} would, and the extra member slows every write`;
    out.push({ rule: 'etcd-members', message: `${key}: ${replicas} etcd member(s) ${why}. Run 3 members (one failure tolerated) or 5 (two)` });
  }
}

/**
 * An autoscaler of a vLLM workload (HorizontalPodAutoscaler or KEDA ScaledObject) must not scale on CPU or memory:
 * the GPU saturates long before either moves.
 */
function checkAutoscalerSignal(key: string, scaler: Obj, workloads: readonly Obj[], out: ProductionFinding[]): void {
  const target = workloads.find((w) => scalesWorkload(scaler, w));
  if (!target || !podSpecsOf(target).some(({ spec }) => (spec.containers ?? []).some(isVllmServer))) return;
  let signals: string[];
  if (scaler.kind === 'ScaledObject') {
    signals = (scaler.spec?.triggers ?? []).map((t: Obj) => t.type).filter((t: string) => t === 'cpu' || t === 'memory');
  } else {
    const metrics = scaler.spec?.metrics;
    signals = metrics
      ? metrics.filter((m: Obj) => m.type === 'Resource' || m.type === 'ContainerResource').map((m: Obj) => (m.resource ?? m.containerResource)?.name)
      : ['CPU (the default with no metrics)'];
  }
  if (signals.length > 0) {
    out.push({ rule: 'autoscaler-signal', message: `${key}: scales a vLLM server on ${signals.join(' and ')}; the GPU saturates while CPU and memory stay flat, so it never scales out in time. Scale on queue depth (vllm:num_requests_waiting) through prometheus-adapter or KEDA` });
  }
}

/**
 * Production rules for GPU inference workloads, the judgement of the articles expressed as checks. They read only
 * the manifests, so they run over objects gpuplane did not render as well:
 * - every container: no Hugging Face token as a literal env value;
 * - GPU containers (extended resources such as nvidia.com/gpu, or DRA claims on GPU device classes): no CPU limit, a
 *   pinned image;
 * - vLLM servers: `--gpu-memory-utilization` within (0, 0.95], an explicit `--max-model-len`, `/dev/shm` from memory
 *   with tensor parallelism, startup and readiness probes, no startup budget on liveness, no privilege;
 * - GPU Deployments and LeaderWorkerSets: no surge beyond the spare GPUs declared with `gpuplane.dev/spare-gpus`
 *   (whole groups for a LeaderWorkerSet), never maxSurge and maxUnavailable both 0;
 * - headless vLLM ranks (`--headless`) need no probes; the leader's cover the group;
 * - autoscalers (HPA, KEDA ScaledObject) of vLLM workloads: not on CPU or memory;
 * - etcd StatefulSets: an odd number of members, at least 3;
 * - vLLM workloads of more than one pod: the Hugging Face cache not on an emptyDir or ephemeral volume (model-cache.ts).
 * Each finding names its rule (PRODUCTION_RULES).
 */
export function productionFindings(objects: readonly KubeObject[]): ProductionFinding[] {
  const out: ProductionFinding[] = [];
  const all = objects as readonly Obj[];
  const workloads = all.filter((o) => podSpecOf(o));
  const claims = draGpuCounter(all);
  for (const obj of all) {
    const key = objectKey(obj as KubeObject);
    if (obj.kind === 'HorizontalPodAutoscaler' || obj.kind === 'ScaledObject') checkAutoscalerSignal(key, obj, workloads, out);
    const specs = podSpecsOf(obj);
    if (specs.length === 0) continue;
    for (const { path, spec } of specs) {
      const where = specs.length > 1 ? `${key} ${path}` : key;
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) checkContainer(`${where} container ${c.name}`, c, spec, out, obj.metadata?.namespace, claims);
    }
    if (obj.kind === 'Deployment') checkRollout(key, obj, out, claims);
    if (obj.kind === 'LeaderWorkerSet') checkGroupRollout(key, obj, out);
    if (obj.kind === 'StatefulSet') checkEtcdMembers(key, obj, out);
  }
  for (const message of modelCacheFindings(objects, isVllmServer)) out.push({ rule: 'model-cache-persistent', message });
  return out;
}

/** The production rules' messages (see productionFindings for the rule of each). */
export function validateProductionRules(objects: readonly KubeObject[]): string[] {
  return productionFindings(objects).map((f) => f.message);
}
