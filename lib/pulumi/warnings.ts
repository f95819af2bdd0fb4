import * as pulumi from '@pulumi/pulumi';
import { enforceWarnings } from '../core/errors';

/** Args every gpuplane component takes. */
export interface StrictArgs {
  /**
   * Turn every warning of this component into an error, for CI.
   * @default - the stack config `gpuplane:strict`, else the GPUPLANE_STRICT environment variable ('true' or '1'), else false: warnings are logged
   */
  readonly strict?: boolean;
}

/** Whether strict mode applies: the arg, the stack config `gpuplane:strict`, the environment. */
export function strictFor(arg: boolean | undefined): boolean {
  if (arg !== undefined) return arg;
  const config = new pulumi.Config('gpuplane').getBoolean('strict');
  if (config !== undefined) return config;
  return process.env.GPUPLANE_STRICT === 'true' || process.env.GPUPLANE_STRICT === '1';
}

/** Strict mode: throws before anything is registered. Call before `super()`. */
export function refuseWarningsIfStrict(subject: string, warnings: readonly string[], strict: boolean): void {
  enforceWarnings(subject, warnings, strict);
}

/** Logs each warning on the component (`pulumi.log.warn`), so `pulumi preview` and `up` show it. */
export function logWarnings(resource: pulumi.Resource, warnings: readonly string[]): void {
  for (const w of warnings) void pulumi.log.warn(w, resource);
}
