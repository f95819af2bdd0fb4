import { isPinnedImage, KubeObject, objectKey, parseQuantity } from '../kube';
import { podSpecOf, podSpecsOf } from './semantic';
import { flagValue, normalizeFlag, parseVllmArgs } from '../vllm/flags';
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

/** GPU extended resources: whole NVIDIA GPUs, shared (time-sliced) GPUs, MIG slices, AMD GPUs. */
export function isGpuResource(name: string): boolean {
  return /^nvidia\.com\/(gpu(\.shared)?|mig-.+)$/.test(name) || name === 'amd.com/gpu';
}

/** GPUs (or slices) one container asks for: the sum of its GPU limits, else requests. */
function containerGpus(c: Obj): number {
  const res = { ...(c.resources?.requests ?? {}), ...(c.resources?.limits ?? {}) } as Record<string, string | number>;
  return Object.entries(res).filter(([k]) => isGpuResource(k)).reduce((sum, [, q]) => sum + (parseQuantity(String(q)) ?? 0), 0);
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

function checkVllmContainer(at: string, c: Obj, spec: Obj, out: string[]): void {
  const args = parseVllmArgs(wordsOf(c));
  const util = flagValue(args, '--gpu-memory-utilization');
  if (util !== undefined) {
    const u = Number(util);
    if (!(u > 0 && u <= MAX_GPU_MEMORY_UTILIZATION)) {
      out.push(`${at}: --gpu-memory-utilization ${util} is outside (0, ${MAX_GPU_MEMORY_UTILIZATION}]; ${GPU_MEMORY_UTILIZATION_REASON}. Use 0.85 on a whole GPU, 0.75 on a shared one`);
    }
  }
  if (flagValue(args, '--max-model-len') === undefined && flagValue(args, '--config') === undefined) {
    out.push(`${at}: no --max-model-len, so vLLM reserves KV cache for the model's full context and may refuse to start or serve few requests at once. Pass --max-model-len sized to your longest request`);
  }
  const tpFlag = Number(flagValue(args, '--tensor-parallel-size') ?? 1);
  const ppFlag = Number(flagValue(args, '--pipeline-parallel-size') ?? 1);
  if (tpFlag * ppFlag > 1) {
    const ranks = ppFlag > 1 ? `--tensor-parallel-size ${tpFlag} x --pipeline-parallel-size ${ppFlag}` : `--tensor-parallel-size ${tpFlag}`;
    const memoryVolumes = new Set((spec.volumes ?? []).filter((v: Obj) => v.emptyDir?.medium === 'Memory').map((v: Obj) => v.name));
    if (!(c.volumeMounts ?? []).some((m: Obj) => m.mountPath === '/dev/shm' && memoryVolumes.has(m.name))) {
      out.push(`${at}: ${ranks} without /dev/shm from a Memory-backed emptyDir; NCCL between the ranks fails on the container's 64Mi default. Mount an emptyDir { medium: Memory, sizeLimit } at /dev/shm and count it in the memory request`);
    }
  }
  if (!c.startupProbe) {
    out.push(`${at}: no startupProbe; loading the model takes minutes (21 for a 70B) and liveness kills the pod first. Add a startupProbe on /health whose periodSeconds x failureThreshold covers download and load`);
  }
  if (!c.readinessProbe) {
    out.push(`${at}: no readinessProbe; a hung or overloaded server stays behind the Service. Add a readinessProbe on /health (period 5 s, failure 3)`);
  }
  const delay = c.livenessProbe?.initialDelaySeconds;
  if (typeof delay === 'number' && delay >= LIVENESS_DELAY_AS_STARTUP_BUDGET) {
    out.push(`${at}: livenessProbe.initialDelaySeconds ${delay} is a startup budget in the liveness probe; a server that hangs later is detected that much later too. Remove it and give the startupProbe the budget`);
  }
  const sc = c.securityContext ?? {};
  if (sc.privileged === true || sc.allowPrivilegeEscalation === true) {
    out.push(`${at}: securityContext ${sc.privileged === true ? 'privileged: true' : 'allowPrivilegeEscalation: true'}; vLLM needs neither (the device plugin hands it the GPU). Set allowPrivilegeEscalation: false and drop all capabilities`);
  }
}

function checkContainer(at: string, c: Obj, spec: Obj, out: string[]): void {
  for (const e of c.env ?? []) {
    if (HF_TOKEN_ENV_VARS.includes(e.name) && e.value !== undefined) {
      out.push(`${at}: env ${e.name} holds the token in the manifest; anyone who can read the object or its Git history can use it. Use valueFrom.secretKeyRef`);
    }
  }
  if (containerGpus(c) > 0) {
    const cpuLimit = c.resources?.limits?.cpu;
    if (cpuLimit !== undefined) {
      out.push(`${at}: limits.cpu "${cpuLimit}" on a GPU container throttles tokenization and request handling while the GPU waits. Remove limits.cpu and size requests.cpu instead`);
    }
    if (typeof c.image === 'string' && !isPinnedImage(c.image)) {
      out.push(`${at}: image "${c.image}" is not pinned; ${UNPINNED_IMAGE_REASON}, and a GPU node pulls gigabytes to find out. Pin a release tag or an @sha256 digest`);
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

function checkRollout(key: string, obj: Obj, out: string[]): void {
  const ru = obj.spec?.strategy?.rollingUpdate;
  if (obj.spec?.strategy?.type !== 'Recreate' && ru && (ru.maxSurge === 0 || ru.maxSurge === '0%') && (ru.maxUnavailable === 0 || ru.maxUnavailable === '0%')) {
    out.push(`${key}: maxSurge and maxUnavailable are both 0, so the rollout cannot replace any pod. Use maxSurge 0 with maxUnavailable 1 on GPUs`);
  }
  const gpusPerPod = (podSpecOf(obj)?.containers ?? []).reduce((sum: number, c: Obj) => sum + containerGpus(c), 0);
  if (gpusPerPod === 0) return;
  const surge = surgeOf(obj.spec?.strategy);
  if (surge.pods === 0) return;
  const declared = obj.metadata?.annotations?.[SPARE_GPUS_ANNOTATION];
  const spare = declared === undefined ? 0 : Number(declared);
  if (!(Number.isInteger(spare) && spare >= 0)) {
    out.push(`${key}: annotation ${SPARE_GPUS_ANNOTATION} "${declared}" must be a whole number of GPUs`);
    return;
  }
  if (surge.pods * gpusPerPod > spare) {
    out.push(`${key}: maxSurge ${surge.text} needs ${surge.pods * gpusPerPod} free GPU(s) for the surge pod(s) (${gpusPerPod} per pod) but ${spare} are declared spare (annotation ${SPARE_GPUS_ANNOTATION}); with every GPU in use the new pod stays Pending and the rollout never finishes. Use maxSurge 0 with maxUnavailable 1, or declare the spare GPUs the cluster keeps`);
  }
}

/** A container running etcd itself (not etcdctl or a backup script). */
function isEtcdServer(c: Obj): boolean {
  const command: string[] = (c.command ?? []).map(String);
  return command.length > 0 && (command[0] === 'etcd' || command[0].endsWith('/etcd'));
}

function checkEtcdMembers(key: string, obj: Obj, out: string[]): void {
  if (!(podSpecOf(obj)?.containers ?? []).some(isEtcdServer)) return;
  const replicas = obj.spec?.replicas ?? 1;
  if (replicas < 3 || replicas % 2 === 0) {
    const tolerated = Math.floor((replicas - 1) / 2);
    const quorum = Math.floor(replicas / 2) + 1;
    const why = replicas < 3
      ? `tolerate no failure (quorum ${quorum})`
      : `tolerate ${tolerated} failure(s) (quorum ${quorum}), no more than ${replicas - 1} would, and the extra member slows every write`;
    out.push(`${key}: ${replicas} etcd member(s) ${why}. Run 3 members (one failure tolerated) or 5 (two)`);
  }
}

/**
 * An autoscaler of a vLLM workload (HorizontalPodAutoscaler or KEDA ScaledObject) must not scale on CPU or memory:
 * the GPU saturates long before either moves.
 */
function checkAutoscalerSignal(key: string, scaler: Obj, workloads: readonly Obj[], out: string[]): void {
  const ref = scaler.spec?.scaleTargetRef ?? {};
  const kind = ref.kind ?? 'Deployment';
  const target = workloads.find((w) => w.kind === kind && w.metadata?.name === ref.name && w.metadata?.namespace === scaler.metadata?.namespace);
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
    out.push(`${key}: scales a vLLM server on ${signals.join(' and ')}; the GPU saturates while CPU and memory stay flat, so it never scales out in time. Scale on queue depth (vllm:num_requests_waiting) through prometheus-adapter or KEDA`);
  }
}

/**
 * Production rules for GPU inference workloads, the judgement of the articles expressed as checks. They read only
 * the manifests, so they run over objects gpuplane did not render as well:
 * - every container: no Hugging Face token as a literal env value;
 * - GPU containers: no CPU limit, a pinned image;
 * - vLLM servers: `--gpu-memory-utilization` within (0, 0.95], an explicit `--max-model-len`, `/dev/shm` from memory
 *   with tensor parallelism, startup and readiness probes, no startup budget on liveness, no privilege;
 * - GPU Deployments: no surge beyond the spare GPUs declared with `gpuplane.dev/spare-gpus`;
 * - autoscalers (HPA, KEDA ScaledObject) of vLLM workloads: not on CPU or memory;
 * - etcd StatefulSets: an odd number of members, at least 3;
 * - vLLM workloads of more than one pod: the Hugging Face cache not on an emptyDir or ephemeral volume (model-cache.ts).
 */
export function validateProductionRules(objects: readonly KubeObject[]): string[] {
  const out: string[] = [];
  const all = objects as readonly Obj[];
  const workloads = all.filter((o) => podSpecOf(o));
  for (const obj of all) {
    const key = objectKey(obj as KubeObject);
    if (obj.kind === 'HorizontalPodAutoscaler' || obj.kind === 'ScaledObject') checkAutoscalerSignal(key, obj, workloads, out);
    const specs = podSpecsOf(obj);
    if (specs.length === 0) continue;
    for (const { path, spec } of specs) {
      const where = specs.length > 1 ? `${key} ${path}` : key;
      for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) checkContainer(`${where} container ${c.name}`, c, spec, out);
    }
    if (obj.kind === 'Deployment') checkRollout(key, obj, out);
    if (obj.kind === 'StatefulSet') checkEtcdMembers(key, obj, out);
  }
  out.push(...modelCacheFindings(objects, isVllmServer));
  return out;
}
