import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { referencePath } from './reference';

/**
 * Validates objects against the real CustomResourceDefinitions in ../shared/reference (crds/ and gpu-operator/) the
 * way the API server's structural schema does:
 * - defaults are applied first (the API server defaults absent fields before it validates),
 * - types, enums, patterns, required, minimum/maximum, min/maxLength, min/maxItems, min/maxProperties,
 * - `x-kubernetes-int-or-string` (an integer or a string), `nullable`,
 * - `x-kubernetes-preserve-unknown-fields` (anything below is kept) and `x-kubernetes-embedded-resource`,
 * - `x-kubernetes-list-type`: `set` lists without duplicates, `map` lists without two items of the same keys,
 * - unknown fields, which the API server prunes silently (or refuses with strict field validation): reported as
 *   errors, since a pruned field is a setting that never takes effect.
 * CEL rules (`x-kubernetes-validations`): the ones gpuplane's objects reach are evaluated from a table of their exact
 * text (see CEL); transition rules (`oldSelf`) are skipped, as on create; any other rule on a node the object has is
 * returned in `unchecked`, so tests can list them. `format` is not checked (the API server checks only a few, leniently).
 */

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CrdVersion {
  readonly file: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly schema: Schema;
}

export interface CrdVerdict {
  /** `spec.disruption: must have required property 'consolidateAfter'`, `spec.foo: unknown field (pruned)`. */
  readonly errors: string[];
  /** CEL rules on nodes the object has that the table does not know, as `path: rule`, not evaluated. */
  readonly unchecked: string[];
}

const CRD_DIRS = [['crds'], ['gpu-operator']];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return f.endsWith('.yaml') ? [p] : [];
  });
}

let cache: Map<string, CrdVersion> | undefined;

/** Every served version of every CRD in the reference, by `group/version/Kind`. */
export function referenceCrds(): ReadonlyMap<string, CrdVersion> {
  if (cache) return cache;
  const out = new Map<string, CrdVersion>();
  for (const parts of CRD_DIRS) {
    for (const file of yamlFiles(referencePath(...parts)).sort()) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const crd = doc.toJS() as Schema | null;
        if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
        for (const v of crd.spec.versions ?? []) {
          if (!v.served) continue;
          const schema = v.schema?.openAPIV3Schema;
          if (!schema) throw new Error(`${file}: version ${v.name} has no openAPIV3Schema`);
          out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, { file, group: crd.spec.group, kind: crd.spec.names.kind, version: v.name, schema });
        }
      }
    }
  }
  cache = out;
  return out;
}

/** The served CRD version for an object's apiVersion and kind, or undefined if the reference has none. */
export function crdFor(apiVersion: string, kind: string): CrdVersion | undefined {
  return referenceCrds().get(`${apiVersion}/${kind}`);
}

/** The structural schema as JSON Schema for Ajv (draft-07 keywords are the ones CRDs use). */
export function toJsonSchema(s: Schema, root = true): Schema {
  const out: Schema = {};
  for (const key of ['enum', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'multipleOf', 'required', 'default']) {
    if (s[key] !== undefined) out[key] = s[key];
  }
  // OpenAPI v3.0: exclusiveMinimum/Maximum are booleans modifying minimum/maximum.
  if (typeof s.exclusiveMinimum === 'boolean') {
    delete out.exclusiveMinimum;
    if (s.exclusiveMinimum && s.minimum !== undefined) { out.exclusiveMinimum = s.minimum; delete out.minimum; }
  }
  if (typeof s.exclusiveMaximum === 'boolean') {
    delete out.exclusiveMaximum;
    if (s.exclusiveMaximum && s.maximum !== undefined) { out.exclusiveMaximum = s.maximum; delete out.maximum; }
  }
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (s['x-kubernetes-int-or-string']) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  } else if (s.type) {
    out.type = s.nullable ? [s.type, 'null'] : s.type;
    if (s.enum && s.nullable) out.enum = [...s.enum, null];
  }
  if (s.properties || embedded) {
    out.properties = {};
    for (const [k, v] of Object.entries<Schema>(s.properties ?? {})) out.properties[k] = toJsonSchema(v, false);
    if (embedded) {
      for (const k of ['apiVersion', 'kind']) out.properties[k] ??= { type: 'string' };
      out.properties.metadata ??= { type: 'object' };
    }
  }
  if (root) {
    // metadata is validated as ObjectMeta by the API server, not by the CRD's schema.
    out.properties = { ...(out.properties ?? {}), apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' } };
  }
  if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
    out.additionalProperties = s.additionalProperties === true ? true : toJsonSchema(s.additionalProperties, false);
  } else if (s.type === 'object' && !preserve && !embedded) {
    // Structural schemas prune every field the schema does not name.
    out.additionalProperties = false;
  } else if (embedded && !preserve) {
    out.additionalProperties = false;
  }
  if (s.items) out.items = toJsonSchema(s.items, false);
  // A `set` list refuses duplicates (the API server's "Duplicate value"); `map` lists are checked in celRules.
  if (s['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    // Value validations only (structural schemas forbid types and properties under them).
    if (Array.isArray(s[key])) {
      const branches = s[key].map((b: Schema) => valueOnly(b));
      if (key === 'anyOf' && out.anyOf) out.allOf = [...(out.allOf ?? []), { anyOf: branches }];
      else out[key] = branches;
    }
  }
  if (s.not) out.not = valueOnly(s.not);
  return out;
}

