import { KubeObject, objectKey } from '../kube';
import { validateProductionRules } from './production';
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

interface ProductionRule extends RuleInfo {
  readonly matches: RegExp;
}

const PRODUCTION: readonly ProductionRule[] = [
  { id: 'hf-token-literal', set: 'production', description: 'no Hugging Face token as a literal env value (use a Secret)', matches: /: env (HF_TOKEN|HUGGING_FACE_HUB_TOKEN) holds the token/ },
  { id: 'gpu-cpu-limit', set: 'production', description: 'no CPU limit on a GPU container', matches: /: limits\.cpu .* on a GPU container/ },
  { id: 'pinned-image', set: 'production', description: 'GPU containers run a pinned image (a tag other than latest, or a digest)', matches: /: image ".*" is not pinned;/ },
  { id: 'gpu-memory-utilization', set: 'production', description: 'vLLM --gpu-memory-utilization within (0, 0.95]', matches: /: --gpu-memory-utilization \S+ is outside/ },
  { id: 'max-model-len', set: 'production', description: 'vLLM servers set --max-model-len (or --config)', matches: /: no --max-model-len,/ },
  { id: 'shm-for-parallelism', set: 'production', description: 'tensor or pipeline parallel vLLM mounts /dev/shm from a Memory emptyDir', matches: /without \/dev\/shm from a Memory-backed emptyDir/ },
  { id: 'startup-probe', set: 'production', description: 'vLLM servers have a startupProbe', matches: /: no startupProbe;/ },
  { id: 'readiness-probe', set: 'production', description: 'vLLM servers have a readinessProbe', matches: /: no readinessProbe;/ },
  { id: 'liveness-delay', set: 'production', description: 'no startup budget in the liveness probe (initialDelaySeconds < 60)', matches: /: livenessProbe\.initialDelaySeconds \S+ is a startup budget/ },
  { id: 'no-privilege', set: 'production', description: 'vLLM servers are neither privileged nor allowed privilege escalation', matches: /: securityContext (privileged|allowPrivilegeEscalation): true; vLLM needs neither/ },
  { id: 'rollout-progress', set: 'production', description: 'a Deployment rollout can replace pods (not maxSurge 0 and maxUnavailable 0)', matches: /: maxSurge and maxUnavailable are both 0/ },
  { id: 'gpu-surge', set: 'production', description: 'GPU Deployments surge no more than their declared spare GPUs', matches: /: (maxSurge \S+ needs \d+ free GPU|annotation gpuplane\.dev\/spare-gpus ".*" must be a whole number)/ },
  { id: 'etcd-members', set: 'production', description: 'etcd runs an odd number of members, at least 3', matches: /: \d+ etcd member\(s\)/ },
  { id: 'model-cache-persistent', set: 'production', description: 'vLLM workloads of more than one pod keep the Hugging Face cache on a PersistentVolumeClaim, not an emptyDir or ephemeral volume', matches: /: the Hugging Face cache \(.*\) is on (an emptyDir|a generic ephemeral volume), deleted with the pod/, crossObject: true },
  { id: 'autoscaler-signal', set: 'production', description: 'autoscalers of vLLM workloads do not scale on CPU or memory', matches: /: scales a vLLM server on /, crossObject: true },
];

/** Every rule integrations can select: the production rules one by one, then the semantic and schema sets. */
export const RULES: readonly RuleInfo[] = [
  ...PRODUCTION.map(({ matches: _matches, ...info }) => info),
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

/** The production rule a message of validateProductionRules comes from (`production` for one no rule claims). */
export function productionRuleOf(message: string): string {
  return PRODUCTION.find((r) => r.matches.test(message))?.id ?? 'production';
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
    for (const message of validateProductionRules(objects)) out.push({ rule: productionRuleOf(message), set: 'production', resource: resourceOf(message), message });
  }
  return out;
}
