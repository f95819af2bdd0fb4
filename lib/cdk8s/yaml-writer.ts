import { Yaml } from 'cdk8s';
import { dirname } from 'path';

/**
 * A direct YAML writer for the manifests gpuplane rendered, byte-identical to cdk8s's `Yaml.stringify` (the `yaml`
 * package, YAML 1.1 schema, `lineWidth: 0`, block collections, sequences indented under their keys, `---\n` between
 * documents, a newline after each).
 *
 * cdk8s's writer builds a whole `yaml` Document tree for every manifest before writing it; most of synth time goes
 * there. This writer walks the plain JSON once and writes the block layout itself. The only part of the output that
 * takes judgement, how one string is written (plain, quoted, or as a block scalar, given YAML 1.1's booleans, nulls,
 * numbers, times and so on), is delegated to the same `stringifyString` of the same `yaml` copy cdk8s loads, with the
 * context cdk8s's call would give it, so a string is quoted exactly when cdk8s would quote it. Anything outside plain
 * JSON, or any layout this writer does not reproduce (explicit `? ` keys, root scalars, non-finite numbers), throws
 * internally and that document is written by cdk8s's own `Yaml.stringify` instead.
 */

// The `yaml` copy cdk8s itself resolves, so both writers agree on every rule even if the versions differ from ours.
const cdk8sDir = dirname(require.resolve('cdk8s'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yamlUtil = require(require.resolve('yaml/util', { paths: [cdk8sDir] })) as typeof import('yaml/dist/util');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yamlLib = require(require.resolve('yaml', { paths: [cdk8sDir] })) as typeof import('yaml');

class Fallback extends Error {}

/** Documents `RenderedApiObject.toJson()` returned on its unmodified path: the ones the fast writer may write. */
const FAST_DOCS = new WeakSet<object>();

/** Marks a manifest as gpuplane's unmodified output, so the fast writer writes it. */
export function markFastYaml<T extends object>(doc: T): T {
  FAST_DOCS.add(doc);
  return doc;
}

/** What cdk8s's `Yaml.stringify` passes to `YAML.stringify` and so to `createStringifyContext`. */
const CDK8S_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

interface ScalarCtx {
  doc: unknown;
  indent: string;
  indentStep: string;
  implicitKey: boolean;
  inFlow: null;
  actualString: true;
  options: Record<string, unknown>;
  forceBlockIndent?: boolean;
}

let baseCtx: Omit<ScalarCtx, 'indent' | 'implicitKey'> | undefined;

function base(): Omit<ScalarCtx, 'indent' | 'implicitKey'> {
  if (baseCtx) return baseCtx;
  const doc = new yamlLib.Document(null, CDK8S_OPTIONS);
  // The defaults of yaml's createStringifyContext, then the schema's, then the options cdk8s passes.
  const options = Object.assign(
    {
      blockQuote: true,
      commentString: (s: string) => s.replace(/^(?!$)(?: $)?/gm, '#'),
      defaultKeyType: null,
      defaultStringType: 'PLAIN',
      directives: null,
      doubleQuotedAsJSON: false,
      doubleQuotedMinMultiLineLength: 40,
      falseStr: 'false',
      flowCollectionPadding: true,
      indentSeq: true,
      lineWidth: 80,
      minContentWidth: 20,
      nullStr: 'null',
      simpleKeys: false,
      singleQuote: null,
      trailingComma: false,
      trueStr: 'true',
      verifyAliasOrder: true,
    },
    (doc.schema as unknown as { toStringOptions?: object }).toStringOptions,
    doc.options,
    CDK8S_OPTIONS,
  );
  baseCtx = { doc, indentStep: '  ', inFlow: null, actualString: true, options };
  return baseCtx;
}

// How a one-line string is written does not depend on its indentation (no folding at lineWidth 0; indentation only
// enters at line breaks), so those are cached by key/value position. Multi-line strings and strings that could look
// like a document marker are written each time.
const valueCache = new Map<string, string>();
const keyCache = new Map<string, string>();
const CACHE_LIMIT = 50_000;

function scalarString(value: string, indent: string, implicitKey: boolean): string {
  // yaml's 1.1 schema resolves the string '<<' to its merge tag, which writes it bare, key or value.
  if (value === '<<') return value;
  const cache = implicitKey ? keyCache : valueCache;
  // Only cacheable strings are ever stored, so a hit needs no further test.
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const cacheable = !value.includes('\n') && !/^(%|---|\.\.\.)/.test(value);
  const ctx: ScalarCtx = { ...base(), indent, implicitKey };
  const out = yamlUtil.stringifyString({ value } as never, ctx as never);
  if (cacheable) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, out);
  }
  return out;
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** One node at the context indent `indent` (yaml's ctx.indent). */
function node(v: unknown, indent: string): string {
  switch (typeof v) {
    case 'string':
      return scalarString(v, indent, false);
    case 'number':
      if (!Number.isFinite(v)) throw new Fallback();
      return Object.is(v, -0) ? '-0' : JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        if (v.length === 0) return '[]';
        const itemIndent = `${indent}  `;
        let out = '';
        for (let i = 0; i < v.length; i++) {
          if (!(i in v)) throw new Fallback();
          out += `${i === 0 ? '' : `\n${indent}`}- ${node(v[i], itemIndent)}`;
        }
        return out;
      }
      if (!isPlainObject(v)) throw new Fallback();
      const keys = Object.keys(v);
      if (keys.length === 0) return '{}';
      const inner = `${indent}  `;
      let out = '';
      for (let i = 0; i < keys.length; i++) {
        const key = scalarString(keys[i], inner, true);
        if (key.length > 1024 || key.includes('\n')) throw new Fallback();
        const value = (v as Record<string, unknown>)[keys[i]];
        if (value === undefined) throw new Fallback();
        const str = node(value, inner);
        let ws = ' ';
        if (value !== null && typeof value === 'object') {
          // An empty collection is written '[]' or '{}' on the key's line; a non-empty one can be neither (a mapping
          // starts with a key and ':', a sequence with '- ').
          if (str !== '[]' && str !== '{}') ws = `\n${inner}`;
        } else if (str === '' || str[0] === '\n') {
          ws = '';
        }
        out += `${i === 0 ? '' : `\n${indent}`}${key}:${ws}${str}`;
      }
      return out;
    }
    default:
      throw new Fallback();
  }
}

