import { strictObject as strict, objectMeta as meta } from './common';

/**
 * JSON schemas for the Gateway API Inference Extension's InferencePool (inference.networking.k8s.io/v1, GAIE v1.6.0),
 * llm-d's InferenceObjective (llm-d.ai/v1alpha2, llm-d-router v0.10.0) and the parts of HTTPRoute
 * (gateway.networking.k8s.io/v1) gpuplane renders, written from those CRDs (../shared/reference/crds): the same
 * types, patterns, bounds and enums, and unknown keys refused where the API server would prune them. HTTPRoute's
 * filters are not rendered and are refused here (so nothing is written that is never checked).
 */
const DNS_SUBDOMAIN_OR_EMPTY = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const KIND = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';
const NS = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const SECTION = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** Gateway API durations (GEP-2257). */
const GW_DURATION = '^([0-9]{1,5}(h|m|s|ms)){1,4}$';
const group = { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN_OR_EMPTY };
const kind = { type: 'string', minLength: 1, maxLength: 63, pattern: KIND };
const port = { type: 'integer', minimum: 1, maximum: 65535 };
const labelValue = { type: 'string', minLength: 0, maxLength: 63, pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$' };

const top = (apiVersion: string, k: string, spec: object) => ({
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: { apiVersion: { const: apiVersion }, kind: { const: k }, metadata: meta, spec },
});

export const INFERENCE_POOL_SCHEMA = top('inference.networking.k8s.io/v1', 'InferencePool', strict({
  selector: strict({ matchLabels: { type: 'object', minProperties: 1, maxProperties: 64, additionalProperties: labelValue } }, ['matchLabels']),
  targetPorts: { type: 'array', minItems: 1, maxItems: 8, items: strict({ number: port }, ['number']) },
  appProtocol: { enum: ['http', 'kubernetes.io/h2c'] },
  endpointPickerRef: {
    ...strict({
      group, kind, name: { type: 'string', minLength: 1, maxLength: 253 }, port: strict({ number: port }, ['number']),
      failureMode: { enum: ['FailOpen', 'FailClose'] },
    }, ['name']),
    // CEL: self.kind != 'Service' || has(self.port) (kind defaults to Service).
    if: { not: { required: ['kind'], properties: { kind: { not: { const: 'Service' } } } } }, then: { required: ['port'] },
  },
}, ['selector', 'targetPorts']));

export const INFERENCE_OBJECTIVE_SCHEMA = top('llm-d.ai/v1alpha2', 'InferenceObjective', strict({
  poolRef: strict({ group, kind, name: { type: 'string', minLength: 1, maxLength: 253 } }, ['name']),
  priority: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
}, ['poolRef']));

const parentRef = strict({
  group, kind, name: { type: 'string', minLength: 1, maxLength: 253 },
  namespace: { type: 'string', minLength: 1, maxLength: 63, pattern: NS },
  sectionName: { type: 'string', minLength: 1, maxLength: 253, pattern: SECTION },
  port,
}, ['name']);

const match = strict({
  path: strict({ type: { enum: ['Exact', 'PathPrefix', 'RegularExpression'] }, value: { type: 'string', maxLength: 1024 } }),
  headers: {
    type: 'array', maxItems: 16,
    items: strict({ type: { enum: ['Exact', 'RegularExpression'] }, name: { type: 'string', minLength: 1, maxLength: 256, pattern: "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$" }, value: { type: 'string', minLength: 1, maxLength: 4096 } }, ['name', 'value']),
  },
  method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] },
});

const backendRef = strict({
  group, kind, name: { type: 'string', minLength: 1, maxLength: 253 },
  namespace: { type: 'string', minLength: 1, maxLength: 63, pattern: NS },
  port,
  weight: { type: 'integer', minimum: 0, maximum: 1000000 },
}, ['name']);

export const HTTPROUTE_SCHEMA = top('gateway.networking.k8s.io/v1', 'HTTPRoute', strict({
  parentRefs: { type: 'array', maxItems: 32, items: parentRef },
  hostnames: { type: 'array', maxItems: 16, items: { type: 'string', minLength: 1, maxLength: 253 } },
  rules: {
    type: 'array', minItems: 1, maxItems: 16,
    items: strict({
      name: { type: 'string', minLength: 1, maxLength: 253 },
      matches: { type: 'array', maxItems: 64, items: match },
      backendRefs: { type: 'array', maxItems: 16, items: backendRef },
      timeouts: strict({ request: { type: 'string', pattern: GW_DURATION }, backendRequest: { type: 'string', pattern: GW_DURATION } }),
    }),
  },
}));
