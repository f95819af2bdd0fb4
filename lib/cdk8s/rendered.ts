import { ApiObject, App, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject } from '../core/kube';
import { objectId } from '../core/object-ids';
import { validateObjects } from '../core/validate';
import { renderedMetadataEquals } from './metadata-check';
import { markFastYaml } from './yaml-writer';

const BUILT_IN_RESOLVERS = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver];

/**
 * An ApiObject holding an object the core rendered: plain JSON with sorted keys, no `null` or `undefined`, already
 * validated. Until something changes it (`addJsonPatch`, a metadata change, a chart label, a custom App resolver or
 * `CDK8S_DISABLE_SORT`), cdk8s's resolve-and-sanitize pass would return it unchanged, so `toJson()` returns a plain
 * copy instead of running that pass. Any change takes cdk8s's own path.
 */
export class RenderedApiObject extends ApiObject {
  /**
   * The object as the core rendered and validated it. Frozen, so what was validated is what is written: change the
   * manifest through `addJsonPatch` or `metadata`, which are validated again at synth.
   */
  public readonly rendered: KubeObject;
  private patched = false;

  constructor(scope: Construct, id: string, rendered: KubeObject) {
    super(scope, id, deepFreeze(rendered) as unknown as ConstructorParameters<typeof ApiObject>[2]);
    this.rendered = rendered;
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  /** True when the manifest cdk8s will write differs from the rendered object. */
  public get modified(): boolean {
    // The metadata cdk8s would write (chart labels and namespace, addLabel, tokens resolved) against the rendered one,
    // keys in order: any difference takes cdk8s's path.
    if (this.patched || !onlyBuiltInResolvers(this)) return true;
    // Without calling toJson() where the answer is certain without it (metadata-check.ts), else as cdk8s writes it.
    // Asked afresh each time: a Lazy in the metadata, or a change made between validation and writing, counts.
    return !(renderedMetadataEquals(this.metadata, this.rendered.metadata) ?? sameJson(this.metadata.toJson(), this.rendered.metadata));
  }

  public toJson(): any {
    const manifest = unmodifiedManifest(this);
    if (manifest === undefined) return super.toJson();
    // A copy, as cdk8s returns: a caller may change what it gets without changing this object. Marked: cdk8s's
    // resolve pass would have returned these same values, so the direct writer may write them.
    return markFastYaml(copyJson(manifest));
  }
}

/**
 * The manifest cdk8s would write for `obj` when it is a RenderedApiObject nothing changed (see `modified`): the
 * rendered object itself (frozen, shared, not a copy) with `apiVersion`, `kind` and `metadata` first, as cdk8s orders
 * a manifest's top-level keys. Undefined for any other object, a modified one, a subclass with its own `toJson()`, or
 * under `CDK8S_DISABLE_SORT` (cdk8s then keeps the props' key order, which the sorted rendered object does not).
 */
export function unmodifiedManifest(obj: ApiObject): KubeObject | undefined {
  if (!(obj instanceof RenderedApiObject)) return undefined;
  const r = obj as RenderedApiObject;
  if (r.toJson !== RenderedApiObject.prototype.toJson || process.env.CDK8S_DISABLE_SORT || r.modified) return undefined;
  const { apiVersion, kind, metadata, ...rest } = r.rendered;
  return { apiVersion, kind, metadata, ...rest };
}

/** Deep equality of two JSON values, object keys in the same order (what JSON.stringify of both would compare). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !sameJson((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false;
  }
  return true;
}

function onlyBuiltInResolvers(obj: ApiObject): boolean {
  const resolvers = App.of(obj).resolvers;
  return resolvers.length === BUILT_IN_RESOLVERS.length && resolvers.every((r, i) => r instanceof BUILT_IN_RESOLVERS[i]);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    } else {
      for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
    }
    Object.freeze(value);
  }
  return value;
}

function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as unknown as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = copyJson((value as Record<string, unknown>)[key]);
    return out as T;
  }
  return value;
}

/**
 * Adds one RenderedApiObject per rendered object to the construct tree and validates the final manifests at synth,
 * so an override (`addJsonPatch`, metadata changes) that breaks a schema or a rule fails `cdk8s synth` with this
 * construct's path. The core already validated the objects as rendered; at synth they are validated again only when
 * something changed one of them (all of them together, since rules span objects).
 */
export function addRenderedObjects(scope: Construct, owner: string, objects: readonly KubeObject[]): Record<string, RenderedApiObject> {
  const out: Record<string, RenderedApiObject> = {};
  for (const obj of objects) {
    const id = objectId(owner, obj);
    out[id] = new RenderedApiObject(scope, id, obj);
  }
  scope.node.addValidation({
    validate: () => {
      const all = Object.values(out);
      return all.some((o) => o.modified) ? validateObjects(all.map((o) => o.toJson() as KubeObject)) : [];
    },
  });
  return out;
}
