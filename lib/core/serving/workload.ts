import { KubeObject } from '../kube';
import { metadata, selectorLabels } from './labels';
import type { ServingSpec } from './spec';

export { cacheVolume, rolloutStrategy } from './delivery';

/** The PersistentVolumeClaim of a shared cache (none for per-replica caches or an existing claim). */
export function renderModelCacheClaim(r: ServingSpec): KubeObject[] {
  if (r.modelCache.mode !== 'shared' || r.modelCache.existingClaimName) return [];
  return [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: metadata(r, `${r.name}-model-cache`),
      spec: {
        accessModes: [r.modelCache.accessMode],
        resources: { requests: { storage: r.modelCache.size } },
        storageClassName: r.modelCache.storageClassName,
      },
    },
  ];
}

export function renderService(r: ServingSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(r, r.name),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(r),
      ports: [{ name: r.engine.portName, port: r.engine.port, targetPort: r.engine.portName, protocol: 'TCP', appProtocol: 'http' }],
    },
  };
}

/**
 * The one owner of gpuplane's PDB policy: one pod at a time with two or more replicas, the only pod with one, never
 * minAvailable 0. The pools' drain warnings read `disruptionsAllowed` from here.
 */
export function disruptionBudgetPolicy(minReplicas: number): { readonly spec: { maxUnavailable: number } | { minAvailable: number }; readonly disruptionsAllowed: number } {
  return minReplicas >= 2 ? { spec: { maxUnavailable: 1 }, disruptionsAllowed: 1 } : { spec: { minAvailable: 1 }, disruptionsAllowed: 0 };
}

/** A budget that protects: one pod at a time with two or more replicas; the only pod with one. Never minAvailable 0. */
export function renderDisruptionBudget(r: ServingSpec): KubeObject {
  const budget = disruptionBudgetPolicy(r.minReplicas).spec;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(r, r.name),
    spec: { ...budget, selector: { matchLabels: selectorLabels(r) } },
  };
}

export function renderNamespace(r: ServingSpec): KubeObject[] {
  if (!r.createNamespace) return [];
  const out: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.namespace, labels: { 'app.kubernetes.io/managed-by': 'gpuplane' } } }];
  if (r.namespaceGpuQuota !== undefined) {
    // Quotas on extended resources take only the `requests.` prefix.
    out.push({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: metadata(r, `${r.name}-gpu-quota`),
      spec: { hard: { 'requests.nvidia.com/gpu': String(r.namespaceGpuQuota) } },
    });
  }
  return out;
}
