import { refuse } from '../errors';
import { dnsLabel } from '../options/formats';
import { checkOptions, obj, opt, Schema, str } from '../options/schema';
import { DashboardConfigMapOptions, dashboardConfigMap, DashboardPanel, DashboardRender, FOLDER, grafanaDashboard, promQuote, SIDECAR_LABEL } from './grafana';
import { DEFAULT_VLLM_VERSION, interTokenLatencyMetric, kvCacheUsageMetric, parseVllmVersion } from '../vllm/version';

/** What a dashboard reads from a service (a VllmService's `resolved`). */
export interface DashboardServiceSpec {
  readonly name: string;
  readonly namespace: string;
  readonly servedModelName: string;
  /** @default DEFAULT_VLLM_VERSION */
  readonly vllmVersion?: string;
}

/** A Grafana dashboard for one service: the service and where the ConfigMap goes. */
export interface VllmDashboardOptions extends DashboardConfigMapOptions {
  readonly service: DashboardServiceSpec;
  /**
   * Namespace of the ConfigMap. kube-prometheus-stack's Grafana sidecar reads only Grafana's own namespace unless
   * `grafana.sidecar.dashboards.searchNamespace` is `ALL`.
   * @default - the service's namespace (set `searchNamespace: ALL`, or name Grafana's namespace here)
   */
  readonly namespace?: string;
}

const SERVICE = obj<DashboardServiceSpec>({
  name: dnsLabel(),
  namespace: dnsLabel(),
  servedModelName: str({ minLength: 1 }),
  vllmVersion: opt(str({ minLength: 1 })),
}, { expected: 'a VllmService (its `resolved`)' });

const SCHEMA: Schema<VllmDashboardOptions> = obj<VllmDashboardOptions>({
  service: SERVICE,
  namespace: opt(dnsLabel()),
  folder: FOLDER,
  sidecarLabel: SIDECAR_LABEL,
});


/** The panels of a vLLM service's dashboard, every query scoped to its namespace and served model, per model. */
export function vllmDashboardPanels(s: DashboardServiceSpec): DashboardPanel[] {
  const v = parseVllmVersion(s.vllmVersion ?? DEFAULT_VLLM_VERSION) ?? parseVllmVersion(DEFAULT_VLLM_VERSION)!;
  const sel = `namespace="${promQuote(s.namespace)}",model_name="${promQuote(s.servedModelName)}"`;
  const rate = (m: string) => `sum by (model_name) (rate(${m}{${sel}}[5m]))`;
  const quantiles = (m: string) => [0.5, 0.9, 0.99].map((q) => ({ expr: `histogram_quantile(${q}, sum by (le, model_name) (rate(${m}_bucket{${sel}}[5m])))`, legendFormat: `p${q * 100} {{model_name}}` }));
  return [
    { title: 'Requests per second (finished)', unit: 'reqps', targets: [{ expr: rate('vllm:request_success_total'), legendFormat: '{{model_name}}' }] },
    { title: 'Time to first token', unit: 's', targets: quantiles('vllm:time_to_first_token_seconds') },
    { title: 'Inter-token latency', unit: 's', targets: quantiles(interTokenLatencyMetric(v)) },
    { title: 'KV cache usage per pod', unit: 'percentunit', targets: [{ expr: `max by (pod, model_name) (${kvCacheUsageMetric(v)}{${sel}})`, legendFormat: '{{pod}}' }] },
    {
      title: 'Requests waiting and running', unit: 'short', targets: [
        { expr: `sum by (model_name) (vllm:num_requests_waiting{${sel}})`, legendFormat: 'waiting {{model_name}}' },
        { expr: `sum by (model_name) (vllm:num_requests_running{${sel}})`, legendFormat: 'running {{model_name}}' },
      ],
    },
    { title: 'Queue time', unit: 's', targets: quantiles('vllm:request_queue_time_seconds') },
    { title: 'Preemptions per second', unit: 'short', targets: [{ expr: rate('vllm:num_preemptions_total'), legendFormat: '{{model_name}}' }] },
    {
      title: 'Prefix cache hit rate', unit: 'percentunit', targets: [
        { expr: `${rate('vllm:prefix_cache_hits_total')} / clamp_min(${rate('vllm:prefix_cache_queries_total')}, 1e-9)`, legendFormat: '{{model_name}}' },
      ],
    },
    {
      title: 'Tokens per second', unit: 'short', targets: [
        { expr: rate('vllm:prompt_tokens_total'), legendFormat: 'prompt {{model_name}}' },
        { expr: rate('vllm:generation_tokens_total'), legendFormat: 'generation {{model_name}}' },
      ],
    },
  ];
}

/** The Grafana dashboard JSON model (schemaVersion 39) of a vLLM service. */
export function vllmDashboard(s: DashboardServiceSpec): Record<string, unknown> {
  return grafanaDashboard({ title: `vLLM ${s.namespace}/${s.name}`, uid: `gpuplane-vllm-${s.namespace}-${s.name}`, tags: ['gpuplane', 'vllm'], panels: vllmDashboardPanels(s) });
}

/** What renderVllmDashboard returns: the dashboard JSON and its ConfigMap. */
export type VllmDashboardRender = DashboardRender;

/** A ConfigMap holding the service's dashboard, labelled for kube-prometheus-stack's Grafana sidecar. */
export function renderVllmDashboard(options: VllmDashboardOptions): VllmDashboardRender {
  const subject = `VllmDashboard '${options?.service?.name}'`;
  // Only the fields the dashboard reads: a resolved VllmService carries many more.
  const s = options?.service;
  const picked = s && typeof s === 'object' ? { name: s.name, namespace: s.namespace, servedModelName: s.servedModelName, vllmVersion: s.vllmVersion } : s;
  checkOptions(subject, SCHEMA, { ...options, service: picked });
  if (parseVllmVersion(picked!.vllmVersion ?? DEFAULT_VLLM_VERSION) === undefined) {
    refuse(subject, { field: 'service.vllmVersion', message: 'must be a vLLM version', value: picked!.vllmVersion, allowed: 'e.g. 0.26.0', fix: 'pass the VllmService itself, or its vllmVersion' });
  }
  const dashboard = vllmDashboard(picked!);
  return dashboardConfigMap(subject, {
    name: `${picked!.name}-grafana-dashboard`, namespace: options.namespace ?? picked!.namespace, instance: picked!.name, dashboard,
    folder: options.folder, sidecarLabel: options.sidecarLabel,
  });
}
