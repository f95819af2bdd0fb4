/**
 * One error style everywhere: what is wrong in the user's terms, the value received, what is allowed and the fix.
 *
 *   VllmService 'llama': 'tensorParallelSize' must divide the attention heads (got 3; allowed: 1, 2, 4, 8). Fix: ...
 */
export interface Problem {
  /** The option path as the user wrote it, e.g. `autoscaling.maxReplicas`. */
  readonly field: string;
  /** What is wrong, phrased as the rule that was broken. */
  readonly message: string;
  /** The value received. */
  readonly value?: unknown;
  /** What is allowed. */
  readonly allowed?: string;
  /** How to fix it. */
  readonly fix?: string;
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

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

/** Collects problems while options are resolved, then throws them together. */
export class ProblemCollector {
  private readonly items: Problem[] = [];

  add(problem: Problem): void {
    this.items.push(problem);
  }

  /** Adds the problem when `ok` is false; returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, problem: Problem): boolean {
    if (!ok) this.add(problem);
    return ok;
  }

  get problems(): readonly Problem[] {
    return this.items;
  }

  throwIfAny(subject: string): void {
    if (this.items.length > 0) throw new GpuplaneValidationError(subject, this.items);
  }
}
