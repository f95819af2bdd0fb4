import { KubeObject } from './kube';

/**
 * The stable id of a rendered object inside its construct or component: the kind, plus the part of the object
 * name after the owner's name (`Deployment`, `ConfigMap-prometheus-adapter-rule`). cdk8s construct ids and Pulumi
 * logical names both derive from it, so renaming an object never happens by accident. Ids are API.
 */
export function objectId(owner: string, obj: KubeObject): string {
  const name = obj.metadata.name;
  if (name === owner || obj.kind === 'Namespace') return obj.kind;
  const suffix = name.startsWith(`${owner}-`) ? name.slice(owner.length + 1) : name;
  return `${obj.kind}-${suffix}`;
}
