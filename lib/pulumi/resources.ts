import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KINDS } from '../core/kinds';
import { KubeObject } from '../core/kube';
import { objectId } from '../core/object-ids';

type Ctor = new (name: string, args: any, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Typed @pulumi/kubernetes classes for the built-in kinds, from the registry of kinds; everything else is a CustomResource. */
const TYPED: Record<string, Ctor> = Object.fromEntries(
  KINDS.filter((k) => k.pulumi).map((k) => {
    const [group, version, kind] = k.pulumi!;
    return [`${k.apiVersion}/${k.kind}`, (k8s as any)[group][version][kind] as Ctor]; // eslint-disable-line @typescript-eslint/no-explicit-any
  }),
);

/**
 * Creates one resource per rendered object, each a child of `parent`. Namespaced objects depend on a Namespace
 * rendered alongside them. Logical names: `<component>-<object id>` (ids are API: see objectId).
 */
export function createKubernetesResources(parent: pulumi.ComponentResource, componentName: string, owner: string, objects: readonly KubeObject[]): Record<string, pulumi.CustomResource> {
  const out: Record<string, pulumi.CustomResource> = {};
  const namespaces: pulumi.Resource[] = [];
  for (const obj of objects) {
    const id = objectId(owner, obj);
    const logical = `${componentName}-${id.toLowerCase()}`;
    const dependsOn = obj.kind === 'Namespace' ? [] : namespaces;
    const opts: pulumi.CustomResourceOptions = { parent, dependsOn };
    const Typed = TYPED[`${obj.apiVersion}/${obj.kind}`];
    const res = Typed ? new Typed(logical, obj, opts) : new k8s.apiextensions.CustomResource(logical, obj as k8s.apiextensions.CustomResourceArgs, opts);
    if (obj.kind === 'Namespace') namespaces.push(res);
    out[id] = res;
  }
  return out;
}
