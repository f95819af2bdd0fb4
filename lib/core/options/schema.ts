import { describeKind, GpuplaneValidationError, Problem } from '../errors';

/**
 * Run-time option schemas, as strict as the TypeScript types they are declared against.
 *
 * Why our own small validator rather than zod, valibot or typebox: every refusal must read in gpuplane's one error
 * style (the field as the user wrote it, the value as received, what is allowed, the fix), unknown keys need a
 * "did you mean" from the keys the option really has, values such as placements and pools are objects of our own,
 * and option checks run on every render of every construct (the bench counts them). The schemas are few and plain,
 * so a hundred lines of builders cost less than adapting a library's error tree to our messages.
 *
 * Types and checks cannot drift: the option interfaces stay the documented source (TSDoc, `@default`), and each
 * schema is declared as `Shape<TheInterface>`. `Schema<T>` is invariant in `T`, so the compiler rejects a schema
 * with a missing or extra key, a required key checked as optional (or the reverse), or a narrower or wider type.
 */
export interface Schema<T> {
  /** Phantom member: makes `Schema<T>` invariant, so a schema matches its interface exactly. Never set. */
  readonly __type?: (value: T) => T;
  readonly optional?: false;
  /** What the value must be, in words ("a positive integer", "'hpa' or 'keda'"). */
  readonly expected: string;
  /** Checks `value` found at `path`, pushing problems; returns whether it passed. */
  check(value: unknown, path: string, out: Problem[]): boolean;
}

/** A schema that also accepts `undefined` (the option is optional). */
export interface OptionalSchema<T> {
  readonly __type?: (value: T | undefined) => T | undefined;
  readonly optional: true;
  readonly expected: string;
  readonly inner: Schema<T>;
  check(value: unknown, path: string, out: Problem[]): boolean;
}

/** One schema per key of `T`: optional keys take `opt(...)`, required ones a plain schema. */
export type Shape<T> = { readonly [K in keyof T]-?: {} extends Pick<T, K> ? OptionalSchema<Exclude<T[K], undefined>> : Schema<T[K]> };

type AnySchema = Schema<any> | OptionalSchema<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Appends a key to a path: `a.b`, `a[0]`, `labels["example.com/team"]`. */
export function pathOf(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path ? `${path}.${key}` : key;
  return `${path}[${JSON.stringify(key)}]`;
}

/** Whether a typo is close enough to a known key to suggest it. */
function closeTo(typo: string, known: string): boolean {
  const a = typo.toLowerCase();
  const b = known.toLowerCase();
  if (a === b) return true;
  if (a.length >= 4 && b.length >= 4 && (a.startsWith(b) || b.startsWith(a))) return true;
  return editDistance(a, b) <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 4));
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The closest known name to a typo, when one is close enough. */
export function didYouMean(typo: string, known: readonly string[]): string | undefined {
  const close = known.filter((k) => closeTo(typo, k));
  if (close.length === 0) return undefined;
  return close.sort((x, y) => editDistance(typo.toLowerCase(), x.toLowerCase()) - editDistance(typo.toLowerCase(), y.toLowerCase()))[0];
}

function mismatch(path: string, value: unknown, expected: string, fix?: string): Problem {
  const kind = describeKind(value);
  return { field: path || '(options)', message: `must be ${expected}, not ${kind}`, value, fix: fixForKind(value, expected) ?? fix, kind: 'type' };
}

function fixForKind(value: unknown, expected: string): string | undefined {
  if (typeof value === 'string' && /number|integer/.test(expected) && value.trim() !== '' && Number.isFinite(Number(value))) return `write ${Number(value)} without quotes`;
  if (typeof value === 'string' && /^(true|false)$/.test(value) && /boolean/.test(expected)) return `write ${value} without quotes`;
  if (typeof value === 'number' && !Number.isFinite(value)) return `pass a finite number${expected.includes('integer') ? ' (an integer)' : ''}; check the computation that produced it`;
  return undefined;
}

export interface StringRules {
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Returns what is wrong with the string, or undefined when it is fine. */
  readonly test?: (s: string) => string | undefined;
  /** What the string must be, for messages. @default 'a string' */
  readonly expected?: string;
  readonly allowed?: string;
  readonly fix?: string;
}

