/**
 * gpuplane's checks as a cdk8s validation plugin: `cdk8s synth` runs them over every manifest the app synthesizes
 * (plain ApiObjects, `Include`d YAML, `Helm` charts and gpuplane's constructs alike) and fails on errors.
 *
 * ```yaml
 * # cdk8s.yaml
 * validations:
 *   - package: ./node_modules/gpuplane   # or the package name, when it can be installed from a registry
 *     version: 0.1.0                     # exact
 *     class: GpuplaneValidation
 *     properties: { rules: { pinned-image: warning } }
 * ```
 *
 * The CLI builds the context and calls `validate`. The context's shape is declared here, structurally the same as
 * `ValidationContext` of `cdk8s-cli/plugins` (the tests check that the class is a cdk8s-cli `Validation`), so the
 * published types do not need cdk8s-cli installed where gpuplane is.
 */

/** A violation as `ValidationReport.addViolation` of cdk8s-cli takes it. */
export interface CdkValidationViolation {
  readonly ruleName: string;
  readonly recommendation: string;
  readonly fix: string;
  readonly violatingResources: readonly { readonly resourceName: string; readonly locations: readonly string[]; readonly manifestPath: string }[];
}

/** The parts of cdk8s-cli's `ValidationContext` the plugin uses. */
export interface CdkValidationContext {
  readonly manifests: readonly string[];
  /** Reads one synthesized manifest file into objects. */
  parseManifest(manifestPath: string): unknown[];
  readonly report: {
    /** Adds one violation to the report. */
    addViolation(violation: CdkValidationViolation): void;
    /** Ends the report with its status. */
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  /** cdk8s-cli's logger. */
  readonly logger: {
    /** Prints a line in the cdk8s output. */
    log(message: string): void;
  };
}
import { GpuplaneValidationError, Problem } from '../core/errors';
import { KubeObject, objectKey } from '../core/kube';
import { findRuleViolations, RULE_SETS, RULES, RuleSet } from '../core/validate';

/** `error` fails the synth, `warning` is reported without failing it, `off` skips the rule. */
export type GpuplaneRuleSeverity = 'error' | 'warning' | 'off';
const SEVERITIES: readonly GpuplaneRuleSeverity[] = ['error', 'warning', 'off'];

/** The `properties` of the plugin in cdk8s.yaml. */
export interface GpuplaneValidationProperties {
  /** The rule sets to run. @default ['production', 'semantic', 'schema'] */
  readonly sets?: readonly RuleSet[];
  /** The severity of every rule not named in `rules`. @default 'error' */
  readonly severity?: GpuplaneRuleSeverity;
  /** Per-rule severities by rule id (`RULES`), e.g. `{ 'pinned-image': 'warning', schema: 'off' }`. @default - `severity` */
  readonly rules?: Readonly<Record<string, GpuplaneRuleSeverity>>;
  /**
   * The synthesized manifests are the whole application: every Service, PDB and autoscaler must select a workload
   * among them (see SemanticOptions.closedWorld).
   * @default false - operators and other apps make workloads the manifests do not show
   */
  readonly closedWorld?: boolean;
}

const PROPERTY_KEYS = ['sets', 'severity', 'rules', 'closedWorld'];

function checkProperties(p: Record<string, unknown>): void {
  const problems: Problem[] = [];
  for (const k of Object.keys(p)) {
    if (!PROPERTY_KEYS.includes(k)) problems.push({ field: `properties.${k}`, message: 'is not a property of the plugin', value: k, allowed: PROPERTY_KEYS.join(', '), fix: 'remove it from cdk8s.yaml' });
  }
  if (p.sets !== undefined && !(Array.isArray(p.sets) && p.sets.every((s) => RULE_SETS.includes(s)))) {
    problems.push({ field: 'properties.sets', message: 'must be a list of rule sets', value: p.sets, allowed: RULE_SETS.join(', ') });
  }
  if (p.severity !== undefined && !SEVERITIES.includes(p.severity as GpuplaneRuleSeverity)) {
    problems.push({ field: 'properties.severity', message: 'is not a severity', value: p.severity, allowed: SEVERITIES.join(', ') });
  }
  if (p.closedWorld !== undefined && typeof p.closedWorld !== 'boolean') problems.push({ field: 'properties.closedWorld', message: 'must be a boolean', value: p.closedWorld });
  if (p.rules !== undefined && (typeof p.rules !== 'object' || p.rules === null || Array.isArray(p.rules))) {
    problems.push({ field: 'properties.rules', message: 'must map rule ids to severities', value: p.rules });
  } else {
    for (const [id, severity] of Object.entries((p.rules ?? {}) as Record<string, unknown>)) {
      if (!RULES.some((r) => r.id === id)) problems.push({ field: `properties.rules.${id}`, message: 'is not a rule', value: id, allowed: RULES.map((r) => r.id).join(', ') });
      else if (!SEVERITIES.includes(severity as GpuplaneRuleSeverity)) problems.push({ field: `properties.rules.${id}`, message: 'is not a severity', value: severity, allowed: SEVERITIES.join(', ') });
    }
  }
  if (problems.length > 0) throw new GpuplaneValidationError('GpuplaneValidation (cdk8s.yaml validations properties)', problems);
}

/** The fix of a check's message: its last sentence (the checks end with what to do). */
function fixOf(message: string): string {
  const i = message.lastIndexOf('. ');
  return i >= 0 ? message.slice(i + 2) : message;
}

/**
 * The cdk8s validation plugin. cdk8s-cli constructs it with the `properties` of cdk8s.yaml and calls `validate`
 * with the synthesized manifest files; every problem becomes a violation whose rule is `gpuplane/<rule id>`, whose
 * resource is the object's `metadata.name` (cdk8s maps it to the construct path) and whose recommendation is the
 * check's whole message (resource, value, what is allowed, fix).
 */
export class GpuplaneValidation {
  private readonly properties: GpuplaneValidationProperties;

