import { KubeObject } from '../../lib/core/kube';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The one object of a kind (and name) in a render; throws when absent so tests fail loudly. */
export function find(objects: readonly KubeObject[], kind: string, name?: string): Obj {
  const hits = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (hits.length !== 1) throw new Error(`expected one ${kind}${name ? `/${name}` : ''}, found ${hits.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return hits[0] as Obj;
}

/** The one workload (Deployment or StatefulSet, as the model delivery chose) of a render, by name. */
export function findWorkload(objects: readonly KubeObject[], name?: string): Obj {
  const hits = objects.filter((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && (name === undefined || o.metadata.name === name));
  if (hits.length !== 1) throw new Error(`expected one Deployment or StatefulSet${name ? `/${name}` : ''}, found ${hits.length}: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return hits[0] as Obj;
}

export function kinds(objects: readonly KubeObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`);
}

/** The vLLM container of a Deployment. */
export function vllmContainer(deployment: Obj): Obj {
  return deployment.spec.template.spec.containers.find((c: Obj) => c.name === 'vllm');
}

/** The value following a flag in an argument list. */
export function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
}
