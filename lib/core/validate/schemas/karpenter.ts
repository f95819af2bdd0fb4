/**
 * JSON schema for Karpenter's `karpenter.sh/v1` NodePool, written from the v1.14.1 CRD (the published model packages
 * are ESM-only). It agrees with the CRD (test/crds/schema-agreement.test.ts checks it against the CRD file): the
 * structural schema's types, enums, patterns and limits, the CEL rules expressed in JSON schema, and unknown keys
 * refused where the API server would prune them (a pruned key is a setting that silently never applies).
 *
 * Not here: defaults the API server fills in (`disruption` absent -> `{ consolidateAfter: 0s }`), so an object is
 * checked as rendered; transition rules (immutable `nodeClassRef`), which only apply to updates.
 */
const duration = { type: 'string', pattern: '^(([0-9]+(s|m|h))+|Never)$' };
/** A label key or taint key or value (qualified name, optional DNS prefix). */
const qualifiedName = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
const labelValue = { type: 'string', maxLength: 63, pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$' };
const quantity = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
/** CEL: label domain "karpenter.sh" is restricted, and so are karpenter.sh/nodepool and kubernetes.io/hostname. */
const allowedLabelKey = {
  anyOf: [{ const: 'karpenter.sh/capacity-type' }, { not: { pattern: '^[^/]*karpenter\\.sh(/|$)' } }],
  not: { enum: ['karpenter.sh/nodepool', 'kubernetes.io/hostname'] },
};
const nonEmpty = { type: 'string', minLength: 1 };

export const KARPENTER_NODEPOOL_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'karpenter.sh/v1' },
    kind: { const: 'NodePool' },
    metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['template'],
      properties: {
        replicas: { type: 'integer', minimum: 0 },
        weight: { type: 'integer', minimum: 1, maximum: 100 },
        limits: { type: 'object', additionalProperties: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: quantity }] } },
        disruption: {
          type: 'object',
          additionalProperties: false,
          required: ['consolidateAfter'],
          properties: {
            consolidationPolicy: { enum: ['WhenEmpty', 'WhenEmptyOrUnderutilized', 'Balanced'] },
            consolidateAfter: duration,
            budgets: {
              type: 'array',
              maxItems: 50,
              items: {
                type: 'object',
                additionalProperties: false,
                // `nodes` is required, but the API server defaults it to 10%.
                // CEL: 'schedule' must be set with 'duration'.
                dependencies: { schedule: ['duration'], duration: ['schedule'] },
                properties: {
                  nodes: { type: 'string', pattern: '^((100|[0-9]{1,2})%|[0-9]+)$' },
                  schedule: { type: 'string', pattern: '^(@(annually|yearly|monthly|weekly|daily|midnight|hourly))|((.+)\\s(.+)\\s(.+)\\s(.+)\\s(.+))$' },
                  duration: { type: 'string', pattern: '^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$' },
                  reasons: { type: 'array', maxItems: 50, uniqueItems: true, items: { enum: ['Underutilized', 'Empty', 'Drifted'] } },
                },
              },
            },
          },
        },
        template: {
          type: 'object',
          additionalProperties: false,
          required: ['spec'],
          properties: {
            metadata: {
              type: 'object',
              additionalProperties: false,
              properties: {
                labels: { type: 'object', maxProperties: 100, propertyNames: allowedLabelKey, additionalProperties: labelValue },
                annotations: { type: 'object', additionalProperties: { type: 'string' } },
              },
            },
            spec: {
              type: 'object',
              additionalProperties: false,
              required: ['nodeClassRef', 'requirements'],
              properties: {
                nodeClassRef: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['group', 'kind', 'name'],
                  properties: { group: { type: 'string', minLength: 1, pattern: '^[^/]*$' }, kind: nonEmpty, name: nonEmpty },
                },
                requirements: {
                  type: 'array',
                  maxItems: 100,
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['key', 'operator'],
                    properties: {
                      key: { type: 'string', maxLength: 316, pattern: qualifiedName, ...allowedLabelKey },
                      operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte'] },
                      values: { type: 'array', items: { type: 'string' } },
                      minValues: { type: 'integer', minimum: 1, maximum: 50 },
                    },
                    allOf: [
                      // CEL: requirements with operator 'In' must have a value defined.
                      { if: { properties: { operator: { const: 'In' } } }, then: { required: ['values'], properties: { values: { minItems: 1 } } } },
                      // CEL: 'Gt', 'Lt', 'Gte', 'Lte' must have a single non-negative integer value.
                      { if: { properties: { operator: { enum: ['Gt', 'Lt', 'Gte', 'Lte'] } } }, then: { required: ['values'], properties: { values: { minItems: 1, maxItems: 1, items: { pattern: '^\\+?[0-9]+$' } } } } },
                      // CEL: with 'minValues', 'In' must list at least that many values.
                      { if: { required: ['minValues'], properties: { operator: { const: 'In' } } }, then: { properties: { values: { minItems: { $data: '1/minValues' } } } } },
                    ],
                  },
                },
                taints: { $ref: '#/$defs/taints' },
                startupTaints: { $ref: '#/$defs/taints' },
                expireAfter: duration,
                terminationGracePeriod: { type: 'string', pattern: '^([0-9]+(s|m|h))+$' },
              },
            },
          },
        },
      },
      allOf: [
        // CEL: 'weight' is not supported on static NodePools; only 'limits.nodes' is.
        { not: { required: ['replicas', 'weight'] } },
        { if: { required: ['replicas'] }, then: { properties: { limits: { propertyNames: { const: 'nodes' } } } } },
      ],
    },
  },
  $defs: {
    taints: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'effect'],
        properties: {
          key: { type: 'string', minLength: 1, pattern: qualifiedName },
          value: { type: 'string', pattern: qualifiedName },
          effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
          timeAdded: { type: 'string' },
        },
      },
    },
  },
} as const;
