import { KINDS, kindInfo, podTemplatesOf } from '../../lib/core/kinds';
import { hasSchema, SCHEMA_KINDS, validateProductionRules, validateSemantics } from '../../lib/core/validate';

const vllm = (extra: Record<string, unknown> = {}) => ({ name: 'vllm', image: 'vllm/vllm-openai:v0.26.0', command: ['vllm', 'serve'], args: ['m', '--max-model-len', '8192'], resources: { limits: { 'nvidia.com/gpu': '8' } }, ...extra });

describe('the registry of kinds', () => {
  test('every schema-checked kind and every typed Pulumi class comes from one list', () => {
    expect(SCHEMA_KINDS).toEqual(KINDS.filter((k) => k.schema).map((k) => `${k.apiVersion}/${k.kind}`).sort());
    expect(hasSchema('apps/v1', 'Deployment')).toBe(true);
    expect(kindInfo('apps/v1', 'Deployment')?.pulumi).toEqual(['apps', 'v1', 'Deployment']);
  });

  test('a LeaderWorkerSet is one entry, and the production rules see the pods of both its templates', () => {
    const lws = {
      apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: { name: 'big', namespace: 'inference' },
      spec: { leaderWorkerTemplate: { size: 2, leaderTemplate: { metadata: {}, spec: { containers: [vllm({ resources: { limits: { cpu: '8', 'nvidia.com/gpu': '8' } } })] } }, workerTemplate: { spec: { containers: [vllm({ image: 'vllm/vllm-openai:latest' })] } } } },
    };
    expect(podTemplatesOf(lws).map((t) => t.path)).toEqual(['spec.leaderWorkerTemplate.leaderTemplate', 'spec.leaderWorkerTemplate.workerTemplate']);
    const problems = validateProductionRules([lws as never]);
    expect(problems.join('\n')).toContain('LeaderWorkerSet/inference/big spec.leaderWorkerTemplate.leaderTemplate container vllm: limits.cpu "8" on a GPU container');
    expect(problems.join('\n')).toContain('LeaderWorkerSet/inference/big spec.leaderWorkerTemplate.workerTemplate container vllm: image "vllm/vllm-openai:latest" is not pinned');
    expect(validateSemantics([lws as never], { closedWorld: false })).toEqual([]);
  });
});
