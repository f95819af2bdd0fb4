/* eslint-disable @typescript-eslint/no-var-requires */
import { KINDS, ModelClass, podTemplatesOf } from '../kinds';
import { KubeObject, objectKey } from '../kube';

/** Kinds with an upstream schema, from the registry of kinds. */
const SCHEMAS = new Map(KINDS.filter((k) => k.schema).map((k) => [`${k.apiVersion}/${k.kind}`, k.schema!]));

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
export const SCHEMA_KINDS: readonly string[] = [...SCHEMAS.keys()].sort();

/** Whether gpuplane has a schema for this apiVersion and kind. */
export function hasSchema(apiVersion: string, kind: string): boolean {
  const key = `${apiVersion}/${kind}`;
  return SCHEMAS.has(key);
}

/**
 * The pod templates of a custom resource (a LeaderWorkerSet's leader and workers), checked as pods against the
 * Kubernetes schema: the CRD embeds the core PodTemplateSpec, which a hand-written JSON schema should not copy.
 */
function podTemplateProblems(obj: KubeObject): string[] {
  return podTemplatesOf(obj as Record<string, unknown>).flatMap(({ path, template }) => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'template', ...template.metadata }, spec: template.spec };
    return validateSchema(pod as KubeObject).map((m) => m.replace(/^Pod\/[^:]*: schema v1\/Pod/, `${objectKey(obj)}: ${path}`));
  });
}

/** Validates one object against its upstream schema; returns the problems (empty when valid). */
export function validateSchema(obj: KubeObject): string[] {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const schema = SCHEMAS.get(key);
  if (!schema) return [`${objectKey(obj)}: no schema is known for ${key}; gpuplane refuses to emit objects it cannot validate`];
  if ('json' in schema) {
    let check = localCache.get(key);
    if (!check) {
      check = compileJsonSchema(schema.json());
      localCache.set(key, check);
    }
    return [...check(obj).map((m) => `${objectKey(obj)}: schema ${key}: ${m}`), ...podTemplateProblems(obj)];
  }
  let Model = cache.get(key);
  if (!Model) {
    Model = schema.model();
    cache.set(key, Model);
  }
  try {
    // The model's constructor deep-copies the object into the model only to drop undefined values, which the
    // validator (ajv's standalone code) treats as absent anyway: a model instance that reads the object's own
    // top-level values validates the same data without the copy. `validate()` and the schema id live on the model's
    // prototype in every @kubernetes-models/base version, so they are kept.
    (Object.assign(Object.create(Model.prototype), obj) as InstanceType<ModelClass>).validate();
    return [];
  } catch (e) {
    const err = e as Error & { errors?: { instancePath?: string; message?: string }[] };
    return [`${objectKey(obj)}: schema ${key}: ${err.message}`];
  }
}
