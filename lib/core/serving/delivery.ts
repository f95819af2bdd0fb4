import { selectorLabels } from './labels';
import type { ServingSpec } from './spec';

/**
 * Model delivery, engine-neutral: how the weights reach the serving pods, and the one place that decides which
 * workload kind runs them. The Service, PDB, autoscalers, alerts and production rules read the kind from here.
 *
 * - `podDownload`: each pod downloads into its cache on start (a per-replica claim keeps it afterwards).
 * - `loaderJob`: a Job fills one ReadWriteMany claim once; the pods wait for its marker and run offline.
 * - `prefilledClaim`: an existing claim something else filled; the pods run offline.
 * - `imageVolume`: the weights are an OCI image mounted read-only (KEP-4639); the pods run offline.
 */
export type DeliveryPath = 'podDownload' | 'loaderJob' | 'prefilledClaim' | 'imageVolume';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'LeaderWorkerSet';

/** One step of the startup path with the figures it was estimated from. */
export interface StartupStep {
  readonly what: string;
  readonly seconds: number;
}

export interface StartupPath {
  /** From container start to serving: what the startupProbe must cover. */
  readonly steps: readonly StartupStep[];
  readonly seconds: number;
  /** Before the containers start (the kubelet pulling an image volume): part of a cold start, not of the probe. */
  readonly beforeStart: readonly StartupStep[];
  /** `beforeStart` + `seconds`: what the first request after a scale-up waits for. */
  readonly coldStartSeconds: number;
  /** The steps in words, with their figures (printed in refusals and on the workload). */
  readonly description: string;
}

/** The loader Job, resolved. */
export interface ModelLoader {
  readonly image: string;
  readonly backoffLimit: number;
  readonly ttlSecondsAfterFinished: number;
  readonly activeDeadlineSeconds: number;
  /** The repository and revision the Job fetches. */
  readonly repository: string;
  readonly revision: string;
  /** The marker file, relative to the cache mount: written last, after verification; the pods wait for it. */
  readonly marker: string;
  /** How activeDeadlineSeconds was derived. */
  readonly estimate: string;
}

/** The OCI image volume, resolved. */
export interface ModelImageVolume {
  readonly reference: string;
  readonly pullPolicy: 'IfNotPresent' | 'Always' | 'Never';
  /** Where the image is mounted (read-only). */
  readonly mountPath: string;
  /** The model directory vLLM loads: the mount path plus the path inside the image. */
  readonly modelPath: string;
}

export interface ModelDelivery {
  readonly path: DeliveryPath;
  readonly workloadKind: WorkloadKind;
  readonly loader?: ModelLoader;
  readonly image?: ModelImageVolume;
  readonly startup: StartupPath;
}

/** The annotation on the workload that prints the startup path and its figures. */
export const STARTUP_ESTIMATE_ANNOTATION = 'gpuplane.dev/startup-estimate';

/** The volume name of the model cache (a claim) and of the model image. */
export const MODEL_CACHE_VOLUME = 'model-cache';
export const MODEL_IMAGE_VOLUME = 'model-image';

/**
 * THE choice of workload kind. One claim per replica needs a StatefulSet's volumeClaimTemplates: a Deployment's
 * pods can only share one claim or get an ephemeral volume that dies with the pod (and downloads again).
 */
export function chooseWorkloadKind(cacheMode: ServingSpec['modelCache']['mode'], multiNode = false): WorkloadKind {
  // A replica that spans nodes is a LeaderWorkerSet group; its per-pod claims come from the group's own
  // volumeClaimTemplates (leaderWorkerTemplate.volumeClaimTemplates in LWS v0.10), not from a StatefulSet of ours.
  if (multiNode) return 'LeaderWorkerSet';
  return cacheMode === 'perReplica' ? 'StatefulSet' : 'Deployment';
}

