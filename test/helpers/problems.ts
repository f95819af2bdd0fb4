import { GpuplaneValidationError } from '../../lib/core/errors';

/** Runs `fn`, expects it to throw a GpuplaneValidationError, and returns the message (all problems). */
export function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GpuplaneValidationError);
    return (e as Error).message;
  }
  throw new Error('expected a GpuplaneValidationError');
}
