import { AlertRule } from '../monitoring';

/** One line of a dcgm-exporter metrics CSV: DCGM field, Prometheus type, help. */
export interface DcgmCounter {
  readonly field: string;
  readonly type: 'gauge' | 'counter' | 'label';
  readonly help: string;
}

/**
 * The counters gpuplane asks dcgm-exporter for: the exporter's defaults, plus what they leave off and GPU health
 * needs: ECC (volatile and aggregate), the XID count over the exporter's window, throttling (violation) time,
 * retired pages. Field names and types follow dcgm-exporter's own CSVs.
 */
export const DCGM_COUNTERS: readonly DcgmCounter[] = [
  { field: 'DCGM_FI_DEV_SM_CLOCK', type: 'gauge', help: 'SM clock frequency (in MHz).' },
  { field: 'DCGM_FI_DEV_MEM_CLOCK', type: 'gauge', help: 'Memory clock frequency (in MHz).' },
  { field: 'DCGM_FI_DEV_MEMORY_TEMP', type: 'gauge', help: 'Memory temperature (in C).' },
  { field: 'DCGM_FI_DEV_GPU_TEMP', type: 'gauge', help: 'GPU temperature (in C).' },
  { field: 'DCGM_FI_DEV_POWER_USAGE', type: 'gauge', help: 'Power draw (in W).' },
  { field: 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', type: 'counter', help: 'Total energy consumption since boot (in mJ).' },
  { field: 'DCGM_FI_DEV_PCIE_REPLAY_COUNTER', type: 'counter', help: 'Total number of PCIe retries.' },
  { field: 'DCGM_FI_DEV_GPU_UTIL', type: 'gauge', help: 'GPU utilization (in %).' },
  { field: 'DCGM_FI_DEV_MEM_COPY_UTIL', type: 'gauge', help: 'Memory utilization (in %).' },
  { field: 'DCGM_FI_DEV_FB_FREE', type: 'gauge', help: 'Framebuffer memory free (in MiB).' },
  { field: 'DCGM_FI_DEV_FB_USED', type: 'gauge', help: 'Framebuffer memory used (in MiB).' },
  { field: 'DCGM_FI_DEV_XID_ERRORS', type: 'gauge', help: 'Value of the last XID error encountered.' },
  { field: 'DCGM_EXP_XID_ERRORS_COUNT', type: 'counter', help: 'reported XIDs during last window' },
  { field: 'DCGM_FI_DEV_POWER_VIOLATION', type: 'counter', help: 'Throttling duration due to power constraints (in ns).' },
  { field: 'DCGM_FI_DEV_THERMAL_VIOLATION', type: 'counter', help: 'Throttling duration due to thermal constraints (in ns).' },
  { field: 'DCGM_FI_DEV_SYNC_BOOST_VIOLATION', type: 'counter', help: 'Throttling duration due to sync-boost constraints (in ns).' },
  { field: 'DCGM_FI_DEV_BOARD_LIMIT_VIOLATION', type: 'counter', help: 'Throttling duration due to board limit constraints (in ns).' },
  { field: 'DCGM_FI_DEV_LOW_UTIL_VIOLATION', type: 'counter', help: 'Throttling duration due to low utilization (in ns).' },
  { field: 'DCGM_FI_DEV_RELIABILITY_VIOLATION', type: 'counter', help: 'Throttling duration due to reliability constraints (in ns).' },
  { field: 'DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', type: 'counter', help: 'Total number of single-bit volatile ECC errors.' },
  { field: 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', type: 'counter', help: 'Total number of double-bit volatile ECC errors.' },
  { field: 'DCGM_FI_DEV_ECC_SBE_AGG_TOTAL', type: 'counter', help: 'Total number of single-bit persistent ECC errors.' },
  { field: 'DCGM_FI_DEV_ECC_DBE_AGG_TOTAL', type: 'counter', help: 'Total number of double-bit persistent ECC errors.' },
  { field: 'DCGM_FI_DEV_RETIRED_SBE', type: 'counter', help: 'Total number of retired pages due to single-bit errors.' },
  { field: 'DCGM_FI_DEV_RETIRED_DBE', type: 'counter', help: 'Total number of retired pages due to double-bit errors.' },
  { field: 'DCGM_FI_DEV_RETIRED_PENDING', type: 'counter', help: 'Total number of pages pending retirement.' },
  { field: 'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', type: 'counter', help: 'Number of remapped rows for uncorrectable errors' },
  { field: 'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', type: 'counter', help: 'Number of remapped rows for correctable errors' },
  { field: 'DCGM_FI_DEV_ROW_REMAP_FAILURE', type: 'gauge', help: 'Whether remapping of rows has failed' },
  { field: 'DCGM_FI_DRIVER_VERSION', type: 'label', help: 'Driver Version' },
  { field: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', type: 'gauge', help: 'Ratio of time the graphics engine is active.' },
  { field: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', type: 'gauge', help: 'Ratio of cycles the tensor (HMMA) pipe is active.' },
  { field: 'DCGM_FI_PROF_DRAM_ACTIVE', type: 'gauge', help: 'Ratio of cycles the device memory interface is active sending or receiving data.' },
];

/** The CSV dcgm-exporter reads from the ConfigMap key `dcgm-metrics.csv`. */
export function dcgmMetricsCsv(counters: readonly DcgmCounter[] = DCGM_COUNTERS): string {
  return ['# DCGM FIELD, Prometheus metric type, help message (rendered by gpuplane)', ...counters.map((c) => `${c.field}, ${c.type}, ${c.help}`)].join('\n') + '\n';
}

/** Thresholds of the GPU health alerts. */
export interface GpuHealthThresholds {
  /** Alert above this GPU temperature (°C): throttling starts around here. @default 83 */
  readonly temperatureCelsius?: number;
  /** A GPU allocated to a pod but below this utilization (%) for an hour is waste. @default 5 */
  readonly idleUtilizationPercent?: number;
  /** Namespace of the GPU Operator (for its DaemonSets). */
  readonly operatorNamespace: string;
  /** Single-bit (corrected) ECC errors per GPU in 24 hours that raise a warning: accumulating ones predict failure. @default 10 */
  readonly singleBitEccPerDay?: number;
  /** Retired pages (single- plus double-bit) per GPU that raise a warning; the retirement table holds 64. @default 48 */
  readonly retiredPages?: number;
}

/** GPU health alerts over dcgm-exporter and kube-state-metrics series. */
export function gpuHealthRules(t: GpuHealthThresholds): AlertRule[] {
  const temp = t.temperatureCelsius ?? 83;
  const idle = t.idleUtilizationPercent ?? 5;
  const sbe = t.singleBitEccPerDay ?? 10;
  const retired = t.retiredPages ?? 48;
  // dcgm-exporter labelled the node `Hostname` until NVIDIA/dcgm-exporter#655 renamed it `hostname` (merged
  // 2026-05-12; the chart's pinned exporter may carry either): group by both, an absent one is empty.
  const gpu = 'Hostname, hostname, gpu, UUID, modelName';
  // A MIG instance is its own series with GPU_I_PROFILE and GPU_I_ID (absent, so empty, on whole GPUs).
  const instance = `${gpu}, GPU_I_PROFILE, GPU_I_ID`;
  return [
    {
      alert: 'GpuXidErrors',
      expr: `sum by (${gpu}, xid) (DCGM_EXP_XID_ERRORS_COUNT{xid!="48"}) > 0`,
      labels: { severity: 'warning' },
      annotations: { summary: 'XID {{ $labels.xid }} on GPU {{ $labels.gpu }} of {{ $labels.Hostname }}{{ $labels.hostname }}', description: '{{ $value }} XID {{ $labels.xid }} errors in the exporter window. Check the driver log (dmesg) and the workload on that GPU.' },
    },
    {
      alert: 'GpuXid48DoubleBitEcc',
      expr: `sum by (${gpu}) (DCGM_EXP_XID_ERRORS_COUNT{xid="48"}) > 0`,
      labels: { severity: 'critical' },
      annotations: { summary: 'XID 48 (double-bit ECC) on GPU {{ $labels.gpu }} of {{ $labels.Hostname }}{{ $labels.hostname }}', description: 'An uncorrectable memory error: drain the node and replace the GPU {{ $labels.UUID }}.' },
    },
    {
      alert: 'GpuEccDoubleBitErrors',
      expr: `sum by (${gpu}) (increase(DCGM_FI_DEV_ECC_DBE_VOL_TOTAL[10m])) > 0`,
      labels: { severity: 'critical' },
      annotations: { summary: 'Double-bit ECC errors on GPU {{ $labels.gpu }} of {{ $labels.Hostname }}{{ $labels.hostname }}', description: '{{ $value }} uncorrectable ECC errors in 10 minutes: results on this GPU cannot be trusted. Drain the node.' },
    },
    {
      alert: 'GpuEccSingleBitErrorsAccumulating',
      expr: `sum by (${gpu}) (increase(DCGM_FI_DEV_ECC_SBE_VOL_TOTAL[24h])) > ${sbe}`,
      labels: { severity: 'warning' },
      annotations: { summary: 'Single-bit ECC errors accumulating on GPU {{ $labels.gpu }} of {{ $labels.Hostname }}{{ $labels.hostname }}', description: `{{ $value | humanize }} corrected ECC errors in 24 hours (more than ${sbe}): corrected errors that keep coming predict an uncorrectable one. Plan to drain the node and have the GPU {{ $labels.UUID }} checked.` },
    },
    {
      alert: 'GpuPagesPendingRetirement',
      expr: `max by (${gpu}) (DCGM_FI_DEV_RETIRED_PENDING) > 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'GPU {{ $labels.gpu }} of {{ $labels.Hostname }}{{ $labels.hostname }} has memory pages waiting to be retired', description: '{{ $value }} page(s) pending retirement: they retire only when the GPU is reset. Drain the node and reset the GPU (or reboot) in a maintenance window.' },
    },
    {
      alert: 'GpuRetiredPagesHigh',
      expr: `max by (${gpu}) (DCGM_FI_DEV_RETIRED_SBE + DCGM_FI_DEV_RETIRED_DBE) >= ${retired}`,
      labels: { severity: 'warning' },
      annotations: { summary: 'GPU {{ $labels.gpu }} of {{ $labels.Hostname }}{{ $labels.hostname }} has retired {{ $value }} memory pages', description: `At least ${retired} pages retired for ECC errors; the retirement table holds 64, after which errors can no longer be contained. Schedule the replacement of GPU {{ $labels.UUID }}.` },
    },
    {
      alert: 'GpuTemperatureHigh',
      expr: `max by (${gpu}) (DCGM_FI_DEV_GPU_TEMP) > ${temp}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'GPU {{ $labels.gpu }} of {{ $labels.Hostname }}{{ $labels.hostname }} at {{ $value }} °C', description: `Above ${temp} °C the GPU throttles its clocks. Check cooling, airflow and the power limit.` },
    },
    {
      alert: 'GpuRowRemapFailure',
      expr: `max by (${gpu}) (DCGM_FI_DEV_ROW_REMAP_FAILURE) > 0`,
      labels: { severity: 'critical' },
      annotations: { summary: 'Row remapping failed on GPU {{ $labels.gpu }} of {{ $labels.Hostname }}{{ $labels.hostname }}', description: 'The GPU ran out of spare memory rows: it needs replacement.' },
    },
    {
      alert: 'GpuAllocatedButIdle',
      // DCGM_FI_PROF_GR_ENGINE_ACTIVE (a 0-1 ratio), not DCGM_FI_DEV_GPU_UTIL: MIG instances do not report GPU_UTIL,
      // the profiling metrics are reported per instance.
      // The exporter labels a GPU with the pod holding it; a GPU no pod holds has no pod label of its own, and the
      // scrape (honorLabels) then fills in the exporter's own pod and namespace: leave the operator's namespace out,
      // or every unallocated GPU would read as held and idle.
      expr: `max by (${instance}, namespace, pod) (DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!="",namespace!="${t.operatorNamespace}"}) * 100 < ${idle}`,
      for: '1h',
      labels: { severity: 'info' },
      annotations: { summary: 'GPU {{ $labels.gpu }}{{ with $labels.GPU_I_PROFILE }} (MIG {{ . }}){{ end }} held by {{ $labels.namespace }}/{{ $labels.pod }} is idle', description: `Graphics engine active below ${idle}% for an hour while allocated ({{ $value | humanize }}%): the GPU or MIG instance is wasted. Share it (MIG, time-slicing) or scale the workload down.` },
    },
    {
      alert: 'GpuMigConfigFailed',
      expr: 'max by (node) (kube_node_labels{label_nvidia_com_mig_config_state="failed"}) > 0',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'MIG reconfiguration failed on {{ $labels.node }}',
        description: 'nvidia.com/mig.config.state=failed: the MIG manager could not apply the layout (GPUs busy, or a reboot needed). Needs kube-state-metrics with --metric-labels-allowlist=nodes=[nvidia.com/mig.config.state].',
      },
    },
    {
      alert: 'GpuOperatorOperandUnavailable',
      expr: `max by (namespace, daemonset) (kube_daemonset_status_number_unavailable{namespace="${t.operatorNamespace}"}) > 0`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: { summary: '{{ $labels.daemonset }} is not running on {{ $value }} GPU node(s)', description: 'A GPU Operator component failed to deploy on some nodes: their GPUs are not schedulable. Check the validator and driver pods there.' },
    },
  ];
}
