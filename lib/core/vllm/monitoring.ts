import { KubeObject } from '../kube';
import { ResolvedVllmService } from './options';
import { commonLabels, metadata, selectorLabels, VLLM_CONTAINER, VLLM_PORT_NAME } from './labels';
import { kvCacheUsageMetric } from './version';

/** One Prometheus alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** The alerts of one service: KV cache pressure, preemptions, queueing, TTFT and restarts. */
export function vllmAlertRules(r: ResolvedVllmService): AlertRule[] {
  const sel = `namespace="${r.namespace}",job="${r.name}"`;
  const kv = kvCacheUsageMetric(r.version);
  const pods = `namespace="${r.namespace}",pod=~"${r.name}-.*",container="${VLLM_CONTAINER}"`;
  const by = 'namespace, pod, model_name';
  const m = r.monitoring;
  return [
    {
      alert: 'VllmKvCacheUsageHigh',
      expr: `max by (${by}) (${kv}{${sel}}) > 0.9`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'vLLM KV cache above 90% on {{ $labels.pod }}',
        description: 'KV cache usage is {{ $value | humanizePercentage }}; preemptions start near 100%. Add replicas, lower maxNumSeqs or give the model more GPU memory.',
      },
    },
    {
      alert: 'VllmKvCacheUsageCritical',
      expr: `max by (${by}) (${kv}{${sel}}) > 0.95`,
      for: '2m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'vLLM KV cache above 95% on {{ $labels.pod }}',
        description: 'KV cache usage is {{ $value | humanizePercentage }}; requests are being preempted and recomputed. Scale out now, or lower maxNumSeqs.',
      },
    },
    {
      alert: 'VllmPreemptions',
      expr: `sum by (${by}) (increase(vllm:num_preemptions_total{${sel}}[10m])) > 0`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'vLLM is preempting requests on {{ $labels.pod }}',
        description: '{{ $value }} preemptions in 10 minutes: each one recomputes a request from scratch and spikes TTFT. The GPU memory is over-committed.',
      },
    },
    {
      alert: 'VllmRequestsWaiting',
      expr: `max by (${by}) (vllm:num_requests_waiting{${sel}}) > ${m.requestsWaitingThreshold}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Requests queue on {{ $labels.pod }}',
        description: '{{ $value }} requests waiting for 10 minutes. The autoscaler is at its maximum or cannot place new pods (no free GPU).',
      },
    },
    {
      alert: 'VllmTimeToFirstTokenHigh',
      expr: `histogram_quantile(0.95, sum by (le, namespace, model_name) (rate(vllm:time_to_first_token_seconds_bucket{${sel}}[5m]))) > ${m.ttftObjectiveSeconds}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'p95 time to first token above {{ $labels.model_name }} objective',
        description: `p95 TTFT is {{ $value | humanizeDuration }}, above the ${m.ttftObjectiveSeconds} s objective. Prefill is queueing behind decode: scale out or lower maxNumSeqs.`,
      },
    },
    {
      alert: 'VllmContainerOOMKilled',
      expr: `(max by (namespace, pod) (kube_pod_container_status_last_terminated_reason{${pods},reason="OOMKilled"}) == 1) and on (namespace, pod) (max by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${pods}}[15m])) > 0)`,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'vLLM container OOMKilled on {{ $labels.pod }}',
        description: 'The container exceeded its host memory limit (exit 137). Raise resources.requests.memory (the limit follows 30% above it).',
      },
    },
    {
      alert: 'VllmContainerRestarting',
      expr: `max by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${pods}}[30m])) > 2`,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'vLLM container restarting on {{ $labels.pod }}',
        description: '{{ $value }} restarts in 30 minutes. Check the previous logs for CUDA out of memory, NCCL errors or probe failures.',
      },
    },
  ];
}

export function renderMonitoring(r: ResolvedVllmService): KubeObject[] {
  if (!r.monitoring.enabled) return [];
  const labels = { ...commonLabels(r), ...r.monitoring.labels };
  return [
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { ...metadata(r, r.name), labels },
      spec: {
        selector: { matchLabels: selectorLabels(r) },
        namespaceSelector: { matchNames: [r.namespace] },
        endpoints: [{ port: VLLM_PORT_NAME, path: '/metrics', interval: r.monitoring.interval }],
      },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { ...metadata(r, r.name), labels },
      spec: { groups: [{ name: `${r.namespace}.${r.name}.vllm`, rules: vllmAlertRules(r) }] },
    },
  ];
}
