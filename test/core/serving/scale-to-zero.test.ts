import { KubeObject } from '../../../lib/core/kube';
import { disruptionBudgetPolicy } from '../../../lib/core/serving/workload';
import { coldStartSeconds, eppServiceName, KEDA_POLLING_SECONDS, WAKE_DELAY_SECONDS, wakeQuery } from '../../../lib/core/serving/scale-to-zero';
import { renderInferenceGateway } from '../../../lib/core/routing/render';
import { validateProductionRules } from '../../../lib/core/validate/production';
import type { VllmServiceOptions } from '../../../lib/core/vllm/options';
import { renderVllmService } from '../../../lib/core/vllm/render';
import { describeWithBinary } from '../../helpers/binaries';
import { validateAgainstCrd } from '../../helpers/crd-schema';
import { find } from '../../helpers/find';
import { problemsOf } from '../../helpers/problems';
import { promtoolCheckRules, promtoolTestRules } from '../../helpers/promtool';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const base: VllmServiceOptions = {
  name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB',
  autoscaling: { mode: 'keda', minReplicas: 0, maxReplicas: 4 },
  networkPolicy: { allowedNamespaces: ['inference', 'gateway-system'] },
};
const render = (o: Partial<VllmServiceOptions> = {}) => renderVllmService({ ...base, ...o } as VllmServiceOptions);
const refused = (o: Record<string, unknown>) => problemsOf(() => renderVllmService({ ...base, ...o } as unknown as VllmServiceOptions));
const zero = render();
const budget = zero.resolved.startupBudgetSeconds;

