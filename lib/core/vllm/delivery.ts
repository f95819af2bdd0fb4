import { ProblemCollector } from '../errors';
import { isPinnedImage, parseQuantity } from '../kube';
import { GROUP_FORM_SECONDS, ResolvedMultiNode } from './multinode';
import { chooseWorkloadKind, DeliveryPath, ModelDelivery, ModelImageVolume, ModelLoader, StartupPath, StartupStep } from '../serving/delivery';
import type { ServingSpec } from '../serving/spec';
import type { VllmServiceOptions } from './options';
import { KUBERNETES_VERSION } from './options-schema';

/**
 * How a VllmService's model reaches its pods: the cache mode and workload kind, the loader Job, the image volume,
 * whether the pods run offline, and the startup path the probe budget follows. resolve.ts calls resolveDelivery once.
 */

const GIB = 2 ** 30;

/** Seconds to read one GiB of safetensors into GPU memory from a volume (about 0.5 GiB/s per pod). */
const READ_SECONDS_PER_GIB = 2;
/** torch.compile and CUDA graph capture. */
const COMPILE_SECONDS = 90;
/** Process start, imports, profiling. */
const PROCESS_START_SECONDS = 60;
/** What the loader Job hashes at (sha256 in Python over a network volume), MiB/s. */
const VERIFY_MIBPS = 250;

/**
 * ImageVolume (KEP-4639, kubernetes/enhancements keps/sig-node/4639-oci-volume-source): alpha in 1.31, beta but off
 * by default in 1.33-1.34, beta and on by default in 1.35, GA in 1.36. Below 1.35 the API server drops the field
 * unless the gate was turned on, and the pod starts with no model.
 */
export const IMAGE_VOLUME_MIN_KUBERNETES: readonly [number, number] = [1, 35];

/** Where the model image is mounted. */
export const MODEL_IMAGE_MOUNT = '/models';

/** The loader's completion markers, relative to the cache mount (HF_HOME). */
const MARKER_DIR = 'gpuplane-ready';

export interface DeliveryInputs {
  readonly name: string;
  readonly servingImage: string;
  readonly repository: string;
  readonly maxPossibleReplicas: number;
  readonly weightsGiB: number;
  readonly parameters: number;
  readonly enforceEager: boolean;
  /** The multi-node group a replica spans, when it spans nodes: its startup is the group's. */
  readonly group?: ResolvedMultiNode;
}

export interface ResolvedDelivery {
  readonly modelCache: ServingSpec['modelCache'];
  readonly downloadModel: boolean;
  readonly delivery: ModelDelivery;
  readonly modelRevision?: string;
  readonly kubernetesVersion?: string;
  readonly startupBudgetSeconds: number;
  readonly estimatedLoadSeconds: number;
}

