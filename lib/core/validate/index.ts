import { GpuplaneValidationError } from '../errors';
import { KubeObject } from '../kube';
import { validateSchema } from './schema';
import { validateProductionRules } from './production';
import { validateSemantics } from './semantic';

export { hasSchema, SCHEMA_KINDS, validateSchema } from './schema';
export { validateSemantics } from './semantic';
export type { SemanticOptions } from './semantic';
export { checkManifests, ManifestParseError } from './manifests';
export type { CheckManifestsOptions, ManifestCheck, ManifestSource } from './manifests';
export { isGpuResource, isVllmServer, MAX_GPU_MEMORY_UTILIZATION, PRODUCTION_RULES, productionFindings, SPARE_GPUS_ANNOTATION, validateProductionRules } from './production';
export type { ProductionFinding, ProductionRuleId } from './production';

/** Schema, semantic and production-rule problems of a set of objects (empty when all is well). */
export function validateObjects(objects: readonly KubeObject[]): string[] {
  return [...objects.flatMap((o) => validateSchema(o)), ...validateSemantics(objects), ...validateProductionRules(objects)];
}

/** Throws a GpuplaneValidationError naming every problem of the rendered objects. */
export function assertValidObjects(subject: string, objects: readonly KubeObject[]): void {
  const problems = validateObjects(objects);
  if (problems.length > 0) {
    throw new GpuplaneValidationError(subject, problems.map((message) => ({ field: 'rendered objects', message })));
  }
}
export { findRuleViolations, RULE_SETS, RULES } from './rules';
export type { Finding, FindingsOptions, RuleInfo, RuleSet } from './rules';
