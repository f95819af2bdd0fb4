import { strictObject as strict } from './common';

/**
 * JSON schemas for Kueue's `kueue.x-k8s.io/v1beta2` ResourceFlavor, ClusterQueue and LocalQueue, written from the
 * Kueue v0.19 CRDs (no CommonJS model package exists). The parts gpuplane renders are checked strictly (unknown keys
 * refused where the API server would prune them); test/crds/schema-agreement.test.ts and rendered-crds.test.ts check
 * the rendered objects against the real CRDs as well.
 */
const subdomain = { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' };
const quantity = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$' }] };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const meta = (namespaced: boolean) => ({ type: 'object', required: namespaced ? ['name', 'namespace'] : ['name'], properties: { name: subdomain, namespace: { type: 'string' }, labels: stringMap } });
const head = (kind: string) => ({ apiVersion: { const: 'kueue.x-k8s.io/v1beta2' }, kind: { const: kind } });

export const KUEUE_RESOURCE_FLAVOR_SCHEMA = {
  type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    ...head('ResourceFlavor'), metadata: meta(false),
    spec: strict({
      nodeLabels: { ...stringMap, maxProperties: 8 },
      nodeTaints: { type: 'array', maxItems: 8, items: strict({ key: { type: 'string' }, value: { type: 'string' }, effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] } }, ['key', 'effect']) },
      tolerations: {
        type: 'array', maxItems: 8,
        items: {
          ...strict({ key: { type: 'string' }, operator: { enum: ['Equal', 'Exists'] }, value: { type: 'string' }, effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }, tolerationSeconds: { type: 'integer' } }),
          // CEL: no key means Exists; tolerationSeconds only with NoExecute; Exists takes no value.
          allOf: [
            { if: { not: { required: ['key'] } }, then: { required: ['operator'], properties: { operator: { const: 'Exists' } } } },
            { if: { required: ['tolerationSeconds'] }, then: { required: ['effect'], properties: { effect: { const: 'NoExecute' } } } },
            { if: { required: ['operator'], properties: { operator: { const: 'Exists' } } }, then: { not: { required: ['value'] } } },
          ],
        },
      },
      topologyName: subdomain,
    }),
  },
};

const resourceQuota = strict({ name: { type: 'string', minLength: 1 }, nominalQuota: quantity, borrowingLimit: quantity, lendingLimit: quantity }, ['name', 'nominalQuota']);
export const KUEUE_CLUSTER_QUEUE_SCHEMA = {
  type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    ...head('ClusterQueue'), metadata: meta(false),
    spec: {
      ...strict({
        namespaceSelector: strict({ matchLabels: stringMap, matchExpressions: { type: 'array' } }),
        cohortName: subdomain,
        queueingStrategy: { enum: ['StrictFIFO', 'BestEffortFIFO'] },
        stopPolicy: { enum: ['None', 'Hold', 'HoldAndDrain'] },
        preemption: strict({ withinClusterQueue: { enum: ['Never', 'LowerPriority', 'LowerOrNewerEqualPriority'] }, reclaimWithinCohort: { enum: ['Never', 'LowerPriority', 'Any'] }, borrowWithinCohort: { type: 'object' } }),
        resourceGroups: {
          type: 'array', maxItems: 16,
          items: strict({
            coveredResources: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'string' } },
            flavors: { type: 'array', minItems: 1, maxItems: 64, items: strict({ name: subdomain, resources: { type: 'array', minItems: 1, maxItems: 64, items: resourceQuota } }, ['name', 'resources']) },
          }, ['coveredResources', 'flavors']),
        },
      }),
      // CEL: borrowingLimit needs a cohort.
      if: { not: { required: ['cohortName'] } },
      then: { properties: { resourceGroups: { items: { properties: { flavors: { items: { properties: { resources: { items: { not: { required: ['borrowingLimit'] } } } } } } } } } } },
    },
  },
};

export const KUEUE_LOCAL_QUEUE_SCHEMA = {
  type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    ...head('LocalQueue'), metadata: meta(true),
    spec: strict({ clusterQueue: subdomain, stopPolicy: { enum: ['None', 'Hold', 'HoldAndDrain'] } }, ['clusterQueue']),
  },
};
