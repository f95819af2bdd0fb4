import { App, Chart, Lazy } from 'cdk8s';
import { buildApp } from '../../examples/main';
import { RenderedApiObject, VllmService } from '../../lib/cdk8s';
import { cdk8sMetadataSourceHash, renderedMetadataEquals, VERIFIED_CDK8S_SOURCE } from '../../lib/cdk8s/metadata-check';
import { tmp } from '../helpers/tree';

/** cdk8s's own answer: the metadata it would write, against the rendered one, keys in order. */
const cdk8sAnswer = (o: RenderedApiObject) => JSON.stringify(o.metadata.toJson()) === JSON.stringify(o.rendered.metadata);
const rendered = (app: App) => app.node.findAll().filter((c): c is RenderedApiObject => c instanceof RenderedApiObject);

describe('renderedMetadataEquals (the metadata comparison without toJson)', () => {
  test('the installed cdk8s is the code the comparison reproduces (after a cdk8s upgrade: re-read its metadata toJson, resolve and sanitizeValue, then update VERIFIED_CDK8S_SOURCE)', () => {
    expect(cdk8sMetadataSourceHash()).toBe(VERIFIED_CDK8S_SOURCE);
  });

  test("every object of every example: answered without toJson, and the same answer as cdk8s's", () => {
    const objects = rendered(buildApp(tmp()));
    expect(objects.length).toBeGreaterThan(100);
    for (const o of objects) expect([o.node.path, renderedMetadataEquals(o.metadata, o.rendered.metadata)]).toEqual([o.node.path, cdk8sAnswer(o)]);
  });

  test.each<[string, (o: RenderedApiObject, chart: Chart) => void]>([
    ['untouched', () => {}],
    ['addLabel', (o) => o.metadata.addLabel('team', 'ml')],
    ['addLabel with the value it has', (o) => o.metadata.addLabel('app.kubernetes.io/name', o.rendered.metadata.labels!['app.kubernetes.io/name'])],
    ['addAnnotation', (o) => o.metadata.addAnnotation('example.com/owner', 'platform')],
    ['addFinalizers', (o) => o.metadata.addFinalizers('example.com/keep')],
    ['addOwnerReference', (o) => o.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '1' })],
    ['add a field', (o) => o.metadata.add('generateName', 'x-')],
    ['add an empty map (dropped by cdk8s)', (o) => o.metadata.add('managedFields', {})],
    ['add an empty list (dropped by cdk8s)', (o) => o.metadata.add('managedFields', [])],
    ['add null (dropped by cdk8s)', (o) => o.metadata.add('generateName', null)],
    ['labels with array-index keys', (o) => { o.metadata.addLabel('10', 'a'); o.metadata.addLabel('9', 'b'); }],
  ])('%s: the same answer as cdk8s', (_, change) => {
    const app = new App({ outdir: tmp() });
    const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
    const svc = new VllmService(chart, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    for (const o of Object.values(svc.apiObjects) as RenderedApiObject[]) {
      change(o, chart);
      expect(renderedMetadataEquals(o.metadata, o.rendered.metadata)).toBe(cdk8sAnswer(o));
    }
  });

  test('chart labels and namespace, rendered metadata with empty maps or index keys: the same answer as cdk8s', () => {
    const app = new App({ outdir: tmp() });
    const labelled = new Chart(app, 'labelled', { disableResourceNameHashes: true, labels: { team: 'ml' }, namespace: 'ns' });
    const svc = new VllmService(labelled, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    const plain = new Chart(app, 'plain', { disableResourceNameHashes: true });
    const odd = [
      new RenderedApiObject(plain, 'empty-annotations', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: {}, name: 'a' } }),
      new RenderedApiObject(plain, 'index-labels', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { '2': 'x', '10': 'y', a: 'z' }, name: 'b' } }),
      new RenderedApiObject(plain, 'no-labels', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }),
    ];
    const all = [...(Object.values(svc.apiObjects) as RenderedApiObject[]), ...odd];
    for (const o of all) expect([o.node.id, renderedMetadataEquals(o.metadata, o.rendered.metadata)]).toEqual([o.node.id, cdk8sAnswer(o)]);
    expect(odd.map(cdk8sAnswer)).toEqual([false, true, true]);
  });

  test('tokens in the metadata, or fields toJson() does not read: left to toJson()', () => {
    const app = new App({ outdir: tmp() });
    const chart = new Chart(app, 'c', { disableResourceNameHashes: true });
    const svc = new VllmService(chart, 'Llama', { name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    const [a, b] = Object.values(svc.apiObjects) as RenderedApiObject[];
    a.metadata.addLabel('team', Lazy.any({ produce: () => 'ml' }));
    expect(renderedMetadataEquals(a.metadata, a.rendered.metadata)).toBeUndefined();
    (b.metadata as unknown as Record<string, unknown>).extra = 1;
    expect(renderedMetadataEquals(b.metadata, b.rendered.metadata)).toBeUndefined();
  });
});