/** A logical-junctor branch: required, properties' value constraints, no pruning. */
function valueOnly(b: Schema): Schema {
  const out: Schema = {};
  for (const key of ['enum', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'required', 'type', 'format']) {
    if (b[key] !== undefined && key !== 'format') out[key] = b[key];
  }
  if (b.properties) out.properties = Object.fromEntries(Object.entries<Schema>(b.properties).map(([k, v]) => [k, valueOnly(v)]));
  if (b.items) out.items = valueOnly(b.items);
  for (const key of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(b[key])) out[key] = b[key].map(valueOnly);
  if (b.not) out.not = valueOnly(b.not);
  return out;
}

/** CRD patterns are Go RE2: translate the inline case-insensitive flag `(?i)` that JavaScript lacks. */
const re2 = Object.assign((pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replace(/\(\?i\)/g, ''), `${flags}i`) : new RegExp(pattern, flags)), { code: 'RegExp' });
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: false, code: { regExp: re2 } });
const compiled = new Map<string, ValidateFunction>();

function validatorOf(crd: CrdVersion): ValidateFunction {
  const key = `${crd.group}/${crd.version}/${crd.kind}`;
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(toJsonSchema(crd.schema));
    compiled.set(key, v);
  }
  return v;
}

function dotted(instancePath: string): string {
  return instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(root)';
}

