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
/** HTTPRoute parentRefs: the same parent (group, kind, name, namespace; an empty namespace is unset). */
const sameParent = (a: Any, b: Any) => a.group === b.group && a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
const emptySection = (p: Any) => (p.sectionName ?? '') === '';
const exactOrPrefix = (p: Any) => p.type === 'Exact' || p.type === 'PathPrefix';
/** Exactly one filter of `kind` (requestRedirect, urlRewrite) replacing a prefix match. */
const exactlyOnePrefixReplace = (filters: Any, kind: string) => (filters ?? []).filter((f: Any) => f[kind]?.path?.type === 'ReplacePrefixMatch' && has(f[kind].path, 'replacePrefixMatch')).length === 1;
const onePathPrefixMatch = (rule: Any) => (rule.matches ?? []).length === 1 && has(rule.matches[0], 'path') && rule.matches[0].path.type === 'PathPrefix';
/** A Gateway API duration (GEP-2257: h, m, s, ms) in milliseconds. */
function gatewayDurationMs(text: string): number | undefined {
  const unit: Record<string, number> = { h: 3600000, m: 60000, s: 1000, ms: 1 };
  if (!/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(text)) return undefined;
  return [...text.matchAll(/(\d+)(ms|h|m|s)/g)].reduce((n, [, v, u]) => n + Number(v) * unit[u], 0);
}

