import { ApiObject, App, AppProps, Chart, Include, JsonPatch, Lazy, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { buildApp } from '../../examples/main';
import { GpuplaneApp, RenderedApiObject, synthApp, synthManifestsYaml, unmodifiedManifest, VllmService } from '../../lib/cdk8s';
import { tmp, tree } from '../helpers/tree';

/** Runs the same app under App and GpuplaneApp in folders holding the same files: same files after, same error. */
function sameAsCdk8s(build: (AppClass: typeof App, outdir: string) => App, before: Record<string, string> = {}): { error?: string; files: Record<string, string> } {
  const run = (AppClass: typeof App) => {
    const outdir = tmp();
    for (const [f, text] of Object.entries(before)) writeFileSync(join(outdir, f), text);
    let error: string | undefined;
    try {
      build(AppClass, outdir).synth();
    } catch (e) {
      error = (e as Error).message;
    }
    return { error, files: tree(outdir) };
  };
  const plain = run(App);
  const fast = run(GpuplaneApp);
  expect(fast).toEqual(plain);
  return plain;
}

describe('GpuplaneApp synth', () => {
  test("the example app's dist/ (manifests and side files) is byte-identical with and without the direct writer", () => {
    const fast = tmp();
    const plain = tmp();
    const a = buildApp(fast);
    expect(a).toBeInstanceOf(GpuplaneApp);
    a.synth();
    const b = buildApp(plain, App);
    b.synth();
    const ft = tree(fast);
    const pt = tree(plain);
    expect(Object.keys(ft).length).toBeGreaterThan(20);
    expect(Object.keys(ft)).toEqual(Object.keys(pt));
    for (const f of Object.keys(ft)) expect([f, ft[f]]).toEqual([f, pt[f]]);
  });

  /** A chart mixing a JSON-patched gpuplane object, a plain ApiObject and unmodified gpuplane objects. */
  function mixedApp(AppClass: typeof App, outdir: string): App {
    const app = new AppClass({ outdir });
    const chart = new Chart(app, 'mixed', { disableResourceNameHashes: true });
    const svc = new VllmService(chart, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    svc.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'inference-high'));
    new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' }, data: { on: 'yes', n: '007', s: 'a\nb\n' } });
    const other = new Chart(app, 'labelled', { disableResourceNameHashes: true, labels: { team: 'ml' } });
    new VllmService(other, 'Qwen', { name: 'qwen', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    new Chart(app, 'empty');
    return app;
  }

  test('a JSON patch on one object, a plain ApiObject beside gpuplane objects, a labelled chart: the same bytes', () => {
    const fast = tmp();
    const plain = tmp();
    const app = mixedApp(GpuplaneApp, fast);
    expect(app.node.findAll().filter((c): c is RenderedApiObject => c instanceof RenderedApiObject).filter((o) => o.modified).length).toBeGreaterThan(1);
    app.synth();
    mixedApp(App, plain).synth();
    expect(tree(fast)).toEqual(tree(plain));
    const docs = parseAllDocuments(readFileSync(join(fast, 'mixed.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
    expect(docs.find((d) => d.kind === 'StatefulSet').spec.template.spec.priorityClassName).toBe('inference-high');
    expect(docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'plain').data).toEqual({ on: 'yes', n: '007', s: 'a\nb\n' });
  });

  test('synthYaml(), synthApp() on a plain App and CDK8S_DISABLE_SORT give the same bytes as cdk8s', () => {
    expect(mixedApp(GpuplaneApp, tmp()).synthYaml()).toBe(mixedApp(App, tmp()).synthYaml());
    const fast = tmp();
    const plain = tmp();
    synthApp(buildApp(fast, App));
    buildApp(plain, App).synth();
    expect(tree(fast)).toEqual(tree(plain));
    process.env.CDK8S_DISABLE_SORT = 'true';
    try {
      expect(mixedApp(GpuplaneApp, tmp()).synthYaml()).toBe(mixedApp(App, tmp()).synthYaml());
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });
});

describe('one-pass synth (synthManifests) against cdk8s App.synth()', () => {
  const included = (() => {
    const dir = tmp('gpuplane-include-');
    const file = join(dir, 'extra.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: included\ndata:\n  on: "yes"\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: included\n');
    return file;
  })();

  /** A chart class that decides its own documents. */
  class OwnJsonChart extends Chart {
    public toJson(): any[] {
      return [...super.toJson(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'added-by-tojson' } }];
    }
  }

  /**
   * Charts that depend on each other (numbered files), a nested chart, object dependencies inside a chart (which
   * reorder its documents), an Include, a chart namespace and labels (which change gpuplane's objects), a plain
   * ApiObject with a Lazy value, a chart with its own toJson(), an empty chart.
   */
  function shapesApp(AppClass: typeof App, props: AppProps): App {
    const app = new AppClass(props);
    const base = new Chart(app, 'base', { disableResourceNameHashes: true });
    const llama = new VllmService(base, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    const cm = new ApiObject(base, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { n: Lazy.any({ produce: () => '007' }) } });
    // The ConfigMap first: an object dependency inside one chart reorders that chart's documents.
    llama.workload.addDependency(cm);
    new Include(base, 'extra', { url: included });
    const apps = new Chart(app, 'apps', { disableResourceNameHashes: true, namespace: 'apps', labels: { team: 'ml' } });
    const qwen = new VllmService(apps, 'Qwen', { name: 'qwen', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    qwen.node.addDependency(llama);
    const nested = new Chart(apps, 'nested', { disableResourceNameHashes: true });
    new VllmService(nested, 'Mistral', { name: 'mistral', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    const own = new OwnJsonChart(app, 'own', { disableResourceNameHashes: true });
    new VllmService(own, 'Phi', { name: 'phi', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    new Chart(app, 'empty');
    return app;
  }

  const outputTypes = Object.entries(YamlOutputType).filter(([, v]) => typeof v === 'number') as [string, YamlOutputType][];

  test.each(outputTypes)('%s: the same files, byte for byte', (_, yamlOutputType) => {
    const { files } = sameAsCdk8s((AppClass, outdir) => shapesApp(AppClass, { outdir, yamlOutputType }));
    expect(Object.keys(files).length).toBeGreaterThan(yamlOutputType === YamlOutputType.FILE_PER_APP ? 0 : 3);
  });

  test('no dependencies anywhere: charts and objects in the order cdk8s writes them, integer-like ids included', () => {
    // cdk8s orders vertices by construct path as keys of a plain object: integer-like paths ('2', '10') come first.
    const flat = (AppClass: typeof App, props: AppProps) => {
      const app = new AppClass(props);
      for (const id of ['b', '10', 'a', '2']) {
        const chart = new Chart(app, id, { disableResourceNameHashes: true });
        new ApiObject(chart, '7', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${id}-7` } });
        new VllmService(chart, 'Llama', { name: `llama-${id}`, model: 'llama-3.1-8b', gpu: 'H100-80GB' });
        const group = new Construct(chart, '3');
        new ApiObject(group, 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${id}-3x` } });
        new ApiObject(chart, '1', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${id}-1` } });
      }
      return app;
    };
    for (const yamlOutputType of [YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_CHART]) {
      sameAsCdk8s((AppClass, outdir) => flat(AppClass, { outdir, yamlOutputType }));
    }
    const out = tmp();
    const app = flat(GpuplaneApp, { outdir: out, yamlOutputType: YamlOutputType.FILE_PER_APP });
    app.synth();
    // No construct depends on another even after synth: the order came from the direct path, not DependencyGraph.
    expect(app.node.findAll().every((c) => c.node.dependencies.length === 0)).toBe(true);
    const names = parseAllDocuments(readFileSync(join(out, 'app.k8s.yaml'), 'utf8')).map((d) => d.toJSON().metadata.name);
    // Inside a chart too: the constructs library keeps children by id, integer-like ids first.
    expect(names.filter((n: string) => n.startsWith('cm-2-') || n.startsWith('cm-b-'))).toEqual(['cm-2-1', 'cm-2-3x', 'cm-2-7', 'cm-b-1', 'cm-b-3x', 'cm-b-7']);
    expect(names.indexOf('cm-2-7')).toBeLessThan(names.indexOf('cm-10-7'));
    expect(names.indexOf('cm-10-7')).toBeLessThan(names.indexOf('cm-b-7'));
    expect(synthManifestsYaml(flat(App, { outdir: tmp() }))).toBe(flat(App, { outdir: tmp() }).synthYaml());
  });

  test('charts that depend on each other are numbered in dependency order (a nested chart before its parent), as cdk8s numbers them', () => {
    const out = tmp();
    shapesApp(GpuplaneApp, { outdir: out }).synth();
    expect(Object.keys(tree(out))).toEqual(['0000-apps-nested-c885be8e.k8s.yaml', '0001-base.k8s.yaml', '0002-apps.k8s.yaml', '0003-own.k8s.yaml', '0004-empty.k8s.yaml']);
    const base = parseAllDocuments(readFileSync(join(out, '0001-base.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
    expect(base.findIndex((d) => d.metadata.name === 'settings')).toBeLessThan(base.findIndex((d) => d.kind === 'StatefulSet'));
    expect(base.find((d) => d.metadata.name === 'settings').data.n).toBe('007');
    expect(readFileSync(join(out, '0003-own.k8s.yaml'), 'utf8')).toContain('name: added-by-tojson');
  });

  test('recordConstructMetadata and custom resolvers: the same files (cdk8s synth, or cdk8s writing the changed objects)', () => {
    for (const props of [{ recordConstructMetadata: true }, { resolvers: [{ resolve: () => undefined }] }]) {
      sameAsCdk8s((AppClass, outdir) => shapesApp(AppClass, { outdir, ...props }));
    }
    const out = tmp();
    shapesApp(GpuplaneApp, { outdir: out, recordConstructMetadata: true }).synth();
    expect(Object.keys(tree(out))).toContain('construct-metadata.json');
  });

  test('GPUPLANE_YAML_WRITER=cdk8s: every manifest written by cdk8s, the same files', () => {
    const fast = tmp();
    const plain = tmp();
    process.env.GPUPLANE_YAML_WRITER = 'cdk8s';
    try {
      shapesApp(GpuplaneApp, { outdir: fast }).synth();
    } finally {
      delete process.env.GPUPLANE_YAML_WRITER;
    }
    shapesApp(App, { outdir: plain }).synth();
    expect(tree(fast)).toEqual(tree(plain));
  });

  test('synthYaml() and synthManifestsYaml(): the string cdk8s returns', () => {
    const plain = shapesApp(App, { outdir: tmp() }).synthYaml();
    expect(shapesApp(GpuplaneApp, { outdir: tmp() }).synthYaml()).toBe(plain);
    expect(synthManifestsYaml(shapesApp(App, { outdir: tmp() }))).toBe(plain);
  });

  test('a failing validation: the same error as cdk8s, no manifest written', () => {
    const failing = (AppClass: typeof App, outdir: string) => {
      const app = new AppClass({ outdir });
      const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
      const svc = new VllmService(chart, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
      svc.workload.addJsonPatch(JsonPatch.replace('/spec/replicas', 'three'));
      const guard = new Construct(chart, 'guard');
      guard.node.addValidation({ validate: () => ['not allowed here'] });
      return app;
    };
    const { error, files } = sameAsCdk8s(failing);
    expect(error).toContain('[c/guard] not allowed here');
    expect(error).toContain('[c/Llama]');
    expect(files).toEqual({});
  });

  test('a metadata change made while the app validates (after gpuplane compared that object) is still written', () => {
    const late = (AppClass: typeof App, outdir: string) => {
      const app = new AppClass({ outdir });
      const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
      const svc = new VllmService(chart, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
      // Validated after the VllmService (construct order), so its object was already compared once in this synth.
      new Construct(chart, 'late').node.addValidation({
        validate: () => {
          svc.service.metadata.addLabel('late', 'yes');
          return [];
        },
      });
      return app;
    };
    const { files } = sameAsCdk8s(late);
    const service = parseAllDocuments(files['c.k8s.yaml']).map((d) => d.toJSON()).find((d) => d.kind === 'Service');
    expect(service.metadata.labels.late).toBe('yes');
  });

  test('synthApp: a plain App through the one-pass synth, an App with its own synth() through that synth()', () => {
    const fast = tmp();
    const plain = tmp();
    synthApp(shapesApp(App, { outdir: fast }));
    shapesApp(App, { outdir: plain }).synth();
    expect(tree(fast)).toEqual(tree(plain));
    const calls: string[] = [];
    class OwnSynthApp extends App {
      public synth(): void {
        calls.push('own');
        super.synth();
      }
    }
    const own = tmp();
    synthApp(shapesApp(OwnSynthApp, { outdir: own }));
    expect(calls).toEqual(['own']);
    expect(tree(own)).toEqual(tree(plain));
  });

  test('a chart over 1 MiB (written in chunks) is the same bytes', () => {
    const big = (AppClass: typeof App, outdir: string) => {
      const app = new AppClass({ outdir });
      const chart = new Chart(app, 'big', { disableResourceNameHashes: true });
      for (let i = 0; i < 90; i++) new VllmService(chart, `svc-${i}`, { name: `svc-${i}`, namespace: 'bench', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
      return app;
    };
    const { files } = sameAsCdk8s(big);
    expect(files['big.k8s.yaml'].length).toBeGreaterThan(1 << 20);
  });
});

describe('unmodifiedManifest', () => {
  test("the rendered object itself (no copy), apiVersion, kind and metadata first; undefined once anything changes it", () => {
    const app = new GpuplaneApp({ outdir: tmp() });
    const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
    const svc = new VllmService(chart, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    const cm = Object.values(svc.apiObjects).find((o) => o.kind === 'ConfigMap') ?? svc.service;
    const manifest = unmodifiedManifest(svc.service)!;
    const rendered = (svc.service as RenderedApiObject).rendered;
    expect(Object.keys(manifest).slice(0, 3)).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(manifest.spec).toBe(rendered.spec);
    expect(manifest.metadata).toBe(rendered.metadata);
    expect(unmodifiedManifest(new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } }))).toBeUndefined();
    expect(unmodifiedManifest(cm)).toBeDefined();
    svc.service.metadata.addLabel('team', 'ml');
    expect(unmodifiedManifest(svc.service)).toBeUndefined();
    svc.workload.addJsonPatch(JsonPatch.add('/spec/replicas', 3));
    expect(unmodifiedManifest(svc.workload)).toBeUndefined();
  });
});

describe('one-pass synth: effects and failures as cdk8s has them', () => {
  test('FILE_PER_RESOURCE calls each toJson() once (a Lazy that counts writes the same value)', () => {
    const result = sameAsCdk8s((AppClass, outdir) => {
      const app = new AppClass({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
      let n = 0;
      new ApiObject(chart, 'counted', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counted' }, data: { n: Lazy.any({ produce: () => String(n++) }) } });
      return app;
    });
    // 'n' is quoted: a YAML 1.1 boolean. The value is 0: one toJson() for the file name and the document together.
    expect(result.files['ConfigMap.counted.k8s.yaml']).toContain('"n": "0"');
  });

  test.each([YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_APP])('a document that fails leaves the file as it was (output type %s)', (yamlOutputType) => {
    const result = sameAsCdk8s(
      (AppClass, outdir) => {
        const app = new AppClass({ outdir, yamlOutputType });
        const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
        new VllmService(chart, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
        new ApiObject(chart, 'broken', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'broken' }, data: { x: Lazy.any({ produce: () => { throw new Error('no value'); } }) } });
        return app;
      },
      { 'c.k8s.yaml': 'OLD\n' },
    );
    expect(result.error).toContain('no value');
    expect(result.files).toEqual({ 'c.k8s.yaml': 'OLD\n' });
  });

  test('a validation that reads the resolved dependencies fails as it does under cdk8s', () => {
    const result = sameAsCdk8s((AppClass, outdir) => {
      const app = new AppClass({ outdir });
      const parent = new Chart(app, 'p', { disableResourceNameHashes: true });
      new Chart(parent, 'k', { disableResourceNameHashes: true });
      parent.node.addValidation({ validate: () => (parent.node.dependencies.length > 0 ? ['has deps'] : []) });
      return app;
    });
    expect(result.error).toContain('[p] has deps');
  });

  test('a Lazy label equal to the rendered one at validation, changed by a later validation, is written as it ends up', () => {
    const result = sameAsCdk8s((AppClass, outdir) => {
      const app = new AppClass({ outdir });
      const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
      const svc = new VllmService(chart, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
      let value = svc.service.metadata.getLabel('app.kubernetes.io/name')!;
      svc.service.metadata.addLabel('app.kubernetes.io/name', Lazy.any({ produce: () => value }));
      new Chart(app, 'later').node.addValidation({ validate: () => { value = 'changed'; return []; } });
      return app;
    });
    expect(result.files['c.k8s.yaml']).toContain('app.kubernetes.io/name: changed');
  });

  test('a validation that adds objects with dependencies: the order cdk8s writes', () => {
    sameAsCdk8s((AppClass, outdir) => {
      const app = new AppClass({ outdir });
      const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
      new ApiObject(chart, 'a0', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a0' } });
      const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
      let added = false;
      chart.node.addValidation({
        validate: () => {
          if (!added) new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }).addDependency(b);
          added = true;
          return [];
        },
      });
      return app;
    });
  });

  test("a chart's own toJson() returning a null document under FILE_PER_RESOURCE: cdk8s's error", () => {
    class NullChart extends Chart {
      public toJson(): any[] {
        return [null];
      }
    }
    const result = sameAsCdk8s((AppClass, outdir) => {
      const app = new AppClass({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      new NullChart(app, 'n');
      return app;
    });
    expect(result.error).toContain("reading 'kind'");
  });

  test('metadata cdk8s cannot render (a label named constructor): the same error', () => {
    const result = sameAsCdk8s((AppClass, outdir) => {
      const app = new AppClass({ outdir });
      const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
      new RenderedApiObject(chart, 'odd', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { constructor: 'x' }, name: 'odd' } });
      return app;
    });
    expect(result.error).toContain("can't render non-simple object");
  });
});
