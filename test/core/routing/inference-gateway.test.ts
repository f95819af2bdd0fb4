import { GpuplaneValidationError } from '../../../lib/core/errors';
import { KubeObject } from '../../../lib/core/kube';
import type { InferenceGatewayOptions } from '../../../lib/core/routing/options';
import { DEFAULT_EPP_IMAGE, ENGINE_TYPE_LABEL, EPP_PORTS, MODEL_NAME_HEADER, renderInferenceGateway, routerScrapedMetrics } from '../../../lib/core/routing/render';
import { validateSchema } from '../../../lib/core/validate';
import { renderVllmService } from '../../../lib/core/vllm/render';
import { DEFAULT_VLLM_VERSION } from '../../../lib/core/vllm/version';

/** The Gateway's proxy runs in gateway-system: the services' NetworkPolicies must let it in (and the picker, in 'inference'). */
const np = { networkPolicy: { allowedNamespaces: ['inference', 'gateway-system'] } };
const llama = renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', ...np });
const canary = renderVllmService({ name: 'llama-canary', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: llama.resolved.servedModelName, ...np });
const qwen = renderVllmService({ name: 'qwen', namespace: 'inference', model: 'qwen3-8b', gpu: 'H100-80GB', ...np });

const base: InferenceGatewayOptions = {
  name: 'gw',
  gateway: { name: 'inference-gateway', namespace: 'gateway-system', sectionName: 'http' },
  models: [
    { backends: [{ service: llama.resolved, weight: 90 }, { service: canary.resolved, weight: 10 }] },
    { backends: [{ service: qwen.resolved }], priority: 10 },
  ],
};

const find = (objects: readonly KubeObject[], kind: string, name: string): any => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o;
};