  constructor(properties: GpuplaneValidationProperties = {}) {
    checkProperties(properties as Record<string, unknown>);
    this.properties = properties;
  }

  private severityOf(rule: string): GpuplaneRuleSeverity {
    return this.properties.rules?.[rule] ?? this.properties.severity ?? 'error';
  }

  /** Checks every synthesized manifest and reports each violation through the context (cdk8s-cli calls it). */
  public async validate(context: CdkValidationContext): Promise<void> {
    const fileOf = new Map<KubeObject, string>();
    const objects: KubeObject[] = [];
    for (const manifest of context.manifests) {
      for (const doc of context.parseManifest(manifest) as unknown[]) {
        const o = doc as Partial<KubeObject> | null;
        if (!o || typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || typeof o.metadata?.name !== 'string') continue;
        objects.push(o as KubeObject);
        fileOf.set(o as KubeObject, manifest);
      }
    }
    const byKey = new Map<string, KubeObject>();
    for (const o of objects) if (!byKey.has(objectKey(o))) byKey.set(objectKey(o), o);
    const findings = findRuleViolations(objects, { sets: this.properties.sets, closedWorld: this.properties.closedWorld ?? false, sourceOf: (o) => fileOf.get(o) ?? '' });
    let errors = 0;
    let warnings = 0;
    for (const f of findings) {
      const severity = this.severityOf(f.rule);
      if (severity === 'off') continue;
      if (severity === 'error') errors++;
      else warnings++;
      const obj = byKey.get(f.resource);
      const location = f.resource && f.message.startsWith(f.resource) ? f.message.slice(f.resource.length).split(':')[0].trim() : '';
      const violation: CdkValidationViolation = {
        ruleName: `gpuplane/${f.rule}${severity === 'warning' ? ' (warning)' : ''}`,
        recommendation: f.message,
        fix: fixOf(f.message),
        violatingResources: [{ resourceName: obj?.metadata.name ?? (f.resource || 'unknown'), locations: [location || f.resource || 'manifest'], manifestPath: (obj && fileOf.get(obj)) ?? '' }],
      };
      context.report.addViolation(violation);
    }
    context.logger.log(`gpuplane: ${objects.length} object(s) in ${context.manifests.length} manifest(s): ${errors} error(s), ${warnings} warning(s)`);
    context.report.submit(errors > 0 ? 'failure' : 'success', { objects: String(objects.length), errors: String(errors), warnings: String(warnings) });
  }
}