function message(e: ErrorObject): string {
  const at = dotted(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      return `${at === '(root)' ? '' : `${at}.`}${field}: unknown field (the API server prunes it)`;
    }
    case 'enum':
      return `${at}: must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    default:
      return `${at}: ${e.message}`;
  }
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const has = (o: Any, k: string) => o !== null && typeof o === 'object' && o[k] !== undefined;
const domain = (key: string) => /^([^/]+)/.exec(key)?.[1] ?? '';
const restrictedKarpenterKey = (k: string) => ['karpenter.sh/capacity-type', 'karpenter.sh/nodepool'].includes(k) || !domain(k).endsWith('karpenter.sh');
const comparison = (op: string) => ['Gt', 'Lt', 'Gte', 'Lte'].includes(op);

/** Go's time.ParseDuration, in milliseconds (undefined when it does not parse). */
export function goDurationMs(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };
  const m = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m) return text === '0' ? 0 : undefined;
  let total = 0;
  for (const [, n, , u] of text.matchAll(/(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g) as Any) total += Number(n) * units[u];
  return text.startsWith('-') ? -total : total;
}

/**
 * The CEL rules of the reference CRDs that gpuplane's objects reach, evaluated by hand (exact rule text -> check).
 * Transition rules (those naming `oldSelf`) never run on create, so they are skipped; any other rule is listed as
 * unchecked.
 */
const CEL: Record<string, (self: Any) => boolean> = {
  // KEDA ScaledObject
  '!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)': (s) => !has(s, 'minReplicaCount') || s.minReplicaCount <= (has(s, 'maxReplicaCount') ? s.maxReplicaCount : 100),
  // Istio VirtualService
  "duration(self) >= duration('1ms')": (s) => (goDurationMs(s) ?? -1) >= 1,
  // Flux HelmRelease
  "!has(self.retryInterval) || self.name != 'RemediateOnFailure'": (s) => !has(s, 'retryInterval') || s.name !== 'RemediateOnFailure',
  "!has(self.retryInterval) || self.name == 'RetryOnFailure'": (s) => !has(s, 'retryInterval') || s.name === 'RetryOnFailure',
  'has(self.configMapRef) || has(self.secretRef)': (s) => has(s, 'configMapRef') || has(s, 'secretRef'),
  '!has(self.configMapRef) || !has(self.secretRef)': (s) => !has(s, 'configMapRef') || !has(s, 'secretRef'),
  '(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))': (s) => has(s, 'chart') !== has(s, 'chartRef'),
  // Karpenter NodePool
  'self.all(x, has(x.schedule) == has(x.duration))': (s) => s.every((x: Any) => has(x, 'schedule') === has(x, 'duration')),
  'self.all(x, x in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !x.find("^([^/]+)").endsWith("karpenter.sh"))': (s) => Object.keys(s).every(restrictedKarpenterKey),
  'self.all(x, x != "karpenter.sh/nodepool")': (s) => Object.keys(s).every((k) => k !== 'karpenter.sh/nodepool'),
  'self.all(x, x != "kubernetes.io/hostname")': (s) => Object.keys(s).every((k) => k !== 'kubernetes.io/hostname'),
  'self in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !self.find("^([^/]+)").endsWith("karpenter.sh")': (s) => restrictedKarpenterKey(s),
  'self != "karpenter.sh/nodepool"': (s) => s !== 'karpenter.sh/nodepool',
  'self != "kubernetes.io/hostname"': (s) => s !== 'kubernetes.io/hostname',
  "self != ''": (s) => s !== '',
  "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)": (s) => s.every((x: Any) => (x.operator === 'In' ? (x.values ?? []).length !== 0 : true)),
  "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' || x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)": (s) => s.every((x: Any) => (comparison(x.operator) ? (x.values ?? []).length === 1 && /^[-+]?\d+$/.test(x.values[0]) && Number(x.values[0]) >= 0 : true)),
  "self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >= x.minValues : true)": (s) => s.every((x: Any) => (x.operator === 'In' && has(x, 'minValues') ? (x.values ?? []).length >= x.minValues : true)),
  '!has(self.replicas) || !has(self.weight)': (s) => !has(s, 'replicas') || !has(s, 'weight'),
  "!has(self.replicas) || (!has(self.limits) || size(self.limits) == 0 || (size(self.limits) == 1 && 'nodes' in self.limits))": (s) => !has(s, 'replicas') || !has(s, 'limits') || Object.keys(s.limits).length === 0 || (Object.keys(s.limits).length === 1 && 'nodes' in s.limits),
};

function celRules(s: Schema, value: unknown, path: string, errors: string[], unchecked: string[]): void {
  if (value === undefined || value === null) return;
  const at = path || '(root)';
  for (const r of s['x-kubernetes-validations'] ?? []) {
    if (/\boldSelf\b/.test(r.rule)) continue; // transition rule: not evaluated on create
    const check = CEL[r.rule];
    if (!check) unchecked.push(`${at}: ${r.rule}`);
    else if (!check(value)) errors.push(`${at}: ${r.message ?? `failed rule ${r.rule}`} (CEL: ${r.rule})`);
  }
  if (Array.isArray(value) && s['x-kubernetes-list-type'] === 'map') {
    // A map list refuses two items with the same keys (the API server's "Duplicate value").
    const keys: string[] = s['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    for (const item of value as Any[]) {
      const k = JSON.stringify(keys.map((key) => item?.[key]));
      if (seen.has(k)) errors.push(`${at}: duplicate entry for ${keys.map((key) => `${key}=${JSON.stringify(item?.[key])}`).join(', ')} (x-kubernetes-list-type: map)`);
      seen.add(k);
    }
  }
  if (Array.isArray(value) && s.items) value.forEach((v, i) => celRules(s.items, v, `${path}[${i}]`, errors, unchecked));
  else if (typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (sub) celRules(sub, v, path ? `${path}.${k}` : k, errors, unchecked);
    }
  }
}

/** Validates one object against its CRD; throws if the reference has no CRD for its apiVersion and kind. */
export function validateAgainstCrd(object: { readonly apiVersion: string; readonly kind: string; readonly [field: string]: unknown }): CrdVerdict {
  const crd = crdFor(object.apiVersion, object.kind);
  if (!crd) throw new Error(`no served CRD version for ${object.apiVersion} ${object.kind} in ../shared/reference`);
  const copy = JSON.parse(JSON.stringify(object));
  const validate = validatorOf(crd);
  const errors = validate(copy) ? [] : [...new Set((validate.errors ?? []).map(message))];
  const unchecked: string[] = [];
  // CEL rules run only on objects that pass the schema (as in the API server, which skips them on type errors).
  if (errors.length === 0) celRules(crd.schema, copy, '', errors, unchecked);
  return { errors, unchecked };
}
