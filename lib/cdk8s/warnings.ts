import { Construct } from 'constructs';
import { enforceWarnings } from '../core/errors';

/** The App context key that turns every gpuplane warning into an error (`app.node.setContext('gpuplane:strict', true)`). */
export const STRICT_CONTEXT_KEY = 'gpuplane:strict';

/** Props every gpuplane construct takes. */
export interface StrictProps {
  /**
   * Turn every warning of this construct into an error, for CI.
   * @default - the App context key `gpuplane:strict`, else the GPUPLANE_STRICT environment variable ('true' or '1'), else false: warnings are printed at synth
   */
  readonly strict?: boolean;
}

/** Whether strict mode applies to a construct: its prop, the App context, the environment. */
export function strictFor(scope: Construct, prop: boolean | undefined): boolean {
  if (prop !== undefined) return prop;
  const context: unknown = scope.node.tryGetContext(STRICT_CONTEXT_KEY);
  if (context !== undefined) return context === true || context === 'true';
  return process.env.GPUPLANE_STRICT === 'true' || process.env.GPUPLANE_STRICT === '1';
}

/**
 * Makes a construct's warnings visible: strict mode throws them at construction; otherwise they are recorded as
 * `gpuplane:warning` metadata and printed to stderr with the construct path when the app synthesizes.
 */
export function reportWarnings(construct: Construct, subject: string, warnings: readonly string[], strict: boolean): void {
  enforceWarnings(subject, warnings, strict);
  if (warnings.length === 0) return;
  for (const w of warnings) construct.node.addMetadata('gpuplane:warning', w);
  let printed = false;
  construct.node.addValidation({
    validate: () => {
      if (!printed) {
        printed = true;
        for (const w of warnings) process.stderr.write(`[gpuplane] WARNING ${construct.node.path}: ${w}\n`);
      }
      return [];
    },
  });
}
