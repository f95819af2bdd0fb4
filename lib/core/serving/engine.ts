/**
 * What the serving layer needs to know about an inference engine: its port, its container, the metric it queues on,
 * the label that carries the served model, its health endpoints. vLLM is one engine; a second one is another value
 * of this type, not a copy of the serving layer.
 */
export interface ServingEngine {
  /** `app.kubernetes.io/name` of the pods. */
  readonly name: string;
  /** The serving container's name (probes, alerts and the warm-up refer to it). */
  readonly containerName: string;
  /** The HTTP port, named so probes, Services and monitors refer to it by name. */
  readonly port: number;
  readonly portName: string;
  /** The queue-depth gauge the engine exports, which the autoscalers scale on. */
  readonly queueDepthMetric: string;
  /** The same gauge through prometheus-adapter (the custom metrics API has no colons). */
  readonly queueDepthAdapterMetric: string;
  /** The metric label that carries the served model name. */
  readonly modelLabel: string;
  /** Liveness and readiness endpoint. */
  readonly healthPath: string;
  readonly metricsPath: string;
}

/** vLLM's OpenAI server (port 8000, `vllm:num_requests_waiting`, label `model_name`). */
export const VLLM_ENGINE: ServingEngine = {
  name: 'vllm',
  containerName: 'vllm',
  port: 8000,
  portName: 'http',
  queueDepthMetric: 'vllm:num_requests_waiting',
  queueDepthAdapterMetric: 'vllm_num_requests_waiting',
  modelLabel: 'model_name',
  healthPath: '/health',
  metricsPath: '/metrics',
};
