import type { InferenceGatewayProps } from '../lib/core/routing/props';
import type { VllmServiceOptions } from '../lib/core/vllm/options';

/**
 * Three models and a LoRA adapter behind one Gateway with prefix-aware routing, shared by the cdk8s app (main.ts)
 * and the Pulumi program (pulumi/index.ts): Llama 3.1 8B with a 10% canary (a second VllmService serving the same
 * model name) and its LoRA adapter `llama-sql` (routed to the Llama pool, whose picker adds LoRA affinity), Qwen3 8B
 * with a higher priority, and Mistral 7B that scales to zero when idle (KEDA wakes it on the picker's queue).
 * The Gateway `inference-gateway` in `gateway-system` is the platform's (its listener must allow routes from
 * `models`); with two models the Gateway runs the body-based router, which sets the model-name header routes match.
 */
export const EXAMPLE_GATEWAY_CHART = 'inference-gateway';

/** The callers each service's NetworkPolicy lets in: the Gateway's proxy and, in its own namespace, its endpoint picker. */
const CALLERS = { allowedNamespaces: ['models', 'gateway-system'] };

export const EXAMPLE_GATEWAY_SERVICES: Record<string, VllmServiceOptions> = {
  llama: {
    name: 'llama-8b', namespace: 'models', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama-3.1-8b', maxModelLen: 8192, networkPolicy: CALLERS,
    // The adapter lies on a claim the platform fills (mounted read-only); rank 16 is its adapter_config.json's r.
    adapters: [{ name: 'llama-sql', rank: 16, source: { type: 'pvc', claimName: 'lora-adapters', path: 'llama-3.1-8b/sql' } }],
  },
  'llama-canary': { name: 'llama-8b-canary', namespace: 'models', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama-3.1-8b', maxModelLen: 16384, networkPolicy: CALLERS },
  qwen: { name: 'qwen3-8b', namespace: 'models', model: 'qwen3-8b', gpu: 'H100-80GB', servedModelName: 'qwen3-8b', maxModelLen: 8192, networkPolicy: CALLERS },
  mistral: {
    name: 'mistral-7b', namespace: 'models', model: 'mistral-7b', gpu: 'H100-80GB', servedModelName: 'mistral-7b', maxModelLen: 8192, networkPolicy: CALLERS,
    autoscaling: { mode: 'keda', minReplicas: 0, maxReplicas: 2 },
  },
};

/** The gateway's props with each backend named by its key in EXAMPLE_GATEWAY_SERVICES. */
export interface ExampleGateway extends Omit<InferenceGatewayProps, 'models'> {
  readonly models: readonly { readonly name?: string; readonly backends: readonly { readonly service: string; readonly weight?: number }[]; readonly priority?: number }[];
}

export const EXAMPLE_GATEWAY: ExampleGateway = {
  name: 'chat',
  gateway: { name: 'inference-gateway', namespace: 'gateway-system', sectionName: 'http' },
  models: [
    { backends: [{ service: 'llama', weight: 90 }, { service: 'llama-canary', weight: 10 }] },
    { name: 'llama-sql', backends: [{ service: 'llama' }] },
    { backends: [{ service: 'qwen' }], priority: 10 },
    { backends: [{ service: 'mistral' }] },
  ],
};

/** The props with the services built by the caller (cdk8s constructs or Pulumi components). */
export function exampleGatewayProps<S>(services: Record<string, S>): Omit<ExampleGateway, 'models'> & { readonly models: readonly { readonly name?: string; readonly backends: readonly { readonly service: S; readonly weight?: number }[]; readonly priority?: number }[] } {
  return { ...EXAMPLE_GATEWAY, models: EXAMPLE_GATEWAY.models.map((m) => ({ ...m, backends: m.backends.map((b) => ({ ...b, service: services[b.service] })) })) };
}
