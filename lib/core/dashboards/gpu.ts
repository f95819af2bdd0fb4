import { refuse } from '../errors';
import { POOL_LABEL, ResolvedGpuPool } from '../gpu/pool';
import { DCGM_COUNTERS, DcgmCounter } from '../operator/dcgm';
import { dnsLabel } from '../options/formats';
import { arr, checkOptions, obj, oneOf, opt, Schema } from '../options/schema';
import { DashboardConfigMapOptions, dashboardConfigMap, DashboardPanel, DashboardRender, DashboardVariable, FOLDER, grafanaDashboard, promQuote, SIDECAR_LABEL } from './grafana';

/**
 * The GPU pools dashboard, over the dcgm-exporter series the GPU Operator stack gpuplane renders exports:
 * only counters of `DCGM_COUNTERS` (the CSV gpuplane ships), each panel dropped when a counter it reads is not
 * shipped (so there is no NVLink panel: the CSV does not enable `DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL`).
 *
 * Labels (NVIDIA/dcgm-exporter `internal/pkg/rendermetrics/render_metrics.go`): `gpu`, `UUID`, `pci_bus_id`,
 * `device`, `modelName`; on MIG devices also `GPU_I_PROFILE` and `GPU_I_ID`; the node's name as `Hostname` up to
 * 4.5.3-4.8.2 and as `hostname` after PR #655 (2026-05-12), so in the 4.6.0-4.8.3 the chart v26.7.0 pins. The
 * value is the `NODE_NAME` environment variable (`internal/pkg/hostname/hostname.go`), which the operator sets
 * from `spec.nodeName` (NVIDIA/gpu-operator `assets/state-dcgm-exporter/0800_daemonset.yaml`). Every query copies
 * whichever of the two is present into `node`, so the dashboard reads both exporter versions and joins
 * kube-state-metrics' `kube_node_labels{node}` directly.
 *
 * Utilization is DCGM_FI_PROF_GR_ENGINE_ACTIVE (a 0-1 ratio): MIG devices do not report DCGM_FI_DEV_GPU_UTIL, the
 * profiling metrics are reported per GPU instance.
 */

/** What the dashboard reads from a pool (a GpuNodePool's or MigNodePool's `resolved`). */
export interface DashboardPoolSpec {
  readonly name: string;
  readonly kind: ResolvedGpuPool['kind'];
}

export interface GpuDashboardOptions extends DashboardConfigMapOptions {
  /**
   * The pools the dashboard offers in its `pool` variable (nodes carry `gpuplane.dev/pool`).
   * @default [] - no pool variable: every GPU the exporter reports
   */
  readonly pools?: readonly DashboardPoolSpec[];
  /**
   * Namespace of the GPU Operator. With the ServiceMonitor's `honorLabels`, a GPU no pod holds carries the
   * exporter pod's own `namespace` and `pod`, so the per-pod panel leaves this namespace out.
   * @default 'gpu-operator' - the stack's default namespace
   */
  readonly operatorNamespace?: string;
  /** Name of the ConfigMap (and the dashboard's uid). @default 'gpu-pools' */
  readonly name?: string;
  /**
   * Namespace of the ConfigMap. kube-prometheus-stack's Grafana sidecar reads only Grafana's own namespace unless
   * `grafana.sidecar.dashboards.searchNamespace` is `ALL`.
   * @default - the operator namespace (set `searchNamespace: ALL`, or name Grafana's namespace here)
   */
  readonly namespace?: string;
}

const POOL_KINDS = ['mig', 'time-slicing', 'mps', 'exclusive'] as const;

const POOL = obj<DashboardPoolSpec>({ name: dnsLabel(), kind: oneOf(POOL_KINDS) }, { expected: 'a GpuNodePool or MigNodePool (its `resolved`)' });

const SCHEMA: Schema<GpuDashboardOptions> = obj<GpuDashboardOptions>({
  pools: opt(arr(POOL)),
  operatorNamespace: opt(dnsLabel()),
  name: opt(dnsLabel(63 - '-grafana-dashboard'.length)),
  namespace: opt(dnsLabel()),
  folder: FOLDER,
  sidecarLabel: SIDECAR_LABEL,
});

