/* eslint-disable @typescript-eslint/no-var-requires */
import { KubeObject, objectKey } from '../kube';

/** A model class from kubernetes-models: construct with the object, `validate()` throws on a schema violation. */
type ModelClass = new (data: unknown) => { validate(): void };

/**
 * Schemas by `apiVersion/kind`: Kubernetes OpenAPI through kubernetes-models 4.5 (CommonJS), CRDs through the
 * @kubernetes-models packages that still ship CommonJS. Loaded lazily so a plain import of gpuplane stays cheap.
 */
const LOADERS: Record<string, () => ModelClass> = {
  'v1/ConfigMap': () => require('kubernetes-models/v1').ConfigMap,
  'v1/Namespace': () => require('kubernetes-models/v1').Namespace,
  'v1/PersistentVolumeClaim': () => require('kubernetes-models/v1').PersistentVolumeClaim,
  'v1/ResourceQuota': () => require('kubernetes-models/v1').ResourceQuota,
  'v1/Secret': () => require('kubernetes-models/v1').Secret,
  'v1/Service': () => require('kubernetes-models/v1').Service,
  'v1/ServiceAccount': () => require('kubernetes-models/v1').ServiceAccount,
  'apps/v1/DaemonSet': () => require('kubernetes-models/apps/v1').DaemonSet,
  'apps/v1/Deployment': () => require('kubernetes-models/apps/v1').Deployment,
  'apps/v1/StatefulSet': () => require('kubernetes-models/apps/v1').StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': () => require('kubernetes-models/autoscaling/v2').HorizontalPodAutoscaler,
  'batch/v1/CronJob': () => require('kubernetes-models/batch/v1').CronJob,
  'batch/v1/Job': () => require('kubernetes-models/batch/v1').Job,
  'networking.k8s.io/v1/NetworkPolicy': () => require('kubernetes-models/networking.k8s.io/v1').NetworkPolicy,
  'policy/v1/PodDisruptionBudget': () => require('kubernetes-models/policy/v1').PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': () => require('kubernetes-models/rbac.authorization.k8s.io/v1').Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': () => require('kubernetes-models/rbac.authorization.k8s.io/v1').RoleBinding,
  'monitoring.coreos.com/v1/PrometheusRule': () => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1').PrometheusRule,
  'monitoring.coreos.com/v1/ServiceMonitor': () => require('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1').ServiceMonitor,
  'networking.istio.io/v1beta1/DestinationRule': () => require('@kubernetes-models/istio/networking.istio.io/v1beta1').DestinationRule,
  'networking.istio.io/v1beta1/VirtualService': () => require('@kubernetes-models/istio/networking.istio.io/v1beta1').VirtualService,
  'keda.sh/v1alpha1/ScaledObject': () => require('@kubernetes-models/keda/keda.sh/v1alpha1').ScaledObject,
  'argoproj.io/v1alpha1/Application': () => require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1').Application,
};

/** Schemas of our own (JSON schema, checked with Ajv) for kinds without CommonJS model packages. */
const LOCAL_SCHEMAS: Record<string, () => object> = {
  'karpenter.sh/v1/NodePool': () => require('./schemas/karpenter').KARPENTER_NODEPOOL_SCHEMA,
  'source.toolkit.fluxcd.io/v1/HelmRepository': () => require('./schemas/flux').FLUX_HELMREPOSITORY_SCHEMA,
  'helm.toolkit.fluxcd.io/v2/HelmRelease': () => require('./schemas/flux').FLUX_HELMRELEASE_SCHEMA,
  'cert-manager.io/v1/Issuer': () => require('./schemas/cert-manager').CERT_MANAGER_ISSUER_SCHEMA,
  'cert-manager.io/v1/ClusterIssuer': () => require('./schemas/cert-manager').CERT_MANAGER_ISSUER_SCHEMA,
  'cert-manager.io/v1/Certificate': () => require('./schemas/cert-manager').CERT_MANAGER_CERTIFICATE_SCHEMA,
};

const cache = new Map<string, ModelClass>();
const localCache = new Map<string, (data: unknown) => string[]>();

/** Compiles a JSON schema into a checker that returns `path message` strings. */
export function compileJsonSchema(schema: object): (data: unknown) => string[] {
  const Ajv = require('ajv').default;
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, $data: true });
  const validate = ajv.compile(schema);
  return (data: unknown) => (validate(data) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string; params?: unknown }) => `data${e.instancePath} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in (e.params as object) ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : ''}`));
}

/** The `apiVersion/kind` pairs gpuplane can validate against an upstream schema. */
export const SCHEMA_KINDS: readonly string[] = [...Object.keys(LOADERS), ...Object.keys(LOCAL_SCHEMAS)].sort();

export function hasSchema(apiVersion: string, kind: string): boolean {
  const key = `${apiVersion}/${kind}`;
  return key in LOADERS || key in LOCAL_SCHEMAS;
}

/** Validates one object against its upstream schema; returns the problems (empty when valid). */
export function validateSchema(obj: KubeObject): string[] {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (LOCAL_SCHEMAS[key]) {
    let check = localCache.get(key);
    if (!check) {
      check = compileJsonSchema(LOCAL_SCHEMAS[key]());
      localCache.set(key, check);
    }
    return check(obj).map((m) => `${objectKey(obj)}: schema ${key}: ${m}`);
  }
  const loader = LOADERS[key];
  if (!loader) return [`${objectKey(obj)}: no schema is known for ${key}; gpuplane refuses to emit objects it cannot validate`];
  let Model = cache.get(key);
  if (!Model) {
    Model = loader();
    cache.set(key, Model);
  }
  try {
    // The model constructor copies the object into the model (dropping undefined values); ours is only read.
    new Model(obj).validate();
    return [];
  } catch (e) {
    const err = e as Error & { errors?: { instancePath?: string; message?: string }[] };
    return [`${objectKey(obj)}: schema ${key}: ${err.message}`];
  }
}
