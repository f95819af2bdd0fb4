import { KubeObject } from '../../lib/core/kube';
import { renderVllmService } from '../../lib/core/vllm/render';
import { buildApp } from '../../examples/main';
import { describeWithBinary } from '../helpers/binaries';
import { promtoolCheckRules, promtoolTestRules } from '../helpers/promtool';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ruleGroups(objects: readonly KubeObject[]): unknown[] {
  return objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => (o as Obj).spec.groups);
}

describeWithBinary('promtool', 'prometheus', 'vLLM alert rules under promtool', () => {
  test('promtool check rules accepts the rule groups of every example (vLLM, GPU health, etcd)', () => {
    // The operator writes each PrometheusRule to a file of its own; check them the same way.
    const app = buildApp();
    const prometheusRules = app.charts.flatMap((chart) => (chart.toJson() as KubeObject[]).filter((o) => o.kind === 'PrometheusRule'));
    expect(prometheusRules.length).toBeGreaterThanOrEqual(8);
    for (const rule of prometheusRules) {
      const groups = ruleGroups([rule]) as { rules: unknown[] }[];
      const expected = groups.reduce((n, g) => n + g.rules.length, 0);
      expect(promtoolCheckRules(groups)).toMatch(new RegExp(`SUCCESS: ${expected} rules found`));
    }
  });

  test('promtool check rules accepts the old-metric variant (vLLM < 0.10)', () => {
    const { objects } = renderVllmService({ name: 'old', model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.9.2' });
    expect(promtoolCheckRules(ruleGroups(objects))).toMatch(/SUCCESS/);
  });

  test('promtool test rules: KV cache alerts fire above 90% (warning, after 5m) and 95% (critical, after 2m)', () => {
    const { objects } = renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama' });
    const series = 'vllm:kv_cache_usage_perc{namespace="inference",job="llama",pod="llama-7d9f",model_name="llama"}';
    const labels = { namespace: 'inference', pod: 'llama-7d9f', model_name: 'llama' };
    const high = (value: string) => ({
      exp_labels: { ...labels, severity: 'warning' },
      exp_annotations: {
        summary: 'vLLM KV cache above 90% on llama-7d9f',
        description: `KV cache usage is ${value}; preemptions start near 100%. Add replicas, lower maxNumSeqs or give the model more GPU memory.`,
      },
    });
    const output = promtoolTestRules(ruleGroups(objects), [
      {
        interval: '1m',
        // 50% for 5 minutes, 92% for 10 minutes, then 97% for 10 minutes.
        input_series: [{ series, values: '0.5x4 0.92x9 0.97x10' }],
        alert_rule_test: [
          { eval_time: '4m', alertname: 'VllmKvCacheUsageHigh', exp_alerts: [] },
          { eval_time: '9m', alertname: 'VllmKvCacheUsageHigh', exp_alerts: [] }, // above 90% for 4 minutes only
          { eval_time: '11m', alertname: 'VllmKvCacheUsageHigh', exp_alerts: [high('92%')] },
          { eval_time: '11m', alertname: 'VllmKvCacheUsageCritical', exp_alerts: [] },
          { eval_time: '16m', alertname: 'VllmKvCacheUsageCritical', exp_alerts: [] }, // above 95% for 1 minute only
          {
            eval_time: '18m',
            alertname: 'VllmKvCacheUsageCritical',
            exp_alerts: [
              {
                exp_labels: { ...labels, severity: 'critical' },
                exp_annotations: {
                  summary: 'vLLM KV cache above 95% on llama-7d9f',
                  description: 'KV cache usage is 97%; requests are being preempted and recomputed. Scale out now, or lower maxNumSeqs.',
                },
              },
            ],
          },
          { eval_time: '18m', alertname: 'VllmKvCacheUsageHigh', exp_alerts: [high('97%')] },
        ],
      },
    ]);
    expect(output).toMatch(/SUCCESS/);
  });

  test('promtool test rules: preemptions alert when the counter increases', () => {
    const { objects } = renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama' });
    const output = promtoolTestRules(ruleGroups(objects), [
      {
        interval: '1m',
        input_series: [{ series: 'vllm:num_preemptions_total{namespace="inference",job="llama",pod="p",model_name="llama"}', values: '0x10 0+3x20' }],
        alert_rule_test: [
          { eval_time: '9m', alertname: 'VllmPreemptions', exp_alerts: [] },
          {
            eval_time: '20m',
            alertname: 'VllmPreemptions',
            exp_alerts: [
              {
                exp_labels: { namespace: 'inference', pod: 'p', model_name: 'llama', severity: 'warning' },
                exp_annotations: {
                  summary: 'vLLM is preempting requests on p',
                  description: '27 preemptions in 10 minutes: each one recomputes a request from scratch and spikes TTFT. The GPU memory is over-committed.',
                },
              },
            ],
          },
        ],
      },
    ]);
    expect(output).toMatch(/SUCCESS/);
  });

  test('promtool test rules: a multi-node group recreated again and again fires VllmGroupRecreated; restarts of its worker pods are its own', () => {
    const { objects } = renderVllmService({ name: 'llama-405b', namespace: 'inference', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8, pipelineParallelSize: 2 });
    // Each recreation of the group is a new leader pod of the same name with a new uid (kube-state-metrics' kube_pod_created).
    const incarnation = (uid: string, values: string) => ({ series: `kube_pod_created{namespace="inference",pod="llama-405b-lws-0",uid="${uid}"}`, values });
    const worker = 'llama-405b-lws-0-1';
    const output = promtoolTestRules(ruleGroups(objects), [
      {
        interval: '1m',
        input_series: [
          incarnation('a', '1x4'), incarnation('b', '_x4 2x4'), incarnation('c', '_x9 3x4'), incarnation('d', '_x14 4x4'),
          // Another set's leader whose name shares the prefix: not this service's.
          { series: 'kube_pod_created{namespace="inference",pod="llama-405b-lws-0-1",uid="w"}', values: '1x20' },
          { series: `kube_pod_container_status_restarts_total{namespace="inference",pod="${worker}",container="vllm"}`, values: '0 1 2 3 4 5 6 7 8' },
          { series: `kube_pod_owner{namespace="inference",pod="${worker}",owner_kind="StatefulSet",owner_name="llama-405b-lws-0"}`, values: '1x8' },
        ],
        alert_rule_test: [
          { eval_time: '12m', alertname: 'VllmGroupRecreated', exp_alerts: [] },
          {
            eval_time: '16m', alertname: 'VllmGroupRecreated',
            exp_alerts: [{
              exp_labels: { namespace: 'inference', pod: 'llama-405b-lws-0', severity: 'warning' },
              exp_annotations: {
                summary: 'vLLM group of leader llama-405b-lws-0 recreated repeatedly',
                description: "4 incarnations of the leader in 30 minutes: a rank keeps failing and LeaderWorkerSet restarts the whole group. Check every rank's previous logs for NCCL timeouts, CUDA out of memory or an unreachable leader address.",
              },
            }],
          },
          {
            eval_time: '8m', alertname: 'VllmContainerRestarting',
            exp_alerts: [{
              exp_labels: { namespace: 'inference', pod: worker, severity: 'warning' },
              exp_annotations: { summary: `vLLM container restarting on ${worker}`, description: '8 restarts in 30 minutes. Check the previous logs for CUDA out of memory, NCCL errors or probe failures.' },
            }],
          },
        ],
      },
    ]);
    expect(output).toMatch(/SUCCESS/);
  });
});
