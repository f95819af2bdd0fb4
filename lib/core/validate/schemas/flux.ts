import { strictObject, objectMeta as meta } from './common';

/**
 * JSON schemas for Flux's HelmRepository (source.toolkit.fluxcd.io/v1, source-controller v1.9.1) and HelmRelease
 * (helm.toolkit.fluxcd.io/v2, helm-controller v1.6.3), written from those CRDs (the published model packages of current
 * Flux are ESM-only). They agree with the CRDs (test/crds/schema-agreement.test.ts checks it against the CRD files):
 * every field of the parts they describe, with the CRDs' patterns, lengths and enums, and unknown keys refused where
 * the API server would prune them (`install.remediation.strategy` does not exist: only `upgrade.remediation` has it).
 * `values` is free-form, as in the CRD.
 */
const duration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' };
/** HelmRepository's `timeout` has no hours. */
const shortDuration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$' };
const crds = { enum: ['Skip', 'Create', 'CreateReplace'] };
const name = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
const localRef = { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string' } } };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const remediation = (withStrategy: boolean) => strictObject({
  ignoreTestFailures: { type: 'boolean' }, remediateLastFailure: { type: 'boolean' }, retries: { type: 'integer' },
  ...(withStrategy ? { strategy: { enum: ['rollback', 'uninstall'] } } : {}),
});
/** `retryInterval` only with RetryOnFailure (CEL). */
const actionStrategy = {
  ...strictObject({ name: { enum: ['RemediateOnFailure', 'RetryOnFailure'] }, retryInterval: duration }, ['name']),
  if: { required: ['retryInterval'] }, then: { properties: { name: { const: 'RetryOnFailure' } } },
};
const common = {
  disableHooks: { type: 'boolean' }, disableOpenAPIValidation: { type: 'boolean' }, disableSchemaValidation: { type: 'boolean' },
  disableTakeOwnership: { type: 'boolean' }, disableWait: { type: 'boolean' }, disableWaitForJobs: { type: 'boolean' }, timeout: duration, crds,
};
const target = strictObject({ annotationSelector: { type: 'string' }, group: { type: 'string' }, kind: { type: 'string' }, labelSelector: { type: 'string' }, name: { type: 'string' }, namespace: { type: 'string' }, version: { type: 'string' } });

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
      required: ['url'],
      properties: {
        url: { type: 'string', pattern: '^(http|https|oci)://.*$' },
        interval: duration,
        timeout: shortDuration,
        type: { enum: ['default', 'oci'] },
        provider: { enum: ['generic', 'aws', 'azure', 'gcp'] },
        secretRef: localRef,
        certSecretRef: localRef,
        accessFrom: strictObject({ namespaceSelectors: { type: 'array', items: strictObject({ matchLabels: stringMap }) } }, ['namespaceSelectors']),
        insecure: { type: 'boolean' },
        passCredentials: { type: 'boolean' },
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
      required: ['interval'],
      // CEL: exactly one of chart and chartRef.
      oneOf: [{ required: ['chart'] }, { required: ['chartRef'] }],
      properties: {
        interval: duration,
        releaseName: name(53),
        targetNamespace: name(63),
        storageNamespace: name(63),
        serviceAccountName: name(253),
        timeout: duration,
        suspend: { type: 'boolean' },
        maxHistory: { type: 'integer' },
        persistentClient: { type: 'boolean' },
        postRenderStrategy: { enum: ['nohooks', 'combined', 'separate'] },
        chart: strictObject({
          metadata: strictObject({ annotations: stringMap, labels: stringMap }),
          spec: strictObject({
            chart: name(2048),
            version: { type: 'string' },
            interval: duration,
            ignoreMissingValuesFiles: { type: 'boolean' },
            reconcileStrategy: { enum: ['ChartVersion', 'Revision'] },
            valuesFiles: { type: 'array', items: { type: 'string' } },
            verify: strictObject({ provider: { enum: ['cosign', 'notation'] }, secretRef: localRef }), // provider: the API server defaults it to cosign
            sourceRef: strictObject({ apiVersion: { type: 'string' }, kind: { enum: ['HelmRepository', 'GitRepository', 'Bucket'] }, name: name(253), namespace: name(63) }, ['kind', 'name']),
          }, ['chart', 'sourceRef']),
        }, ['spec']),
        chartRef: strictObject({ apiVersion: { type: 'string' }, kind: { enum: ['OCIRepository', 'HelmChart', 'ExternalArtifact'] }, name: name(253), namespace: name(63) }, ['kind', 'name']),
        install: strictObject({ ...common, createNamespace: { type: 'boolean' }, remediation: remediation(false), replace: { type: 'boolean' }, serverSideApply: { type: 'boolean' }, skipCRDs: { type: 'boolean' }, strategy: actionStrategy }),
        upgrade: strictObject({
          ...common, chartNameChangeStrategy: { enum: ['InPlaceUpdate', 'Reinstall'] }, cleanupOnFail: { type: 'boolean' }, force: { type: 'boolean' }, preserveValues: { type: 'boolean' },
          remediation: remediation(true), serverSideApply: { enum: ['enabled', 'disabled', 'auto'] }, strategy: actionStrategy,
        }),
        values: {},
        valuesFrom: {
          type: 'array',
          items: strictObject({
            kind: { enum: ['Secret', 'ConfigMap'] }, name: name(253), literal: { type: 'boolean' }, optional: { type: 'boolean' },
            targetPath: { type: 'string', maxLength: 250, pattern: '^([a-zA-Z0-9_\\-.\\\\\\/]|\\[[0-9]{1,5}\\])+$' },
            valuesKey: { type: 'string', maxLength: 253, pattern: '^[\\-._a-zA-Z0-9]+$' },
          }, ['kind', 'name']),
        },
        dependsOn: { type: 'array', items: strictObject({ name: { type: 'string' }, namespace: { type: 'string' }, readyExpr: { type: 'string' } }, ['name']) },
        commonMetadata: strictObject({ annotations: stringMap, labels: stringMap }),
        driftDetection: strictObject({ mode: { enum: ['enabled', 'warn', 'disabled'] }, ignore: { type: 'array', items: strictObject({ paths: { type: 'array', items: { type: 'string' } }, target }, ['paths']) } }),
        postRenderers: { type: 'array', items: strictObject({ kustomize: strictObject({ images: { type: 'array', items: strictObject({ digest: { type: 'string' }, name: { type: 'string' }, newName: { type: 'string' }, newTag: { type: 'string' } }, ['name']) }, patches: { type: 'array', items: strictObject({ patch: { type: 'string' }, target }, ['patch']) } }) }) },
        rollback: strictObject({ cleanupOnFail: { type: 'boolean' }, disableHooks: { type: 'boolean' }, disableWait: { type: 'boolean' }, disableWaitForJobs: { type: 'boolean' }, force: { type: 'boolean' }, recreate: { type: 'boolean' }, serverSideApply: { enum: ['enabled', 'disabled', 'auto'] }, timeout: duration }),
        test: strictObject({ enable: { type: 'boolean' }, filters: { type: 'array', items: strictObject({ exclude: { type: 'boolean' }, name: name(253) }, ['name']) }, ignoreFailures: { type: 'boolean' }, timeout: duration }),
        uninstall: strictObject({ deletionPropagation: { enum: ['background', 'foreground', 'orphan'] }, disableHooks: { type: 'boolean' }, disableWait: { type: 'boolean' }, keepHistory: { type: 'boolean' }, timeout: duration }),
        kubeConfig: {
          ...strictObject({ configMapRef: localRef, secretRef: strictObject({ key: { type: 'string' }, name: { type: 'string' } }, ['name']) }),
          // CEL: exactly one of configMapRef and secretRef.
          oneOf: [{ required: ['configMapRef'] }, { required: ['secretRef'] }],
        },
        healthCheckExprs: { type: 'array', items: strictObject({ apiVersion: { type: 'string' }, current: { type: 'string' }, failed: { type: 'string' }, inProgress: { type: 'string' }, kind: { type: 'string' } }, ['apiVersion', 'current']) },
        waitStrategy: strictObject({ name: { enum: ['poller', 'legacy'] } }, ['name']),
      },
    },
  },
} as const;
