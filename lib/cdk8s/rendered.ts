import { ApiObject, App, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeObject } from '../core/kube';
import { objectId } from '../core/object-ids';
import { validateObjects } from '../core/validate';
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
  private readonly renderedMetadata: string;
  private patched = false;

  constructor(scope: Construct, id: string, rendered: KubeObject) {
    super(scope, id, deepFreeze(rendered) as unknown as ConstructorParameters<typeof ApiObject>[2]);
    this.rendered = rendered;
    this.renderedMetadata = JSON.stringify(rendered.metadata);
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  /** True when the manifest cdk8s will write differs from the rendered object. */
  public get modified(): boolean {
    return this.patched || !onlyBuiltInResolvers(this) || JSON.stringify(this.metadata.toJson()) !== this.renderedMetadata;
  }

  public toJson(): any {
    if (this.modified || process.env.CDK8S_DISABLE_SORT) return super.toJson();
    // A copy, as cdk8s returns: a caller may change what it gets without changing this object.
    const { apiVersion, kind, metadata, ...rest } = copyJson(this.rendered);
    // Marked: cdk8s's resolve pass would have returned these same values, so the direct writer may write them.
    return markFastYaml({ apiVersion, kind, metadata, ...rest });
  }
}

function onlyBuiltInResolvers(obj: ApiObject): boolean {
  const resolvers = App.of(obj).resolvers;
  return resolvers.length === BUILT_IN_RESOLVERS.length && resolvers.every((r, i) => r instanceof BUILT_IN_RESOLVERS[i]);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
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
