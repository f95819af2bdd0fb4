/**
 * JSON schemas for Flux's HelmRepository (source.toolkit.fluxcd.io/v1) and HelmRelease (helm.toolkit.fluxcd.io/v2),
 * written from the Flux v2 CRDs (the published model packages of current Flux are ESM-only). Unknown keys in the
 * parts gpuplane renders are refused, so a typo fails at synth instead of being ignored by the controller.
 */
const duration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' };
const crds = { enum: ['Skip', 'Create', 'CreateReplace'] };
const remediation = { type: 'object', additionalProperties: false, properties: { retries: { type: 'integer' }, remediateLastFailure: { type: 'boolean' }, strategy: { enum: ['rollback', 'uninstall'] } } };
const meta = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, namespace: { type: 'string' } } };

export const FLUX_HELMREPOSITORY_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'source.toolkit.fluxcd.io/v1' },
    kind: { const: 'HelmRepository' },
    metadata: meta,
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'interval'],
      properties: {
        url: { type: 'string', pattern: '^(http|https|oci)://.*$' },
        interval: duration,
        timeout: duration,
        type: { enum: ['default', 'oci'] },
        provider: { enum: ['generic', 'aws', 'azure', 'gcp'] },
        secretRef: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        suspend: { type: 'boolean' },
      },
    },
  },
} as const;

export const FLUX_HELMRELEASE_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'helm.toolkit.fluxcd.io/v2' },
    kind: { const: 'HelmRelease' },
    metadata: meta,
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['interval', 'chart'],
      properties: {
        interval: duration,
        releaseName: { type: 'string', maxLength: 53 },
        targetNamespace: { type: 'string', maxLength: 63 },
        storageNamespace: { type: 'string' },
        timeout: duration,
        suspend: { type: 'boolean' },
        chart: {
          type: 'object',
          additionalProperties: false,
          required: ['spec'],
          properties: {
            spec: {
              type: 'object',
              additionalProperties: false,
              required: ['chart', 'sourceRef'],
              properties: {
                chart: { type: 'string', minLength: 1 },
                version: { type: 'string' },
                interval: duration,
                reconcileStrategy: { enum: ['ChartVersion', 'Revision'] },
                sourceRef: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['kind', 'name'],
                  properties: { apiVersion: { type: 'string' }, kind: { enum: ['HelmRepository', 'GitRepository', 'Bucket'] }, name: { type: 'string' }, namespace: { type: 'string' } },
                },
              },
            },
          },
        },
        install: { type: 'object', additionalProperties: false, properties: { crds, remediation, createNamespace: { type: 'boolean' }, timeout: duration } },
        upgrade: { type: 'object', additionalProperties: false, properties: { crds, remediation, timeout: duration, force: { type: 'boolean' } } },
        values: { type: 'object' },
        dependsOn: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, namespace: { type: 'string' } } } },
      },
    },
  },
} as const;
