import { dnsLabel, quantity } from '../options/formats';
import { arr, custom, num, obj, oneOf, opt, posInt, Schema, str } from '../options/schema';
import { objectName } from '../options/shared-schemas';
import type { GatewayBackendSpec, GatewayRef, InferenceGatewayBackend, InferenceGatewayModel, InferenceGatewayOptions, RouterOptions, ScorerWeights } from './options';

/** A resolved serving service: what `VllmService.resolved` is. */
const BACKEND_SPEC = custom<GatewayBackendSpec>('a resolved serving service (a VllmService\'s `resolved`)', (v) => {
  const s = v as Partial<GatewayBackendSpec> | undefined;
  if (!s || typeof s !== 'object') return 'must be a VllmService (its `resolved`)';
  if (typeof s.name !== 'string' || typeof s.namespace !== 'string' || typeof s.servedModelName !== 'string' || !s.engine || typeof s.startupBudgetSeconds !== 'number') {
    return 'must be a resolved serving service with name, namespace, servedModelName, engine and startupBudgetSeconds';
  }
  return undefined;
}, 'pass a VllmService construct (or its `resolved`)');

const weight = num({ integer: true, min: 0, max: 1000000, fix: 'use e.g. 90 and 10 for a 10% canary' });

export const GATEWAY_REF_SCHEMA: Schema<GatewayRef> = obj<GatewayRef>({
  name: objectName('name the Gateway the platform runs'),
  namespace: opt(dnsLabel()),
  sectionName: opt(dnsLabel()),
}, { expected: 'a Gateway { name, namespace?, sectionName? }' });

const BACKEND = obj<InferenceGatewayBackend>({ service: BACKEND_SPEC, weight: opt(weight) }, { expected: 'a backend { service, weight? }' });

const MODEL = obj<InferenceGatewayModel>({
  name: opt(str({ minLength: 1, maxLength: 253, fix: 'use the served model name clients send' })),
  backends: arr(BACKEND, { minItems: 1, maxItems: 2 }) as Schema<readonly InferenceGatewayBackend[]>,
  priority: opt(num({ integer: true, min: -2147483648, max: 2147483647 })),
}, { expected: 'a model { name?, backends, priority? }' });

const WEIGHTS = obj<ScorerWeights>({
  prefixCache: opt(num({ min: 0, fix: 'use 3' })),
  kvCacheUtilization: opt(num({ min: 0, fix: 'use 2' })),
  queue: opt(num({ min: 0, fix: 'use 2' })),
  loraAffinity: opt(num({ min: 0, fix: 'use 1' })),
});

const ROUTER = obj<RouterOptions>({
  image: opt(str({ minLength: 1 })),
  requestTtlSeconds: opt(posInt('use at least the backends\' startupBudgetSeconds')),
  weights: opt(WEIGHTS),
  resources: opt(obj<{ readonly cpu?: string; readonly memory?: string }>({ cpu: opt(quantity('4')), memory: opt(quantity('8Gi')) })),
  failureMode: opt(oneOf(['FailOpen', 'FailClose'])),
});

export const INFERENCE_GATEWAY_SCHEMA: Schema<InferenceGatewayOptions> = obj<InferenceGatewayOptions>({
  name: dnsLabel(40),
  gateway: GATEWAY_REF_SCHEMA,
  models: arr(MODEL, { minItems: 1 }) as Schema<readonly InferenceGatewayModel[]>,
  routeTimeoutSeconds: opt(posInt('use at least the router\'s request TTL plus the generation time', 99999)),
  generationSeconds: opt(posInt('use 300')),
  router: opt(ROUTER),
});