function refusal(options: unknown): GpuplaneValidationError {
  try {
    renderInferenceGateway(options as InferenceGatewayOptions);
  } catch (e) {
    if (e instanceof GpuplaneValidationError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('InferenceGateway (core)', () => {
  const { objects, resolved } = renderInferenceGateway(base);

  test('renders per backend a pool and its picker, per model a route', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'InferencePool/llama', 'ServiceAccount/llama-epp', 'Role/llama-epp', 'RoleBinding/llama-epp', 'ConfigMap/llama-epp', 'Deployment/llama-epp', 'Service/llama-epp',
      'InferencePool/llama-canary', 'ServiceAccount/llama-canary-epp', 'Role/llama-canary-epp', 'RoleBinding/llama-canary-epp', 'ConfigMap/llama-canary-epp', 'Deployment/llama-canary-epp', 'Service/llama-canary-epp',
      'InferencePool/qwen', 'ServiceAccount/qwen-epp', 'Role/qwen-epp', 'RoleBinding/qwen-epp', 'ConfigMap/qwen-epp', 'Deployment/qwen-epp', 'Service/qwen-epp', 'InferenceObjective/qwen',
      'HTTPRoute/gw-llama', 'HTTPRoute/gw-qwen',
    ]);
    for (const o of objects) expect(validateSchema(o)).toEqual([]);
  });

  test("the pool selects the service's pods on its port and points at its picker", () => {
    const pool = find(objects, 'InferencePool', 'llama');
    const pods = find(llama.objects, 'StatefulSet', 'llama').spec.template.metadata.labels;
    for (const [k, v] of Object.entries(pool.spec.selector.matchLabels)) expect(pods[k]).toBe(v);
    expect(pool.spec.targetPorts).toEqual([{ number: llama.resolved.engine.port }]);
    expect(pool.spec.endpointPickerRef).toEqual({ group: '', kind: 'Service', name: 'llama-epp', port: { number: 9002 }, failureMode: 'FailClose' });
    // The picker selects the VllmService's pods only: not the picker's own.
    const epp = find(objects, 'Deployment', 'llama-epp').spec.template.metadata.labels;
    expect(Object.entries(pool.spec.selector.matchLabels).every(([k, v]) => epp[k] === v)).toBe(false);
  });

  test('the picker: pinned llm-d router image, its flags, ports, gRPC probes, resources', () => {
    const d = find(objects, 'Deployment', 'llama-epp');
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0');
    expect(DEFAULT_EPP_IMAGE).toBe(c.image);
    expect(c.args).toEqual(['--pool-name', 'llama', '--pool-namespace', 'inference', '--pool-group', 'inference.networking.k8s.io', '--zap-encoder', 'json', '--config-file', '/config/config.yaml', '--grpc-health-port', '9003', '--tracing=false', '--metrics-endpoint-auth=false']);
    expect(c.ports.map((p: { containerPort: number }) => p.containerPort)).toEqual([EPP_PORTS.extProc, EPP_PORTS.health, EPP_PORTS.metrics]);
    expect(c.readinessProbe).toEqual({ grpc: { port: 9003, service: 'inference-extension' }, periodSeconds: 2 });
    expect(c.livenessProbe.grpc).toEqual({ port: 9003, service: 'inference-extension' });
    expect(c.resources).toEqual({ requests: { cpu: '4', memory: '8Gi' }, limits: { memory: '16Gi' } });
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.template.spec.serviceAccountName).toBe('llama-epp');
    const svc = find(objects, 'Service', 'llama-epp');
    expect(svc.spec.ports.map((p: { port: number }) => p.port)).toEqual([9002, 9003, 9090]);
    expect(svc.spec.selector).toEqual(d.spec.selector.matchLabels);
  });

  test('RBAC: the picker reads pods, InferencePools and llm-d InferenceObjectives of its namespace', () => {
    const role = find(objects, 'Role', 'llama-epp');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['inference.networking.k8s.io'], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: ['llm-d.ai'], resources: ['inferenceobjectives', 'inferencemodelrewrites'], verbs: ['get', 'watch', 'list'] },
    ]);
    expect(find(objects, 'RoleBinding', 'llama-epp').subjects).toEqual([{ kind: 'ServiceAccount', name: 'llama-epp', namespace: 'inference' }]);
  });

  test('the scheduling config: prefix-cache (approx producer), KV-cache and queue scorers, max-score picker, TTL of the cold start', () => {
    const config = JSON.parse(find(objects, 'ConfigMap', 'llama-epp').data['config.yaml']);
    expect(config.apiVersion).toBe('llm-d.ai/v1alpha1');
    expect(config.kind).toBe('EndpointPickerConfig');
    expect(config.plugins.map((p: { type: string }) => p.type)).toEqual(['approx-prefix-cache-producer', 'prefix-cache-scorer', 'kv-cache-utilization-scorer', 'queue-scorer', 'max-score-picker']);
    expect(config.schedulingProfiles[0].plugins).toEqual([
      { pluginRef: 'prefix-cache-scorer', weight: 3 }, { pluginRef: 'kv-cache-utilization-scorer', weight: 2 }, { pluginRef: 'queue-scorer', weight: 2 }, { pluginRef: 'max-score-picker' },
    ]);
    expect(config.featureGates).toEqual(['flowControl']);
    expect(config.flowControl).toEqual({ defaultRequestTTL: `${llama.resolved.startupBudgetSeconds}s` });
    // Only the fields EndpointPickerConfig knows (it rejects unknown ones).
    expect(Object.keys(config).sort()).toEqual(['apiVersion', 'featureGates', 'flowControl', 'kind', 'plugins', 'schedulingProfiles']);
  });

  test('routes: by the model-name header, a weighted canary, a timeout of the cold start plus generation', () => {
    const route = find(objects, 'HTTPRoute', 'gw-llama');
    expect(route.metadata.namespace).toBe('inference');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'inference-gateway', namespace: 'gateway-system', sectionName: 'http' }]);
    const rule = route.spec.rules[0];
    expect(rule.matches).toEqual([{ path: { type: 'PathPrefix', value: '/' }, headers: [{ type: 'Exact', name: MODEL_NAME_HEADER, value: llama.resolved.servedModelName }] }]);
    expect(rule.backendRefs).toEqual([
      { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama', weight: 90 },
      { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama-canary', weight: 10 },
    ]);
    expect(rule.timeouts).toEqual({ request: `${llama.resolved.startupBudgetSeconds + 300}s` });
    expect(resolved.models[0].routeTimeoutSeconds).toBe(llama.resolved.startupBudgetSeconds + 300);
  });

  test('one model: no header match (no body-based router needed)', () => {
    const one = renderInferenceGateway({ ...base, models: [base.models[1]] }).objects;
    expect(find(one, 'HTTPRoute', 'gw-qwen').spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/' } }]);
  });

  test('priority: an InferenceObjective in llm-d.ai/v1alpha2 on the pool', () => {
    expect(find(objects, 'InferenceObjective', 'qwen').spec).toEqual({ poolRef: { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'qwen' }, priority: 10 });
    expect(objects.filter((o) => o.kind === 'InferenceObjective')).toHaveLength(1);
  });

  test('the vLLM metrics the router scrapes exist in vLLM 0.26 (FACTS.md: current metric names)', () => {
    // vLLM 0.26's names (FACTS.md "Metric names (current)", plus the info gauges the picker reads for LoRA and the cache).
    const vllm026 = new Set([
      'vllm:num_requests_running', 'vllm:num_requests_waiting', 'vllm:kv_cache_usage_perc', 'vllm:num_preemptions_total', 'vllm:time_to_first_token_seconds',
      'vllm:inter_token_latency_seconds', 'vllm:request_queue_time_seconds', 'vllm:prompt_tokens_total', 'vllm:generation_tokens_total',
      'vllm:prefix_cache_queries_total', 'vllm:prefix_cache_hits_total', 'vllm:lora_requests_info', 'vllm:cache_config_info',
    ]);
    expect(DEFAULT_VLLM_VERSION).toBe('0.26.0');
    const scraped = routerScrapedMetrics(llama.resolved.vllmVersion);
    expect(scraped.filter((m) => !vllm026.has(m))).toEqual([]);
    expect(scraped).not.toContain('vllm:gpu_cache_usage_perc');
  });

  test("pods need no llm-d.ai/engine-type label: the picker's default is vllm", () => {
    const pods = find(llama.objects, 'StatefulSet', 'llama').spec.template.metadata.labels;
    expect(pods[ENGINE_TYPE_LABEL]).toBeUndefined();
  });

  describe('refusals', () => {
    test("a NetworkPolicy that keeps out the Gateway's proxy or the picker", () => {
      const closed = renderVllmService({ name: 'closed', namespace: 'inference', model: 'qwen3-8b', gpu: 'H100-80GB' }).resolved;
      const e = refusal({ ...base, models: [{ backends: [{ service: closed }] }] });
      expect(e.message).toContain("'gateway.namespace' must be allowed by the NetworkPolicy of 'closed' (its proxy sends the requests to the pods) (got \"gateway-system\"; allowed: inference). Fix: set networkPolicy.allowedNamespaces on 'closed' to ['inference', 'gateway-system']");
      const noPicker = renderVllmService({ name: 'nopicker', namespace: 'inference', model: 'qwen3-8b', gpu: 'H100-80GB', networkPolicy: { allowedNamespaces: ['gateway-system'] } }).resolved;
      expect(refusal({ ...base, models: [{ backends: [{ service: noPicker }] }] }).message).toContain("must let its endpoint picker ('nopicker-epp', namespace 'inference') scrape the serving port through its NetworkPolicy");
      const off = renderVllmService({ name: 'open', namespace: 'inference', model: 'qwen3-8b', gpu: 'H100-80GB', networkPolicy: false }).resolved;
      expect(renderInferenceGateway({ ...base, models: [{ backends: [{ service: off }] }] }).objects.length).toBeGreaterThan(0);
      // A Gateway in the services' namespace passes the default policy.
      expect(renderInferenceGateway({ ...base, gateway: { name: 'gw' }, models: [{ backends: [{ service: closed }] }] }).objects.length).toBeGreaterThan(0);
    });

    test('a router request TTL shorter than the cold start', () => {
      const e = refusal({ ...base, router: { requestTtlSeconds: 60 } });
      const budget = llama.resolved.startupBudgetSeconds;
      expect(e.message).toContain(`'router.requestTtlSeconds' must cover the cold start of 'llama' (startupBudgetSeconds ${budget}): a request queued while a pod loads would be dropped with 429 after 60s (got 60; allowed: >= ${budget})`);
    });

    test('a route timeout shorter than the router TTL plus generation', () => {
      const budget = llama.resolved.startupBudgetSeconds;
      const e = refusal({ ...base, routeTimeoutSeconds: 300 });
      expect(e.message).toContain(`'routeTimeoutSeconds' must cover the router's queue wait for 'meta-llama/Llama-3.1-8B-Instruct' (request TTL ${budget}s, at least the cold start of ${budget}s) plus generation (300s)`);
      expect(e.message).toContain(`allowed: >= ${budget + 300}`);
    });

    test('a canary that serves another model name, in another namespace', () => {
      const other = renderVllmService({ name: 'other', namespace: 'elsewhere', model: 'llama-3.1-8b', gpu: 'H100-80GB', servedModelName: 'llama-next' });
      const e = refusal({ ...base, models: [{ backends: [{ service: llama.resolved }, { service: other.resolved }] }] });
      expect(e.message).toContain("must serve the model name the route matches ('meta-llama/Llama-3.1-8B-Instruct'), as its served model or one of its LoRA adapters: vLLM answers 404 to any other (got \"other serves 'llama-next'\"");
      expect(e.message).toContain("must be in the model's namespace");
    });

    test('an unpinned picker image, a duplicate model, a third backend, unknown keys', () => {
      expect(refusal({ ...base, router: { image: 'ghcr.io/llm-d/llm-d-router-endpoint-picker:latest' } }).message).toContain("'router.image' must be pinned");
      expect(refusal({ ...base, models: [base.models[1], { backends: [{ service: qwen.resolved }] }] }).message).toContain('must be unique');
      expect(refusal({ ...base, models: [{ backends: [{ service: llama.resolved }, { service: canary.resolved }, { service: qwen.resolved }] }] }).problems[0].field).toBe('models[0].backends');
      expect(refusal({ ...base, routeTimeout: 900 }).problems[0].field).toBe('routeTimeout');
      expect(refusal({ ...base, models: [{ backends: [{ service: { name: 'x' } }] }] }).problems[0].field).toBe('models[0].backends[0].service');
    });
  });
});
