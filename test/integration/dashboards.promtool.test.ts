import { vllmDashboardPanels } from '../../lib/core/dashboards/vllm';
import { renderVllmService } from '../../lib/core/vllm/render';
import { describeWithBinary } from '../helpers/binaries';
import { promtoolCheckRules } from '../helpers/promtool';

describeWithBinary('promtool', 'prometheus', 'vLLM dashboard queries under promtool', () => {
  test.each(['0.26.0', '0.9.2'])('promtool check rules parses every PromQL expression of the dashboard (vLLM %s)', (vllmVersion) => {
    const s = renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'meta-llama/Llama-3.1-8B+v2', vllmVersion }).resolved;
    const exprs = vllmDashboardPanels(s).flatMap((p) => p.targets.map((t) => t.expr));
    // Each expression as a recording rule: promtool parses and type-checks it.
    const groups = [{ name: 'gpuplane-dashboard', rules: exprs.map((expr, i) => ({ record: `gpuplane:dashboard_query:${i}`, expr })) }];
    expect(promtoolCheckRules(groups)).toMatch(new RegExp(`SUCCESS: ${exprs.length} rules found`));
  });
});
