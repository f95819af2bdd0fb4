import { canonicalize, KubeObject } from '../kube';
import { labels as labelsSchema } from '../options/formats';
import { opt, OptionalSchema, str } from '../options/schema';
import { assertValidObjects } from '../validate';

/**
 * What every gpuplane dashboard shares: the panel model, the Grafana JSON model, and the ConfigMap that
 * kube-prometheus-stack's Grafana sidecar loads. The vLLM, GPU and etcd dashboards differ only in their panels,
 * variables and where the ConfigMap goes.
 */

export interface DashboardPanel {
  readonly title: string;
  readonly unit: string;
  readonly targets: readonly { readonly expr: string; readonly legendFormat: string }[];
  /** What the panel shows, for whoever reads it in Grafana. @default - none */
  readonly description?: string;
}

/** A Grafana template variable besides the data source (`$name` in the queries). */
export interface DashboardVariable {
  readonly name: string;
  readonly label: string;
  /** `custom`: the values listed; `query`: `label_values(...)` from the data source. */
  readonly type: 'custom' | 'query';
  /** Custom: the values. Query: the PromQL `label_values(...)` query. */
  readonly values?: readonly string[];
  readonly query?: string;
  /** `All` selects every value, sent to Prometheus as `.*`. */
  readonly includeAll: boolean;
}

/** The sidecar's default label (kube-prometheus-stack `grafana.sidecar.dashboards.label`/`labelValue`). */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** The options every dashboard takes for its ConfigMap. */
export interface DashboardConfigMapOptions {
  /** Grafana folder (the sidecar's `grafana_folder` annotation, with `folderAnnotation` set). @default - none: the sidecar's default folder */
  readonly folder?: string;
  /**
   * The label the Grafana sidecar selects ConfigMaps by (`grafana.sidecar.dashboards.label` and `labelValue`).
   * @default { grafana_dashboard: '1' } - kube-prometheus-stack's default
   */
  readonly sidecarLabel?: Record<string, string>;
}

/** Schemas of the shared options, for each dashboard's `Shape`. */
export const FOLDER: OptionalSchema<string> = opt(str({ minLength: 1, maxLength: 200 }));
/** The label the kube-prometheus-stack Grafana sidecar loads dashboards by (`grafana_dashboard: "1"`). */
export const SIDECAR_LABEL: OptionalSchema<Record<string, string>> = opt(labelsSchema());

/** The dashboard's data source variable (Grafana reads `$datasource` as the variable). */
export const DATASOURCE = { type: 'prometheus', uid: '$datasource' } as const;

/** A string as it goes between double quotes in a PromQL label matcher. */
export const promQuote = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** A Grafana dashboard before it is written: title, uid, template variables and panels. */
export interface DashboardModel {
  readonly title: string;
  readonly uid: string;
  readonly tags: readonly string[];
  readonly panels: readonly DashboardPanel[];
  /** @default [] */
  readonly variables?: readonly DashboardVariable[];
}

function variableJson(v: DashboardVariable): Record<string, unknown> {
  const common = { name: v.name, label: v.label, includeAll: v.includeAll, allValue: v.includeAll ? '.*' : undefined, multi: false };
  if (v.type === 'custom') {
    const values = v.values ?? [];
    return { ...common, type: 'custom', query: values.join(','), options: values.map((x) => ({ text: x, value: x, selected: false })) };
  }
  // `refresh: 2`: on time range change, so nodes that joined show up.
  return { ...common, type: 'query', datasource: DATASOURCE, query: v.query, definition: v.query, refresh: 2, sort: 1 };
}

/** The Grafana dashboard JSON model (schemaVersion 39): time series panels two to a row. */
export function grafanaDashboard(m: DashboardModel): Record<string, unknown> {
  const panels = m.panels.map((p, i) => ({
    id: i + 1,
    type: 'timeseries',
    title: p.title,
    description: p.description,
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
    targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), expr: t.expr, legendFormat: t.legendFormat, datasource: DATASOURCE })),
  }));
  return canonicalize<Record<string, unknown>>({
    title: m.title,
    uid: m.uid.slice(0, 40),
    tags: [...m.tags],
    schemaVersion: 39,
    editable: false,
    time: { from: 'now-6h', to: 'now' },
    refresh: '30s',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' }, ...(m.variables ?? []).map(variableJson)] },
    panels,
  });
}

/** Every PromQL expression of a dashboard's panels, in order. */
export const dashboardExpressions = (panels: readonly DashboardPanel[]): string[] => panels.flatMap((p) => p.targets.map((t) => t.expr));

/** A rendered dashboard: the Grafana JSON and the ConfigMap the Grafana sidecar loads it from. */
export interface DashboardRender {
  readonly dashboard: Record<string, unknown>;
  readonly objects: readonly KubeObject[];
}

/**
 * A ConfigMap holding the dashboard JSON under `<instance>.json`, labelled for kube-prometheus-stack's Grafana
 * sidecar, validated like every other rendered object.
 */
export function dashboardConfigMap(subject: string, c: { readonly name: string; readonly namespace: string; readonly instance: string; readonly dashboard: Record<string, unknown> } & DashboardConfigMapOptions): DashboardRender {
  const configMap = canonicalize({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {
      name: c.name, namespace: c.namespace,
      labels: { ...(c.sidecarLabel ?? GRAFANA_DASHBOARD_LABEL), 'app.kubernetes.io/instance': c.instance, 'app.kubernetes.io/managed-by': 'gpuplane' },
      annotations: c.folder ? { grafana_folder: c.folder } : undefined,
    },
    data: { [`${c.instance}.json`]: `${JSON.stringify(c.dashboard, null, 2)}\n` },
  } as KubeObject);
  assertValidObjects(subject, [configMap]);
  return { dashboard: c.dashboard, objects: [configMap] };
}
