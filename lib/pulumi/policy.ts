/**
 * A Pulumi policy pack of gpuplane's checks (`gpuplane/pulumi/policy`): the production rules, the semantic checks and
 * the upstream schemas over the `kubernetes:` resources of any stack, gpuplane's or not.
 *
 * Nothing here starts the policy server: `gpuplanePolicies()` returns the policies, and `gpuplanePolicyPack()` is
 * what a policy pack program's `index.ts` calls (constructing a PolicyPack serves it to the Pulumi engine).
 */
import type { EnforcementLevel, PolicyPack, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { GpuplaneValidationError } from '../core/errors';
import { KubeObject } from '../core/kube';
import { findRuleViolations, RULES, RuleSet } from '../core/validate';

/** Every rule id of the pack: the production rules, `semantic`, `schema` and `helm-chart-children`. */
export const POLICY_RULES: readonly string[] = [...RULES.map((r) => r.id), 'helm-chart-children'];

/** Options of gpuplanePolicyPack and gpuplanePolicies: enforcement levels and which rules run. */
export interface GpuplanePolicyOptions {
  /**
   * The enforcement level of every rule not named in `rules`.
   * @default 'mandatory' - the production rules are the ones a GPU inference release must not ship without
   */
  readonly enforcementLevel?: EnforcementLevel;
  /**
   * Per-rule enforcement levels by rule id (see POLICY_RULES), e.g. `{ 'pinned-image': 'advisory', schema: 'disabled' }`.
   * @default - every rule at `enforcementLevel`, except `helm-chart-children`, which is advisory
   */
  readonly rules?: Readonly<Record<string, EnforcementLevel>>;
  /**
   * The stack's Kubernetes resources are the whole application: every Service, PDB and autoscaler must select a
   * workload among them (see SemanticOptions.closedWorld).
   * @default false - workloads made by operators or other stacks are not visible to the pack
   */
  readonly closedWorld?: boolean;
}

/** A `kubernetes:` resource's type token as the engine passes it: `kubernetes:apps/v1:Deployment`. */
const TYPE_TOKEN = /^kubernetes:([^:]+):([^:]+)$/;
const HELM_CHART_TYPES = ['kubernetes:helm.sh/v4:Chart', 'kubernetes:helm.sh/v3:Chart', 'kubernetes:helm.sh/v3:Release'];

/**
 * The Kubernetes object a resource's properties describe, or undefined for non-Kubernetes resources, components
 * (Helm charts, ConfigFile, kustomize), Patch resources (partial objects) and lists.
 */
export function kubeObjectOf(type: string, props: Record<string, unknown>, logicalName: string): KubeObject | undefined {
  const m = TYPE_TOKEN.exec(type);
  if (!m || m[2].endsWith('Patch') || m[2].endsWith('List')) return undefined;
  if (typeof props.kind !== 'string' || typeof props.apiVersion !== 'string') return undefined;
  const metadata = (props.metadata ?? {}) as Record<string, unknown>;
  // Before the provider's check a name Pulumi will generate (auto-naming) is absent: use the logical name.
  return { ...props, metadata: { ...metadata, name: typeof metadata.name === 'string' ? metadata.name : logicalName } } as KubeObject;
}

function levelOf(options: GpuplanePolicyOptions, rule: string): EnforcementLevel {
  const level = options.rules?.[rule] ?? (rule === 'helm-chart-children' ? 'advisory' : options.enforcementLevel ?? 'mandatory');
  return level;
}

function checkOptions(options: GpuplanePolicyOptions): void {
  const unknown = Object.keys(options.rules ?? {}).filter((r) => !POLICY_RULES.includes(r));
  if (unknown.length > 0) {
    throw new GpuplaneValidationError('gpuplanePolicies', unknown.map((r) => ({ field: `rules.${r}`, message: 'is not a rule of the pack', value: r, allowed: POLICY_RULES.join(', '), fix: 'use one of the rule ids (POLICY_RULES)' })));
  }
}

function resourcePolicy(rule: string, set: RuleSet, description: string, options: GpuplanePolicyOptions): ResourceValidationPolicy {
  return {
    name: `gpuplane-${rule}`,
    description: `gpuplane ${set} rule: ${description}`,
    enforcementLevel: levelOf(options, rule),
    validateResource: (args: ResourceValidationArgs, reportViolation) => {
      const obj = kubeObjectOf(args.type, args.props, args.name);
      if (!obj) return;
      for (const f of findRuleViolations([obj], { sets: [set], closedWorld: false })) {
        if (f.rule === rule) reportViolation(`[${rule}] ${f.message}`);
      }
    },
  };
}

function stackPolicy(rule: string, set: RuleSet, description: string, options: GpuplanePolicyOptions): StackValidationPolicy {
  return {
    name: `gpuplane-${rule}`,
    description: `gpuplane ${set} rule across the stack's Kubernetes resources: ${description}`,
    enforcementLevel: levelOf(options, rule),
    validateStack: (args, reportViolation) => {
      const urnOf = new Map<string, string>();
      const objects: KubeObject[] = [];
      for (const r of args.resources as PolicyResource[]) {
        const obj = kubeObjectOf(r.type, r.props, r.name);
        if (!obj) continue;
        objects.push(obj);
        urnOf.set(`${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`, r.urn);
      }
      for (const f of findRuleViolations(objects, { sets: [set], closedWorld: options.closedWorld ?? false })) {
        if (f.rule === rule) reportViolation(`[${rule}] ${f.message}`, urnOf.get(f.resource));
      }
    },
  };
}

/**
 * policies on a Helm chart component do not see the objects it renders (pulumi-kubernetes #2057): say so, unless
 * the chart pipes its render through gpuplane-check's post-renderer.
 */
function helmChartPolicy(options: GpuplanePolicyOptions): ResourceValidationPolicy {
  return {
    name: 'gpuplane-helm-chart-children',
    description: 'Helm chart components: their rendered objects are invisible to policies (pulumi-kubernetes #2057), so the chart should check them with gpuplane-check --post-render',
    enforcementLevel: levelOf(options, 'helm-chart-children'),
    validateResource: (args, reportViolation) => {
      if (!HELM_CHART_TYPES.includes(args.type)) return;
      const post = args.props.postRenderer as { command?: unknown; args?: unknown } | undefined;
      const checked = typeof post?.command === 'string' && /gpuplane-check/.test(post.command) && Array.isArray(post.args) && post.args.includes('--post-render');
      if (checked) return;
      const why = args.type === 'kubernetes:helm.sh/v4:Chart'
        ? "postRenderer { command: '<path to node_modules/.bin/gpuplane-check>', args: ['--post-render'] }"
        : "helm.v4.Chart with postRenderer { command: '<path to node_modules/.bin/gpuplane-check>', args: ['--post-render'] }";
      reportViolation(`[helm-chart-children] ${args.type} "${args.name}": the objects this chart renders are not visible to policies (pulumi-kubernetes #2057), so gpuplane's rules do not check them (postRenderer: ${post === undefined ? 'none' : JSON.stringify(post)}). Use ${why}`);
    },
  };
}

/**
 * gpuplane's checks as Pulumi policies, one per rule: per-resource policies for the rules that read one object
 * (production rules, schemas) and stack policies for the ones that read several (the autoscaler signal, the semantic
 * checks). Every `kubernetes:` resource with `apiVersion` and `kind` is checked (Deployments, StatefulSets,
 * DaemonSets, Jobs, CronJobs, Pods, HPAs, and CustomResources such as LeaderWorkerSets and KEDA ScaledObjects).
 */
export function gpuplanePolicies(options: GpuplanePolicyOptions = {}): (ResourceValidationPolicy | StackValidationPolicy)[] {
  checkOptions(options);
  return [
    ...RULES.map((r) => (r.crossObject ? stackPolicy(r.id, r.set, r.description, options) : resourcePolicy(r.id, r.set, r.description, options))),
    helmChartPolicy(options),
  ];
}

/**
 * Builds and serves the policy pack: call it from the `index.ts` of a policy pack program
 * (`pulumi preview --policy-pack <dir>`). Loads `@pulumi/policy` only when called.
 */
export function gpuplanePolicyPack(name = 'gpuplane', options: GpuplanePolicyOptions = {}): PolicyPack {
  const policy = require('@pulumi/policy') as typeof import('@pulumi/policy');
  return new policy.PolicyPack(name, { policies: gpuplanePolicies(options) });
}