export function str(rules: StringRules = {}): Schema<string> {
  const expected = rules.expected ?? 'a string';
  return {
    expected,
    check(value, path, out) {
      if (typeof value !== 'string') {
        out.push(mismatch(path, value, expected, rules.fix));
        return false;
      }
      if (rules.minLength !== undefined && value.length < rules.minLength) {
        out.push({ field: path, message: rules.minLength === 1 ? 'must not be empty' : `must have at least ${rules.minLength} characters`, value, allowed: rules.allowed, fix: rules.fix });
        return false;
      }
      if (rules.maxLength !== undefined && value.length > rules.maxLength) {
        out.push({ field: path, message: `must have at most ${rules.maxLength} characters (it has ${value.length})`, value, allowed: rules.allowed, fix: rules.fix });
        return false;
      }
      const wrong = rules.test?.(value);
      if (wrong !== undefined) {
        out.push({ field: path, message: wrong, value, allowed: rules.allowed, fix: rules.fix });
        return false;
      }
      return true;
    },
  };
}

export interface NumberRules {
  readonly integer?: boolean;
  /** Inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound (`gt: 0` for "positive"). */
  readonly gt?: number;
  /** Exclusive upper bound. */
  readonly lt?: number;
  /** What the number must be, for messages. @default - derived from the rules */
  readonly expected?: string;
  readonly fix?: string;
}

function describeNumber(r: NumberRules): string {
  const noun = r.integer ? 'integer' : 'number';
  const an = r.integer ? 'an' : 'a';
  const lower = r.min !== undefined ? (r.min === 1 && r.integer ? 'positive' : r.min === 0 ? 'non-negative' : undefined) : r.gt === 0 ? 'positive' : undefined;
  const bounds: string[] = [];
  if (lower === undefined && r.min !== undefined) bounds.push(`at least ${r.min}`);
  if (lower === undefined && r.gt !== undefined) bounds.push(`above ${r.gt}`);
  if (r.max !== undefined) bounds.push(`at most ${r.max}`);
  if (r.lt !== undefined) bounds.push(`below ${r.lt}`);
  const head = lower ? `a ${lower} ${noun}` : `${an} ${noun}`;
  return bounds.length ? `${head} ${lower ? 'of ' : ''}${bounds.join(' and ')}` : head;
}

function rangeText(r: NumberRules): string | undefined {
  const lo = r.min !== undefined ? `[${r.min}` : r.gt !== undefined ? `(${r.gt}` : undefined;
  const hi = r.max !== undefined ? `${r.max}]` : r.lt !== undefined ? `${r.lt})` : undefined;
  if (!lo && !hi) return undefined;
  return `${lo ?? '(-inf'}, ${hi ?? 'inf)'}${r.integer ? ', whole numbers' : ''}`;
}

/** A finite number (NaN and Infinity are refused everywhere), optionally an integer within bounds. */
export function num(rules: NumberRules = {}): Schema<number> {
  const expected = rules.expected ?? describeNumber(rules);
  const allowed = rangeText(rules);
  return {
    expected,
    check(value, path, out) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        out.push(mismatch(path, value, expected, rules.fix));
        return false;
      }
      const bad =
        (rules.integer && !Number.isInteger(value)) ||
        (rules.min !== undefined && value < rules.min) ||
        (rules.max !== undefined && value > rules.max) ||
        (rules.gt !== undefined && value <= rules.gt) ||
        (rules.lt !== undefined && value >= rules.lt);
      if (bad) {
        out.push({ field: path, message: `must be ${expected}`, value, allowed, fix: rules.fix });
        return false;
      }
      return true;
    },
  };
}

/** A positive integer (counts, sizes). */
export const posInt = (fix?: string, max?: number): Schema<number> => num({ integer: true, min: 1, max, expected: max === undefined ? 'a positive integer' : undefined, fix });

export function bool(fix?: string): Schema<boolean> {
  return {
    expected: 'true or false',
    check(value, path, out) {
      if (typeof value === 'boolean') return true;
      out.push(mismatch(path, value, 'a boolean (true or false)', fix));
      return false;
    },
  };
}

type Literal = string | number | boolean;

