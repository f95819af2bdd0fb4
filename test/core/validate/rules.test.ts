import { KubeObject } from '../../../lib/core/kube';
import { findRuleViolations, PRODUCTION_RULES, productionFindings, RULES, validateProductionRules } from '../../../lib/core/validate';

const deployment = (container: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'vllm', namespace: 'ml' },
  spec: { selector: { matchLabels: { app: 'v' } }, template: { metadata: { labels: { app: 'v' } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0', resources: { limits: { 'nvidia.com/gpu': '2' }, requests: { 'nvidia.com/gpu': '2' } }, ...container }], ...extra } }, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } },
});

describe('findRuleViolations', () => {
  test('names the rule of every production message', () => {
    const obj = deployment({
      args: ['--gpu-memory-utilization', '0.99', '--tensor-parallel-size', '2'],
      livenessProbe: { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 600 },
      securityContext: { privileged: true },
    });
    const found = findRuleViolations([obj], { sets: ['production'] });
    expect(found.map((f) => [f.rule, f.resource])).toEqual([
      ['gpu-memory-utilization', 'Deployment/ml/vllm'],
      ['max-model-len', 'Deployment/ml/vllm'],
      ['shm-for-parallelism', 'Deployment/ml/vllm'],
      ['startup-probe', 'Deployment/ml/vllm'],
      ['readiness-probe', 'Deployment/ml/vllm'],
      ['liveness-delay', 'Deployment/ml/vllm'],
      ['no-privilege', 'Deployment/ml/vllm'],
      ['rollout-progress', 'Deployment/ml/vllm'],
    ]);
    expect(found[0].message).toContain('--gpu-memory-utilization 0.99 is outside (0, 0.95]');
  });

  test('schema and semantic findings carry their set; sets select what runs', () => {
    const obj = deployment({ ports: [{ containerPort: '8000' }], volumeMounts: [{ name: 'missing', mountPath: '/x' }] });
    const all = findRuleViolations([obj]);
    expect(all.filter((f) => f.set === 'schema').map((f) => f.resource)).toEqual(['Deployment/ml/vllm']);
    expect(all.filter((f) => f.set === 'semantic').map((f) => f.message)).toEqual([expect.stringContaining('volumeMount "missing" has no volume of that name')]);
    expect(findRuleViolations([obj], { sets: ['schema'] }).every((f) => f.rule === 'schema')).toBe(true);
  });

  test('rule ids are unique and every production rule is selectable', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    expect(RULES.filter((r) => r.set === 'production').map((r) => r.id)).toEqual(Object.keys(PRODUCTION_RULES));
    expect(RULES.find((r) => r.id === 'autoscaler-signal')?.crossObject).toBe(true);
  });

  test('the rule travels with the finding, not through its message text', () => {
    // Two findings whose messages share words: each keeps the rule of the check that made it.
    const obj = deployment({ args: ['--max-model-len', '4096'] }, {});
    (obj.spec as { strategy: unknown }).strategy = { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    const found = productionFindings([obj]);
    expect(found.map((f) => f.rule)).toEqual(['startup-probe', 'readiness-probe', 'gpu-surge']);
    expect(validateProductionRules([obj])).toEqual(found.map((f) => f.message));
  });
});
