import { objectKey, KubeObject } from '../kube';
import { podSpecsOf, scalesWorkload } from './semantic';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where huggingface_hub caches when nothing moves it (`~/.cache/huggingface` of the official image's root user). */
const DEFAULT_HF_HOME = '/root/.cache/huggingface';

/** The most pods a workload can run: its replicas, or the maximum of an autoscaler that targets it. */
function maxPods(obj: Obj, scalers: readonly Obj[]): number {
  let max = typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : 1;
  for (const s of scalers) {
    if (!scalesWorkload(s, obj)) continue;
    const m = s.kind === 'ScaledObject' ? s.spec?.maxReplicaCount ?? 100 : s.spec?.maxReplicas;
    if (typeof m === 'number') max = Math.max(max, m);
  }
  return max;
}

function envValue(c: Obj, name: string): string | undefined {
  return (c.env ?? []).find((e: Obj) => e.name === name)?.value;
}

/**
 * The model-cache rule: a vLLM server that downloads (not HF_HUB_OFFLINE=1) into a Hugging Face cache on an emptyDir
 * or a generic ephemeral volume, in a workload that can run more than one pod, downloads the model again on every
 * rollout, reschedule and scale-up (the articles: always a PVC). `isVllmServer` is passed in to keep one definition.
 */
export function modelCacheFindings(objects: readonly KubeObject[], isVllmServer: (c: Obj) => boolean): string[] {
  const all = objects as readonly Obj[];
  const scalers = all.filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject');
  const out: string[] = [];
  for (const obj of all) {
    const specs = podSpecsOf(obj);
    if (specs.length === 0 || obj.kind === 'Pod' || obj.kind === 'Job' || obj.kind === 'CronJob') continue;
    const pods = maxPods(obj, scalers);
    if (pods < 2) continue;
    for (const { path, spec } of specs) {
      const volumes = new Map<string, Obj>((spec.volumes ?? []).map((v: Obj) => [v.name, v]));
      for (const c of spec.containers ?? []) {
        if (!isVllmServer(c) || envValue(c, 'HF_HUB_OFFLINE') === '1') continue;
        const cache = envValue(c, 'HF_HUB_CACHE') ?? envValue(c, 'HF_HOME') ?? DEFAULT_HF_HOME;
        const mount = (c.volumeMounts ?? []).filter((m: Obj) => cache === m.mountPath || cache.startsWith(`${String(m.mountPath).replace(/\/$/, '')}/`))
          .sort((a: Obj, b: Obj) => String(b.mountPath).length - String(a.mountPath).length)[0];
        const volume = mount ? volumes.get(mount.name) : undefined;
        const kind = volume?.emptyDir ? 'an emptyDir' : volume?.ephemeral ? 'a generic ephemeral volume' : undefined;
        if (!kind) continue;
        const at = `${objectKey(obj as KubeObject)}${specs.length > 1 ? ` ${path}` : ''} container ${c.name}`;
        out.push(
          `${at}: the Hugging Face cache (${cache}) is on ${kind}, deleted with the pod, and up to ${pods} pods run: every rollout, reschedule and scale-up downloads the model again. ` +
            'Use a PersistentVolumeClaim: one ReadWriteMany claim filled once (a loader Job, pods offline), or a StatefulSet with volumeClaimTemplates (one claim per replica)',
        );
      }
    }
  }
  return out;
}
