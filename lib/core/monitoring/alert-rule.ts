/**
 * One Prometheus alerting rule, as it goes into a PrometheusRule group. Shared by the vLLM, GPU Operator (DCGM) and
 * etcd alerts, so none of them depends on another construct's module.
 */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}
