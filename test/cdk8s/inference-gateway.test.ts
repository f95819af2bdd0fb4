import { Testing } from 'cdk8s';
import { InferenceGateway, VllmService } from '../../lib/cdk8s';
import { GpuplaneValidationError } from '../../lib/core/errors';
import { renderInferenceGateway } from '../../lib/core/routing/render';
import { validateObjects } from '../../lib/core/validate';

describe('InferenceGateway (cdk8s)', () => {
  const setup = () => {
    const chart = Testing.chart();
    const llama = new VllmService(chart, 'Llama', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama', networkPolicy: { allowedNamespaces: ['inference', 'gateway-system'] } });
    const canary = new VllmService(chart, 'Canary', { name: 'llama-canary', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama', networkPolicy: { allowedNamespaces: ['inference', 'gateway-system'] } });
    return { chart, llama, canary };
  };

  test('synthesizes exactly the core objects from the VllmServices, each valid', () => {
    const { chart, llama, canary } = setup();
    const gw = new InferenceGateway(chart, 'Chat', { gateway: { name: 'inference-gateway', namespace: 'gateway-system' }, models: [{ backends: [{ service: llama, weight: 95 }, { service: canary, weight: 5 }], priority: 1 }] });
    const core = renderInferenceGateway({ name: 'chat', gateway: { name: 'inference-gateway', namespace: 'gateway-system' }, models: [{ backends: [{ service: llama.resolved, weight: 95 }, { service: canary.resolved, weight: 5 }], priority: 1 }] }).objects;
    const manifests = Testing.synth(chart);
    expect(manifests.slice(-core.length)).toEqual(core);
    expect(validateObjects(manifests)).toEqual([]);
    expect(Object.keys(gw.apiObjects)).toContain('HTTPRoute-llama');
    expect(Object.keys(gw.apiObjects)).toContain('InferencePool-llama-canary');
    expect(gw.resolved.models[0].routeTimeoutSeconds).toBe(llama.resolved.startupBudgetSeconds + 300);
  });

  test('refuses a route timeout shorter than the cold start, at construction', () => {
    const { chart, llama } = setup();
    expect(() => new InferenceGateway(chart, 'Chat', { gateway: { name: 'gw' }, models: [{ backends: [{ service: llama }] }], routeTimeoutSeconds: 30 })).toThrow(GpuplaneValidationError);
    expect(() => new InferenceGateway(chart, 'Chat2', { gateway: { name: 'gw' }, models: [{ backends: [{ service: llama }] }], routeTimeoutSeconds: 30 })).toThrow(`allowed: >= ${llama.resolved.startupBudgetSeconds + 300}`);
  });
});