/** One of a fixed set of values; a near miss gets a "did you mean". */
export function oneOf<const V extends readonly Literal[]>(values: V, fix?: string): Schema<V[number]> {
  const shown = values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v)));
  const expected = shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
  return {
    expected,
    check(value, path, out) {
      if (values.includes(value as V[number])) return true;
      const near = typeof value === 'string' ? didYouMean(value, values.filter((v): v is string => typeof v === 'string')) : undefined;
      out.push({ field: path, message: `must be ${expected}`, value, allowed: shown.join(', '), fix: near !== undefined ? `did you mean '${near}'?` : fix ?? 'pick one of the allowed values' });
      return false;
    },
  };
}

/** The value `false` (to switch a feature off); `true` is refused with a hint. */
export function off(): Schema<false> {
  return {
    expected: 'false',
    check(value, path, out) {
      if (value === false) return true;
      out.push({ field: path, message: value === true ? 'takes false to switch the feature off, or an object of options' : 'must be false', value, fix: value === true ? 'omit it for the defaults, or pass an object of options' : undefined });
      return false;
    },
  };
}

export function opt<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    optional: true,
    inner,
    expected: inner.expected,
    check(value, path, out) {
      return value === undefined || inner.check(value, path, out);
    },
  };
}

export interface ArrayRules {
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Items must differ (compared as JSON). */
  readonly unique?: boolean;
  readonly fix?: string;
}

export function arr<T>(item: Schema<T>, rules: ArrayRules = {}): Schema<readonly T[]> {
  const expected = `a list of ${item.expected}`;
  return {
    expected,
    check(value, path, out) {
      if (!Array.isArray(value)) {
        out.push(mismatch(path, value, expected, rules.fix));
        return false;
      }
      let ok = true;
      if (rules.minItems !== undefined && value.length < rules.minItems) {
        out.push({ field: path, message: rules.minItems === 1 ? 'must not be empty' : `must have at least ${rules.minItems} items`, value, fix: rules.fix });
        ok = false;
      }
      if (rules.maxItems !== undefined && value.length > rules.maxItems) {
        out.push({ field: path, message: `must have at most ${rules.maxItems} items (it has ${value.length})`, value: `${value.length} items`, fix: rules.fix });
        ok = false;
      }
      value.forEach((v, i) => {
        if (!item.check(v, pathOf(path, i), out)) ok = false;
      });
      if (ok && rules.unique) {
        const seen = new Set<string>();
        value.forEach((v, i) => {
          const key = JSON.stringify(v);
          if (seen.has(key)) {
            out.push({ field: pathOf(path, i), message: 'repeats an earlier item', value: v, fix: rules.fix ?? 'remove the duplicate' });
            ok = false;
          }
          seen.add(key);
        });
      }
      return ok;
    },
  };
}

/** A plain object of `key -> value`, each key and value checked. */
export function record<V>(value: Schema<V>, key?: Schema<string>, fix?: string): Schema<Record<string, V>> {
  const expected = `an object of ${value.expected}`;
  return {
    expected,
    check(v, path, out) {
      if (!isPlainObject(v)) {
        out.push(mismatch(path, v, expected, fix));
        return false;
      }
      let ok = true;
      for (const [k, x] of Object.entries(v)) {
        if (key && !key.check(k, `${pathOf(path, k)} (key)`, out)) ok = false;
        if (!value.check(x, pathOf(path, k), out)) ok = false;
      }
      return ok;
    },
  };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export interface ObjectRules {
  /** What the object is, for messages. @default 'an object of options' */
  readonly expected?: string;
  readonly fix?: string;
  /** Keys users reach for that are refused for a reason of their own (key -> why). @default {} */
  readonly refusedKeys?: Readonly<Record<string, string>>;
}

/**
 * An object with exactly these keys: unknown keys are refused (with the nearest known key as a suggestion), required
 * keys must be there, every value is checked. All problems are reported, not only the first.
 */
export function obj<T>(shape: Shape<T>, rules: ObjectRules = {}): Schema<T> {
  const entries = Object.entries(shape) as [string, AnySchema][];
  const known = entries.map(([k]) => k);
  const expected = rules.expected ?? 'an object of options';
  return {
    expected,
    check(value, path, out) {
      if (!isPlainObject(value)) {
        out.push(mismatch(path, value, expected, rules.fix));
        return false;
      }
      let ok = true;
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        const why = rules.refusedKeys?.[key];
        if (why !== undefined) {
          out.push({ field: pathOf(path, key), message: `is not accepted: ${why}`, value: value[key], allowed: known.join(', '), fix: 'remove it', kind: 'unknown-key' });
          ok = false;
          continue;
        }
        const near = didYouMean(key, known);
        out.push({
          field: pathOf(path, key),
          message: near ? `is not an option; did you mean '${near}'?` : 'is not an option',
          value: value[key],
          allowed: known.join(', '),
          fix: near ? `rename it to '${near}'` : 'remove it',
          kind: 'unknown-key',
        });
        ok = false;
      }
      for (const [key, schema] of entries) {
        const v = value[key];
        if (v === undefined && !schema.optional) {
          out.push({ field: pathOf(path, key), message: `is required: ${schema.expected}`, value: undefined, kind: 'required' });
          ok = false;
          continue;
        }
        if (!schema.check(v, pathOf(path, key), out)) ok = false;
      }
      return ok;
    },
  };
}

