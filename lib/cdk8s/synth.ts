import { ApiObject, App, AppProps, Chart, DependencyGraph, Names, Yaml, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'fs';
import { join } from 'path';
import { unmodifiedManifest } from './rendered';
import { writeSideFiles, writesOwnSideFiles } from './side-files';
import { stringifyManifests, withFastYaml, writeDocument } from './yaml-writer';

/**
 * gpuplane's synth: what cdk8s 2.x's `App.synth()` and `App.synthYaml()` write, byte for byte, in one pass.
 *
 * cdk8s's `App.synth()` validates every construct of the app, resolves the dependencies between charts and objects,
 * then for each chart calls `chart.toJson()`, which validates the whole app and resolves every dependency again
 * (`App._synthChart`), copies each object into a resolved JSON document, and `Yaml.save` joins the chart's documents
 * into one string before writing it. For an app of gpuplane constructs that is most of synth's time and memory: one
 * validation pass per chart plus one, a copy of every object, and the chart's whole YAML twice (the string and the
 * buffer written).
 *
 * Here the same steps run once, plus the one validation pass that `chart.toJson()` adds after the dependencies are
 * resolved (cdk8s/lib/app.js of 2.70: `mkdirSync(outdir)`, `validate`, `resolveDependencies`,
 * charts in `app.charts` order, each chart's objects in its `DependencyGraph` topology order, the same file names per
 * `YamlOutputType`), and each document is written to its file as soon as it is made: a gpuplane object nothing
 * changed is written from the object the core rendered, with the direct writer; every other object (patched, plain
 * ApiObjects, cdk8s-plus, Helm, Include) through its own `toJson()` and, unless the direct writer may write that
 * document, cdk8s's `Yaml.stringify`.
 *
 * What stays cdk8s's: validation (every construct's `node.validate()`, the same error text), dependency ordering
 * (cdk8s's DependencyGraph), chart naming (`Names.toDnsLabel`, indexed when charts depend on each other), objects'
 * `toJson()`. An app this path does not reproduce exactly goes through cdk8s's own `App.synth()` with the direct
 * writer plugged into `Yaml.stringify` (`withFastYaml`): `recordConstructMetadata`, an output type this version
 * does not know, or `GPUPLANE_YAML_WRITER=cdk8s` (everything cdk8s's). A chart class with its own `toJson()` gets
 * its documents from that `toJson()`, as cdk8s's synth does.
 */

/** Whether this app needs cdk8s's own `App.synth()` (gpuplane's one-pass synth does not reproduce it). */
function needsCdk8sSynth(app: App): boolean {
  if (process.env.GPUPLANE_YAML_WRITER === 'cdk8s') return true;
  // A field cdk8s 2.70 sets in App's constructor; absent, this cdk8s is not the one this path copies.
  if ((app as unknown as { recordConstructMetadata?: unknown }).recordConstructMetadata !== false) return true;
  return !Object.values(YamlOutputType).includes(app.yamlOutputType);
}

/** cdk8s's `validate(app)`: every construct's validations, the same message when any fails. */
function validateApp(all: readonly IConstruct[]): void {
  const errors: string[] = [];
  for (const child of all) {
    for (const error of child.node.validate()) errors.push(`[${child.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

function dependencyPairs(all: readonly IConstruct[]): { source: IConstruct; target: IConstruct }[] {
  const deps: { source: IConstruct; target: IConstruct }[] = [];
  for (const child of all) for (const dep of child.node.dependencies) deps.push({ source: child, target: dep });
  return deps;
}

/**
 * cdk8s's `resolveDependencies(app)`: a parent chart depends on its child charts, a chart on the charts its
 * constructs depend on, an object on the objects of the constructs its construct depends on. True when any chart
 * depends on another (the files are then numbered in dependency order).
 */
function resolveDependencies(all: readonly IConstruct[]): boolean {
  let hasDependantCharts = false;
  for (const parentChart of all.filter((x) => x instanceof Chart)) {
    for (const childChart of parentChart.node.children.filter((x) => x instanceof Chart)) {
      parentChart.node.addDependency(childChart);
      hasDependantCharts = true;
    }
  }
  for (const dep of dependencyPairs(all)) {
    const sourceChart = Chart.of(dep.source);
    const targetChart = Chart.of(dep.target);
    if (sourceChart !== targetChart) {
      sourceChart.node.addDependency(targetChart);
      hasDependantCharts = true;
    }
  }
  const subtree = new Map<IConstruct, IConstruct[]>();
  const findAll = (c: IConstruct) => {
    let found = subtree.get(c);
    if (!found) subtree.set(c, (found = c.node.findAll()));
    return found;
  };
  for (const dep of dependencyPairs(all)) {
    const sourceChart = Chart.of(dep.source);
    const targetChart = Chart.of(dep.target);
    const targets = findAll(dep.target).filter((c) => c instanceof ApiObject && Chart.of(c) === targetChart);
    const sources = findAll(dep.source).filter((c) => c instanceof ApiObject && Chart.of(c) === sourceChart);
    for (const target of targets) for (const source of sources) if (target !== source) source.node.addDependency(target);
  }
  return hasDependantCharts;
}

/**
 * `new DependencyGraph(scope.node).topology()`, the order cdk8s writes charts and objects in. When no construct of
 * the app depends on another (`edgeFree`), the same order is computed directly: cdk8s's DependencyGraph keys one
 * vertex per construct by its path in a plain object, adopts every vertex without parents under its root in that
 * object's value order, and with no edges its topology is exactly that order (cdk8s/lib/dependency.js of 2.70). A
 * plain object keyed by the same paths gives the same order, integer-like paths first included, without building
 * the graph twice over every construct of the app (once for `app.charts`, once per chart).
 */
function topology(scope: IConstruct, edgeFree: boolean): IConstruct[] {
  if (!edgeFree) return new DependencyGraph(scope.node).topology();
  const byPath: Record<string, IConstruct> = {};
  // Preorder as findAll() visits, each path built from its parent's (what node.path computes from every scope).
  const visit = (c: IConstruct, path: string): void => {
    byPath[path] = c;
    for (const child of c.node.children) visit(child, path === '' ? child.node.id : `${path}/${child.node.id}`);
  };
  visit(scope, scope.node.path);
  return Object.values(byPath);
}

/**
 * The pass cdk8s's `chart.toJson()` runs (`App._synthChart`): dependencies resolved and every validation run again,
 * over the constructs as they are now, when the app has a chart to ask.
 */
function validateAgain(app: App, before: readonly IConstruct[]): void {
  if (!before.some((c) => c instanceof Chart)) return;
  const again = app.node.findAll();
  resolveDependencies(again);
  validateApp(again);
}

/** cdk8s's `chartToKube(chart)`: the chart's own objects (not those of charts inside it) in dependency order. */
function chartObjects(chart: Chart, edgeFree: boolean): ApiObject[] {
  return topology(chart, edgeFree).filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
}

/** `app.charts`: every chart of the app in dependency order. */
function appCharts(app: App, edgeFree: boolean): Chart[] {
  return topology(app, edgeFree).filter((x): x is Chart => x instanceof Chart);
}

/** Whether no construct of the app depends on any other (after `resolveDependencies`). */
function noDependencies(all: readonly IConstruct[]): boolean {
  return all.every((c) => c.node.dependencies.length === 0);
}

/** A document to write: the object itself, or (for a chart with its own `toJson()`) what that returned. */
type Entry = { readonly object: ApiObject } | { readonly json: unknown };

function chartEntries(chart: Chart, edgeFree: boolean): Entry[] {
  // A chart class with its own toJson() decides its documents; cdk8s's synth writes Object.values of what it returns.
  if (chart.toJson !== Chart.prototype.toJson) return Object.values(chart.toJson()).map((json) => ({ json }));
  return chartObjects(chart, edgeFree).map((object) => ({ object }));
}

/**
 * One entry's document, made once (an object's `toJson()` may have effects, a Lazy that counts, so it is called once
 * per document as cdk8s calls it): the rendered object of an untouched gpuplane object, else what `toJson()` returned.
 */
interface Doc {
  readonly doc: unknown;
  readonly rendered: boolean;
}

function entryDoc(entry: Entry): Doc {
  if ('object' in entry) {
    const manifest = unmodifiedManifest(entry.object);
    return manifest !== undefined ? { doc: manifest, rendered: true } : { doc: entry.object.toJson(), rendered: false };
  }
  return { doc: entry.json, rendered: false };
}

/** The YAML of one document exactly as cdk8s's `Yaml.stringify` writes it (`'\n'` for an undefined document). */
function documentText({ doc, rendered }: Doc): string {
  return rendered ? (writeDocument(doc) ?? Yaml.stringify(doc)) : stringifyManifests(doc);
}

/** `kind.name` with what cdk8s strips from a resource's file name stripped. */
function resourceFile(kind: unknown, name: unknown): string {
  return `${kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '');
}

/** The manifest's `kind.name` as cdk8s names a file per resource (the same expression, so the same errors). */
function resourceFileName(doc: unknown): string | undefined {
  if (doc === undefined) return undefined;
  const o = doc as { kind: unknown; metadata: { name: unknown } };
  return resourceFile(o.kind, o.metadata.name);
}

/**
 * Writes documents to one file as cdk8s's `Yaml.save` does (`---\n` between them), in chunks of about 1 MiB. They go
 * to a temporary file beside it, renamed over it once every document is written: as with cdk8s, which builds the
 * whole string before writing, a document that fails leaves the file as it was (or absent).
 */
function saveDocuments(path: string, docs: Iterable<() => Doc>): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  let done = false;
  try {
    let chunk: string[] = [];
    let size = 0;
    const flush = () => {
      if (chunk.length > 0) writeSync(fd, chunk.join(''), null, 'utf8');
      chunk = [];
      size = 0;
    };
    let i = 0;
    for (const make of docs) {
      const text = documentText(make());
      if (i++ > 0) chunk.push('---\n');
      chunk.push(text);
      size += text.length;
      if (size >= 1 << 20) flush();
    }
    flush();
    done = true;
  } finally {
    closeSync(fd);
    if (done) renameSync(temporary, path);
    else rmSync(temporary, { force: true });
  }
}

/** Each entry's document, made when the writer reaches it. */
function lazyDocs(entries: readonly Entry[]): Iterable<() => Doc> {
  return entries.map((entry) => () => entryDoc(entry));
}

/** The file names of charts: `Names.toDnsLabel`, prefixed with a 4-digit index when any chart depends on another. */
function chartNamer(indexed: boolean): (chart: Chart) => string {
  let index = 0;
  return (chart) => (indexed ? `${(index++).toString().padStart(4, '0')}-${Names.toDnsLabel(chart)}` : Names.toDnsLabel(chart));
}

/**
 * Writes an app's manifests into its output directory in one pass, byte-identical to cdk8s's `App.synth()` (see
 * the top of this file). Side files are left to the caller: `GpuplaneApp.synth()` writes them after, and a plain
 * App's own side-file hook runs inside validation as it does in `App.synth()`.
 */
export function synthManifests(app: App): void {
  if (needsCdk8sSynth(app)) {
    withFastYaml(() => App.prototype.synth.call(app));
    return;
  }
  synthFiles(app);
}

function synthFiles(app: App): void {
  mkdirSync(app.outdir, { recursive: true });
  const all = app.node.findAll();
  validateApp(all);
  const indexed = resolveDependencies(all);
  const type = app.yamlOutputType;
  // cdk8s's chart.toJson() (every output type but FOLDER_PER_CHART_FILE_PER_RESOURCE) resolves the dependencies and
  // validates the app again, over its constructs as they are then: a validation that reads the dependencies, or one
  // added meanwhile, runs once more here before anything is written (cdk8s runs that pass once per chart).
  if (type !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) validateAgain(app, all);
  const namer = chartNamer(indexed);
  const edgeFree = noDependencies(app.node.findAll());
  const charts = appCharts(app, edgeFree);
  const entries = (chart: Chart) => chartEntries(chart, edgeFree);
  const ext = app.outputFileExtension;
  switch (type) {
    case YamlOutputType.FILE_PER_APP:
      if (charts.length > 0) saveDocuments(join(app.outdir, `app${ext}`), lazyDocs(charts.flatMap(entries)));
      break;
    case YamlOutputType.FILE_PER_CHART:
      for (const chart of charts) saveDocuments(join(app.outdir, namer(chart) + ext), lazyDocs(entries(chart)));
      break;
    case YamlOutputType.FILE_PER_RESOURCE:
      for (const chart of charts) {
        for (const entry of entries(chart)) {
          const doc = entryDoc(entry);
          const name = resourceFileName(doc.doc);
          if (name !== undefined) saveDocuments(join(app.outdir, name + ext), [() => doc]);
        }
      }
      break;
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      for (const chart of charts) {
        const dir = join(app.outdir, namer(chart));
        mkdirSync(dir, { recursive: true });
        // cdk8s names these files from the ApiObject (construct) itself, and writes its toJson().
        for (const object of chartObjects(chart, edgeFree)) {
          const name = resourceFile(object.kind, object.metadata.name);
          saveDocuments(join(dir, name + ext), lazyDocs([{ object }]));
        }
      }
      break;
  }
}

/**
 * All of an app's manifests as one YAML string, as cdk8s's `App.synthYaml()` returns it (dependencies resolved,
 * validated, every chart's documents joined), written by the direct writer where it may.
 */
export function synthManifestsYaml(app: App): string {
  if (needsCdk8sSynth(app)) return withFastYaml(() => App.prototype.synthYaml.call(app));
  const all = app.node.findAll();
  resolveDependencies(all);
  validateApp(all);
  // cdk8s's synthYaml() reads every chart's toJson(), which resolves and validates again (see synthFiles).
  validateAgain(app, all);
  const edgeFree = noDependencies(app.node.findAll());
  return appCharts(app, edgeFree)
    .flatMap((chart) => chartEntries(chart, edgeFree))
    .map((entry) => documentText(entryDoc(entry)))
    .join('---\n');
}

/**
 * Synthesizes any cdk8s App as `app.synth()` would, through gpuplane's one-pass synth (identical files). An App
 * class with its own `synth()` runs it, with the direct writer plugged into `Yaml.stringify`. Side files are written
 * as that App writes them.
 */
export function synthApp(app: App): void {
  // GpuplaneApp's own synth() is the one-pass synth; any other App class with its own synth() runs that.
  if (app.synth !== App.prototype.synth) {
    withFastYaml(() => app.synth());
    return;
  }
  synthManifests(app);
}

/**
 * A cdk8s App whose `synth()` and `synthYaml()` run gpuplane's one-pass synth: one validation pass, each document
 * written to its file as it is made, gpuplane's unmodified objects by the direct writer and every other object
 * (patched, plain ApiObjects, cdk8s-plus, Helm) by cdk8s's; the files are byte-identical to `App`'s.
 * `synth()` then writes the side files (`writeSideFiles`), only when the manifests were written.
 */
export class GpuplaneApp extends App {
  constructor(props?: AppProps) {
    super(props);
    writesOwnSideFiles(this);
  }

  /** Writes the manifests, then the side files, into the output directory. */
  public synth(): void {
    synthManifests(this);
    writeSideFiles(this);
  }

  /** All manifests as one YAML string (no side files). */
  public synthYaml(): string {
    return synthManifestsYaml(this);
  }
}
