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
      selector: { ...selectorLabels(r), ...r.servingPodLabels },
      ports: [{ name: r.engine.portName, port: r.engine.port, targetPort: r.engine.portName, protocol: 'TCP', appProtocol: 'http' }],
    },
  };
}

/**
 * The one owner of gpuplane's PDB policy: one pod at a time with two or more replicas, the only pod with one, never
 * minAvailable 0. A service that scales to zero (minReplicas 0) already accepts having no pod: it gets
 * maxUnavailable 1, so a drain evicts its one pod (requests wait at the router while it restarts) instead of
 * blocking until the autoscaler happens to scale it to zero. The pools' drain warnings read `disruptionsAllowed`.
 */
export function disruptionBudgetPolicy(minReplicas: number, podsPerReplica = 1): { readonly spec: { maxUnavailable: number } | { minAvailable: number }; readonly disruptionsAllowed: number } {
  // A group's pods fall together (evicting one rank recreates its whole group), so the budget selects every pod of
  // every group: one evicted pod takes its group down, and its recreated pods count as unavailable until the group is
  // back, which holds further evictions. With one group, every pod is required: no drain may take the only replica.
  // At zero replicas (scale to zero) nothing runs that a budget could protect, and minAvailable would block drains.
  return minReplicas >= 2 || minReplicas === 0 ? { spec: { maxUnavailable: 1 }, disruptionsAllowed: 1 } : { spec: { minAvailable: podsPerReplica }, disruptionsAllowed: 0 };
}

/** A budget that protects: one pod at a time with two or more replicas; the only pod with one. Never minAvailable 0. */
export function renderDisruptionBudget(r: ServingSpec): KubeObject {
  const budget = disruptionBudgetPolicy(r.minReplicas, r.podsPerReplica ?? 1).spec;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(r, r.name),
    spec: { ...budget, selector: { matchLabels: selectorLabels(r) } },
  };
}

export function renderNamespace(r: ServingSpec): KubeObject[] {
  if (!r.createNamespace) return [];
  const out: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: r.namespace, labels: { ...r.namespaceLabels, 'app.kubernetes.io/managed-by': 'gpuplane' } } }];
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
