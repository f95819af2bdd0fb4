import { stringify } from 'yaml';
import { KubeObject } from '../kube';
import { VLLM_ENGINE, ServingEngine } from './engine';
import { workloadRef } from './delivery';
import { metadata } from './labels';
import { KEDA_POLLING_SECONDS, scalesToZero, wakeTrigger } from './scale-to-zero';
import type { ServingSpec } from './spec';

/** vLLM's queue depth as prometheus-adapter serves it through the custom metrics API (colons become underscores). */
export const ADAPTER_METRIC = VLLM_ENGINE.queueDepthAdapterMetric;

/** Scale up fast (traffic spikes are real), scale down slowly (a new pod takes minutes to load the model). */
export const SCALING_BEHAVIOR = {
  scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
  scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 300 }] },
};

/** The prometheus-adapter rule that turns the engine's queue depth (`vllm:num_requests_waiting`) into the pods metric the HPA reads. */
export function prometheusAdapterRule(engine: ServingEngine = VLLM_ENGINE): Record<string, unknown> {
  return {
    seriesQuery: `${engine.queueDepthMetric}{namespace!="",pod!=""}`,
    resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
    name: { matches: `^${engine.queueDepthMetric}$`, as: engine.queueDepthAdapterMetric },
    metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
  };
}

/** The adapter rule is the same for every service of an engine: serialize it once. */
const adapterRuleYaml = new Map<ServingEngine, string>();

function adapterRule(engine: ServingEngine): string {
  let text = adapterRuleYaml.get(engine);
  if (text === undefined) {
    text = stringify({ rules: [prometheusAdapterRule(engine)] });
    adapterRuleYaml.set(engine, text);
  }
  return text;
}


function hpa(r: ServingSpec): KubeObject[] {
  const a = r.autoscaling!;
  return [
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: metadata(r, r.name),
      spec: {
        // The workload; a LeaderWorkerSet's scale subresource (`specReplicasPath .spec.replicas`) counts whole groups.
        scaleTargetRef: workloadRef(r),
        minReplicas: a.minReplicas,
        maxReplicas: a.maxReplicas,
        metrics: [
          {
            type: 'Pods',
            pods: { metric: { name: r.engine.queueDepthAdapterMetric }, target: { type: 'AverageValue', averageValue: String(a.targetRequestsWaiting) } },
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
      data: { 'rules.yaml': adapterRule(r.engine) },
    },
  ];
}

function keda(r: ServingSpec): KubeObject[] {
  const a = r.autoscaling!;
  const query = `sum(${r.engine.queueDepthMetric}{namespace="${r.namespace}",${r.engine.modelLabel}="${r.servedModelName}"})`;
  return [
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: metadata(r, r.name),
      spec: {
        scaleTargetRef: workloadRef(r),
        minReplicaCount: a.minReplicas,
        maxReplicaCount: a.maxReplicas,
        pollingInterval: KEDA_POLLING_SECONDS,
        // Only used to scale to zero; never shorter than the cold start (resolve refuses it).
        cooldownPeriod: a.cooldownSeconds,
        advanced: { horizontalPodAutoscalerConfig: { behavior: SCALING_BEHAVIOR } },
        triggers: [
          {
            type: 'prometheus',
            metricType: 'AverageValue',
            metadata: { serverAddress: a.prometheusServerAddress, query, threshold: String(a.targetRequestsWaiting) },
          },
          ...(scalesToZero(r) ? [wakeTrigger(r)] : []),
        ],
      },
    },
  ];
}

export function renderAutoscaling(r: ServingSpec): KubeObject[] {
  if (!r.autoscaling) return [];
  return r.autoscaling.mode === 'keda' ? keda(r) : hpa(r);
}
