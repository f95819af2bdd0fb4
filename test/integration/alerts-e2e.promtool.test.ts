import { KubeObject } from '../../lib/core/kube';
import { renderEtcdHosts } from '../../lib/core/etcd/hosts';
import { renderEtcdKubernetes } from '../../lib/core/etcd/kubernetes';
import { etcdAlertRules } from '../../lib/core/etcd/monitoring';
import { renderGpuOperatorStack } from '../../lib/core/operator/stack';
import { renderVllmService } from '../../lib/core/vllm/render';
import { describeWithBinary } from '../helpers/binaries';
import { promtoolCheckRules, promtoolTestRules } from '../helpers/promtool';

/**
 * Every shipped alert (vLLM, GPU health, etcd) under `promtool test rules`: one input on which it fires, with its
 * labels and rendered annotations checked, and one on which it stays silent.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Series = { series: string; values: string };
interface AlertCase {
  readonly alert: string;
  readonly interval?: string;
  /** Input on which the alert fires at `at`. */
  readonly fires: readonly Series[];
  readonly at: string;
  readonly labels: Record<string, string>;
  readonly annotations: { readonly summary: string; readonly description: string };
  /** Input on which it stays silent at `silentAt` (default `at`). */
  readonly silent: readonly Series[];
  readonly silentAt?: string;
}