describe('scale to zero', () => {
  test('KEDA ScaledObject: minReplicaCount 0, cooldown from the startup budget, a wake-up trigger on the picker', () => {
    const so = find(zero.objects, 'ScaledObject');
    expect(so.spec.minReplicaCount).toBe(0);
    expect(so.spec.maxReplicaCount).toBe(4);
    expect(so.spec.pollingInterval).toBe(KEDA_POLLING_SECONDS);
    expect(so.spec.cooldownPeriod).toBe(Math.max(600, budget));
    expect(so.spec.triggers).toHaveLength(2);
    expect(so.spec.triggers[1]).toEqual({
      type: 'prometheus', name: 'wake-from-zero', metricType: 'AverageValue',
      metadata: {
        serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
        query: '(sum(llm_d_epp_flow_control_queue_size{namespace="inference",job="llama-epp"}) or vector(0)) + (sum(llm_d_epp_request_running{namespace="inference",job="llama-epp"}) or vector(0))',
        threshold: '256', activationThreshold: '0',
      },
    });
    expect(validateAgainstCrd(so as KubeObject).errors).toEqual([]);
  });

  test('a service that does not scale to zero keeps its single trigger and the 600 s cooldown', () => {
    const so = find(render({ autoscaling: { mode: 'keda', minReplicas: 2 } }).objects, 'ScaledObject');
    expect(so.spec.triggers).toHaveLength(1);
    expect(so.spec.cooldownPeriod).toBe(600);
  });

  test('the cold start is printed as a warning with the numbers', () => {
    const w = zero.resolved.warnings.find((x) => x.includes('scales to zero'))!;
    expect(w).toContain(`the first request after ${Math.max(600, budget)} s idle waits for a cold start of up to ${budget + WAKE_DELAY_SECONDS} s`);
    expect(w).toContain(`wake-up ${WAKE_DELAY_SECONDS} s: picker scrape 15 s + KEDA poll 15 s; then the startup budget of ${budget} s for an estimated ${zero.resolved.estimatedLoadSeconds} s to download and load 15.0 GiB of weights`);
    expect(w).toContain('It wakes only on requests through an InferenceGateway');
    // Not the one-replica warning: a service at zero already accepts an outage.
    expect(zero.resolved.warnings.join('\n')).not.toContain('runs at least one replica');
    expect(coldStartSeconds(zero.resolved)).toBe(budget + WAKE_DELAY_SECONDS);
  });

  test('the PDB does not block draining: maxUnavailable 1 at minReplicas 0', () => {
    expect(find(zero.objects, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'vllm', 'app.kubernetes.io/instance': 'llama' } } });
    expect(disruptionBudgetPolicy(0).disruptionsAllowed).toBe(1);
    expect(disruptionBudgetPolicy(1)).toEqual({ spec: { minAvailable: 1 }, disruptionsAllowed: 0 });
  });

  test('the rollout works at zero: no replicas field for the autoscaler to fight, no surge into GPUs that are not there', () => {
    // Up to 8 replicas: one cache claim each (a StatefulSet), kept at zero, so a wake-up reads the weights it has.
    const d = find(zero.objects, 'StatefulSet');
    expect(d.spec.replicas).toBeUndefined();
    expect(d.spec.updateStrategy).toEqual({ type: 'RollingUpdate' });
    expect(d.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  test('no alert is an absent() or up == 0 alert, which would fire while the service sleeps', () => {
    const rules = find(zero.objects, 'PrometheusRule').spec.groups.flatMap((g: Obj) => g.rules);
    for (const r of rules) expect({ alert: r.alert, storm: /absent\(|\bup\b/.test(r.expr) }).toEqual({ alert: r.alert, storm: false });
  });

  test('the render passes the production rules', () => {
    expect(validateProductionRules(zero.objects)).toEqual([]);
  });

  describe('refusals', () => {
    test('fails if minReplicas 0 is asked of the HPA, with the fix', () => {
      expect(refused({ autoscaling: { mode: 'hpa', minReplicas: 0 } })).toContain("'autoscaling.minReplicas' must be at least 1 with mode 'hpa': a HorizontalPodAutoscaler cannot scale to zero without the alpha HPAScaleToZero feature gate, and the API server refuses minReplicas 0 without it (got 0; allowed: >= 1 with 'hpa'; 0 with 'keda'). Fix: set autoscaling.mode: 'keda' to scale to zero");
      expect(refused({ autoscaling: { minReplicas: 0 } })).toContain("'autoscaling.minReplicas' must be at least 1 with mode 'hpa'");
    });

    test('fails if the cooldown is shorter than the cold start', () => {
      expect(refused({ autoscaling: { mode: 'keda', minReplicas: 0, cooldownSeconds: 120 } })).toContain(`'autoscaling.cooldownSeconds' must be at least the startup budget (${budget} s, the cold start of a pod): the service would scale to zero sooner after a request than a pod takes to load, and spend more time loading than serving (got 120; allowed: >= ${budget})`);
    });

    test('fails if a cooldown is set on a service that never reaches zero', () => {
      expect(refused({ autoscaling: { mode: 'keda', minReplicas: 2, cooldownSeconds: 1200 } })).toContain("'autoscaling.cooldownSeconds' does nothing unless the service scales to zero");
    });

    test('fails if minReplicas is negative', () => {
      expect(refused({ autoscaling: { mode: 'keda', minReplicas: -1 } })).toContain("'autoscaling.minReplicas' must be a non-negative integer (got -1");
    });
  });

  describe('behind an InferenceGateway', () => {
    const gw = (router = {}) => renderInferenceGateway({ name: 'gw', gateway: { name: 'inference-gateway', namespace: 'gateway-system' }, models: [{ backends: [{ service: zero.resolved }] }], router });

    test("the router's request TTL and the route timeout cover the wake-up and the startup budget", () => {
      const { objects, resolved } = gw();
      const cold = budget + WAKE_DELAY_SECONDS;
      expect(resolved.models[0].pools[0].requestTtlSeconds).toBe(cold);
      expect(resolved.models[0].routeTimeoutSeconds).toBe(cold + 300);
      expect(JSON.parse(find(objects, 'ConfigMap', 'llama-epp').data['config.yaml']).flowControl).toEqual({ defaultRequestTTL: `${cold}s` });
    });

    test('the picker is scraped, so its queue can wake the service (job = the picker Service the query selects)', () => {
      const { objects } = gw();
      const sm = find(objects, 'ServiceMonitor', eppServiceName('llama'));
      expect(sm.spec.endpoints).toEqual([{ port: 'http-metrics', path: '/metrics', interval: '15s' }]);
      expect(sm.spec.selector.matchLabels).toEqual(find(objects, 'Service', 'llama-epp').spec.selector);
      expect(find(objects, 'Service', 'llama-epp').spec.ports.map((p: Obj) => p.name)).toContain('http-metrics');
      expect(validateAgainstCrd(sm as KubeObject).errors).toEqual([]);
      expect(wakeQuery(zero.resolved)).toContain('job="llama-epp"');
    });

    test('a service that never reaches zero gets no picker ServiceMonitor and its startup budget as TTL', () => {
      const warm = renderVllmService({ ...base, name: 'warm', autoscaling: { mode: 'keda', minReplicas: 2 } });
      const { objects, resolved } = renderInferenceGateway({ name: 'gw', gateway: { name: 'inference-gateway', namespace: 'gateway-system' }, models: [{ backends: [{ service: warm.resolved }] }] });
      expect(objects.filter((o) => o.kind === 'ServiceMonitor')).toEqual([]);
      expect(resolved.models[0].pools[0].requestTtlSeconds).toBe(warm.resolved.startupBudgetSeconds);
    });

    test('fails if the router TTL is shorter than the cold start from zero', () => {
      const cold = budget + WAKE_DELAY_SECONDS;
      expect(problemsOf(() => gw({ requestTtlSeconds: budget }))).toContain(`'router.requestTtlSeconds' must cover the cold start of 'llama' (it scales to zero: wake-up ${WAKE_DELAY_SECONDS}s + startupBudgetSeconds ${budget} = ${cold}s): a request queued while a pod loads would be dropped with 503 after ${budget}s (got ${budget}; allowed: >= ${cold})`);
    });

    test('fails if the route timeout is shorter than the cold start from zero plus generation', () => {
      const cold = budget + WAKE_DELAY_SECONDS;
      expect(problemsOf(() => renderInferenceGateway({ name: 'gw', gateway: { name: 'inference-gateway', namespace: 'gateway-system' }, models: [{ backends: [{ service: zero.resolved }] }], routeTimeoutSeconds: budget + 300 }))).toContain(`'routeTimeoutSeconds' must cover the router's queue wait for 'meta-llama/Llama-3.1-8B-Instruct' (request TTL ${cold}s, at least the cold start of ${cold}s) plus generation (300s)`);
    });
  });

  describeWithBinary('promtool', 'prometheus', 'the wake-up query and the alerts under promtool', () => {
    const groups = find(zero.objects, 'PrometheusRule').spec.groups;
    const query = wakeQuery(zero.resolved);

    test('the wake-up query parses', () => {
      expect(promtoolCheckRules([{ name: 'wake', rules: [{ record: 'gpuplane:wake', expr: query }] }])).toContain('SUCCESS');
    });

    test('it reads 0 with no picker series (no error, no wake), and queued plus in-flight requests otherwise', () => {
      const epp = 'namespace="inference",job="llama-epp"';
      promtoolTestRules(groups, [
        { interval: '1m', input_series: [], promql_expr_test: [{ expr: query, eval_time: '1m', exp_samples: [{ labels: '{}', value: 0 }] }] },
        {
          interval: '1m',
          input_series: [
            { series: `llm_d_epp_flow_control_queue_size{${epp},fairness_id="default",priority="0",inference_pool="llama",model_name="m",target_model_name="m"}`, values: '3x5' },
            { series: `llm_d_epp_request_running{${epp},fairness_id="default",priority="0",model_name="m",target_model_name="m"}`, values: '2x5' },
            // Another service's picker is not counted.
            { series: 'llm_d_epp_flow_control_queue_size{namespace="inference",job="qwen-epp",fairness_id="default",priority="0",inference_pool="qwen",model_name="q",target_model_name="q"}', values: '9x5' },
          ],
          promql_expr_test: [{ expr: query, eval_time: '2m', exp_samples: [{ labels: '{}', value: 5 }] }],
        },
      ]);
    });

    test('no vLLM alert fires while the service sleeps (no pod, no vLLM series, only the picker)', () => {
      const alerts = groups.flatMap((g: Obj) => g.rules.map((r: Obj) => r.alert));
      promtoolTestRules(groups, [{
        interval: '1m',
        input_series: [{ series: 'llm_d_epp_flow_control_queue_size{namespace="inference",job="llama-epp"}', values: '0x60' }],
        alert_rule_test: alerts.map((alertname: string) => ({ eval_time: '60m', alertname, exp_alerts: [] })),
      }]);
    });
  });
});
