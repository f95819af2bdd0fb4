import { strictObject as strict } from './common';

/**
 * JSON schema for `resource.k8s.io/v1` ResourceClaimTemplate (Dynamic Resource Allocation, GA in Kubernetes 1.34),
 * written from kubernetes/api `resource/v1/types.go` (v0.34) and the API server's validation
 * (`pkg/apis/resource/validation`): kubernetes-models 4.5 has no resource.k8s.io, and 5.1, which has it, is ESM-only
 * and accepts unknown fields. This schema refuses unknown fields the way the API server's strict decoding does, which
 * is the mistake people make with v1: `deviceClassName` directly under `requests[]` was the v1beta1 shape and is a
 * strict decoding error in v1 (it lives under `requests[].exactly`).
 *
 * test/crds/resource-claim-schema.test.ts checks it against kubernetes-models 5.1's validator and the real
 * kube-apiserver 1.34 (server-side dry-run with fieldValidation=Strict).
 */
const dnsLabel = { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const dnsSubdomain = { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' };
/** A fully qualified attribute name: `<domain>/<identifier>` (the API server requires the domain in constraints). */
const qualifiedAttribute = { type: 'string', maxLength: 96, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z][A-Za-z0-9_]{0,31}$' };
const quantity = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$' }] };
const selectors = { type: 'array', maxItems: 32, items: strict({ cel: strict({ expression: { type: 'string', minLength: 1, maxLength: 10240 } }, ['expression']) }, ['cel']) };
const toleration = strict({
  key: { type: 'string' }, operator: { enum: ['Exists', 'Equal'] }, value: { type: 'string' },
  effect: { enum: ['NoSchedule', 'NoExecute'] }, tolerationSeconds: { type: 'integer' },
});
/** ExactCount needs a positive count; All takes none. */
const allocation = {
  allocationMode: { enum: ['ExactCount', 'All'] },
  count: { type: 'integer', minimum: 1 },
};
const countRule = { if: { properties: { allocationMode: { const: 'All' } }, required: ['allocationMode'] }, then: { not: { required: ['count'] } } };
const capacity = strict({ requests: { type: 'object', additionalProperties: quantity } });
const exact = {
  ...strict({ deviceClassName: dnsSubdomain, selectors, ...allocation, adminAccess: { type: 'boolean' }, tolerations: { type: 'array', maxItems: 16, items: toleration }, capacity }, ['deviceClassName']),
  ...countRule,
};
const subRequest = {
  ...strict({ name: dnsLabel, deviceClassName: dnsSubdomain, selectors, ...allocation, tolerations: { type: 'array', maxItems: 16, items: toleration }, capacity }, ['name', 'deviceClassName']),
  ...countRule,
};
const request = {
  ...strict({ name: dnsLabel, exactly: exact, firstAvailable: { type: 'array', minItems: 1, maxItems: 8, items: subRequest } }, ['name']),
  // Exactly one of exactly and firstAvailable.
  oneOf: [{ required: ['exactly'], not: { required: ['firstAvailable'] } }, { required: ['firstAvailable'], not: { required: ['exactly'] } }],
};
const requestNames = { type: 'array', maxItems: 32, items: { type: 'string', minLength: 1 } };
const constraint = strict({ requests: requestNames, matchAttribute: qualifiedAttribute, distinctAttribute: qualifiedAttribute });
const config = strict({ requests: requestNames, opaque: strict({ driver: dnsSubdomain, parameters: { type: 'object' } }, ['driver', 'parameters']) }, ['opaque']);

export const RESOURCE_CLAIM_SPEC_SCHEMA = strict({
  devices: strict({
    requests: { type: 'array', maxItems: 32, items: request },
    constraints: { type: 'array', maxItems: 32, items: constraint },
    config: { type: 'array', maxItems: 32, items: config },
  }),
});

export const RESOURCE_CLAIM_TEMPLATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'resource.k8s.io/v1' },
    kind: { const: 'ResourceClaimTemplate' },
    metadata: { type: 'object', required: ['name'], properties: { name: dnsSubdomain, namespace: dnsLabel, labels: { type: 'object', additionalProperties: { type: 'string' } }, annotations: { type: 'object', additionalProperties: { type: 'string' } } } },
    spec: strict({
      metadata: { type: 'object', properties: { labels: { type: 'object', additionalProperties: { type: 'string' } }, annotations: { type: 'object', additionalProperties: { type: 'string' } } } },
      spec: RESOURCE_CLAIM_SPEC_SCHEMA,
    }, ['spec']),
  },
};