const CEL: Record<string, (self: Any) => boolean> = {
  // GAIE InferencePool (inference.networking.k8s.io/v1)
  "self.kind != 'Service' || has(self.port)": (s) => s.kind !== 'Service' || has(s, 'port'),
  'self.all(p1, self.exists_one(p2, p1.number==p2.number))': (s) => s.every((p1: Any) => s.filter((p2: Any) => p1.number === p2.number).length === 1),
  // Gateway API HTTPRoute (gateway.networking.k8s.io/v1): parentRefs, rules, backendRefs, path matches, timeouts
  "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true))":
    (s) => s.every((p1: Any) => s.every((p2: Any) => (sameParent(p1, p2) ? emptySection(p1) === emptySection(p2) : true))),
  "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName))))":
    (s) => s.every((p1: Any) => s.filter((p2: Any) => sameParent(p1, p2) && ((emptySection(p1) && emptySection(p2)) || (!emptySection(p1) && p1.sectionName === p2.sectionName))).length === 1),
  "(self.size() > 0 ? self[0].matches.size() : 0) + (self.size() > 1 ? self[1].matches.size() : 0) + (self.size() > 2 ? self[2].matches.size() : 0) + (self.size() > 3 ? self[3].matches.size() : 0) + (self.size() > 4 ? self[4].matches.size() : 0) + (self.size() > 5 ? self[5].matches.size() : 0) + (self.size() > 6 ? self[6].matches.size() : 0) + (self.size() > 7 ? self[7].matches.size() : 0) + (self.size() > 8 ? self[8].matches.size() : 0) + (self.size() > 9 ? self[9].matches.size() : 0) + (self.size() > 10 ? self[10].matches.size() : 0) + (self.size() > 11 ? self[11].matches.size() : 0) + (self.size() > 12 ? self[12].matches.size() : 0) + (self.size() > 13 ? self[13].matches.size() : 0) + (self.size() > 14 ? self[14].matches.size() : 0) + (self.size() > 15 ? self[15].matches.size() : 0) <= 128":
    (s) => s.slice(0, 16).reduce((n: number, rule: Any) => n + (rule.matches ?? []).length, 0) <= 128,
  "(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true":
    (s) => ((s.backendRefs ?? []).length > 0 ? (s.filters ?? []).every((f: Any) => !has(f, 'requestRedirect')) : true),
  "(has(self.filters) && self.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true":
    (s) => (exactlyOnePrefixReplace(s.filters, 'requestRedirect') ? onePathPrefixMatch(s) : true),
  "(has(self.filters) && self.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true":
    (s) => (exactlyOnePrefixReplace(s.filters, 'urlRewrite') ? onePathPrefixMatch(s) : true),
  "(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true":
    (s) => ((s.backendRefs ?? []).filter((b: Any) => exactlyOnePrefixReplace(b.filters, 'requestRedirect')).length === 1 ? onePathPrefixMatch(s) : true),
  "(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true":
    (s) => ((s.backendRefs ?? []).filter((b: Any) => exactlyOnePrefixReplace(b.filters, 'urlRewrite')).length === 1 ? onePathPrefixMatch(s) : true),
  "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true":
    (s) => ((s.group ?? '') === '' && s.kind === 'Service' ? has(s, 'port') : true),
  "(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true":
    (s) => (exactOrPrefix(s) ? String(s.value).startsWith('/') : true),
  "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true":
    (s) => (exactOrPrefix(s) ? !String(s.value).includes("//") : true),
  "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('/./') : true":
    (s) => (exactOrPrefix(s) ? !String(s.value).includes("/./") : true),
  "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('/../') : true":
    (s) => (exactOrPrefix(s) ? !String(s.value).includes("/../") : true),
  "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2f') : true":
    (s) => (exactOrPrefix(s) ? !String(s.value).includes("%2f") : true),
  "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2F') : true":
    (s) => (exactOrPrefix(s) ? !String(s.value).includes("%2F") : true),
  "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('#') : true":
    (s) => (exactOrPrefix(s) ? !String(s.value).includes("#") : true),
  "(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/..') : true":
    (s) => (exactOrPrefix(s) ? !String(s.value).endsWith("/..") : true),
  "(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/.') : true":
    (s) => (exactOrPrefix(s) ? !String(s.value).endsWith("/.") : true),
  "self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'":
    (s) => ['Exact', 'PathPrefix', 'RegularExpression'].includes(s.type),
  "(self.type in ['Exact','PathPrefix']) ? self.value.matches(r\"\"\"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$\"\"\") : true":
    (s) => (exactOrPrefix(s) ? /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/.test(String(s.value)) : true),
  "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))":
    (s) => !(has(s, 'request') && has(s, 'backendRequest') && gatewayDurationMs(s.request) !== 0 && gatewayDurationMs(s.backendRequest)! > gatewayDurationMs(s.request)!),
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
  // Kueue v0.19 (kueue.x-k8s.io/v1beta2) ResourceFlavor and ClusterQueue
  '!has(self.topologyName) || self.nodeLabels.size() >= 1': (s) => !has(s, 'topologyName') || Object.keys(s.nodeLabels ?? {}).length >= 1,
  '!has(self.cohortName) && has(self.resourceGroups) ? self.resourceGroups.all(rg, rg.flavors.all(f, f.resources.all(r, !has(r.borrowingLimit)))) : true':
    (s) => (!has(s, 'cohortName') && has(s, 'resourceGroups') ? s.resourceGroups.every((rg: Any) => rg.flavors.every((f: Any) => f.resources.every((r: Any) => !has(r, 'borrowingLimit')))) : true),
  'self.flavors.all(x, size(x.resources) == size(self.coveredResources))': (s) => s.flavors.every((x: Any) => x.resources.length === s.coveredResources.length),
  "!has(self.preference) || (self.whenCanBorrow == 'TryNextFlavor' && self.whenCanPreempt == 'TryNextFlavor')": (s) => !has(s, 'preference') || (s.whenCanBorrow === 'TryNextFlavor' && s.whenCanPreempt === 'TryNextFlavor'),
  "!(self.reclaimWithinCohort == 'Never' && has(self.borrowWithinCohort) &&  self.borrowWithinCohort.policy != 'Never')": (s) => !(s.reclaimWithinCohort === 'Never' && has(s, 'borrowWithinCohort') && s.borrowWithinCohort.policy !== 'Never'),
  "self.all(x, !has(x.key) ? x.operator == 'Exists' : true)": (s) => s.every((x: Any) => (!has(x, 'key') ? x.operator === 'Exists' : true)),
  "self.all(x, has(x.tolerationSeconds) ? x.effect == 'NoExecute' : true)": (s) => s.every((x: Any) => (has(x, 'tolerationSeconds') ? x.effect === 'NoExecute' : true)),
  "self.all(x, !has(x.operator) || x.operator in ['Equal', 'Exists'])": (s) => s.every((x: Any) => !has(x, 'operator') || ['Equal', 'Exists'].includes(x.operator)),
  "self.all(x, has(x.operator) && x.operator == 'Exists' ? !has(x.value) : true)": (s) => s.every((x: Any) => (has(x, 'operator') && x.operator === 'Exists' ? !has(x, 'value') : true)),
  "self.all(x, !has(x.effect) || x.effect in ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])": (s) => s.every((x: Any) => !has(x, 'effect') || ['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(x.effect)),
  "self.all(x, x.effect in ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])": (s) => s.every((x: Any) => ['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(x.effect)),
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
