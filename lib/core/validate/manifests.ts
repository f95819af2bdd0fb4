import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../kube';
import { validateProductionRules } from './production';
import { hasSchema, validateSchema } from './schema';
import { validateSemantics } from './semantic';

/** YAML text to check and where it came from. */
export interface ManifestSource {
  /** Where the text came from, for parse errors (a file name, `-` for standard input). */
  readonly name: string;
  readonly text: string;
}

/** Which checks checkManifests runs. */
export interface CheckManifestsOptions {
  /** Run only the production rules, not the schema and semantic checks. @default false */
  readonly rulesOnly?: boolean;
  /**
   * The manifests are the whole application: every Service, PodDisruptionBudget and autoscaler must select a
   * workload among them (see SemanticOptions.closedWorld).
   * @default false
   */
  readonly closedWorld?: boolean;
}

/** What checkManifests found: objects read, kinds without a schema, and the problems. */
export interface ManifestCheck {
  /** Objects read (List items counted one by one). */
  readonly objects: number;
  /** `apiVersion/kind` pairs without a schema gpuplane knows: not schema-checked, the other checks still ran. */
  readonly withoutSchema: readonly string[];
  /** Every problem, as `Kind/namespace/name: ...`. */
  readonly problems: readonly string[];
}

/** YAML that is not a set of Kubernetes objects. */
export class ManifestParseError extends Error {}

function objectsOf(source: ManifestSource): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(source.text)) {
    if (doc.errors.length > 0) throw new ManifestParseError(`${source.name}: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const o = value as Partial<KubeObject> & { items?: unknown[] };
    if (typeof o !== 'object' || Array.isArray(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') {
      throw new ManifestParseError(`${source.name}: a document is not a Kubernetes object (it needs apiVersion and kind)`);
    }
    const items = o.kind.endsWith('List') && Array.isArray(o.items) ? (o.items as Partial<KubeObject>[]) : [o];
    for (const item of items) {
      if (typeof item?.metadata?.name !== 'string') {
        throw new ManifestParseError(`${source.name}: ${item?.kind ?? 'an object'} without metadata.name; checks name every object they report on (render generateName objects with a name first)`);
      }
      out.push(item as KubeObject);
    }
  }
  return out;
}

/**
 * Checks manifests gpuplane did not render (a Helm template output, hand-written YAML) with the same checks as its
 * own objects: production rules, semantic checks across all the objects given, and the upstream schema of every
 * kind gpuplane has one for.
 */
export function checkManifests(sources: readonly ManifestSource[], options: CheckManifestsOptions = {}): ManifestCheck {
  const sourceOf = new Map<KubeObject, string>();
  const objects = sources.flatMap((source) => {
    const read = objectsOf(source);
    for (const o of read) sourceOf.set(o, source.name);
    return read;
  });
  const withoutSchema = new Set<string>();
  const problems: string[] = [];
  if (!options.rulesOnly) {
    for (const o of objects) {
      if (hasSchema(o.apiVersion, o.kind)) problems.push(...validateSchema(o));
      else withoutSchema.add(`${o.apiVersion}/${o.kind}`);
    }
    problems.push(...validateSemantics(objects, { closedWorld: options.closedWorld ?? false, sourceOf: (o) => sourceOf.get(o) ?? '' }));
  }
  problems.push(...validateProductionRules(objects));
  return { objects: objects.length, withoutSchema: [...withoutSchema].sort(), problems };
}
