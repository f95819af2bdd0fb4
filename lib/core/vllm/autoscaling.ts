import { stringify } from 'yaml';
import { KubeObject } from '../kube';
import { ResolvedVllmService } from './options';
import { metadata } from './labels';

/** The metric as prometheus-adapter serves it through the custom metrics API (colons become underscores). */
export const ADAPTER_METRIC = 'vllm_num_requests_waiting';

/** Scale up fast (traffic spikes are real), scale down slowly (a new pod takes minutes to load the model). */
export const SCALING_BEHAVIOR = {
  scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
  scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
};

/** The prometheus-adapter rule that turns `vllm:num_requests_waiting` into the pods metric the HPA reads. */
export function prometheusAdapterRule(): Record<string, unknown> {
  return {
    seriesQuery: 'vllm:num_requests_waiting{namespace!="",pod!=""}',
    resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
    name: { matches: '^vllm:num_requests_waiting$', as: ADAPTER_METRIC },
    metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
  };
}

/** The adapter rule is the same for every service: serialize it once. */
let adapterRuleYaml: string | undefined;

function hpa(r: ResolvedVllmService): KubeObject[] {
  const a = r.autoscaling!;
  return [
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: metadata(r, r.name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: r.name },
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics: [
          {
            type: 'Pods',
            pods: { metric: { name: ADAPTER_METRIC }, target: { type: 'AverageValue', averageValue: String(a.targetRequestsWaiting) } },
          },
        ],
        behavior: SCALING_BEHAVIOR,
      },
    },
    {
      // prometheus-adapter reads rules from its own config; this ConfigMap carries the rule to merge into it.
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: metadata(r, `${r.name}-prometheus-adapter-rule`, {
        annotations: { 'gpuplane.dev/usage': 'merge rules[] into the prometheus-adapter config (Helm value rules.custom)' },
      }),
      data: { 'rules.yaml': (adapterRuleYaml ??= stringify({ rules: [prometheusAdapterRule()] })) },
    },
  ];
}

function keda(r: ResolvedVllmService): KubeObject[] {
  const a = r.autoscaling!;
  const query = `sum(vllm:num_requests_waiting{namespace="${r.namespace}",model_name="${r.servedModelName}"})`;
  return [
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: metadata(r, r.name),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: r.name },
        minReplicaCount: a.minReplicas,
        maxReplicaCount: a.maxReplicas,
        pollingInterval: 15,
        cooldownPeriod: 600,
        advanced: { horizontalPodAutoscalerConfig: { behavior: SCALING_BEHAVIOR } },
        triggers: [
          {
            type: 'prometheus',
            metricType: 'AverageValue',
            metadata: { serverAddress: a.prometheusServerAddress, query, threshold: String(a.targetRequestsWaiting) },
          },
        ],
      },
    },
  ];
}

export function renderAutoscaling(r: ResolvedVllmService): KubeObject[] {
  if (!r.autoscaling) return [];
  return r.autoscaling.mode === 'keda' ? keda(r) : hpa(r);
}
