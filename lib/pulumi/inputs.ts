import * as pulumi from '@pulumi/pulumi';

/**
 * Opaque leaves (namespace, image, secret names) may be Pulumi Inputs. The core renders plain objects, so an Input
 * leaf is rendered as a sentinel string first (one that passes the core's checks), then every string of the rendered
 * objects that contains the sentinel becomes an Output that resolves to the real value. The real value is checked
 * when it resolves, with the same rule the core applies to plain strings.
 */
export class InputLeaves {
  private readonly subs = new Map<string, pulumi.Output<string>>();

  /**
   * A plain string stays as it is; an Input gets a sentinel.
   * @param sentinel a value of the right shape for the core's checks, unique within one component
   * @param check throws the core's message when the resolved value breaks the rule
   */
  leaf(value: pulumi.Input<string> | undefined, sentinel: string, check?: (v: string) => void): string | undefined {
    if (value === undefined || typeof value === 'string') return value;
    this.subs.set(sentinel, pulumi.output(value).apply((v) => {
      check?.(v);
      return v;
    }));
    return sentinel;
  }

  get empty(): boolean {
    return this.subs.size === 0;
  }

  /** Replaces sentinels inside every string of a rendered object. */
  substitute<T>(value: T): T {
    if (this.subs.size === 0) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') {
        const hits = [...this.subs.keys()].filter((s) => v.includes(s));
        if (hits.length === 0) return v;
        return pulumi.all(hits.map((h) => this.subs.get(h)!)).apply((resolved) => hits.reduce((acc, h, i) => acc.split(h).join(resolved[i]), v));
      }
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value) as T;
  }
}
