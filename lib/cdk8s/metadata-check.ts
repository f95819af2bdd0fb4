import { ApiObjectMetadataDefinition, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver, resolve } from 'cdk8s';
import { createHash } from 'crypto';
import { dirname, join } from 'path';

/**
 * Whether an ApiObject's metadata, as cdk8s would write it, equals the metadata gpuplane rendered: the question
 * `RenderedApiObject.modified` asks of every object at every synth.
 *
 * cdk8s answers it with `metadata.toJson()`: `resolve` over the metadata (which looks up the App and allocates a
 * resolution context and a key path for every value), then `sanitizeValue` (keys sorted, `null`, empty lists and
 * empty maps dropped). For metadata that is plain JSON (strings, numbers, booleans, plain objects and arrays, no
 * `Lazy`, nothing with a `resolve()` or a `value`) cdk8s's three built-in resolvers replace nothing, so `resolve`
 * returns the same values, and the answer is `sanitizeValue`'s output compared with the rendered metadata. This file
 * computes that without building either: same answer, measured about a tenth of synth's time at 1,000 services.
 *
 * It reads the metadata's fields as cdk8s's `toJson()` of 2.70.106 assembles them, so it is used only while the code
 * it reproduces is that code: the SHA-256 of the source of `ApiObjectMetadataDefinition.prototype.toJson`, `resolve`,
 * `sanitizeValue` and the three built-in resolvers must equal `VERIFIED_CDK8S_SOURCE`, and the metadata object must
 * have exactly the fields that toJson() reads. Otherwise, or for metadata that is not plain JSON, the caller asks
 * `toJson()` itself. A test compares both answers over every object of every example and over changed metadata.
 */

/** SHA-256 of the cdk8s code reproduced here, as cdk8s 2.70.106 ships it. */
export const VERIFIED_CDK8S_SOURCE = '322bb8a5972a1b30a043c7eef779670338b967f4eff1d7867a78b275b78a3a85';


/** SHA-256 of the installed cdk8s's metadata `toJson`, `resolve`, `sanitizeValue` and built-in resolvers. */
export function cdk8sMetadataSourceHash(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const util = require(join(dirname(require.resolve('cdk8s')), '_util')) as { sanitizeValue?: unknown };
  const parts = [ApiObjectMetadataDefinition.prototype.toJson, resolve, util.sanitizeValue, LazyResolver.prototype.resolve, ImplicitTokenResolver.prototype.resolve, NumberStringUnionResolver.prototype.resolve];
  return createHash('sha256')
    .update(parts.map((f) => String(f)).join('\n'))
    .digest('hex');
}

let verified: boolean | undefined;

function cdk8sIsVerified(): boolean {
  if (verified === undefined) {
    try {
      verified = cdk8sMetadataSourceHash() === VERIFIED_CDK8S_SOURCE;
    } catch {
      verified = false;
    }
  }
  return verified;
}

