import { KubeObject, objectKey } from '../kube';
import { CROSS_OBJECT_PRODUCTION_RULES, PRODUCTION_RULES, ProductionRuleId, productionFindings } from './production';
import { hasSchema, validateSchema } from './schema';
import { validateSemantics } from './semantic';

/** The three sets of checks: gpuplane's production rules, the semantic checks across objects, upstream schemas. */
export type RuleSet = 'production' | 'semantic' | 'schema';
export const RULE_SETS: readonly RuleSet[] = ['production', 'semantic', 'schema'];

/** One named check, so integrations (policy packs, validation plugins) can enable it and set its severity. */
export interface RuleInfo {
  /** A stable id, e.g. `gpu-cpu-limit`. */
  readonly id: string;
  readonly set: RuleSet;
  /** What the rule asks for, one line. */
  readonly description: string;
  /** Whether the rule needs the other objects (an autoscaler and its target). @default false */
  readonly crossObject?: boolean;
}

/** Every rule integrations can select: the production rules one by one, then the semantic and schema sets. */
export const RULES: readonly RuleInfo[] = [
  ...(Object.entries(PRODUCTION_RULES) as [ProductionRuleId, string][]).map(([id, description]): RuleInfo => ({ id, set: 'production', description, ...(CROSS_OBJECT_PRODUCTION_RULES.includes(id) ? { crossObject: true } : {}) })),
  { id: 'semantic', set: 'semantic', description: 'references resolve within the render (selectors, ports, volumes, quantities, duplicates)', crossObject: true },
  { id: 'schema', set: 'schema', description: 'the upstream schema of every kind gpuplane knows' },
];

/** One problem, with the rule that found it and the object it is about. */
export interface Finding {
  readonly rule: string;
  readonly set: RuleSet;
  /** `Kind/namespace/name` of the object, or `''` when no object of the input matches. */
  readonly resource: string;
  /** The whole message: resource, value, what is allowed and the fix, as the checks write it. */
  readonly message: string;
}

export interface FindingsOptions {
  /** The rule sets to run. @default - all three */
  readonly sets?: readonly RuleSet[];
  /** See SemanticOptions.closedWorld. @default false */
  readonly closedWorld?: boolean;
  /** Where each object was read from (see SemanticOptions.sourceOf). @default - one source */
  readonly sourceOf?: (object: KubeObject) => string;
}

/**
 * Runs the selected rule sets over a set of objects and names the rule and the resource of every problem: the
 * checks validateObjects and checkManifests run, in a form integrations can filter and grade.
 */
export function findRuleViolations(objects: readonly KubeObject[], options: FindingsOptions = {}): Finding[] {
  const sets = new Set(options.sets ?? RULE_SETS);
  const keys = objects.map((o) => objectKey(o)).sort((a, b) => b.length - a.length);
  const resourceOf = (message: string) => keys.find((k) => message.startsWith(`${k}:`) || message.startsWith(`${k} `)) ?? '';
  const out: Finding[] = [];
  if (sets.has('schema')) {
    for (const o of objects) {
      if (!hasSchema(o.apiVersion, o.kind)) continue;
      for (const message of validateSchema(o)) out.push({ rule: 'schema', set: 'schema', resource: objectKey(o), message });
    }
  }
  if (sets.has('semantic')) {
    for (const message of validateSemantics(objects, { closedWorld: options.closedWorld ?? false, sourceOf: options.sourceOf })) out.push({ rule: 'semantic', set: 'semantic', resource: resourceOf(message), message });
  }
  if (sets.has('production')) {
    for (const { rule, message } of productionFindings(objects)) out.push({ rule, set: 'production', resource: resourceOf(message), message });
  }
  return out;
}
