import { KubeObject } from '../../lib/core/kube';
import { renderInferenceGateway } from '../../lib/core/routing/render';
import { validateSchema } from '../../lib/core/validate';
import { renderVllmService } from '../../lib/core/vllm/render';
import { crdFor, validateAgainstCrd } from '../helpers/crd-schema';

/**
 * Every custom resource the InferenceGateway renders (InferencePool, InferenceObjective, HTTPRoute), validated against
 * the real CRDs in ../shared/reference/crds (gateway-api-inference-extension v1.6.0, llm-d-router v0.10.0, Gateway
 * API), with their CEL rules; and the run-time schemas agree with the CRDs on broken variants.
 */

const svc = (name: string, extra: Record<string, unknown> = {}) => renderVllmService({ name, namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama', networkPolicy: { allowedNamespaces: ['inference', 'gateway-system'] }, ...extra } as never).resolved;
const qwen = renderVllmService({ name: 'qwen', namespace: 'inference', model: 'qwen3-8b', gpu: 'H100-80GB', networkPolicy: { allowedNamespaces: ['inference', 'gateway-system'] } }).resolved;

const renders: [string, readonly KubeObject[]][] = [
  ['two models, canary, priority', renderInferenceGateway({
    name: 'gw', gateway: { name: 'inference-gateway', namespace: 'gateway-system', sectionName: 'http' },
    models: [{ backends: [{ service: svc('llama'), weight: 90 }, { service: svc('llama-canary'), weight: 10 }], priority: -5 }, { backends: [{ service: qwen }], priority: 100 }],
  }).objects],
  ['one model, FailOpen, same-namespace Gateway', renderInferenceGateway({
    name: 'solo', gateway: { name: 'gw' }, models: [{ backends: [{ service: qwen }] }], router: { failureMode: 'FailOpen', requestTtlSeconds: 3600 }, routeTimeoutSeconds: 99999,
  }).objects],
];

const cases: [string, KubeObject][] = renders.flatMap(([label, objects]) => objects.filter((o) => !/^(v1|apps\/v1|rbac\.authorization\.k8s\.io\/v1)$/.test(o.apiVersion)).map((o): [string, KubeObject] => [`${label}: ${o.kind}/${o.metadata.name}`, o]));

describe('InferenceGateway custom resources against the real CRDs', () => {
  test('every kind has its served CRD version in the reference', () => {
    const kinds = [...new Set(cases.map(([, o]) => `${o.apiVersion} ${o.kind}`))].sort();
    expect(kinds).toEqual(['gateway.networking.k8s.io/v1 HTTPRoute', 'inference.networking.k8s.io/v1 InferencePool', 'llm-d.ai/v1alpha2 InferenceObjective']);
    for (const k of kinds) expect(crdFor(k.split(' ')[0], k.split(' ')[1])).toBeDefined();
    // The older group is not what the EPP reconciles when both are installed.
    expect(cases.some(([, o]) => o.apiVersion.startsWith('inference.networking.x-k8s.io'))).toBe(false);
  });

  test.each(cases)('%s', (_label, object) => {
    const verdict = validateAgainstCrd(object);
    expect(verdict.errors).toEqual([]);
    expect(verdict.unchecked).toEqual([]);
    expect(validateSchema(object)).toEqual([]);
  });

  const pool = cases.find(([, o]) => o.kind === 'InferencePool')![1] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const route = cases.find(([, o]) => o.kind === 'HTTPRoute')![1] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const objective = cases.find(([, o]) => o.kind === 'InferenceObjective')![1] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const set = (o: any, f: (c: any) => void) => { const c = JSON.parse(JSON.stringify(o)); f(c); return c; }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const broken: [string, KubeObject][] = [
    ['pool without targetPorts', set(pool, (c) => { delete c.spec.targetPorts; })],
    ['pool with nine target ports', set(pool, (c) => { c.spec.targetPorts = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => ({ number: 8000 + n })); })],
    ['pool with an unknown appProtocol', set(pool, (c) => { c.spec.appProtocol = 'grpc'; })],
    ['pool with an empty selector', set(pool, (c) => { c.spec.selector.matchLabels = {}; })],
    ['pool picker ref without a port', set(pool, (c) => { delete c.spec.endpointPickerRef.port; })],
    ['pool with an unknown key', set(pool, (c) => { c.spec.extensionRef = { name: 'x' }; })],
    ['route with a six-digit timeout', set(route, (c) => { c.spec.rules[0].timeouts.request = '100000s'; })],
    ['route with a weight above 1000000', set(route, (c) => { c.spec.rules[0].backendRefs[0].weight = 1000001; })],
    ['route with an unknown key', set(route, (c) => { c.spec.rules[0].timeout = '10s'; })],
    ['objective without poolRef', set(objective, (c) => { delete c.spec.poolRef; })],
    ['objective with a string priority', set(objective, (c) => { c.spec.priority = 'high'; })],
  ];

  test.each(broken)('both the CRD and the run-time schema refuse: %s', (_label, object) => {
    expect(validateAgainstCrd(object).errors).not.toEqual([]);
    expect(validateSchema(object)).not.toEqual([]);
  });
});