/** What the autoscalers scale and the alerts count pods of. */
export function workloadRef(r: ServingSpec): { apiVersion: string; kind: WorkloadKind; name: string } {
  if (r.delivery.workloadKind === 'LeaderWorkerSet') return { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: groupSetName(r.name) };
  return { apiVersion: 'apps/v1', kind: r.delivery.workloadKind, name: r.name };
}

/**
 * The LeaderWorkerSet of a service whose replicas span nodes. Not the service's own name: the LWS controller creates
 * a headless Service named after the set, which would collide with the service's Service.
 */
export function groupSetName(name: string): string {
  return `${name}-lws`;
}

/** The per-pod model cache claim template (a StatefulSet's or a LeaderWorkerSet group's `volumeClaimTemplates`). */
export function cacheClaimTemplates(r: ServingSpec): Record<string, unknown>[] {
  return [
    {
      metadata: { name: MODEL_CACHE_VOLUME, labels: selectorLabels(r) },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: r.modelCache.size } },
        storageClassName: r.modelCache.storageClassName,
      },
    },
  ];
}

/** The pod's model volume: the shared claim, the image volume, or none (the StatefulSet's claim templates add it). */
export function cacheVolume(r: ServingSpec): Record<string, unknown> | undefined {
  if (r.modelCache.mode === 'shared') {
    return { name: MODEL_CACHE_VOLUME, persistentVolumeClaim: { claimName: r.modelCache.existingClaimName ?? `${r.name}-model-cache` } };
  }
  if (r.modelCache.mode === 'image') {
    const image = r.delivery.image!;
    return { name: MODEL_IMAGE_VOLUME, image: { reference: image.reference, pullPolicy: image.pullPolicy } };
  }
  return undefined;
}

/** The rollout never needs a GPU the cluster does not have: it surges only into declared spare capacity. */
export function rolloutStrategy(r: ServingSpec): Record<string, unknown> {
  const surgePods = Math.floor(r.spareGpus / r.gpusPerPod);
  return {
    type: 'RollingUpdate',
    rollingUpdate: surgePods >= 1 ? { maxSurge: surgePods, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: 1 },
  };
}

/** The parts of a workload spec both kinds share. */
export interface WorkloadSpecParts {
  readonly replicas?: number;
  readonly revisionHistoryLimit: number;
  readonly progressDeadlineSeconds: number;
  readonly template: Record<string, unknown>;
}

/**
 * The workload's spec for its kind.
 * - Deployment: the GPU-safe rolling update (no surge without declared spare GPUs), a progress deadline.
 * - StatefulSet: one ReadWriteOnce claim per replica from `volumeClaimTemplates`, kept on scale-down and deletion
 *   (`persistentVolumeClaimRetentionPolicy` Retain/Retain, GA in Kubernetes 1.32), so a replica that comes back mounts
 *   its filled cache; `podManagementPolicy: Parallel` so a scale-up starts every new replica at once instead of one
 *   model load after another; `RollingUpdate` replaces one pod at a time and never surges (the GPU-safe rollout;
 *   `rollingUpdate.maxUnavailable` is the MaxUnavailableStatefulSet gate, beta only from 1.35 per KEP-961, so it is not
 *   rendered). `serviceName` is the service's own Service.
 */
export function workloadSpec(r: ServingSpec, parts: WorkloadSpecParts): Record<string, unknown> {
  const selector = { matchLabels: selectorLabels(r) };
  if (r.delivery.workloadKind === 'Deployment') {
    return {
      replicas: parts.replicas, revisionHistoryLimit: parts.revisionHistoryLimit, progressDeadlineSeconds: parts.progressDeadlineSeconds,
      selector, strategy: rolloutStrategy(r), template: parts.template,
    };
  }
  return {
    replicas: parts.replicas,
    revisionHistoryLimit: parts.revisionHistoryLimit,
    selector,
    serviceName: r.name,
    podManagementPolicy: 'Parallel',
    updateStrategy: { type: 'RollingUpdate' },
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    volumeClaimTemplates: cacheClaimTemplates(r),
    template: parts.template,
  };
}
