import type { GatewayBackendSpec, GatewayRef, InferenceGatewayOptions, RouterOptions } from './options';

/** A serving construct the gateway routes to: a VllmService (anything with a resolved serving spec). */
export interface GatewayBackendSource {
  readonly resolved: GatewayBackendSpec;
}

/** One backend of a model: a VllmService and its share of the requests. */
export interface InferenceGatewayBackendProps {
  readonly service: GatewayBackendSource;
  /** Relative share of the model's requests. @default 1 (equal shares) */
  readonly weight?: number;
}

/** One model behind the gateway, with VllmServices as backends. */
export interface InferenceGatewayModelProps {
  /** The model name clients send. @default - the servedModelName of the first backend */
  readonly name?: string;
  /** One VllmService, or two for a canary. */
  readonly backends: readonly InferenceGatewayBackendProps[];
  /** InferenceObjective priority, higher first. @default - no InferenceObjective (priority 0) */
  readonly priority?: number;
}

/** Props of the InferenceGateway construct and component. */
export interface InferenceGatewayProps {
  /** Prefix of the rendered routes. @default - the construct id, lower-cased */
  readonly name?: string;
  readonly gateway: GatewayRef;
  readonly models: readonly InferenceGatewayModelProps[];
  /** @default - the router's request TTL plus generationSeconds */
  readonly routeTimeoutSeconds?: number;
  /** @default 300 (the llm-d-router-gateway chart's requestTimeout) */
  readonly generationSeconds?: number;
  /** @default {} (every router default) */
  readonly router?: RouterOptions;
}

/** Maps construct props to core options: each backend's `service` becomes its resolved spec. */
export function gatewayOptionsOf(name: string, props: InferenceGatewayProps): InferenceGatewayOptions {
  const models = Array.isArray(props?.models)
    ? props.models.map((m) => ({ ...m, backends: Array.isArray(m?.backends) ? m.backends.map((b: InferenceGatewayBackendProps) => ({ ...b, service: (b?.service as GatewayBackendSource | undefined)?.resolved ?? b?.service })) : m?.backends }))
    : props?.models;
  return { ...props, name, models } as InferenceGatewayOptions;
}

