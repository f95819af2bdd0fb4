import { KubeObject } from '../../../lib/core/kube';
import { findRuleViolations, productionRuleOf, RULES } from '../../../lib/core/validate';

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

  test('rule ids are unique; an unknown message falls back to the set name', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    expect(productionRuleOf('X/y/z: something new')).toBe('production');
  });
});
