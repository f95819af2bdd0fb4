import { strictObject as strict, objectMeta } from './common';

/**
 * JSON schema for the LeaderWorkerSet (`leaderworkerset.x-k8s.io/v1`, kubernetes-sigs/lws v0.10.0, commit
 * 2161f38ff333f9e24d3c44adef7cd5d9787cac00, `config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml` in
 * ../shared/reference/crds/lws), written from that CRD: the same types, bounds and enums, unknown keys refused where
 * the API server would prune them. The leader and worker pod templates are checked as pods against the Kubernetes
 * schema (the registry's pod-template paths, see validate/schema.ts); the volume claim templates (per-pod model
 * caches) are checked for their names here and their PersistentVolumeClaim specs by the Kubernetes schema's types.
 */
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
const intOrString = { type: ['integer', 'string'] };
const podTemplate = strict({ metadata: { type: 'object' }, spec: { type: 'object' } });

export const LEADER_WORKER_SET_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'leaderworkerset.x-k8s.io/v1' },
    kind: { const: 'LeaderWorkerSet' },
    metadata: objectMeta,
    spec: strict({
      replicas: { type: 'integer', minimum: 0, maximum: 1000000 },
      startupPolicy: { enum: ['LeaderCreated', 'LeaderReady'] },
      networkConfig: strict({ subdomainPolicy: { enum: ['Shared', 'UniquePerReplica'] } }, ['subdomainPolicy']),
      rolloutStrategy: strict({
        type: { enum: ['RollingUpdate'] },
        rollingUpdateConfiguration: strict({ maxSurge: intOrString, maxUnavailable: intOrString, partition: int32 }),
      }, ['type']),
      leaderWorkerTemplate: strict({
        leaderTemplate: podTemplate,
        workerTemplate: podTemplate,
        size: int32,
        restartPolicy: { enum: ['Default', 'RecreateGroupOnPodRestart', 'RecreateGroupAfterStart', 'None'] },
        subGroupPolicy: strict({ subGroupPolicyType: { enum: ['LeaderWorker', 'LeaderExcluded'] }, subGroupSize: int32 }),
        // One claim per pod of every group, as a StatefulSet's (the CRD embeds the PersistentVolumeClaim schema).
        volumeClaimTemplates: { type: 'array', items: { type: 'object', required: ['metadata', 'spec'], properties: { metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } }, spec: { type: 'object' } } } },
        persistentVolumeClaimRetentionPolicy: strict({ whenDeleted: { type: 'string' }, whenScaled: { type: 'string' } }),
      }, ['workerTemplate']),
    }, ['leaderWorkerTemplate']),
  },
};
