import { GpuplaneValidationError } from '../../../lib/core/errors';
import { renderVllmDashboard, vllmDashboardPanels } from '../../../lib/core/dashboards/vllm';
import { renderVllmService } from '../../../lib/core/vllm/render';

/** vLLM 0.26's metric names (FACTS.md "Metric names (current)", and `vllm:request_success_total`). */
const VLLM_026 = new Set([
  'vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc', 'vllm:num_preemptions_total', 'vllm:time_to_first_token_seconds',
  'vllm:inter_token_latency_seconds', 'vllm:request_queue_time_seconds', 'vllm:prompt_tokens_total', 'vllm:generation_tokens_total',
  'vllm:prefix_cache_queries_total', 'vllm:prefix_cache_hits_total', 'vllm:request_success_total',
]);
/** Removed or hidden by 0.26 (FACTS.md): a dashboard on these shows nothing. */
const GONE = ['vllm:gpu_cache_usage_perc', 'vllm:gpu_prefix_cache_queries', 'vllm:gpu_prefix_cache_hits', 'vllm:time_per_output_token_seconds'];

const llama = renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama' }).resolved;

const metricsOf = (expr: string) => [...expr.matchAll(/vllm:[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ''));

describe('vLLM Grafana dashboard', () => {
  const { dashboard, objects } = renderVllmDashboard({ service: llama });
  const panels = vllmDashboardPanels(llama);

  test('a ConfigMap labelled for the kube-prometheus-stack sidecar, holding the dashboard JSON', () => {
    expect(objects).toHaveLength(1);
    const cm = objects[0] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(cm.kind).toBe('ConfigMap');
    expect(cm.metadata).toMatchObject({ name: 'llama-grafana-dashboard', namespace: 'inference', labels: { grafana_dashboard: '1' } });
    expect(JSON.parse(cm.data['llama.json'])).toEqual(dashboard);
    expect(renderVllmDashboard({ service: llama, namespace: 'monitoring', folder: 'Inference' }).objects[0].metadata).toMatchObject({ namespace: 'monitoring', annotations: { grafana_folder: 'Inference' } });
  });

  test('the panels the issue asks for, each per model', () => {
    expect(panels.map((p) => p.title)).toEqual([
      'Requests per second (finished)', 'Time to first token', 'Inter-token latency', 'KV cache usage per pod', 'Requests waiting and running', 'Queue time',
      'Preemptions per second', 'Prefix cache hit rate', 'Tokens per second',
    ]);
    expect(panels.find((p) => p.title === 'Time to first token')!.targets.map((t) => t.legendFormat)).toEqual(['p50 {{model_name}}', 'p90 {{model_name}}', 'p99 {{model_name}}']);
    for (const p of panels) for (const t of p.targets) expect(t.expr).toContain('namespace="inference",model_name="llama"');
    expect((dashboard.panels as unknown[]).length).toBe(panels.length);
  });

  test('every query uses only metric names vLLM 0.26 exports', () => {
    const used = new Set(panels.flatMap((p) => p.targets.flatMap((t) => metricsOf(t.expr))));
    expect([...used].filter((m) => !VLLM_026.has(m))).toEqual([]);
    for (const m of GONE) expect([...used]).not.toContain(m);
  });

  test('older vLLM gets the names it exported (KV cache and inter-token latency)', () => {
    const old = vllmDashboardPanels({ ...llama, vllmVersion: '0.9.2' }).flatMap((p) => p.targets.map((t) => t.expr)).join('\n');
    expect(old).toContain('vllm:gpu_cache_usage_perc');
    expect(old).toContain('vllm:time_per_output_token_seconds_bucket');
  });

  test('refusals', () => {
    expect(() => renderVllmDashboard({ service: { ...llama, namespace: 'Bad_NS' } })).toThrow(GpuplaneValidationError);
    expect(() => renderVllmDashboard({ service: llama, folders: 'x' } as never)).toThrow("'folders'");
  });
});
