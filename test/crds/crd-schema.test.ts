import { crdFor, validateAgainstCrd } from '../helpers/crd-schema';

/** The CRD validator itself: it must refuse what the API server refuses, or the other tests prove nothing. */

const nodePool = (spec: Record<string, unknown>) => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'p' },
  spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['p5.48xlarge'] }] } }, ...spec },
});

describe('CRD structural-schema validator', () => {
  test('picks the served version of the reference CRDs, GPU Operator ones included', () => {
    expect(crdFor('karpenter.sh/v1', 'NodePool')?.file).toMatch(/karpenter\.sh_nodepools\.yaml$/);
    expect(crdFor('networking.istio.io/v1beta1', 'VirtualService')?.version).toBe('v1beta1');
    expect(crdFor('nvidia.com/v1', 'ClusterPolicy')?.file).toMatch(/gpu-operator\/nvidia\.com_clusterpolicies\.yaml$/);
    expect(crdFor('karpenter.sh/v1beta1', 'NodePool')).toBeUndefined();
    expect(() => validateAgainstCrd({ apiVersion: 'example.com/v1', kind: 'Widget' })).toThrow(/no served CRD version/);
  });

  test('accepts a valid object and applies defaults first (disruption absent -> consolidateAfter 0s)', () => {
    expect(validateAgainstCrd(nodePool({})).errors).toEqual([]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['required', { disruption: { consolidationPolicy: 'WhenEmpty' } }, "spec.disruption: must have required property 'consolidateAfter'"],
    ['enum', { disruption: { consolidationPolicy: 'Always', consolidateAfter: '1m' } }, 'spec.disruption.consolidationPolicy: must be one of ["WhenEmpty","WhenEmptyOrUnderutilized","Balanced"]'],
    ['pattern', { disruption: { consolidateAfter: '1d' } }, 'spec.disruption.consolidateAfter: must match pattern'],
    ['unknown field (pruned)', { disruption: { consolidateAfter: '1m', budget: [] } }, 'spec.disruption.budget: unknown field (the API server prunes it)'],
    ['maximum', { weight: 101 }, 'spec.weight: must be <= 100'],
    ['type', { weight: '5' }, 'spec.weight: must be integer'],
    ['int-or-string refuses other types', { limits: { 'nvidia.com/gpu': true } }, 'spec.limits.nvidia.com/gpu: must be integer'],
  ])('refuses %s', (_name, spec, error) => {
    const errors = validateAgainstCrd(nodePool(spec)).errors.join('\n');
    expect(errors).toContain(error);
  });

  test('int-or-string takes integers and strings; preserve-unknown-fields keeps anything', () => {
    expect(validateAgainstCrd(nodePool({ limits: { 'nvidia.com/gpu': 8, cpu: '100' } })).errors).toEqual([]);
    const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'r' }, spec: { interval: '1h', chart: { spec: { chart: 'c', sourceRef: { kind: 'HelmRepository', name: 'n' } } }, values: { any: { thing: [1, 'x'] } } } };
    expect(validateAgainstCrd(release).errors).toEqual([]);
    expect(validateAgainstCrd({ ...release, spec: { ...release.spec, install: { remediation: { retries: 3, strategy: 'rollback' } } } }).errors).toEqual(['spec.install.remediation.strategy: unknown field (the API server prunes it)']);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['a requirement In without values', { template: { spec: { nodeClassRef: { group: 'g', kind: 'k', name: 'n' }, requirements: [{ key: 'a', operator: 'In', values: [] }] } } }, "requirements with operator 'In' must have a value defined"],
    ['Gte with a non-integer value', { template: { spec: { nodeClassRef: { group: 'g', kind: 'k', name: 'n' }, requirements: [{ key: 'a', operator: 'Gte', values: ['x'] }] } } }, "operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value"],
    ['a restricted label', { template: { metadata: { labels: { 'kubernetes.io/hostname': 'x' } }, spec: { nodeClassRef: { group: 'g', kind: 'k', name: 'n' }, requirements: [] } } }, 'label "kubernetes.io/hostname" is restricted'],
    ['an empty nodeClassRef name', { template: { spec: { nodeClassRef: { group: 'g', kind: 'k', name: '' }, requirements: [] } } }, 'name may not be empty'],
    ['a budget schedule without duration', { disruption: { consolidateAfter: '1m', budgets: [{ nodes: '1', schedule: '@daily' }] } }, "'schedule' must be set with 'duration'"],
  ])('evaluates the CEL rule refusing %s', (_name, spec, error) => {
    expect(validateAgainstCrd(nodePool(spec)).errors.join('\n')).toContain(error);
  });

  test('Gte with an integer value passes the CEL rules; transition rules (oldSelf) are not run on create', () => {
    const { errors, unchecked } = validateAgainstCrd(nodePool({ template: { spec: { nodeClassRef: { group: 'g', kind: 'k', name: 'n' }, requirements: [{ key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gte', values: ['8'] }] } } }));
    expect(errors).toEqual([]);
    expect(unchecked).toEqual([]);
  });
});
