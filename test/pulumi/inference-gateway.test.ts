import type * as pulumiTypes from '@pulumi/pulumi';
import { recordResources, settle } from '../helpers/pulumi-mocks';
import { objectId } from '../../lib/core/object-ids';
import { renderInferenceGateway } from '../../lib/core/routing/render';

const recorded = recordResources();
// Imported after the mocks, as Pulumi's testing guide requires.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { InferenceGateway, VllmService } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

describe('InferenceGateway (Pulumi)', () => {
  test('parity: one resource per core object, CustomResources for the pool, route and objective', async () => {
    const llama = new VllmService('llama', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', networkPolicy: { allowedNamespaces: ['inference', 'gateway-system'] } });
    const gw = new InferenceGateway('chat', { gateway: { name: 'inference-gateway', namespace: 'gateway-system' }, models: [{ backends: [{ service: llama }], priority: 5 }] });
    await settle(Object.values(gw.resources) as pulumiTypes.Resource[]);
    const objects = renderInferenceGateway({ name: 'chat', gateway: { name: 'inference-gateway', namespace: 'gateway-system' }, models: [{ backends: [{ service: llama.resolved }], priority: 5 }] }).objects;
    for (const obj of objects) {
      expect(recorded.find((r) => r.name === `chat-${objectId('chat', obj).toLowerCase()}`)?.inputs).toEqual(obj);
    }
    const types = recorded.filter((r) => r.name.startsWith('chat-')).map((r) => `${r.type} ${r.name}`).sort();
    expect(types).toEqual([
      'kubernetes:apps/v1:Deployment chat-deployment-llama-epp',
      'kubernetes:core/v1:ConfigMap chat-configmap-llama-epp',
      'kubernetes:core/v1:Service chat-service-llama-epp',
      'kubernetes:core/v1:ServiceAccount chat-serviceaccount-llama-epp',
      'kubernetes:gateway.networking.k8s.io/v1:HTTPRoute chat-httproute-llama',
      'kubernetes:inference.networking.k8s.io/v1:InferencePool chat-inferencepool-llama',
      'kubernetes:llm-d.ai/v1alpha2:InferenceObjective chat-inferenceobjective-llama',
      'kubernetes:rbac.authorization.k8s.io/v1:Role chat-role-llama-epp',
      'kubernetes:rbac.authorization.k8s.io/v1:RoleBinding chat-rolebinding-llama-epp',
    ].sort());
    expect(recorded.find((r) => r.name === 'chat')?.type).toBe('gpuplane:index:InferenceGateway');
  });
});