function kubeVersionTuple(v: string): [number, number] | undefined {
  const m = KUBERNETES_VERSION.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function round1(n: number): string {
  return n.toFixed(1);
}

/** The steps from container start to serving, and before it, for a delivery path. */
export function startupPath(path: DeliveryPath, perReplicaClaim: boolean, weightsGiB: number, downloadMiBps: number, enforceEager: boolean): StartupPath {
  const gib = round1(weightsGiB);
  const steps: StartupStep[] = [];
  const before: StartupStep[] = [];
  if (path === 'podDownload') {
    steps.push({ what: `download ${gib} GiB from the hub at ${downloadMiBps} MiB/s${perReplicaClaim ? " (each replica's first start only)" : ''}`, seconds: (weightsGiB * 1024) / downloadMiBps });
  }
  if (path === 'imageVolume') {
    before.push({ what: `pull the ${gib} GiB model image at ${downloadMiBps} MiB/s (before the container starts)`, seconds: (weightsGiB * 1024) / downloadMiBps });
  }
  const from = path === 'imageVolume' ? 'the image volume' : 'the cache volume';
  steps.push({ what: `read ${gib} GiB from ${from} at ${1 / READ_SECONDS_PER_GIB} GiB/s`, seconds: weightsGiB * READ_SECONDS_PER_GIB });
  if (!enforceEager) steps.push({ what: 'compile and capture CUDA graphs', seconds: COMPILE_SECONDS });
  steps.push({ what: 'start the process', seconds: PROCESS_START_SECONDS });
  const seconds = Math.ceil(steps.reduce((s, x) => s + x.seconds, 0));
  const beforeSeconds = Math.ceil(before.reduce((s, x) => s + x.seconds, 0));
  const words = (list: StartupStep[]) => list.map((x) => `${x.what} (${Math.round(x.seconds)} s)`).join(' + ');
  const description = `${words(steps)} = ${seconds} s${before.length ? `; cold start adds ${words(before)} = ${seconds + beforeSeconds} s` : ''}`;
  return { steps, seconds, beforeStart: before, coldStartSeconds: seconds + beforeSeconds, description };
}

/** Seconds to download (when downloading) and load the weights and compile on one pod: the single-pod startup path. */
export function estimateLoadSeconds(weightsGiB: number, opts: { download: boolean; downloadMiBps: number; enforceEager: boolean }): number {
  return startupPath(opts.download ? 'podDownload' : 'prefilledClaim', false, weightsGiB, opts.downloadMiBps, opts.enforceEager).seconds;
}

/**
 * The startup path of a multi-node group, which the leader's startupProbe covers: every rank downloads the whole
 * checkpoint (vLLM fetches every `*.safetensors` file on each node) in parallel, reads only its pipeline stage's share
 * into its GPUs, then the group forms (GROUP_FORM_SECONDS), compiles and captures graphs.
 */
function groupStartupPath(single: StartupPath, group: ResolvedMultiNode, weightsGiB: number, download: boolean, downloadMiBps: number, enforceEager: boolean): StartupPath {
  const seconds = Math.ceil(
    PROCESS_START_SECONDS + (download ? (weightsGiB * 1024) / downloadMiBps : 0) + (weightsGiB / group.nodes) * READ_SECONDS_PER_GIB +
      (enforceEager ? 0 : COMPILE_SECONDS) + GROUP_FORM_SECONDS[group.launch],
  );
  const what = `a group of ${group.nodes} pods (${group.launch === 'ray' ? 'Ray head and workers' : "vLLM's own multi-node launch"}): ${single.steps.map((x) => x.what).join(', ')} on every rank in parallel, each loading its stage, then the group forms`;
  const beforeSeconds = single.coldStartSeconds - single.seconds;
  return {
    steps: [{ what, seconds }], seconds, beforeStart: single.beforeStart, coldStartSeconds: seconds + beforeSeconds,
    description: `${what} = ${seconds} s${single.beforeStart.length ? `; cold start adds ${beforeSeconds} s before the containers start` : ''}`,
  };
}

/** A file name for one repository at one revision (the hub cache's own `models--org--name` spelling). */
export function markerFor(repository: string, revision: string): string {
  return `${MARKER_DIR}/models--${repository.replace(/\//g, '--')}@${revision.replace(/\//g, '--')}.ready`;
}

/** Resolves the model cache, the delivery path, the loader Job, the image volume and the startup budget. */
export function resolveDelivery(o: VllmServiceOptions, x: DeliveryInputs, p: ProblemCollector, warnings: string[]): ResolvedDelivery {
  const cacheIn = o.modelCache ?? {};
  const replicas = x.maxPossibleReplicas;
  const shareable = cacheIn.accessMode === 'ReadWriteMany' || cacheIn.existingClaimName !== undefined;
  const mode = cacheIn.mode ?? (cacheIn.image ? 'image' : replicas > 1 ? (shareable ? 'shared' : 'perReplica') : 'shared');
  const accessMode = cacheIn.accessMode ?? 'ReadWriteOnce';
  const workloadKind = chooseWorkloadKind(mode, x.group !== undefined);

  p.check(!(mode === 'shared' && accessMode === 'ReadWriteOnce' && replicas > 1), {
    field: 'modelCache.accessMode',
    message: `must not be ReadWriteOnce for a cache shared by up to ${replicas} replicas; the second pod hangs in ContainerCreating waiting for the volume`,
    value: accessMode, allowed: "'ReadWriteMany' with mode 'shared', or mode 'perReplica'",
    fix: "set modelCache.accessMode to 'ReadWriteMany' on an RWX storage class, or modelCache.mode to 'perReplica' (one claim per replica)",
  });
  p.check(!(mode === 'perReplica' && cacheIn.existingClaimName), { field: 'modelCache.existingClaimName', message: "only works with mode 'shared'; per-replica claims are created from the StatefulSet's volumeClaimTemplates", value: cacheIn.existingClaimName, fix: "set modelCache.mode to 'shared' or drop existingClaimName" });
  p.check(!(mode === 'perReplica' && cacheIn.accessMode === 'ReadWriteMany'), { field: 'modelCache.accessMode', message: "does nothing with mode 'perReplica' (each replica gets its own ReadWriteOnce claim)", value: cacheIn.accessMode, fix: "drop accessMode, or set mode 'shared' to share one ReadWriteMany cache" });
  p.check(!(mode === 'perReplica' && !x.group && (o.spareGpus ?? 0) > 0), {
    field: 'spareGpus', message: "does nothing with modelCache mode 'perReplica': its StatefulSet replaces one pod at a time and never surges", value: o.spareGpus,
    fix: "drop spareGpus, or use a shared ReadWriteMany cache (a Deployment) to surge into spare GPUs",
  });

  const size = cacheIn.size ?? `${Math.max(10, Math.ceil(x.weightsGiB * 2))}Gi`;
  if (cacheIn.size !== undefined) {
    p.check(parseQuantity(size)! >= x.weightsGiB * GIB, {
      field: 'modelCache.size', message: `must hold the weights (${x.weightsGiB.toFixed(1)} GiB)`, value: size, fix: `use at least ${Math.ceil(x.weightsGiB * 2)}Gi (twice the weights)`,
    });
  }

  // The image volume.
  let image: ModelImageVolume | undefined;
  if (cacheIn.image !== undefined && mode !== 'image') {
    p.add({ field: 'modelCache.image', message: `only works with mode 'image' (mode is '${mode}')`, value: cacheIn.image.reference, fix: "drop modelCache.mode, or set it to 'image'" });
  }
  if (mode === 'image') {
    if (!cacheIn.image) {
      p.add({ field: 'modelCache.mode', message: "is 'image', but no modelCache.image says which image holds the weights", value: 'image', fix: "set modelCache.image: { reference: 'registry/model@sha256:...' }" });
    } else {
      image = { reference: cacheIn.image.reference, pullPolicy: cacheIn.image.pullPolicy ?? 'IfNotPresent', mountPath: MODEL_IMAGE_MOUNT, modelPath: cacheIn.image.path ? `${MODEL_IMAGE_MOUNT}/${cacheIn.image.path}` : MODEL_IMAGE_MOUNT };
      p.check(isPinnedImage(image.reference), {
        field: 'modelCache.image.reference', message: 'must be pinned to a tag or an @sha256 digest: it is the pin of the weights, and an unpinned one changes the model under you on the next pull', value: image.reference,
        fix: 'pin the digest the model image was pushed with',
      });
      const [major, minor] = IMAGE_VOLUME_MIN_KUBERNETES;
      const kv = o.kubernetesVersion === undefined ? undefined : kubeVersionTuple(o.kubernetesVersion);
      if (o.kubernetesVersion === undefined) {
        p.add({
          field: 'kubernetesVersion', message: `must be set for an image volume: image volumes are on by default only from Kubernetes ${major}.${minor} (KEP-4639), and an older API server drops the volume`, value: undefined,
          allowed: `>= ${major}.${minor}`, fix: 'set kubernetesVersion to the cluster\'s version, e.g. "1.35"',
        });
      } else if (kv && (kv[0] < major || (kv[0] === major && kv[1] < minor))) {
        p.add({
          field: 'kubernetesVersion', message: `is below ${major}.${minor}, where image volumes turn on by default (KEP-4639: alpha in 1.31, beta behind the off-by-default ImageVolume gate in 1.33 and 1.34); the pod would start without the model`, value: o.kubernetesVersion,
          allowed: `>= ${major}.${minor}`, fix: "upgrade the cluster, or deliver the model through a cache (modelCache mode 'shared' with the loader Job, or 'perReplica')",
        });
      }
      for (const key of ['accessMode', 'size', 'storageClassName', 'existingClaimName', 'loader'] as const) {
        p.check(cacheIn[key] === undefined, { field: `modelCache.${key}`, message: "does nothing with mode 'image' (the weights come from the image, no claim is created)", value: cacheIn[key], fix: `drop modelCache.${key}` });
      }
      p.check(o.modelRevision === undefined, { field: 'modelRevision', message: 'does nothing with an image volume: the image reference pins the weights', value: o.modelRevision, fix: 'drop modelRevision and pin modelCache.image.reference' });
    }
  }

  // The loader Job.
  const loaderIn = cacheIn.loader;
  const loaderOn = loaderIn === undefined
    ? mode === 'shared' && accessMode === 'ReadWriteMany' && cacheIn.existingClaimName === undefined && o.downloadModel === undefined
    : loaderIn !== false;
  if (loaderOn && mode !== 'image') {
    p.check(mode === 'shared', {
      field: 'modelCache.loader', message: "only fills a shared cache: with mode 'perReplica' each replica downloads once into its own claim", value: loaderIn,
      fix: "set modelCache.mode 'shared' with accessMode 'ReadWriteMany', or drop loader",
    });
    p.check(!(mode === 'shared' && accessMode === 'ReadWriteOnce'), {
      field: 'modelCache.loader', message: 'needs a ReadWriteMany cache: the loader Job and the waiting serving pods mount the claim at the same time, and a ReadWriteOnce claim attaches to one node', value: loaderIn,
      fix: "set modelCache.accessMode 'ReadWriteMany' on an RWX storage class, or drop loader",
    });
    p.check(o.downloadModel !== true, {
      field: 'downloadModel', message: 'is true, but the loader Job fills the cache and the serving pods run offline (HF_HUB_OFFLINE=1)', value: true,
      fix: 'drop downloadModel, or set modelCache.loader: false to let the pods download',
    });
  }
  if (image) {
    p.check(o.downloadModel !== true, { field: 'downloadModel', message: 'is true, but the image volume delivers the model and the pods run offline', value: true, fix: 'drop downloadModel' });
  }

  const loaderUsed = loaderOn && mode === 'shared';
  const offline = loaderUsed || mode === 'image';
  const downloadModel = offline ? false : o.downloadModel ?? true;
  if (!downloadModel && !offline) {
    p.check(mode === 'shared' && cacheIn.existingClaimName !== undefined, {
      field: 'downloadModel',
      message: `is false, but nothing fills the ${mode === 'perReplica' ? 'per-replica claims, which start empty' : 'cache, a new empty claim gpuplane creates'}: the pod runs offline and can never load the model`,
      value: false,
      fix: "mount a filled claim (modelCache: { mode: 'shared', existingClaimName }), let a loader Job fill a shared ReadWriteMany cache (modelCache: { mode: 'shared', accessMode: 'ReadWriteMany', loader: true }), use an image volume (modelCache.image), or let the pods download (downloadModel: true)",
    });
  }
  const path: DeliveryPath = mode === 'image' ? 'imageVolume' : loaderUsed ? 'loaderJob' : downloadModel ? 'podDownload' : 'prefilledClaim';

  const downloadMiBps = o.downloadMiBps ?? 100;
  const single = startupPath(path, mode === 'perReplica', x.weightsGiB, downloadMiBps, x.enforceEager);
  const startup = x.group ? groupStartupPath(single, x.group, x.weightsGiB, path === 'podDownload', downloadMiBps, x.enforceEager) : single;

  let loader: ModelLoader | undefined;
  if (loaderUsed) {
    const opts = typeof loaderIn === 'object' ? loaderIn : {};
    const loaderImage = opts.image ?? x.servingImage;
    if (opts.image !== undefined) {
      p.check(isPinnedImage(opts.image), { field: 'modelCache.loader.image', message: 'must be pinned to a release tag or digest; an unpinned image changes under you on the next pull', value: opts.image, fix: 'pin a tag or an @sha256 digest' });
    }
    const revision = o.modelRevision ?? 'main';
    if (o.modelRevision === undefined) {
      warnings.push(`VllmService '${x.name}': the loader Job fills the cache from ${x.repository} at 'main' as it is when the Job runs (it records the commit in its marker and never refetches). Pin modelRevision to a commit sha so every cluster serves the same weights.`);
    }
    const download = (x.weightsGiB * 1024) / downloadMiBps;
    const verify = (x.weightsGiB * 1024) / VERIFY_MIBPS;
    const activeDeadlineSeconds = Math.ceil((2 * (download + verify) + 600) / 60) * 60;
    const estimate = `2 x (download ${x.weightsGiB.toFixed(1)} GiB at ${downloadMiBps} MiB/s (${Math.round(download)} s) + verify at ${VERIFY_MIBPS} MiB/s (${Math.round(verify)} s)) + 600 s, in whole minutes`;
    const fields = { image: loaderImage, backoffLimit: opts.backoffLimit ?? 4, ttlSecondsAfterFinished: opts.ttlSecondsAfterFinished ?? 86400, activeDeadlineSeconds, repository: x.repository, revision, marker: markerFor(x.repository, revision), estimate };
    loader = fields;
  }

  // The startup budget follows the delivery path.
  const floor = x.weightsGiB >= 40 || x.parameters >= 40e9 ? 1260 : 600;
  const derived = Math.max(floor, Math.ceil((startup.seconds * 1.5) / 10) * 10);
  const startupBudgetSeconds = o.startupBudgetSeconds ?? derived;
  p.check(startupBudgetSeconds >= startup.seconds, {
    field: 'startupBudgetSeconds',
    message: `must cover the startup path of ${startup.seconds} s (${startup.description}); the kubelet would kill the pod mid-load`,
    value: startupBudgetSeconds, allowed: `>= ${startup.seconds}`,
    fix: `omit it for the derived ${derived} s${path === 'podDownload' ? ', or fill the cache once (a loader Job on a ReadWriteMany cache, or an image volume) so the pods skip the download' : ''}`,
  });

  return {
    modelCache: { mode, accessMode, size, storageClassName: cacheIn.storageClassName, existingClaimName: cacheIn.existingClaimName },
    downloadModel,
    delivery: { path, workloadKind, loader, image, startup },
    modelRevision: o.modelRevision,
    kubernetesVersion: o.kubernetesVersion,
    startupBudgetSeconds,
    estimatedLoadSeconds: startup.seconds,
  };
}
