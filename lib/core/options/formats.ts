import { isDns1123Label, isDns1123Subdomain, parseQuantity } from '../kube';
import { record, Schema, str } from './schema';

/**
 * Strings with a grammar, parsed rather than pattern-matched ad hoc: Kubernetes names, label keys and values,
 * quantities, durations, cron schedules, image references, paths that end up in shell scripts.
 */

/** A DNS-1123 label (namespaces, object names), at most `maxLength` characters. */
export function dnsLabel(maxLength = 63, fix = 'use lower-case letters, digits and "-", starting and ending with a letter or digit'): Schema<string> {
  return str({
    expected: `a DNS-1123 label of at most ${maxLength} characters`,
    test: (s) => (isDns1123Label(s) && s.length <= maxLength ? undefined : `must be a DNS-1123 label${maxLength < 63 ? ` of at most ${maxLength} characters` : ''}${s.length > maxLength ? ` (it has ${s.length})` : ''}`),
    allowed: 'lower-case letters, digits and "-", starting and ending with a letter or digit',
    fix,
  });
}

/** A DNS-1123 subdomain (most object names, domains). */
export function dnsSubdomain(fix = 'use lower-case letters, digits, "-" and "."'): Schema<string> {
  return str({ expected: 'a DNS-1123 subdomain', test: (s) => (isDns1123Subdomain(s) ? undefined : 'must be a DNS-1123 subdomain'), fix });
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why a label key is invalid (an optional DNS-subdomain prefix and a name of at most 63 characters), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) return 'must have a DNS-1123 subdomain prefix before "/"';
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) return 'must be a label key: a name of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** Why a label value is invalid, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > 63) return `must be a label value of at most 63 characters (it has ${value.length})`;
  return LABEL_NAME.test(value) ? undefined : 'must be a label value: letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
}

export const labelKey = (): Schema<string> => str({ expected: 'a label key', test: labelKeyProblem, fix: 'e.g. "team" or "example.com/team"' });
export const labelValue = (): Schema<string> => str({ expected: 'a label value', test: labelValueProblem, fix: 'e.g. "platform"' });
/** Labels: valid keys and values. */
export const labels = (): Schema<Record<string, string>> => record(labelValue(), labelKey());
/** Annotations: valid keys, any string values. */
export const annotations = (): Schema<Record<string, string>> => record(str(), labelKey());

/** A Kubernetes resource quantity (`16Gi`, `500m`, `4`) that is positive. */
export function quantity(example: string): Schema<string> {
  return str({
    expected: 'a Kubernetes quantity',
    test: (s) => {
      const q = parseQuantity(s);
      if (q === undefined) return 'must be a Kubernetes quantity';
      return q > 0 ? undefined : 'must be a positive quantity';
    },
    allowed: 'a number with an optional suffix: Ki, Mi, Gi, Ti, m, k, M, G',
    fix: `use e.g. "${example}"`,
  });
}

const PROM_DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** A Prometheus duration (`15s`, `1h30m`), positive. */
export function promDuration(example = '15s'): Schema<string> {
  return str({
    expected: 'a Prometheus duration',
    test: (s) => (PROM_DURATION.test(s) && /[1-9]/.test(s) ? undefined : 'must be a positive Prometheus duration'),
    allowed: 'digits with ms, s, m, h, d, w or y, e.g. 15s or 1h30m',
    fix: `use e.g. "${example}"`,
  });
}

/** A Go duration as Kubernetes controllers parse it (`300s`, `1h30m`), positive; `units` restricts the suffixes. */
export function goDuration(example: string, units: readonly string[] = ['ms', 's', 'm', 'h']): Schema<string> {
  return str({
    expected: 'a duration',
    test: (s) => {
      if (!GO_DURATION.test(s) || !/[1-9]/.test(s)) return 'must be a positive duration';
      const used = s.match(/[a-zµ]+/g) ?? [];
      const bad = used.find((u) => !units.includes(u));
      return bad ? `must use only ${units.join(', ')} (it uses ${bad})` : undefined;
    },
    allowed: `digits with ${units.join(', ')}, e.g. ${example}`,
    fix: `use e.g. "${example}"`,
  });
}

/** Seconds in a Go duration string (`1h30m` -> 5400), or undefined. */
export function durationSeconds(s: string): number | undefined {
  if (!GO_DURATION.test(s) && !PROM_DURATION.test(s)) return undefined;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

const CRON_FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Why a cron schedule (five fields, as the CronJob controller parses it) is invalid, or undefined. */
export function cronProblem(schedule: string): string | undefined {
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(schedule)) return undefined;
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), it has ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const f = CRON_FIELDS[i];
    const value = (v: string): number | undefined => {
      const named = f.names?.indexOf(v.toLowerCase());
      if (named !== undefined && named >= 0) return named + (f.name === 'month' ? 1 : 0);
      return /^\d+$/.test(v) ? Number(v) : undefined;
    };
    for (const part of fields[i].split(',')) {
      const m = /^(\*|\?|([^-/]+)(?:-([^/]+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) return `has an invalid ${f.name} field "${fields[i]}"`;
      if (m[4] !== undefined && Number(m[4]) === 0) return `has a zero step in the ${f.name} field`;
      if (m[1] === '*' || m[1] === '?') continue;
      const lo = value(m[2]);
      const hi = m[3] !== undefined ? value(m[3]) : lo;
      if (lo === undefined || hi === undefined || lo < f.min || hi > f.max || lo > hi) return `has ${f.name} "${part}" outside ${f.min}-${f.max}`;
    }
  }
  return undefined;
}

export const cron = (example: string): Schema<string> => str({ expected: 'a cron schedule', test: cronProblem, allowed: 'five fields or @daily, @hourly, ...', fix: `use e.g. "${example}"` });

/** Why a container image reference does not parse (`[registry[:port]/]path[:tag][@sha256:digest]`), or undefined. */
export function imageReferenceProblem(ref: string): string | undefined {
  const m = /^((?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(ref);
  return m ? undefined : 'must be a container image reference ([registry/]repository[:tag][@sha256:digest], lower-case repository)';
}

export const imageReference = (fix: string): Schema<string> => str({ expected: 'a container image reference', test: imageReferenceProblem, fix });

/** An absolute path safe to place in rendered shell scripts and unit files (no spaces, quotes or shell syntax). */
export function absolutePath(example: string): Schema<string> {
  return str({
    expected: 'an absolute path',
    test: (s) => (!s.startsWith('/') ? 'must be an absolute path' : /[\s'"`$\\;&|<>*?(){}[\]!#~]/.test(s) ? 'must not contain spaces, quotes or shell syntax (it is written into scripts)' : undefined),
    fix: `use e.g. "${example}"`,
  });
}

/** An http(s) URL. */
export function url(example: string, schemes: readonly string[] = ['http', 'https']): Schema<string> {
  return str({
    expected: `an ${schemes.join(' or ')} URL`,
    test: (s) => {
      try {
        const u = new URL(s);
        if (!schemes.includes(u.protocol.replace(':', ''))) return `must use ${schemes.join(' or ')}`;
        return /[\s"'\\]/.test(s) ? 'must not contain spaces, quotes or backslashes' : undefined;
      } catch {
        return `must be an ${schemes.join(' or ')} URL`;
      }
    },
    fix: `use e.g. "${example}"`,
  });
}
