/**
 * One error style everywhere: what is wrong in the user's terms, the value received, what is allowed and the fix.
 *
 *   VllmService 'llama': 'tensorParallelSize' must divide the attention heads (got 3; allowed: 1, 2, 4, 8). Fix: ...
 */
export interface Problem {
  /** The option path as the user wrote it, e.g. `autoscaling.maxReplicas`, `hosts[1].name`. */
  readonly field: string;
  /** What is wrong, phrased as the rule that was broken. */
  readonly message: string;
  /** The value received. */
  readonly value?: unknown;
  /** What is allowed. */
  readonly allowed?: string;
  /** How to fix it. */
  readonly fix?: string;
  /**
   * What the option schemas found, when they found it: a key the options do not have, a value of the wrong kind
   * (NaN and Infinity included), a required option left out.
   * @default - a rule about the value itself (a range, a grammar, a cross-check)
   */
  readonly kind?: 'unknown-key' | 'type' | 'required';
}

/** What kind of value this is, in words: `a string`, `NaN`, `an array`, `null`, `nothing`. */
export function describeKind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return 'an infinite number';
    return 'a number';
  }
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const ctor = (value as object).constructor;
    return ctor && ctor !== Object && ctor.name ? `a ${ctor.name}` : 'an object';
  }
  if (typeof value === 'function') return 'a function';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

const MAX_SHOWN = 160;

/**
 * The value as the user wrote it: strings quoted, `NaN` and `Infinity` by name (JSON would print `null`), objects as
 * JSON with the same care, long values shortened.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'symbol') return value.toString();
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return `__num__${String(v)}`;
      if (v === undefined) return '__undefined__';
      return v;
    })
      .replace(/"__num__(-?Infinity|NaN)"/g, '$1')
      .replace(/"__undefined__"/g, 'undefined');
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 3)}...` : text;
}

/** One problem as a line: the field, what is wrong, the value received, what is allowed and the fix. */
export function formatProblem(p: Problem): string {
  const parts: string[] = [];
  if ('value' in p) parts.push(`got ${formatValue(p.value)}`);
  if (p.allowed) parts.push(`allowed: ${p.allowed}`);
  let text = `'${p.field}' ${p.message}`;
  if (parts.length > 0) text += ` (${parts.join('; ')})`;
  text += '.';
  if (p.fix) text += ` Fix: ${p.fix}`;
  return text;
}

/** Thrown when options or rendered objects break a rule. Carries every problem found, not just the first. */
export class GpuplaneValidationError extends Error {
  public readonly problems: readonly Problem[];
  public readonly subject: string;

  constructor(subject: string, problems: readonly Problem[]) {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`);
    super(`${subject}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}`);
    this.name = 'GpuplaneValidationError';
    this.subject = subject;
    this.problems = problems;
  }
}

/** Throws one problem as a GpuplaneValidationError. */
export function refuse(subject: string, problem: Problem): never {
  throw new GpuplaneValidationError(subject, [problem]);
}

/** Collects problems while options are resolved, then throws them together. */
export class ProblemCollector {
  private readonly items: Problem[] = [];

  /** Records a problem. */
  add(problem: Problem): void {
    this.items.push(problem);
  }

  /** Adds every problem. */
  addAll(problems: readonly Problem[]): void {
    for (const p of problems) this.items.push(p);
  }

  /** Adds the problem when `ok` is false; returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, problem: Problem): boolean {
    if (!ok) this.add(problem);
    return ok;
  }

  /** The problems recorded so far. */
  get problems(): readonly Problem[] {
    return this.items;
  }

  /** Whether no problem was recorded. */
  get empty(): boolean {
    return this.items.length === 0;
  }

  /** Throws every recorded problem at once as a GpuplaneValidationError naming `subject`. */
  throwIfAny(subject: string): void {
    if (this.items.length > 0) throw new GpuplaneValidationError(subject, this.items);
  }
}

/**
 * Warnings are advice, not refusals: the configuration works but is known to hurt. Constructs print them at synth
 * (cdk8s) or log them (Pulumi); strict mode turns every warning into an error, for CI.
 */
export function enforceWarnings(subject: string, warnings: readonly string[], strict: boolean): void {
  if (!strict || warnings.length === 0) return;
  throw new GpuplaneValidationError(
    subject,
    warnings.map((w) => ({ field: 'warnings', message: `strict mode refuses every warning: ${w}`, fix: 'address the warning, or turn strict mode off for this construct' })),
  );
}
