import { GpuplaneValidationError } from '../errors';
import { canonicalize, KubeObject } from '../kube';
import { dnsLabel } from '../options/formats';
import { checkOptions, obj, opt, Schema, str } from '../options/schema';
import { assertValidObjects } from '../validate';
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
export interface VllmDashboardOptions {
  readonly service: DashboardServiceSpec;
  /**
   * Namespace of the ConfigMap. kube-prometheus-stack's Grafana sidecar reads only Grafana's own namespace unless
   * `grafana.sidecar.dashboards.searchNamespace` is `ALL`.
   * @default - the service's namespace (set `searchNamespace: ALL`, or name Grafana's namespace here)
   */
  readonly namespace?: string;
  /** Grafana folder (the sidecar's `grafana_folder` annotation, with `folderAnnotation` set). @default - none: the sidecar's default folder */
  readonly folder?: string;
}

/** One panel of the dashboard: title, unit and queries. */
export interface DashboardPanel {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legendFormat: string }[];
}

/** The sidecar's default label (kube-prometheus-stack `grafana.sidecar.dashboards.label`/`labelValue`). */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

const SERVICE = obj<DashboardServiceSpec>({
  name: dnsLabel(),
  namespace: dnsLabel(),
  servedModelName: str({ minLength: 1 }),
  vllmVersion: opt(str({ minLength: 1 })),
}, { expected: 'a VllmService (its `resolved`)' });

const SCHEMA: Schema<VllmDashboardOptions> = obj<VllmDashboardOptions>({
  service: SERVICE,
  namespace: opt(dnsLabel()),
  folder: opt(str({ minLength: 1, maxLength: 200 })),
});

/** The dashboard's data source variable (Grafana reads `$datasource` as the variable). */
const DATASOURCE = { type: 'prometheus', uid: '$datasource' };

const quote = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** The panels of a vLLM service's dashboard, every query scoped to its namespace and served model, per model. */
export function vllmDashboardPanels(s: DashboardServiceSpec): DashboardPanel[] {
  const v = parseVllmVersion(s.vllmVersion ?? DEFAULT_VLLM_VERSION) ?? parseVllmVersion(DEFAULT_VLLM_VERSION)!;
  const sel = `namespace="${quote(s.namespace)}",model_name="${quote(s.servedModelName)}"`;
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
  const panels = vllmDashboardPanels(s).map((p, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: p.title,
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legendFormat, datasource: DATASOURCE })),
  }));
  return {
    title: `vLLM ${s.namespace}/${s.name}`,
    uid: `gpuplane-vllm-${s.namespace}-${s.name}`.slice(0, 40),
    tags: ['gpuplane', 'vllm'],
    schemaVersion: 39,
    editable: false,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' }] },
    panels,
  };
}

/** What renderVllmDashboard returns: the dashboard JSON and its ConfigMap. */
export interface VllmDashboardRender {
  readonly dashboard: Record<string, unknown>;
  readonly objects: readonly KubeObject[];
}

/** A ConfigMap holding the service's dashboard, labelled for kube-prometheus-stack's Grafana sidecar. */
export function renderVllmDashboard(options: VllmDashboardOptions): VllmDashboardRender {
  const subject = `VllmDashboard '${options?.service?.name}'`;
  // Only the fields the dashboard reads: a resolved VllmService carries many more.
  const s = options?.service;
  const picked = s && typeof s === 'object' ? { name: s.name, namespace: s.namespace, servedModelName: s.servedModelName, vllmVersion: s.vllmVersion } : s;
  checkOptions(subject, SCHEMA, { ...options, service: picked });
  if (parseVllmVersion(picked!.vllmVersion ?? DEFAULT_VLLM_VERSION) === undefined) {
    throw new GpuplaneValidationError(subject, [{ field: 'service.vllmVersion', message: 'must be a vLLM version', value: picked!.vllmVersion }]);
  }
  const dashboard = vllmDashboard(picked!);
  const name = `${picked!.name}-grafana-dashboard`;
  const configMap = canonicalize({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {
      name, namespace: options.namespace ?? picked!.namespace,
      labels: { ...GRAFANA_DASHBOARD_LABEL, 'app.kubernetes.io/instance': picked!.name, 'app.kubernetes.io/managed-by': 'gpuplane' },
      annotations: options.folder ? { grafana_folder: options.folder } : undefined,
    },
    data: { [`${picked!.name}.json`]: `${JSON.stringify(dashboard, null, 2)}\n` },
  } as KubeObject);
  assertValidObjects(subject, [configMap]);
  return { dashboard, objects: [configMap] };
}
