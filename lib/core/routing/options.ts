import type { ServingSpec } from '../serving/spec';

/**
 * What the gateway reads from a serving backend (a VllmService's `resolved`): its name, namespace, the labels that
 * select its pods, its port, the model name it serves and its cold-start budget.
 */
export interface GatewayBackendSpec extends ServingSpec {
  /** Seconds a pod may take from start to ready (download, load, compile): the cold start a request may wait for. */
  readonly startupBudgetSeconds: number;
  /** The engine version, when known, for the metric names the router reads. @default - not checked */
  readonly vllmVersion?: string;
  /** LoRA adapters the service serves, by model name: gateway models of these names route to its pool. @default [] */
  readonly adapterNames?: readonly string[];
  /** The service's monitoring: the picker's ServiceMonitor (scale to zero) carries the same labels. @default - no labels */
  readonly monitoring?: { readonly enabled: boolean; readonly labels: Record<string, string> };
}

/** The Gateway (gateway.networking.k8s.io/v1) the routes attach to. gpuplane does not render it: the platform owns it. */
export interface GatewayRef {
  readonly name: string;
  /** @default - the namespace of the routes (the models' namespace) */
  readonly namespace?: string;
  /** The listener to attach to. @default - every listener that allows the route */
  readonly sectionName?: string;
}

/** One backend of a model: a serving service and its share of the model's traffic. */
export interface InferenceGatewayBackend {
  readonly service: GatewayBackendSpec;
  /** Relative share of the model's requests (HTTPRoute backendRef weight). @default 1 (equal shares) */
  readonly weight?: number;
}

/** One model behind the gateway: its name and backends. */
export interface InferenceGatewayModel {
  /**
   * The model name clients send in the request body (`"model"`), matched on the header the body-based router sets.
   * @default - the servedModelName of the first backend
   */
  readonly name?: string;
  /** One backend, or two for a canary (weights split the traffic). */
  readonly backends: readonly InferenceGatewayBackend[];
  /**
   * Priority of the model's InferenceObjective (llm-d.ai/v1alpha2): higher is served first under load.
   * @default - no InferenceObjective (priority 0, the EPP's default)
   */
  readonly priority?: number;
}

/** Weights of the endpoint picker's scorers. */
export interface ScorerWeights {
  /** prefix-cache-scorer, fed by approx-prefix-cache-producer. @default 3 (the llm-d-router chart's default) */
  readonly prefixCache?: number;
  /** kv-cache-utilization-scorer. @default 2 (the llm-d-router chart's default) */
  readonly kvCacheUtilization?: number;
  /** queue-scorer. @default 2 (the llm-d-router chart's default) */
  readonly queue?: number;
  /**
   * lora-affinity-scorer, on pools whose service serves LoRA adapters: prefers pods that already hold the requested
   * adapter (llm-d-router v0.10.0 `scorer/loraaffinity`). @default 1 (the weight of the scorer's README example)
   */
  readonly loraAffinity?: number;
}

/** The llm-d endpoint picker the gateway deploys for each pool. */
export interface RouterOptions {
  /** Endpoint picker image, pinned. @default `ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0` (the release gpuplane is checked against) */
  readonly image?: string;
  /**
   * Seconds a request may wait in the router's queue (flow control `defaultRequestTTL`). Must cover the backends'
   * cold start, or the first request after a scale-up from nothing is dropped (429) while the pod loads.
   * @default - the longest startupBudgetSeconds of the pool's backend
   */
  readonly requestTtlSeconds?: number;
  /** Scheduling weights. @default { prefixCache: 3, kvCacheUtilization: 2, queue: 2 } */
  readonly weights?: ScorerWeights;
  /** CPU and memory requests of the picker. @default { cpu: '4', memory: '8Gi' } (the llm-d-router charts require these; #1229) */
  readonly resources?: { readonly cpu?: string; readonly memory?: string };
  /** What the proxy does when the picker is down. @default 'FailClose' (the InferencePool's default: no unpicked traffic) */
  readonly failureMode?: 'FailOpen' | 'FailClose';
}

/** Models behind one Gateway: the Gateway and the models with their backends. */
export interface InferenceGatewayOptions {
  /** Prefix of every rendered object. */
  readonly name: string;
  readonly gateway: GatewayRef;
  readonly models: readonly InferenceGatewayModel[];
  /**
   * Seconds the gateway waits for a whole response (HTTPRoute `timeouts.request`). Must cover the router's queue
   * wait (its request TTL, itself at least the cold start) plus generation.
   * @default - the router's request TTL plus generationSeconds
   */
  readonly routeTimeoutSeconds?: number;
  /** Seconds a response may take once a pod is serving (long generations, streams). @default 300 (the llm-d-router-gateway chart's requestTimeout) */
  readonly generationSeconds?: number;
  /** @default {} (every router default) */
  readonly router?: RouterOptions;
}
