import { KINDS } from '../../../lib/core/kinds';
import { KubeObject } from '../../../lib/core/kube';
import { validateObjects, validateSchema, validateSemantics } from '../../../lib/core/validate';
import { renderVllmService } from '../../../lib/core/vllm/render';

const good = renderVllmService({ name: 'llama', model: 'llama-3.1-8b', gpu: 'H100-80GB' }).objects;
const clone = (): any[] => JSON.parse(JSON.stringify(good)); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('validateSchema', () => {
  test('fails if a field has the wrong type, naming the path', () => {
    const objs = clone();
    objs[0].spec.template.spec.containers[0].ports[0].containerPort = '8000';
    expect(validateSchema(objs[0])).toEqual([expect.stringContaining('StatefulSet/default/llama: schema apps/v1/StatefulSet: data/spec/template/spec/containers/0/ports/0/containerPort must be integer')]);
  });

  test('fails if a CRD field is wrong (ServiceMonitor endpoints must be a list)', () => {
    const sm = clone().find((o) => o.kind === 'ServiceMonitor');
    sm.spec.endpoints = { port: 'http' };
    expect(validateSchema(sm)[0]).toMatch(/ServiceMonitor\/default\/llama: schema monitoring.coreos.com\/v1\/ServiceMonitor: .*endpoints must be array/);
  });

  // validateSchema runs each model's validator on the object itself rather than the model's deep copy: every model
  // kind (kubernetes-models, prometheus-operator, KEDA, Istio, Argo CD; base 4.x and 5.x) must still refuse a wrong type.
  test.each(KINDS.filter((k) => k.schema && 'model' in k.schema).map((k) => [`${k.apiVersion}/${k.kind}`, k]))('%s: a metadata.name that is not a string is refused', (_, k) => {
    const problems = validateSchema({ apiVersion: k.apiVersion, kind: k.kind, metadata: { name: 5 as unknown as string } });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${k.kind}//5: schema ${k.apiVersion.replace(/\./g, '\\.')}/${k.kind}: .*data/metadata/name must be string`))]);
  });

  test('fails if no schema is known for a kind', () => {
    expect(validateSchema({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget//w: no schema is known for example.com/v1/Widget; gpuplane refuses to emit objects it cannot validate',
    ]);
  });
});

describe('validateSemantics', () => {
  test('a clean render has no problems', () => {
    expect(validateObjects(good)).toEqual([]);
  });

  test.each([
    ['a selector that misses the template labels', (o: any[]) => { o[0].spec.selector.matchLabels.extra = 'x'; }, 'StatefulSet/default/llama: spec.selector.matchLabels does not match the pod template labels'],
    ['a port name over 15 characters', (o: any[]) => { o[0].spec.template.spec.containers[0].ports[0].name = 'openai-compatible-api'; }, 'port name "openai-compatible-api" must be at most 15'],
    ['a probe on an undeclared port', (o: any[]) => { o[0].spec.template.spec.containers[0].livenessProbe.httpGet.port = 'metrics'; }, 'livenessProbe uses port "metrics", which the container does not declare'],
    ['a quantity that does not parse', (o: any[]) => { o[0].spec.template.spec.containers[0].resources.requests.memory = '24 GB'; }, 'resource memory quantity "24 GB" does not parse'],
    ['GPU request different from limit', (o: any[]) => { o[0].spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '2'; }, 'extended resource nvidia.com/gpu must have request equal to limit (got 1 and 2)'],
    ['a PDB with minAvailable 0', (o: any[]) => { const pdb = o.find((x) => x.kind === 'PodDisruptionBudget'); delete pdb.spec.maxUnavailable; pdb.spec.minAvailable = 0; }, 'minAvailable 0 protects nothing'],
    ['a Service that selects nothing', (o: any[]) => { o.find((x) => x.kind === 'Service').spec.selector = { app: 'other' }; }, 'Service/default/llama: spec.selector selects no workload of this render'],
    ['an HPA that targets nothing', (o: any[]) => { o.find((x) => x.kind === 'HorizontalPodAutoscaler').spec.scaleTargetRef.name = 'other'; }, 'scaleTargetRef other is not a workload of this render'],
    ['a mount without a volume', (o: any[]) => { o[0].spec.template.spec.containers[0].volumeMounts.push({ name: 'dshm', mountPath: '/dev/shm' }); }, 'volumeMount "dshm" has no volume of that name'],
    ['an invalid object name', (o: any[]) => { o[1].metadata.name = 'Llama'; }, 'metadata.name "Llama" is not a valid DNS-1123 label'],
  ])('fails on %s', (_name, mutate, message) => {
    const objs = clone();
    mutate(objs);
    expect(validateSemantics(objs as KubeObject[]).join('\n')).toContain(message);
  });
});
