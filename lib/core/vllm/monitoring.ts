import { KubeObject } from '../kube';
import { AlertRule } from '../monitoring';
import { ResolvedVllmService } from './options';
import { commonLabels, metadata, selectorLabels } from '../serving/labels';
import { VLLM_CONTAINER, VLLM_PORT_NAME } from './labels';
import { interTokenLatencyMetric, kvCacheUsageMetric } from './version';



/**
 * The pods of exactly this service's Deployment, from kube-state-metrics' default owner series: pod -> ReplicaSet
 * (`kube_pod_owner`), ReplicaSet -> Deployment (`kube_replicaset_owner`). A pod-name regex cannot do it: `llama-70b-.*`
 * also matches `llama-70b-awq`'s pods, and even the ReplicaSet pattern `<name>-<hash>-<suffix>` matches the pods of a Job
 * named `<name>-<word>`. `kube_pod_labels` would need kube-state-metrics' `--metric-labels-allowlist`; the owner
 * series are exported by default.
 */
export function ownedPods(namespace: string, deployment: string, kind: 'Deployment' | 'StatefulSet' = 'Deployment'): string {
  // A StatefulSet owns its pods directly.
  if (kind === 'StatefulSet') return `kube_pod_owner{namespace="${namespace}",owner_kind="StatefulSet",owner_name="${deployment}"}`;
  return `(label_replace(kube_pod_owner{namespace="${namespace}",owner_kind="ReplicaSet"}, "replicaset", "$1", "owner_name", "(.+)") and on (namespace, replicaset) kube_replicaset_owner{namespace="${namespace}",owner_kind="Deployment",owner_name="${deployment}"})`;
}

/**
 * The pods of exactly this multi-node service: LWS runs the leaders in a StatefulSet named after the set and each
 * group's workers in a StatefulSet `<set>-<group>` (kubernetes-sigs/lws v0.10.0 controllers), both owners of their pods
 * in `kube_pod_owner`. The set name ends in `-lws`, so another service's set cannot match the pattern.
 */
export function groupPods(namespace: string, setName: string): string {
  return `(kube_pod_owner{namespace="${namespace}",owner_kind="StatefulSet",owner_name=~"${setName}(-[0-9]+)?"})`;
}

/**
 * A rank that restarts makes LWS recreate its whole group (RecreateGroupOnPodRestart), so restart counters reset and
 * the restart alert stays silent: count the incarnations of each leader pod (a new pod uid per recreation) instead.
 */
function groupRecreatedAlert(namespace: string, setName: string): AlertRule {
  return {
    alert: 'VllmGroupRecreated',
    expr: `count by (namespace, pod) (count_over_time(kube_pod_created{namespace="${namespace}",pod=~"${setName}-[0-9]+"}[30m])) > 3`,
    labels: { severity: 'warning' },
    annotations: {
      summary: 'vLLM group of leader {{ $labels.pod }} recreated repeatedly',
      description: '{{ $value }} incarnations of the leader in 30 minutes: a rank keeps failing and LeaderWorkerSet restarts the whole group. Check every rank\'s previous logs for NCCL timeouts, CUDA out of memory or an unreachable leader address.',
    },
  };
}

/** The alerts of one service: KV cache pressure, preemptions, queueing, TTFT, inter-token latency, saturation at max-num-seqs, OOM kills and restarts. */
export function vllmAlertRules(r: ResolvedVllmService): AlertRule[] {
  const sel = `namespace="${r.namespace}",job="${r.name}"`;
  const kv = kvCacheUsageMetric(r.version);
  const pods = `namespace="${r.namespace}",container="${VLLM_CONTAINER}"`;
  const ownPods = r.multiNode ? groupPods(r.namespace, r.multiNode.setName) : ownedPods(r.namespace, r.name, r.delivery.workloadKind === 'StatefulSet' ? 'StatefulSet' : 'Deployment');
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
      alert: 'VllmInterTokenLatencyHigh',
      expr: `histogram_quantile(0.95, sum by (le, namespace, model_name) (rate(${interTokenLatencyMetric(r.version)}_bucket{${sel}}[5m]))) > ${r.monitoring.interTokenLatencyObjectiveSeconds}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `p95 inter-token latency of {{ $labels.model_name }} above ${Math.round(r.monitoring.interTokenLatencyObjectiveSeconds * 1000)} ms`,
        description: 'p95 time between tokens is {{ $value | humanizeDuration }}: streaming stutters. Decode is compute bound: the batch is too large for the GPU (lower maxNumSeqs) or the model needs more tensor parallelism.',
      },
    },
    {
      alert: 'VllmSaturated',
      expr: `max by (${by}) (vllm:num_requests_running{${sel}}) >= ${r.maxNumSeqs}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `vLLM on {{ $labels.pod }} runs max-num-seqs (${r.maxNumSeqs}) requests`,
        description: '{{ $value }} requests running for 10 minutes, the batch limit: every new request queues. Scale out (raise autoscaling.maxReplicas) or give the pod more GPUs.',
      },
    },
    {
      alert: 'VllmContainerOOMKilled',
      expr: `(max by (namespace, pod) (kube_pod_container_status_last_terminated_reason{${pods},reason="OOMKilled"}) == 1) and on (namespace, pod) (max by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${pods}}[15m])) > 0) and on (namespace, pod) ${ownPods}`,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'vLLM container OOMKilled on {{ $labels.pod }}',
        description: 'The container exceeded its host memory limit (exit 137). Raise resources.requests.memory (the limit follows 30% above it).',
      },
    },
    {
      alert: 'VllmContainerRestarting',
      expr: `(max by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${pods}}[30m])) > 2) and on (namespace, pod) ${ownPods}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'vLLM container restarting on {{ $labels.pod }}',
        description: '{{ $value }} restarts in 30 minutes. Check the previous logs for CUDA out of memory, NCCL errors or probe failures.',
      },
    },
    ...(r.multiNode ? [groupRecreatedAlert(r.namespace, r.multiNode.setName)] : []),
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