/** Schemas per JavaScript kind of value, for options that take a number or an object, a string or an object... */
export interface Alternatives {
  readonly string?: Schema<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly number?: Schema<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly boolean?: Schema<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly object?: Schema<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly array?: Schema<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

type Of<S> = S extends Schema<infer T> ? T : never;

/** One schema per kind of value: the value's own kind picks the branch, so the message is the branch's. */
export function alt<A extends Alternatives>(branches: A): Schema<{ [K in keyof A]: Of<A[K]> }[keyof A]> {
  const list = Object.entries(branches) as [keyof Alternatives, Schema<unknown>][];
  const expected = list.map(([, s]) => s.expected).join(', or ');
  return {
    expected,
    check(value, path, out) {
      const kind: keyof Alternatives | undefined =
        typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean'
          : Array.isArray(value) ? 'array' : value !== null && typeof value === 'object' ? 'object' : undefined;
      const branch = kind ? branches[kind] : undefined;
      if (!branch) {
        out.push(mismatch(path, value, expected));
        return false;
      }
      return branch.check(value, path, out);
    },
  };
}

/**
 * A value the schema builders cannot describe (a placement handle, a pool construct): `test` says what is wrong
 * with it. Keep these rare: each one is a place where the type and the check are kept in step by hand.
 */
export function custom<T>(expected: string, test: (value: unknown) => string | undefined, fix?: string): Schema<T> {
  return {
    expected,
    check(value, path, out) {
      const wrong = test(value);
      if (wrong === undefined) return true;
      out.push({ field: path, message: wrong, value, fix });
      return false;
    },
  };
}

/** Checks a value against a schema; returns the problems (empty when valid). */
export function problemsOf(schema: Schema<unknown> | AnySchema, value: unknown, path = ''): Problem[] {
  const out: Problem[] = [];
  schema.check(value, path, out);
  return out;
}

/**
 * Checks options at an entry point and throws every problem at once as a GpuplaneValidationError. Run first, before
 * any default is resolved, so nothing downstream sees a value of the wrong kind.
 */
export function checkOptions<T>(subject: string, schema: Schema<T>, value: unknown): asserts value is T {
  const out = problemsOf(schema, value);
  if (out.length > 0) throw new GpuplaneValidationError(subject, out);
}

/**
 * A union told apart by one key (`{ mode: 'secrets', ... } | { mode: 'cert-manager', ... }`): the key picks the
 * branch, so the problems are the branch's own.
 */
export function variants<B extends Readonly<Record<string, Schema<any>>>>(key: string, branches: B): Schema<{ [K in keyof B]: Of<B[K]> }[keyof B]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const names = Object.keys(branches);
  const expected = `an object with ${key} ${names.map((n) => `'${n}'`).join(' or ')}`;
  return {
    expected,
    check(value, path, out) {
      if (!isPlainObject(value)) {
        out.push(mismatch(path, value, expected));
        return false;
      }
      const tag = value[key];
      const branch = typeof tag === 'string' ? branches[tag] : undefined;
      if (!branch) {
        const near = typeof tag === 'string' ? didYouMean(tag, names) : undefined;
        out.push({ field: pathOf(path, key), message: `must be ${names.map((n) => `'${n}'`).join(' or ')}`, value: tag, allowed: names.join(', '), fix: near ? `did you mean '${near}'?` : `pick one of ${names.join(', ')}` });
        return false;
      }
      return branch.check(value, path, out);
    },
  };
}
