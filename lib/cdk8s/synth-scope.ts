/**
 * One synth in progress (gpuplane's synth validates, then writes, and both ask each RenderedApiObject whether it was
 * modified): inside it, an answer is kept until a metadata method changes that object. Not exported from the package.
 */
let scope: object | undefined;

/** The synth in progress, or undefined outside one. */
export function currentSynth(): object | undefined {
  return scope;
}

/** Runs `fn` as one synth. */
export function withSynthScope<T>(fn: () => T): T {
  const outer = scope;
  scope = {};
  try {
    return fn();
  } finally {
    scope = outer;
  }
}
