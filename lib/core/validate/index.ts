import { GpuplaneValidationError } from '../errors';
import { KubeObject } from '../kube';
import { validateSchema } from './schema';
import { validateSemantics } from './semantic';

export { hasSchema, SCHEMA_KINDS, validateSchema } from './schema';
export { validateSemantics } from './semantic';

/** Schema and semantic problems of a set of rendered objects (empty when all is well). */
export function validateObjects(objects: readonly KubeObject[]): string[] {
  return [...objects.flatMap((o) => validateSchema(o)), ...validateSemantics(objects)];
}

/** Throws a GpuplaneValidationError naming every problem of the rendered objects. */
export function assertValidObjects(subject: string, objects: readonly KubeObject[]): void {
  const problems = validateObjects(objects);
  if (problems.length > 0) {
    throw new GpuplaneValidationError(subject, problems.map((message) => ({ field: 'rendered objects', message })));
  }
}
