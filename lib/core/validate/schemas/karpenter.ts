/**
 * JSON schema for Karpenter's `karpenter.sh/v1` NodePool, written from the v1 CRD (the published model packages
 * are ESM-only). Strict where a typo would silently change behaviour: unknown keys are refused.
 */
const duration = { type: 'string', pattern: '^(([0-9]+(s|m|h))+|Never)$' };

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
        weight: { type: 'integer', minimum: 1, maximum: 100 },
        limits: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
        disruption: {
          type: 'object',
          additionalProperties: false,
          properties: {
            consolidationPolicy: { enum: ['WhenEmpty', 'WhenEmptyOrUnderutilized'] },
            consolidateAfter: duration,
            budgets: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['nodes'],
                properties: {
                  nodes: { type: 'string', pattern: '^((100|[0-9]{1,2})%|[0-9]+)$' },
                  schedule: { type: 'string' },
                  duration: { type: 'string', pattern: '^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$' },
                  reasons: { type: 'array', items: { enum: ['Underutilized', 'Empty', 'Drifted'] } },
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
                labels: { type: 'object', additionalProperties: { type: 'string', maxLength: 63 } },
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
                  properties: { group: { type: 'string', minLength: 1 }, kind: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } },
                },
                requirements: {
                  type: 'array',
                  maxItems: 100,
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['key', 'operator'],
                    properties: {
                      key: { type: 'string', maxLength: 316 },
                      operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
                      values: { type: 'array', items: { type: 'string' }, maxLength: 63 },
                      minValues: { type: 'integer', minimum: 1, maximum: 50 },
                    },
                  },
                },
                taints: { $ref: '#/$defs/taints' },
                startupTaints: { $ref: '#/$defs/taints' },
                expireAfter: duration,
                terminationGracePeriod: { type: 'string' },
              },
            },
          },
        },
      },
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
          key: { type: 'string', minLength: 1 },
          value: { type: 'string' },
          effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
          timeAdded: { type: 'string' },
        },
      },
    },
  },
} as const;