/** kube-state-metrics' label for the pool's node label (`--metric-labels-allowlist=nodes=[gpuplane.dev/pool]`). */
export const POOL_NODE_LABEL_METRIC_LABEL = `label_${POOL_LABEL.replace(/[^a-zA-Z0-9]/g, '_')}`;

/** One GPU and one GPU instance (MIG; both labels empty on whole GPUs). */
const DEVICE = 'node, gpu';
const INSTANCE = 'node, gpu, GPU_I_PROFILE, GPU_I_ID';
const DEVICE_LEGEND = '{{node}} GPU {{gpu}}';
const INSTANCE_LEGEND = '{{node}} GPU {{gpu}} {{GPU_I_PROFILE}}';

interface GatedPanel extends DashboardPanel {
  /** The DCGM fields the panel reads. */
  readonly needs: readonly string[];
}

/** The panels of the GPU pools dashboard; `counters` is what the exporter exports (gpuplane's CSV). */
export function gpuDashboardPanels(o: GpuDashboardOptions = {}, counters: readonly DcgmCounter[] = DCGM_COUNTERS): DashboardPanel[] {
  const pools = o.pools ?? [];
  const operatorNamespace = o.operatorNamespace ?? 'gpu-operator';
  // The node filter: nodes outside the chosen pool or node are taken away. Without kube-state-metrics (or without
  // the pool label allowlisted) nothing is taken away under `All`.
  const outside = pools.length > 0
    ? `(kube_node_labels{${POOL_NODE_LABEL_METRIC_LABEL}!~"$pool"} or kube_node_labels{node!~"$node"})`
    : 'kube_node_labels{node!~"$node"}';
  /** An instant-vector expression over DCGM series, with `node` set and the selection applied. */
  const gpus = (inner: string) => `(label_replace(label_replace(${inner}, "node", "$1", "Hostname", "(.+)"), "node", "$1", "hostname", "(.+)") unless on (node) ${outside})`;
  const by = (agg: string, labels: string, inner: string) => `${agg} by (${labels}) (${gpus(inner)})`;
  const dev = (metric: string, legend = DEVICE_LEGEND) => ({ expr: by('max', DEVICE, metric), legendFormat: legend });
  const inst = (metric: string) => ({ expr: by('max', INSTANCE, metric), legendFormat: INSTANCE_LEGEND });
  const shareOfTime = (metric: string, what: string) => ({ expr: `${by('max', DEVICE, `rate(${metric}[5m])`)} / 1e9`, legendFormat: `${what} ${DEVICE_LEGEND}` });
  const hasMig = pools.length === 0 || pools.some((p) => p.kind === 'mig');

  const panels: GatedPanel[] = [
    {
      title: 'Graphics engine active (GPUs and MIG instances)', unit: 'percentunit', needs: ['DCGM_FI_PROF_GR_ENGINE_ACTIVE'],
      description: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE, per GPU and per MIG instance (MIG devices do not report DCGM_FI_DEV_GPU_UTIL).',
      targets: [inst('DCGM_FI_PROF_GR_ENGINE_ACTIVE')],
    },
    { title: 'Tensor pipe active', unit: 'percentunit', needs: ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE'], targets: [inst('DCGM_FI_PROF_PIPE_TENSOR_ACTIVE')] },
    { title: 'Memory interface active (DRAM)', unit: 'percentunit', needs: ['DCGM_FI_PROF_DRAM_ACTIVE'], targets: [inst('DCGM_FI_PROF_DRAM_ACTIVE')] },
    {
      title: 'Graphics engine active per pod', unit: 'percentunit', needs: ['DCGM_FI_PROF_GR_ENGINE_ACTIVE'],
      description: `The pods holding a GPU or MIG instance (dcgm-exporter's pod mapping); a GPU no pod holds carries the exporter's own namespace (${operatorNamespace}) and is left out.`,
      targets: [{ expr: by('max', 'namespace, pod, node, gpu, GPU_I_PROFILE', `DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!="",namespace!="${promQuote(operatorNamespace)}"}`), legendFormat: '{{namespace}}/{{pod}} on {{node}} GPU {{gpu}} {{GPU_I_PROFILE}}' }],
    },
    { title: 'Framebuffer used', unit: 'mbytes', needs: ['DCGM_FI_DEV_FB_USED'], targets: [inst('DCGM_FI_DEV_FB_USED')] },
    { title: 'Framebuffer free', unit: 'mbytes', needs: ['DCGM_FI_DEV_FB_FREE'], targets: [inst('DCGM_FI_DEV_FB_FREE')] },
    ...(hasMig ? [{
      title: 'MIG instances per profile', unit: 'short', needs: ['DCGM_FI_PROF_GR_ENGINE_ACTIVE'],
      description: 'GPU instances the exporter reports, per node and MIG profile: compare with the pool layout (a failed MIG reconfiguration leaves fewer).',
      targets: [{ expr: by('count', 'node, GPU_I_PROFILE', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE{GPU_I_PROFILE!=""}'), legendFormat: '{{node}} {{GPU_I_PROFILE}}' }],
    }] : []),
    { title: 'SM clock', unit: 'rotmhz', needs: ['DCGM_FI_DEV_SM_CLOCK'], targets: [dev('DCGM_FI_DEV_SM_CLOCK')] },
    { title: 'Power draw', unit: 'watt', needs: ['DCGM_FI_DEV_POWER_USAGE'], targets: [dev('DCGM_FI_DEV_POWER_USAGE')] },
    {
      title: 'Temperature', unit: 'celsius', needs: ['DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_MEMORY_TEMP'],
      targets: [dev('DCGM_FI_DEV_GPU_TEMP', `GPU ${DEVICE_LEGEND}`), dev('DCGM_FI_DEV_MEMORY_TEMP', `memory ${DEVICE_LEGEND}`)],
    },
    {
      title: 'Throttled (share of time)', unit: 'percentunit', needs: ['DCGM_FI_DEV_POWER_VIOLATION', 'DCGM_FI_DEV_THERMAL_VIOLATION'],
      description: 'Nanoseconds of throttling per second, from the violation counters.',
      targets: [shareOfTime('DCGM_FI_DEV_POWER_VIOLATION', 'power'), shareOfTime('DCGM_FI_DEV_THERMAL_VIOLATION', 'thermal')],
    },
    {
      title: 'XID errors (exporter window)', unit: 'short', needs: ['DCGM_EXP_XID_ERRORS_COUNT'],
      description: 'XIDs the exporter saw in its window, by XID: 48 is a double-bit ECC error, 79 a GPU that fell off the bus.',
      targets: [{ expr: by('max', `${DEVICE}, xid`, 'DCGM_EXP_XID_ERRORS_COUNT'), legendFormat: `XID {{xid}} ${DEVICE_LEGEND}` }],
    },
    {
      title: 'ECC errors per hour', unit: 'short', needs: ['DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL'],
      targets: [
        // max, not sum: a device counter repeated on the series of each MIG instance must not be counted per instance.
        { expr: by('max', DEVICE, 'increase(DCGM_FI_DEV_ECC_SBE_VOL_TOTAL[1h])'), legendFormat: `single-bit ${DEVICE_LEGEND}` },
        { expr: by('max', DEVICE, 'increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[1h])'), legendFormat: `double-bit ${DEVICE_LEGEND}` },
      ],
    },
    {
      title: 'Retired pages', unit: 'short', needs: ['DCGM_FI_DEV_RETIRED_SBE', 'DCGM_FI_DEV_RETIRED_DBE', 'DCGM_FI_DEV_RETIRED_PENDING'],
      description: 'Page retirement (GPUs before Ampere); the retirement table holds 64 pages.',
      targets: [
        dev('DCGM_FI_DEV_RETIRED_SBE', `single-bit ${DEVICE_LEGEND}`), dev('DCGM_FI_DEV_RETIRED_DBE', `double-bit ${DEVICE_LEGEND}`), dev('DCGM_FI_DEV_RETIRED_PENDING', `pending ${DEVICE_LEGEND}`),
      ],
    },
    {
      title: 'Row remapping', unit: 'short', needs: ['DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'DCGM_FI_DEV_ROW_REMAP_FAILURE'],
      description: 'Row remapping (Ampere and later); a remap failure means the GPU needs replacement.',
      targets: [
        dev('DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', `correctable ${DEVICE_LEGEND}`), dev('DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', `uncorrectable ${DEVICE_LEGEND}`),
        dev('DCGM_FI_DEV_ROW_REMAP_FAILURE', `failed ${DEVICE_LEGEND}`),
      ],
    },
    { title: 'PCIe replays per second', unit: 'short', needs: ['DCGM_FI_DEV_PCIE_REPLAY_COUNTER'], targets: [{ expr: by('max', DEVICE, 'rate(DCGM_FI_DEV_PCIE_REPLAY_COUNTER[5m])'), legendFormat: DEVICE_LEGEND }] },
  ];
  const exported = new Set(counters.filter((c) => c.type !== 'label').map((c) => c.field));
  return panels.filter((p) => p.needs.every((f) => exported.has(f))).map(({ needs: _needs, ...p }) => p); // eslint-disable-line @typescript-eslint/no-unused-vars
}

/** The dashboard's variables: the pool (the pools given) and the node (kube-state-metrics' nodes of that pool). */
export function gpuDashboardVariables(o: GpuDashboardOptions = {}): DashboardVariable[] {
  const pools = o.pools ?? [];
  return [
    ...(pools.length > 0 ? [{ name: 'pool', label: 'Pool', type: 'custom' as const, values: pools.map((p) => p.name), includeAll: true }] : []),
    {
      name: 'node', label: 'Node', type: 'query', includeAll: true,
      query: pools.length > 0 ? `label_values(kube_node_labels{${POOL_NODE_LABEL_METRIC_LABEL}=~"$pool"}, node)` : 'label_values(kube_node_labels, node)',
    },
  ];
}

/** A ConfigMap holding the GPU pools dashboard, labelled for kube-prometheus-stack's Grafana sidecar. */
export function renderGpuDashboard(options: GpuDashboardOptions = {}): DashboardRender {
  const subject = `GpuDashboard '${options?.name ?? 'gpu-pools'}'`;
  // Only the fields the dashboard reads: a resolved pool carries many more.
  const pools = Array.isArray(options?.pools) ? options.pools.map((p) => (p && typeof p === 'object' ? { name: p.name, kind: p.kind } : p)) : options?.pools;
  const o = { ...options, pools };
  checkOptions(subject, SCHEMA, o);
  const names = (o.pools ?? []).map((p) => p.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) refuse(subject, { field: 'pools', message: 'names a pool twice', value: twice, allowed: 'each pool once', fix: 'pass each GpuNodePool once' });
  const name = o.name ?? 'gpu-pools';
  const dashboard = grafanaDashboard({
    title: names.length > 0 ? `GPU pools (${names.join(', ')})` : 'GPU pools',
    uid: `gpuplane-${name}`,
    tags: ['gpuplane', 'gpu', 'dcgm'],
    panels: gpuDashboardPanels(o),
    variables: gpuDashboardVariables(o),
  });
  return dashboardConfigMap(subject, { name: `${name}-grafana-dashboard`, namespace: o.namespace ?? o.operatorNamespace ?? 'gpu-operator', instance: name, dashboard, folder: o.folder, sidecarLabel: o.sidecarLabel });
}

/**
 * What the GpuDashboard constructs (cdk8s and Pulumi) take: the options, with the pools given as the pool constructs
 * themselves or through the GPU Operator stack that collects them.
 */
export interface GpuDashboardSources extends Omit<GpuDashboardOptions, 'pools'> {
  /**
   * The GPU Operator stack whose dcgm-exporter the dashboard reads: its pools and its namespace.
   * @default - none: give `pools`
   */
  readonly stack?: { readonly render: { readonly namespace: string; readonly pools: readonly DashboardPoolSpec[] } };
  /** The pools (GpuNodePool, MigNodePool) the dashboard offers, without a stack. @default - the stack's pools */
  readonly pools?: readonly { readonly resolved: DashboardPoolSpec }[];
}

/** renderGpuDashboard from the constructs' inputs: the pools of the stack unless given, its namespace as the operator's. */
export function renderGpuDashboardFrom(sources: GpuDashboardSources = {}): DashboardRender {
  const { stack, pools, ...rest } = sources;
  return renderGpuDashboard({
    ...rest,
    pools: pools ? pools.map((p) => p?.resolved ?? (p as unknown as DashboardPoolSpec)) : stack?.render.pools,
    operatorNamespace: rest.operatorNamespace ?? stack?.render.namespace,
  });
}
