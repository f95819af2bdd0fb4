/** A plain Kubernetes object as the core renders it: JSON-compatible, deterministic, with an explicit name. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

/**
 * Deterministic output: object keys sorted, `undefined` dropped, arrays kept in order.
 * `null` is dropped as well: nothing gpuplane renders needs an explicit null.
 */
export function canonicalize<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== undefined && v !== null) out.push(canonicalize(v));
    }
    return out as unknown as T;
  }
  const keys = Object.keys(value);
  // Most objects are built in key order already: sort only those that are not (code unit order, as sort() does).
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const v = (value as Record<string, unknown>)[keys[i]];
    if (v !== undefined && v !== null) out[keys[i]] = canonicalize(v);
  }
  return out as T;
}

/** Whether an image reference is pinned: an `@sha256` digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  const tag = /^(?:[^/]+\/)*[^/:@]+(?::([^@]+))?(?:@sha256:[0-9a-f]{64})?$/.exec(image)?.[1];
  return image.includes('@sha256:') || (tag !== undefined && tag !== 'latest');
}

/** A stable identity for an object inside one render: `Kind/namespace/name`. */
export function objectKey(obj: KubeObject): string {
  return `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Parses a Kubernetes resource quantity to a number (bytes, cores...). Returns undefined when it does not parse. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  // Hand-written and templated YAML can carry null or other non-strings here (`cpu: ` from an unset Helm value).
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return base * (BINARY[suffix] ?? DECIMAL[suffix]);
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Whether a name is a DNS-1123 label (at most 63 lower-case letters, digits and "-"), as most object names must be. */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** Whether a name is a DNS-1123 subdomain (at most 253 characters, labels joined by "."). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}
