import { KubeObject } from '../../../lib/core/kube';
import type { InferenceGatewayOptions } from '../../../lib/core/routing/options';
import { MODEL_NAME_HEADER, renderInferenceGateway } from '../../../lib/core/routing/render';
import { validateSchema } from '../../../lib/core/validate';
import { renderVllmService } from '../../../lib/core/vllm/render';
import { validateAgainstCrd } from '../../helpers/crd-schema';
import { find, kinds } from '../../helpers/find';
import { problemsOf } from '../../helpers/problems';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const np = { networkPolicy: { allowedNamespaces: ['inference', 'gateway-system'] } };
const llama = renderVllmService({
  name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama', ...np,
  adapters: [{ name: 'sql-lora', rank: 16, source: { type: 'pvc', claimName: 'adapters', path: 'sql' } }],
});
const qwen = renderVllmService({ name: 'qwen', namespace: 'inference', model: 'qwen3-8b', gpu: 'H100-80GB', ...np });
const options: InferenceGatewayOptions = {
  name: 'gw', gateway: { name: 'inference-gateway', namespace: 'gateway-system' },
  models: [
    { backends: [{ service: llama.resolved }] },
    { name: 'sql-lora', backends: [{ service: llama.resolved }], priority: 5 },
    { backends: [{ service: qwen.resolved }] },
  ],
};
const config = (objects: readonly KubeObject[], pool: string): Obj => JSON.parse(find(objects, 'ConfigMap', `${pool}-epp`).data['config.yaml']);

describe('InferenceGateway routes LoRA adapters to the pool of their base service', () => {
  const { objects } = renderInferenceGateway(options);

  test("one pool for the base model and its adapter; one route per model name, both to the base service's pool", () => {
    expect(kinds(objects).filter((k) => /^(InferencePool|HTTPRoute|InferenceObjective)\//.test(k))).toEqual([
      'InferencePool/llama', 'InferenceObjective/llama-sql-lora', 'InferencePool/qwen', 'HTTPRoute/gw-llama', 'HTTPRoute/gw-llama-sql-lora', 'HTTPRoute/gw-qwen',
    ]);
    const route = find(objects, 'HTTPRoute', 'gw-llama-sql-lora');
    expect(route.spec.rules[0].matches[0].headers).toEqual([{ type: 'Exact', name: MODEL_NAME_HEADER, value: 'sql-lora' }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama', weight: 1 }]);
    expect(find(objects, 'InferenceObjective', 'llama-sql-lora').spec).toEqual({ poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama' }, priority: 5 });
    for (const o of objects) expect(validateSchema(o)).toEqual([]);
    for (const o of objects.filter((x) => /HTTPRoute|InferencePool|InferenceObjective/.test(x.kind))) {
      const v = validateAgainstCrd(o);
      expect(v.errors).toEqual([]);
      expect(v.unchecked).toEqual([]);
    }
  });

  test("the pool of a service with adapters scores LoRA affinity (llm-d-router's lora-affinity-scorer); others do not", () => {
    const c = config(objects, 'llama');
    expect(c.plugins).toContainEqual({ type: 'lora-affinity-scorer' });
    expect(c.schedulingProfiles[0].plugins).toContainEqual({ pluginRef: 'lora-affinity-scorer', weight: 1 });
    expect(c.schedulingProfiles[0].plugins.at(-1)).toEqual({ pluginRef: 'max-score-picker' });
    expect(JSON.stringify(config(objects, 'qwen'))).not.toContain('lora');
    const weighted = renderInferenceGateway({ ...options, router: { weights: { loraAffinity: 4 } } });
    expect(config(weighted.objects, 'llama').schedulingProfiles[0].plugins).toContainEqual({ pluginRef: 'lora-affinity-scorer', weight: 4 });
  });

  test('fails if a gateway model names an adapter the service does not serve', () => {
    const text = problemsOf(() => renderInferenceGateway({ ...options, models: [{ name: 'chat-lora', backends: [{ service: llama.resolved }] }] }));
    expect(text).toContain("'models[0].backends[0].service' must serve the model name the route matches ('chat-lora'), as its served model or one of its LoRA adapters: vLLM answers 404 to any other (got \"llama serves 'llama' and adapters 'sql-lora'\"). Fix: set servedModelName: 'chat-lora' on 'llama', or add an adapter named 'chat-lora' to its adapters");
  });

  test('fails if one model lists the same service twice', () => {
    expect(problemsOf(() => renderInferenceGateway({ ...options, models: [{ backends: [{ service: llama.resolved }, { service: llama.resolved }] }] })))
      .toContain("'models[0].backends[1].service' must not be listed twice for one model (a canary needs two services)");
  });
});
