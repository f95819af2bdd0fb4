import { etcdDashboardPanels } from '../../lib/core/dashboards/etcd';
import { dashboardExpressions } from '../../lib/core/dashboards/grafana';
import { gpuDashboardPanels } from '../../lib/core/dashboards/gpu';
import { vllmDashboardPanels } from '../../lib/core/dashboards/vllm';
import { renderVllmService } from '../../lib/core/vllm/render';
import { describeWithBinary } from '../helpers/binaries';
import { promtoolCheckRules, promtoolTestRules } from '../helpers/promtool';

/** Grafana interpolates the variables before the query reaches Prometheus: a pool chosen, and `All` (`.*`) for the node. */
const interpolate = (expr: string, vars: Record<string, string> = { pool: 'h100-mig', node: '.*' }) => expr.replace(/\$(pool|node)\b/g, (_, v: string) => vars[v]);

/** Each expression as a recording rule: promtool parses and type-checks it. */
function checkAll(exprs: readonly string[]): void {
  const groups = [{ name: 'gpuplane-dashboard', rules: exprs.map((expr, i) => ({ record: `gpuplane:dashboard_query:${i}`, expr })) }];
  expect(promtoolCheckRules(groups)).toMatch(new RegExp(`SUCCESS: ${exprs.length} rules found`));
}

describeWithBinary('promtool', 'prometheus', 'dashboard queries under promtool', () => {
  test.each(['0.26.0', '0.9.2'])('promtool check rules parses every PromQL expression of the vLLM dashboard (vLLM %s)', (vllmVersion) => {
    const s = renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'meta-llama/Llama-3.1-8B+v2', vllmVersion }).resolved;
    checkAll(dashboardExpressions(vllmDashboardPanels(s)));
  });

  test('promtool check rules parses every PromQL expression of the GPU pools dashboard (with and without pools)', () => {
    const withPools = dashboardExpressions(gpuDashboardPanels({ pools: [{ name: 'h100-mig', kind: 'mig' }, { name: 't4', kind: 'time-slicing' }] })).map((e) => interpolate(e));
    const without = dashboardExpressions(gpuDashboardPanels({ operatorNamespace: 'gpu "operator"' })).map((e) => interpolate(e));
    checkAll([...withPools, ...without]);
  });

  test.each(['kubernetes', 'hosts'] as const)('promtool check rules parses every PromQL expression of the etcd dashboard (%s)', (mode) => {
    checkAll(dashboardExpressions(etcdDashboardPanels({ name: 'etcd-main', mode, version: '3.6.4' })));
  });

  test('the GPU queries read the node from Hostname (exporter <= 4.5.3-4.8.2) and hostname (later), and keep only the chosen pool and node', () => {
    const utilization = gpuDashboardPanels({ pools: [{ name: 'h100-mig', kind: 'mig' }, { name: 't4', kind: 'time-slicing' }] })[0].targets[0].expr;
    const input_series = [
      // An old exporter on n1 (a MIG instance), a new one on n2 (a whole GPU), and a node without kube-state-metrics labels.
      { series: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE{Hostname="n1",gpu="0",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1"}', values: '0.5x5' },
      { series: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE{hostname="n2",gpu="0"}', values: '0.25x5' },
      { series: 'kube_node_labels{node="n1",label_gpuplane_dev_pool="h100-mig"}', values: '1x5' },
      { series: 'kube_node_labels{node="n2",label_gpuplane_dev_pool="t4"}', values: '1x5' },
    ];
    const n1 = { labels: '{node="n1",gpu="0",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1"}', value: 0.5 };
    const n2 = { labels: '{node="n2",gpu="0"}', value: 0.25 };
    const out = promtoolTestRules([], [
      {
        interval: '1m', input_series, promql_expr_test: [
          { expr: interpolate(utilization, { pool: 'h100-mig', node: '.*' }), eval_time: '2m', exp_samples: [n1] },
          { expr: interpolate(utilization, { pool: '.*', node: '.*' }), eval_time: '2m', exp_samples: [n1, n2] },
          { expr: interpolate(utilization, { pool: '.*', node: 'n2' }), eval_time: '2m', exp_samples: [n2] },
        ],
      },
      // Without kube-state-metrics, `All` still shows every GPU.
      { interval: '1m', input_series: input_series.slice(0, 2), promql_expr_test: [{ expr: interpolate(utilization, { pool: '.*', node: '.*' }), eval_time: '2m', exp_samples: [n1, n2] }] },
    ]);
    expect(out).toMatch(/SUCCESS/);
  });
});