/** Plain JSON that cdk8s's built-in resolvers leave as it is. */
function isPlain(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  if (t !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  const o = v as Record<string, unknown>;
  // ImplicitTokenResolver replaces anything with a resolve(); NumberStringUnionResolver anything not a plain object
  // with a string or number `value`.
  if (typeof o.resolve === 'function') return false;
  if (proto === Array.prototype) {
    if (typeof o.value === 'number' || typeof o.value === 'string') return false;
    const a = v as unknown[];
    for (let i = 0; i < a.length; i++) if (!isPlain(a[i])) return false;
    return true;
  }
  // resolve() recurses into, and sanitizeValue accepts, only objects whose `constructor` is Object: a key named
  // `constructor` shadows it, and cdk8s then refuses the object (toJson() tells that).
  if (proto !== Object.prototype || o.constructor !== Object) return false;
  for (const key in o) if (!isPlain(o[key])) return false;
  return true;
}

/** Whether `sanitizeValue(v, { filterEmptyArrays, filterEmptyObjects })` drops `v` (plain JSON). */
function dropped(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.length === 0;
  for (const key in v as Record<string, unknown>) if (!dropped((v as Record<string, unknown>)[key])) return false;
  return true;
}

const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;

/**
 * The key order of sanitizeValue's output: it inserts the sorted keys into a new object, which enumerates array-index
 * keys ('2', '10') first in numeric order, then the others in insertion order.
 */
function sanitizedKeyOrder(keys: string[]): string[] {
  keys.sort();
  if (!keys.some((k) => INDEX_KEY.test(k) && Number(k) < 2 ** 32 - 1)) return keys;
  const order: Record<string, true> = {};
  for (const k of keys) order[k] = true;
  return Object.keys(order);
}

/** Whether sanitizeValue's output for plain `raw` equals `expected` (keys in order); `raw` is not dropped. */
function sanitizedEquals(raw: unknown, expected: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return raw === expected;
  if (typeof expected !== 'object' || expected === null) return false;
  if (Array.isArray(raw)) {
    if (!Array.isArray(expected) || expected.length !== raw.length) return false;
    // Inside a list sanitizeValue keeps every position: a dropped element becomes undefined, never in a rendered list.
    for (let i = 0; i < raw.length; i++) if (dropped(raw[i]) || !sanitizedEquals(raw[i], expected[i])) return false;
    return true;
  }
  if (Array.isArray(expected)) return false;
  const keys = sanitizedKeyOrder(Object.keys(raw));
  const exp = expected as Record<string, unknown>;
  const expKeys = Object.keys(exp);
  let j = 0;
  for (const key of keys) {
    const value = (raw as Record<string, unknown>)[key];
    if (dropped(value)) continue;
    if (expKeys[j] !== key || !sanitizedEquals(value, exp[key])) return false;
    j++;
  }
  return j === expKeys.length && j > 0;
}

/** The fields of cdk8s 2.70's ApiObjectMetadataDefinition, every one that toJson() reads. */
const FIELDS = new Set(['_additionalAttributes', 'annotations', 'apiObject', 'finalizers', 'labels', 'name', 'namespace', 'ownerReferences']);
/** The fields toJson() writes over the extra attributes (`{ ..._additionalAttributes, name, namespace, ... }`). */
const OWN = new Set(['name', 'namespace', 'annotations', 'finalizers', 'ownerReferences', 'labels']);

/**
 * Whether `metadata.toJson()` would equal `rendered` (keys in order), or undefined where only calling it can tell
 * (a cdk8s other than the verified one, metadata with fields it does not know, tokens or objects in the metadata).
 * Only for apps whose resolvers are cdk8s's built-in ones.
 */
export function renderedMetadataEquals(metadata: ApiObjectMetadataDefinition, rendered: object): boolean | undefined {
  if (!cdk8sIsVerified()) return undefined;
  const fields = metadata as unknown as Record<string, unknown>;
  let count = 0;
  for (const key in fields) {
    if (!FIELDS.has(key)) return undefined;
    count++;
  }
  if (count !== FIELDS.size) return undefined;
  const extra = fields._additionalAttributes;
  if (extra === null || typeof extra !== 'object' || Object.getPrototypeOf(extra) !== Object.prototype) return undefined;
  // toJson() resolves and sanitizes `{ ..._additionalAttributes, name, namespace, annotations, finalizers,
  // ownerReferences, labels }`: walked here key by key in sanitizeValue's order, without building it.
  const keys = Object.keys(extra);
  for (const k of OWN) if (!(k in extra)) keys.push(k);
  const exp = rendered as Record<string, unknown>;
  const expKeys = Object.keys(exp);
  let j = 0;
  for (const key of sanitizedKeyOrder(keys)) {
    const value = OWN.has(key) ? fields[key] : (extra as Record<string, unknown>)[key];
    if (!isPlain(value)) return undefined;
    if (dropped(value)) continue;
    // A difference in a plain value is final: what follows in key order cannot change it.
    if (expKeys[j] !== key || !sanitizedEquals(value, exp[key])) return false;
    j++;
  }
  return j === expKeys.length;
}