/** One document as cdk8s writes it, or undefined where this writer leaves it to cdk8s. */
export function writeDocument(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object') return undefined;
  try {
    const text = `${node(doc, '')}\n`;
    // The writer builds each document by concatenation, which V8 keeps as a rope of many small pieces; reading a
    // character flattens it into one sequential string now, so a large app does not hold every document's rope
    // until cdk8s joins them (measured: peak memory of 10,000 services, see the README's Benchmarks).
    text.charCodeAt(0);
    return text;
  } catch (e) {
    if (e instanceof Fallback) return undefined;
    throw e;
  }
}

const cdk8sStringify = Yaml.stringify.bind(Yaml);

/**
 * `Yaml.stringify` with the fast writer for the documents marked with `markFastYaml` and cdk8s's own for every
 * other one; the same bytes as `Yaml.stringify(...docs)` (cdk8s joins one stringified document per entry with `---\n`).
 */
export function stringifyManifests(...docs: unknown[]): string {
  if (process.env.GPUPLANE_YAML_WRITER === 'cdk8s') return cdk8sStringify(...docs);
  return docs
    .map((d) => (d !== null && typeof d === 'object' && FAST_DOCS.has(d) ? writeDocument(d) : undefined) ?? cdk8sStringify(d))
    .join('---\n');
}

/**
 * Runs `fn` (an `App.synth()` or `synthYaml()`) with cdk8s's `Yaml.stringify` routed through `stringifyManifests`,
 * and restores it after. Everything else (validation, dependencies, output type, file names, sorting) stays cdk8s's.
 */
export function withFastYaml<T>(fn: () => T): T {
  const original = Yaml.stringify;
  if ((original as unknown) === stringifyManifests) return fn();
  Yaml.stringify = stringifyManifests;
  try {
    return fn();
  } finally {
    Yaml.stringify = original;
  }
}