const sel = (labels: Record<string, string>) => `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
const s = (metric: string, labels: Record<string, string>, values: string): Series => ({ series: `${metric}${sel(labels)}`, values });
/** A histogram whose observations all land in the buckets given (`[le, count per minute]`, cumulative). */
const hist = (metric: string, labels: Record<string, string>, buckets: [string, number][], length = 20): Series[] =>
  buckets.map(([le, perMinute]) => s(`${metric}_bucket`, { ...labels, le }, perMinute === 0 ? `0x${length}` : `0+${perMinute}x${length}`));
const groupsOf = (objects: readonly KubeObject[]) => objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => (o as Obj).spec.groups);

function tests(cases: readonly AlertCase[]): unknown[] {
  return cases.flatMap((c) => [
    { interval: c.interval ?? '1m', input_series: c.fires, alert_rule_test: [{ eval_time: c.at, alertname: c.alert, exp_alerts: [{ exp_labels: c.labels, exp_annotations: c.annotations }] }] },
    { interval: c.interval ?? '1m', input_series: c.silent, alert_rule_test: [{ eval_time: c.silentAt ?? c.at, alertname: c.alert, exp_alerts: [] }] },
  ]);
}

function expectEveryAlertCovered(groups: Obj[], cases: readonly AlertCase[]): void {
  const shipped = groups.flatMap((g) => g.rules.map((r: Obj) => r.alert)).sort();
  expect([...new Set(cases.map((c) => c.alert))].sort()).toEqual(shipped);
}

/**
 * The two tests every shipped alert group gets: every alert has a case, its annotations are rendered text and the
 * file passes `promtool check rules`; each case fires on its input and stays silent on the other (promtool test rules).
 */
function testAlertCases(groups: Obj[], cases: readonly AlertCase[]): void {
  test('every alert has a case; annotations are rendered text; promtool check rules passes', () => {
    expectEveryAlertCovered(groups, cases);
    expectCleanAnnotations(groups);
    expect(promtoolCheckRules(groups)).toMatch(/SUCCESS/);
  });

  test('each alert fires on its input with the rendered labels and annotations, and stays silent on the other', () => {
    expect(promtoolTestRules(groups, tests(cases))).toMatch(/SUCCESS/);
  });
}

/** Rendered annotations carry no unrendered JavaScript template text and no undefined values. */
function expectCleanAnnotations(groups: Obj[]): void {
  for (const rule of groups.flatMap((g) => g.rules)) {
    for (const [key, text] of Object.entries<string>(rule.annotations)) {
      expect({ alert: rule.alert, key, text, bad: /\$\{|undefined|NaN/.test(text) }).toMatchObject({ bad: false });
    }
  }
}

describeWithBinary('promtool', 'prometheus', 'every shipped alert under promtool test rules', () => {
  describe('vLLM', () => {
    // A Deployment (shared ReadWriteMany cache), so the alerts go through kube-state-metrics' ReplicaSet owner chain.
    const { objects } = renderVllmService({ name: 'llama-70b', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama', maxNumSeqs: 64, modelCache: { accessMode: 'ReadWriteMany', loader: false } });
    const groups = groupsOf(objects);
    const job = { namespace: 'inference', job: 'llama-70b' };
    const pod = 'llama-70b-7d9f8c6b5-x2x4z';
    const awqPod = 'llama-70b-awq-5c4f9d7b8-q7w2p';
    const lbl = { ...job, pod, model_name: 'llama' };
    const out = { namespace: 'inference', pod, model_name: 'llama' };
    /** kube-state-metrics' owner chain of a pod: ReplicaSet, then Deployment. */
    const owned = (p: string, deployment: string): Series[] => {
      const rs = p.replace(/-[a-z0-9]+$/, '');
      return [
        s('kube_pod_owner', { namespace: 'inference', pod: p, uid: `uid-${p}`, owner_kind: 'ReplicaSet', owner_name: rs, owner_is_controller: 'true' }, '1x40'),
        s('kube_replicaset_owner', { namespace: 'inference', replicaset: rs, owner_kind: 'Deployment', owner_name: deployment, owner_is_controller: 'true' }, '1x40'),
      ];
    };
    const container = (p: string) => ({ namespace: 'inference', pod: p, container: 'vllm', uid: `uid-${p}` });
    const oom = (p: string, deployment: string): Series[] => [
      s('kube_pod_container_status_last_terminated_reason', { ...container(p), reason: 'OOMKilled' }, '1x20'),
      s('kube_pod_container_status_restarts_total', container(p), '0x5 1x15'),
      ...owned(p, deployment),
    ];
    const restarts = (p: string, deployment: string): Series[] => [s('kube_pod_container_status_restarts_total', container(p), '0+1x40'), ...owned(p, deployment)];
    const cases: AlertCase[] = [
      {
        alert: 'VllmKvCacheUsageHigh', fires: [s('vllm:kv_cache_usage_perc', lbl, '0.92x15')], at: '10m', labels: { ...out, severity: 'warning' },
        annotations: { summary: `vLLM KV cache above 90% on ${pod}`, description: 'KV cache usage is 92%; preemptions start near 100%. Add replicas, lower maxNumSeqs or give the model more GPU memory.' },
        silent: [s('vllm:kv_cache_usage_perc', lbl, '0.5x15')],
      },
      {
        alert: 'VllmKvCacheUsageCritical', fires: [s('vllm:kv_cache_usage_perc', lbl, '0.97x15')], at: '10m', labels: { ...out, severity: 'critical' },
        annotations: { summary: `vLLM KV cache above 95% on ${pod}`, description: 'KV cache usage is 97%; requests are being preempted and recomputed. Scale out now, or lower maxNumSeqs.' },
        silent: [s('vllm:kv_cache_usage_perc', lbl, '0.92x15')],
      },
      {
        alert: 'VllmPreemptions', fires: [s('vllm:num_preemptions_total', lbl, '0x10 0+3x20')], at: '20m', labels: { ...out, severity: 'warning' },
        annotations: { summary: `vLLM is preempting requests on ${pod}`, description: '27 preemptions in 10 minutes: each one recomputes a request from scratch and spikes TTFT. The GPU memory is over-committed.' },
        silent: [s('vllm:num_preemptions_total', lbl, '3x30')],
      },
      {
        alert: 'VllmRequestsWaiting', fires: [s('vllm:num_requests_waiting', lbl, '15x20')], at: '15m', labels: { ...out, severity: 'warning' },
        annotations: { summary: `Requests queue on ${pod}`, description: '15 requests waiting for 10 minutes. The autoscaler is at its maximum or cannot place new pods (no free GPU).' },
        silent: [s('vllm:num_requests_waiting', lbl, '5x20')],
      },
      {
        alert: 'VllmTimeToFirstTokenHigh', fires: hist('vllm:time_to_first_token_seconds', lbl, [['1', 0], ['3', 10], ['+Inf', 10]]), at: '15m', labels: { namespace: 'inference', model_name: 'llama', severity: 'warning' },
        annotations: { summary: 'p95 time to first token above llama objective', description: 'p95 TTFT is 2.9s, above the 2 s objective. Prefill is queueing behind decode: scale out or lower maxNumSeqs.' },
        silent: hist('vllm:time_to_first_token_seconds', lbl, [['1', 10], ['3', 10], ['+Inf', 10]]),
      },
      {
        alert: 'VllmInterTokenLatencyHigh', fires: hist('vllm:inter_token_latency_seconds', lbl, [['0.05', 0], ['0.2', 10], ['+Inf', 10]]), at: '15m', labels: { namespace: 'inference', model_name: 'llama', severity: 'warning' },
        annotations: { summary: 'p95 inter-token latency of llama above 100 ms', description: 'p95 time between tokens is 192.5ms: streaming stutters. Decode is compute bound: the batch is too large for the GPU (lower maxNumSeqs) or the model needs more tensor parallelism.' },
        silent: hist('vllm:inter_token_latency_seconds', lbl, [['0.05', 10], ['0.2', 10], ['+Inf', 10]]),
      },
      {
        alert: 'VllmSaturated', fires: [s('vllm:num_requests_running', lbl, '64x20')], at: '15m', labels: { ...out, severity: 'warning' },
        annotations: { summary: `vLLM on ${pod} runs max-num-seqs (64) requests`, description: '64 requests running for 10 minutes, the batch limit: every new request queues. Scale out (raise autoscaling.maxReplicas) or give the pod more GPUs.' },
        silent: [s('vllm:num_requests_running', lbl, '40x20')],
      },
      {
        alert: 'VllmContainerOOMKilled', fires: oom(pod, 'llama-70b'), at: '10m', labels: { namespace: 'inference', pod, severity: 'critical' },
        annotations: { summary: `vLLM container OOMKilled on ${pod}`, description: 'The container exceeded its host memory limit (exit 137). Raise resources.requests.memory (the limit follows 30% above it).' },
        // llama-70b-awq's pods match `llama-70b-.*`, but they are not this Deployment's.
        silent: oom(awqPod, 'llama-70b-awq'),
      },
      {
        alert: 'VllmContainerRestarting', fires: restarts(pod, 'llama-70b'), at: '40m', labels: { namespace: 'inference', pod, severity: 'warning' },
        annotations: { summary: `vLLM container restarting on ${pod}`, description: '30 restarts in 30 minutes. Check the previous logs for CUDA out of memory, NCCL errors or probe failures.' },
        silent: restarts(awqPod, 'llama-70b-awq'),
      },
    ];

    testAlertCases(groups, cases);
  });

  describe('GPU health', () => {
    const groups = groupsOf(renderGpuOperatorStack().objects);
    const gpu = { Hostname: 'gpu-node-1', gpu: '3', UUID: 'GPU-8f2c', modelName: 'NVIDIA H100 80GB HBM3' };
    const d = (metric: string, values: string, extra: Record<string, string> = {}) => s(metric, { ...gpu, ...extra }, values);
    const mig = { GPU_I_PROFILE: '3g.40gb', GPU_I_ID: '1', namespace: 'inference', pod: 'llama-8b-mig-0' };
    const cases: AlertCase[] = [
      {
        alert: 'GpuXidErrors', fires: [d('DCGM_EXP_XID_ERRORS_COUNT', '2x5', { xid: '13' })], at: '3m', labels: { ...gpu, xid: '13', severity: 'warning' },
        annotations: { summary: 'XID 13 on GPU 3 of gpu-node-1', description: '2 XID 13 errors in the exporter window. Check the driver log (dmesg) and the workload on that GPU.' },
        silent: [d('DCGM_EXP_XID_ERRORS_COUNT', '0x5', { xid: '13' }), d('DCGM_EXP_XID_ERRORS_COUNT', '1x5', { xid: '48' })],
      },
      {
        alert: 'GpuXid48DoubleBitEcc', fires: [d('DCGM_EXP_XID_ERRORS_COUNT', '1x5', { xid: '48' })], at: '3m', labels: { ...gpu, severity: 'critical' },
        annotations: { summary: 'XID 48 (double-bit ECC) on GPU 3 of gpu-node-1', description: 'An uncorrectable memory error: drain the node and replace the GPU GPU-8f2c.' },
        silent: [d('DCGM_EXP_XID_ERRORS_COUNT', '2x5', { xid: '13' })],
      },
      {
        alert: 'GpuEccDoubleBitErrors', fires: [d('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', '0x5 1x10')], at: '10m', labels: { ...gpu, severity: 'critical' },
        annotations: { summary: 'Double-bit ECC errors on GPU 3 of gpu-node-1', description: '1 uncorrectable ECC errors in 10 minutes: results on this GPU cannot be trusted. Drain the node.' },
        silent: [d('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', '4x15')],
      },
      {
        alert: 'GpuEccSingleBitErrorsAccumulating', interval: '1h', fires: [d('DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', '0x1 0+5x30')], at: '24h', labels: { ...gpu, severity: 'warning' },
        annotations: { summary: 'Single-bit ECC errors accumulating on GPU 3 of gpu-node-1', description: '110 corrected ECC errors in 24 hours (more than 10): corrected errors that keep coming predict an uncorrectable one. Plan to drain the node and have the GPU GPU-8f2c checked.' },
        silent: [d('DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', '0x1 0+0.2x30')],
      },
      {
        alert: 'GpuPagesPendingRetirement', fires: [d('DCGM_FI_DEV_RETIRED_PENDING', '1x20')], at: '15m', labels: { ...gpu, severity: 'warning' },
        annotations: { summary: 'GPU 3 of gpu-node-1 has memory pages waiting to be retired', description: '1 page(s) pending retirement: they retire only when the GPU is reset. Drain the node and reset the GPU (or reboot) in a maintenance window.' },
        silent: [d('DCGM_FI_DEV_RETIRED_PENDING', '0x20')],
      },
      {
        alert: 'GpuRetiredPagesHigh', fires: [d('DCGM_FI_DEV_RETIRED_SBE', '40x5'), d('DCGM_FI_DEV_RETIRED_DBE', '10x5')], at: '3m', labels: { ...gpu, severity: 'warning' },
        annotations: { summary: 'GPU 3 of gpu-node-1 has retired 50 memory pages', description: 'At least 48 pages retired for ECC errors; the retirement table holds 64, after which errors can no longer be contained. Schedule the replacement of GPU GPU-8f2c.' },
        silent: [d('DCGM_FI_DEV_RETIRED_SBE', '20x5'), d('DCGM_FI_DEV_RETIRED_DBE', '1x5')],
      },
      {
        alert: 'GpuTemperatureHigh', fires: [d('DCGM_FI_DEV_GPU_TEMP', '86x10')], at: '8m', labels: { ...gpu, severity: 'warning' },
        annotations: { summary: 'GPU 3 of gpu-node-1 at 86 °C', description: 'Above 83 °C the GPU throttles its clocks. Check cooling, airflow and the power limit.' },
        silent: [d('DCGM_FI_DEV_GPU_TEMP', '70x10')],
      },
      {
        alert: 'GpuRowRemapFailure', fires: [d('DCGM_FI_DEV_ROW_REMAP_FAILURE', '1x5')], at: '3m', labels: { ...gpu, severity: 'critical' },
        annotations: { summary: 'Row remapping failed on GPU 3 of gpu-node-1', description: 'The GPU ran out of spare memory rows: it needs replacement.' },
        silent: [d('DCGM_FI_DEV_ROW_REMAP_FAILURE', '0x5')],
      },
      {
        // A MIG instance: it has no DCGM_FI_DEV_GPU_UTIL series, only the profiling metrics.
        alert: 'GpuAllocatedButIdle', fires: [d('DCGM_FI_PROF_GR_ENGINE_ACTIVE', '0.02x90', mig)], at: '70m', labels: { ...gpu, ...mig, severity: 'info' },
        annotations: { summary: 'GPU 3 (MIG 3g.40gb) held by inference/llama-8b-mig-0 is idle', description: 'Graphics engine active below 5% for an hour while allocated (2%): the GPU or MIG instance is wasted. Share it (MIG, time-slicing) or scale the workload down.' },
        // Busy, or idle but held by no pod: an unallocated GPU carries the exporter's own pod and namespace (the
        // scrape fills them in), which must not read as a workload holding it.
        silent: [d('DCGM_FI_PROF_GR_ENGINE_ACTIVE', '0.6x90', mig), d('DCGM_FI_PROF_GR_ENGINE_ACTIVE', '0x90', { namespace: 'gpu-operator', pod: 'nvidia-dcgm-exporter-x7k2p' })],
      },
      {
        // Newer dcgm-exporter releases spell the node label `hostname` (NVIDIA/dcgm-exporter#655): the node still shows.
        alert: 'GpuTemperatureHigh', fires: [s('DCGM_FI_DEV_GPU_TEMP', { hostname: 'gpu-node-2', gpu: '0', UUID: 'GPU-11aa', modelName: 'NVIDIA H100 80GB HBM3' }, '86x10')], at: '8m',
        labels: { hostname: 'gpu-node-2', gpu: '0', UUID: 'GPU-11aa', modelName: 'NVIDIA H100 80GB HBM3', severity: 'warning' },
        annotations: { summary: 'GPU 0 of gpu-node-2 at 86 °C', description: 'Above 83 °C the GPU throttles its clocks. Check cooling, airflow and the power limit.' },
        silent: [s('DCGM_FI_DEV_GPU_TEMP', { hostname: 'gpu-node-2', gpu: '0', UUID: 'GPU-11aa', modelName: 'NVIDIA H100 80GB HBM3' }, '70x10')],
      },
      {
        alert: 'GpuMigConfigFailed', fires: [s('kube_node_labels', { node: 'gpu-node-1', label_nvidia_com_mig_config_state: 'failed' }, '1x5')], at: '3m', labels: { node: 'gpu-node-1', severity: 'critical' },
        annotations: { summary: 'MIG reconfiguration failed on gpu-node-1', description: 'nvidia.com/mig.config.state=failed: the MIG manager could not apply the layout (GPUs busy, or a reboot needed). Needs kube-state-metrics with --metric-labels-allowlist=nodes=[nvidia.com/mig.config.state].' },
        silent: [s('kube_node_labels', { node: 'gpu-node-1', label_nvidia_com_mig_config_state: 'success' }, '1x5')],
      },
      {
        alert: 'GpuOperatorOperandUnavailable', fires: [s('kube_daemonset_status_number_unavailable', { namespace: 'gpu-operator', daemonset: 'nvidia-driver-daemonset' }, '2x20')], at: '18m', labels: { namespace: 'gpu-operator', daemonset: 'nvidia-driver-daemonset', severity: 'warning' },
        annotations: { summary: 'nvidia-driver-daemonset is not running on 2 GPU node(s)', description: 'A GPU Operator component failed to deploy on some nodes: their GPUs are not schedulable. Check the validator and driver pods there.' },
        silent: [s('kube_daemonset_status_number_unavailable', { namespace: 'gpu-operator', daemonset: 'nvidia-driver-daemonset' }, '0x20')],
      },
    ];

    testAlertCases(groups, cases);
  });

  describe('etcd (Kubernetes mode, as the example ships it)', () => {
    const { objects } = renderEtcdKubernetes({ name: 'etcd-main', version: '3.5.21', kubernetes: { namespace: 'etcd', storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' } });
    const groups = groupsOf(objects);
    const job = 'etcd-main-metrics';
    const m = (i: number, extra: Record<string, string> = {}) => ({ job, instance: `etcd-main-${i}`, ...extra });
    const each = (metric: string, values: string) => [0, 1, 2].map((i) => s(metric, m(i), values));
    const quota = (used: number, inUse?: number): Series[] => [
      s('etcd_mvcc_db_total_size_in_bytes', m(0), `${used}x40`),
      s('etcd_server_quota_backend_bytes', m(0), '1000x40'),
      ...(inUse === undefined ? [] : [s('etcd_mvcc_db_total_size_in_use_in_bytes', m(0), `${inUse}x40`)]),
    ];
    const MiB = 1048576;
    const cronjob = { namespace: 'etcd', cronjob: 'etcd-main-backup' };
    const cases: AlertCase[] = [
      {
        alert: 'EtcdWalFsyncSlow', fires: hist('etcd_disk_wal_fsync_duration_seconds', m(0), [['0.008', 0], ['0.016', 10], ['+Inf', 10]]), at: '15m', labels: { instance: 'etcd-main-0', severity: 'warning' },
        annotations: { summary: 'etcd WAL fsync p99 above 10 ms on etcd-main-0', description: 'p99 15.92ms: every write waits for this fsync. Check the disk (NVMe, not shared or network storage) and noisy neighbours.' },
        silent: hist('etcd_disk_wal_fsync_duration_seconds', m(0), [['0.008', 10], ['0.016', 10], ['+Inf', 10]]),
      },
      {
        alert: 'EtcdWalFsyncCritical', fires: hist('etcd_disk_wal_fsync_duration_seconds', m(0), [['0.016', 0], ['0.032', 10], ['+Inf', 10]]), at: '15m', labels: { instance: 'etcd-main-0', severity: 'critical' },
        annotations: { summary: 'etcd WAL fsync p99 above 25 ms on etcd-main-0', description: 'p99 31.84ms: the leader risks missing heartbeats and elections follow. Move the member to a faster disk now.' },
        silent: hist('etcd_disk_wal_fsync_duration_seconds', m(0), [['0.008', 0], ['0.016', 10], ['+Inf', 10]]),
      },
      {
        alert: 'EtcdBackendCommitSlow', fires: hist('etcd_disk_backend_commit_duration_seconds', m(0), [['0.016', 0], ['0.032', 10], ['+Inf', 10]]), at: '15m', labels: { instance: 'etcd-main-0', severity: 'warning' },
        annotations: { summary: 'etcd backend commit p99 above 25 ms on etcd-main-0', description: 'p99 31.84ms: bbolt commits are slow; the disk is saturated or the database fragmented.' },
        silent: hist('etcd_disk_backend_commit_duration_seconds', m(0), [['0.016', 10], ['0.032', 10], ['+Inf', 10]]),
      },
      {
        alert: 'EtcdFrequentLeaderChanges', fires: each('etcd_server_leader_changes_seen_total', '0x10 1x10 2x10 3x40'), at: '60m', labels: { severity: 'warning' },
        annotations: { summary: 'etcd leader changed more than once in an hour', description: '3 leader changes in the last hour: writes stall during every election. Check disk latency, CPU starvation and the network between members.' },
        silent: each('etcd_server_leader_changes_seen_total', '0x10 1x60'),
      },
      {
        alert: 'EtcdLeaderChangesCritical', fires: each('etcd_server_leader_changes_seen_total', '0+2x20'), at: '10m', labels: { severity: 'critical' },
        annotations: { summary: 'etcd leader changing more than once a minute', description: '10 leader changes in the last 5 minutes: the cluster spends its time electing and writes keep failing. Find the member with slow disks or a bad link now (WAL fsync, peer round trip, heartbeat failures).' },
        // Two changes in five minutes: the hourly warning's business, not a crisis.
        silent: each('etcd_server_leader_changes_seen_total', '0x6 1x2 2x20'),
      },
      {
        alert: 'EtcdHeartbeatSendFailures', fires: [s('etcd_server_heartbeat_send_failures_total', m(0), '0x5 0+1x20')], at: '20m', labels: { instance: 'etcd-main-0', severity: 'warning' },
        annotations: { summary: 'etcd leader etcd-main-0 is failing to send heartbeats', description: '14 heartbeat send failures in 15 minutes: the leader cannot reach its followers in time (usually a slow disk or an overloaded member), and elections follow. Check WAL fsync latency and the network between members.' },
        silent: [s('etcd_server_heartbeat_send_failures_total', m(0), '0x5 0+1x3 3x20')],
      },
      {
        alert: 'EtcdPeerRoundTripSlow', fires: hist('etcd_network_peer_round_trip_time_seconds', m(0, { To: 'b2f1c3' }), [['0.004', 0], ['0.008', 10], ['+Inf', 10]]), at: '15m', labels: { instance: 'etcd-main-0', To: 'b2f1c3', severity: 'warning' },
        annotations: { summary: 'etcd peer round trip p99 above 5 ms from etcd-main-0', description: 'p99 7.96ms to member b2f1c3: every write pays it. Keep members in one zone with fast links.' },
        silent: hist('etcd_network_peer_round_trip_time_seconds', m(0, { To: 'b2f1c3' }), [['0.004', 10], ['0.008', 10], ['+Inf', 10]]),
      },
      {
        alert: 'EtcdDatabaseQuotaHigh', fires: quota(850), at: '15m', labels: { instance: 'etcd-main-0', severity: 'warning' },
        annotations: { summary: 'etcd database above 80% of its quota on etcd-main-0', description: '85% of the quota: at 100% etcd raises NOSPACE and the cluster turns read-only. Defragment, check compaction, find what writes so much.' },
        silent: quota(500),
      },
      {
        alert: 'EtcdDatabaseQuotaCritical', fires: quota(970), at: '15m', labels: { instance: 'etcd-main-0', severity: 'critical' },
        annotations: { summary: 'etcd database above 95% of its quota on etcd-main-0', description: '97%: NOSPACE is minutes away. Compact and defragment now.' },
        silent: quota(850),
      },
      {
        alert: 'EtcdDatabaseFragmented',
        fires: [s('etcd_mvcc_db_total_size_in_bytes', m(0), `${200 * MiB}x40`), s('etcd_mvcc_db_total_size_in_use_in_bytes', m(0), `${60 * MiB}x40`)], at: '35m', labels: { instance: 'etcd-main-0', severity: 'warning' },
        annotations: { summary: 'etcd database more than half free pages on etcd-main-0', description: '70% of the file is reclaimable: run the rolling defragmentation.' },
        silent: [s('etcd_mvcc_db_total_size_in_bytes', m(0), `${200 * MiB}x40`), s('etcd_mvcc_db_total_size_in_use_in_bytes', m(0), `${150 * MiB}x40`)],
      },
      {
        alert: 'EtcdProposalsFailing', fires: [s('etcd_server_proposals_failed_total', m(0), '0x5 0+1x20')], at: '20m', labels: { severity: 'warning' },
        annotations: { summary: 'etcd proposals are failing', description: '14 failed proposals in 15 minutes: leader elections or a lost quorum.' },
        silent: [s('etcd_server_proposals_failed_total', m(0), '2x25')],
      },
      {
        alert: 'EtcdNoLeader', fires: [s('etcd_server_has_leader', m(1), '0x5')], at: '3m', labels: { instance: 'etcd-main-1', severity: 'critical' },
        annotations: { summary: 'etcd member etcd-main-1 has no leader', description: 'The member cannot serve writes: the cluster may have lost quorum.' },
        silent: [s('etcd_server_has_leader', m(1), '1x5')],
      },
      {
        alert: 'EtcdMembersDown', fires: [s('up', m(0), '1x10'), s('up', m(1), '1x10'), s('up', m(2), '0x10')], at: '5m', labels: { severity: 'critical' },
        annotations: { summary: 'etcd members down', description: '1 of 3 members unreachable; the cluster tolerates 1.' },
        silent: each('up', '1x10'),
      },
      {
        // The last successful backup at the epoch; 13 hours (the default maxAgeHours) later it is too old.
        alert: 'EtcdBackupTooOld', fires: [s('kube_cronjob_status_last_successful_time', cronjob, '0x900')], at: '14h', labels: { severity: 'critical' },
        annotations: { summary: 'No etcd backup of etcd-main for more than 13 hours', description: 'The backup job has not produced a verified snapshot: a restore would lose everything since the last one.' },
        // A backup every minute: the timestamp keeps up with time().
        silent: [s('kube_cronjob_status_last_successful_time', cronjob, '0+60x900')],
      },
      {
        alert: 'EtcdCertificateExpiringSoon', fires: [s('certmanager_certificate_expiration_timestamp_seconds', { namespace: 'etcd', name: 'etcd-main-server' }, `${10 * 86400}x10`)], at: '5m', labels: { namespace: 'etcd', name: 'etcd-main-server', severity: 'warning' },
        annotations: { summary: 'An etcd certificate expires within 30 days', description: 'When etcd certificates expire every API server loses its datastore at once. Renew and roll the members now (kubeadm does not rotate external etcd certificates).' },
        silent: [s('certmanager_certificate_expiration_timestamp_seconds', { namespace: 'etcd', name: 'etcd-main-server' }, `${100 * 86400}x10`)],
      },
    ];

    testAlertCases(groups, cases);

    test('a backup CronJob that never succeeded fires too (absent series)', () => {
      const never: AlertCase = {
        alert: 'EtcdBackupTooOld', fires: [s('kube_cronjob_status_last_successful_time', { namespace: 'etcd', cronjob: 'other-backup' }, '0+60x30')], at: '20m', labels: { ...cronjob, severity: 'critical' },
        annotations: cases.find((c) => c.alert === 'EtcdBackupTooOld')!.annotations,
        silent: [s('kube_cronjob_status_last_successful_time', cronjob, '0+60x30')],
      };
      expect(promtoolTestRules(groups, tests([never]))).toMatch(/SUCCESS/);
    });
  });

  describe('etcd on hosts (textfile backup metric, x509 exporter)', () => {
    const r = renderEtcdHosts({ name: 'etcd-prod', hosts: [1, 2, 3].map((i) => ({ name: `etcd-${i}`, address: `10.0.1.${10 + i}` })) } as Parameters<typeof renderEtcdHosts>[0]).resolved;
    const groups = [{ name: 'etcd', rules: etcdAlertRules(r, { job: 'etcd', certificateSource: 'x509-exporter' }) }];
    const cases: AlertCase[] = [
      {
        alert: 'EtcdBackupTooOld', fires: [s('etcd_backup_last_success_timestamp_seconds', { cluster: 'etcd-prod', instance: 'etcd-1' }, '0x900')], at: '14h', labels: { severity: 'critical' },
        annotations: { summary: 'No etcd backup of etcd-prod for more than 13 hours', description: 'The backup job has not produced a verified snapshot: a restore would lose everything since the last one.' },
        silent: [s('etcd_backup_last_success_timestamp_seconds', { cluster: 'etcd-prod', instance: 'etcd-1' }, '0+60x900')],
      },
      {
        alert: 'EtcdCertificateExpiringSoon', fires: [s('x509_cert_not_after', { filepath: '/etc/etcd/pki/server.crt', instance: 'etcd-1' }, `${10 * 86400}x10`)], at: '5m', labels: { filepath: '/etc/etcd/pki/server.crt', instance: 'etcd-1', severity: 'warning' },
        annotations: { summary: 'An etcd certificate expires within 30 days', description: 'When etcd certificates expire every API server loses its datastore at once. Renew and roll the members now (kubeadm does not rotate external etcd certificates).' },
        silent: [s('x509_cert_not_after', { filepath: '/etc/etcd/pki/server.crt', instance: 'etcd-1' }, `${100 * 86400}x10`)],
      },
    ];

    test('the alerts that differ from Kubernetes mode fire and stay silent; promtool check rules passes', () => {
      expectCleanAnnotations(groups);
      expect(promtoolCheckRules(groups)).toMatch(/SUCCESS/);
      expect(promtoolTestRules(groups, tests(cases))).toMatch(/SUCCESS/);
    });
  });
});
