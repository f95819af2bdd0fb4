import { ApiObject, App, Chart, JsonPatch, ResolutionContext, Testing } from 'cdk8s';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { buildApp } from '../../examples/main';
import { RenderedApiObject, VllmService } from '../../lib/cdk8s';
import { find, vllmContainer } from '../helpers/find';

/** cdk8s's own resolve-and-sanitize pass, which RenderedApiObject.toJson skips while nothing changed. */
const cdk8sToJson = (o: ApiObject) => ApiObject.prototype.toJson.call(o);

const tmpApp = (props: ConstructorParameters<typeof App>[0] = {}) => Testing.app({ outdir: mkdtempSync(join(tmpdir(), 'gpuplane-rendered-')), ...props });

describe('RenderedApiObject', () => {
  test("toJson() equals cdk8s's own rendering for every object of every example, key order included", () => {
    const objects = buildApp(mkdtempSync(join(tmpdir(), 'gpuplane-rendered-'))).node.findAll().filter((c): c is RenderedApiObject => c instanceof RenderedApiObject);
    expect(objects.length).toBeGreaterThan(50);
    for (const o of objects) {
      expect(o.modified).toBe(false);
      const ours = o.toJson();
      const theirs = cdk8sToJson(o);
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    }
  });

  test('a JSON patch takes the cdk8s path and shows in the manifest', () => {
    const chart = new Chart(tmpApp(), 'c');
    const svc = new VllmService(chart, 'Llama', { model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    svc.workload.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'inference-high'));
    expect((svc.workload as RenderedApiObject).modified).toBe(true);
    expect(find(chart.toJson(), 'StatefulSet').spec.template.spec.priorityClassName).toBe('inference-high');
  });

  test('a metadata change and a chart label take the cdk8s path', () => {
    const chart = new Chart(tmpApp(), 'c', { labels: { team: 'ml' } });
    const svc = new VllmService(chart, 'Llama', { model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    svc.service.metadata.addAnnotation('example.com/owner', 'platform');
    const manifests = chart.toJson();
    expect(find(manifests, 'Service').metadata.annotations).toEqual({ 'example.com/owner': 'platform' });
    expect(manifests.every((m: { metadata: { labels: Record<string, string> } }) => m.metadata.labels.team === 'ml')).toBe(true);
  });

  test("an App's custom resolver still sees every value", () => {
    const app = tmpApp({
      resolvers: [{ resolve: (ctx: ResolutionContext) => { if (ctx.value === 'vllm/vllm-openai:v0.26.0') ctx.replaceValue('registry.example.com/vllm/vllm-openai:v0.26.0'); } }],
    });
    const chart = new Chart(app, 'c');
    new VllmService(chart, 'Llama', { model: 'llama-3.1-8b', gpu: 'H100-80GB', image: 'vllm/vllm-openai:v0.26.0' });
    expect(vllmContainer(find(chart.toJson(), 'StatefulSet')).image).toBe('registry.example.com/vllm/vllm-openai:v0.26.0');
  });

  test('CDK8S_DISABLE_SORT keeps cdk8s behaviour', () => {
    const chart = new Chart(tmpApp(), 'c');
    const svc = new VllmService(chart, 'Llama', { model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    const cdk8sPath = jest.spyOn(ApiObject.prototype, 'toJson');
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const ours = svc.deployment.toJson();
      expect(cdk8sPath).toHaveBeenCalledTimes(1); // the fast path would not reach cdk8s's toJson at all
      expect(JSON.stringify(ours)).toBe(JSON.stringify(cdk8sToJson(svc.deployment)));
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
      cdk8sPath.mockRestore();
    }
  });

  test('the rendered object is frozen; the manifest a caller gets is a copy it may change', () => {
    const chart = new Chart(tmpApp(), 'c');
    const svc = new VllmService(chart, 'Llama', { model: 'llama-3.1-8b', gpu: 'H100-80GB' });
    const first = svc.deployment.toJson();
    first.spec.template.spec.containers[0].image = 'changed';
    expect(vllmContainer(svc.deployment.toJson()).image).toBe('vllm/vllm-openai:v0.26.0');
    const rendered = (svc.deployment as RenderedApiObject).rendered as ReturnType<ApiObject['toJson']>;
    expect(() => { rendered.spec.replicas = 7; }).toThrow(TypeError);
    expect(vllmContainer(rendered).image).toBe('vllm/vllm-openai:v0.26.0');
  });
});
