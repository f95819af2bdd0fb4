/**
 * The policy pack's validation functions, called the way the Pulumi engine calls them: the type token and the
 * inputs each resource registers (recorded from real @pulumi/kubernetes resources with Pulumi's unit-test mocks),
 * and a reportViolation spy. No Pulumi CLI runs here, so the engine's side (loading the pack, the provider's check
 * filling auto-names before the analyzer, enforcement levels failing `pulumi preview`) is not exercised.
 */
import type * as pulumiTypes from '@pulumi/pulumi';
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { RecordedResource, recordResources, settle } from '../helpers/pulumi-mocks';

const recorded = recordResources();
// Imported after the mocks, as Pulumi's testing guide requires.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const k8s = require('@pulumi/kubernetes') as typeof import('@pulumi/kubernetes');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { VllmService } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { gpuplanePolicies, POLICY_RULES } = require('../../lib/pulumi/policy') as typeof import('../../lib/pulumi/policy');

type Policy = ResourceValidationPolicy | StackValidationPolicy;

const urnOf = (r: RecordedResource) => `urn:pulumi:test::gpuplane::${r.type}::${r.name}`;

function resourceArgs(r: RecordedResource): ResourceValidationArgs {
  return {
    type: r.type, props: r.inputs, urn: urnOf(r), name: r.name, opts: {} as ResourceValidationArgs['opts'], stackTags: new Map(),
    isType: () => false, asType: () => undefined, getConfig: () => ({}),
  } as unknown as ResourceValidationArgs;
}

/** Runs every policy over the recorded resources; returns `policy urn: message` lines. */
async function runPolicies(policies: Policy[], resources: RecordedResource[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of policies) {
    const report = (urn: string | undefined) => (message: string, reported?: string) => out.push(`${p.name} ${reported ?? urn}: ${message}`);
    if ('validateStack' in p) {
      const stack = { resources: resources.map((r) => ({ type: r.type, props: r.inputs, urn: urnOf(r), name: r.name }) as unknown as PolicyResource), stackTags: new Map(), getConfig: () => ({}) } as unknown as StackValidationArgs;
      await p.validateStack(stack, report(undefined));
      continue;
    }
    const validations = Array.isArray(p.validateResource) ? p.validateResource : p.validateResource ? [p.validateResource] : [];
    for (const r of resources) for (const v of validations) await v(resourceArgs(r), report(urnOf(r)));
  }
  return out;
}

const vllmContainer = (image: string) => ({
  name: 'vllm', image, args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct'],
  ports: [{ name: 'http', containerPort: 8000 }],
  resources: { limits: { cpu: '8', 'nvidia.com/gpu': '1' }, requests: { 'nvidia.com/gpu': '1' } },
});

describe('gpuplane policy pack', () => {
  let bad: RecordedResource[];

  beforeAll(async () => {
    const meta = (name: string) => ({ name, namespace: 'ml' });
    const labels = { app: 'vllm' };
    const resources: pulumiTypes.Resource[] = [
      new k8s.apps.v1.Deployment('vllm', { metadata: meta('vllm'), spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [vllmContainer('vllm/vllm-openai:latest')] } } } }),
      new k8s.autoscaling.v2.HorizontalPodAutoscaler('vllm-hpa', { metadata: meta('vllm-hpa'), spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm' }, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } }),
      new k8s.apiextensions.CustomResource('vllm-keda', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: meta('vllm-keda'), spec: { scaleTargetRef: { name: 'vllm' }, triggers: [{ type: 'memory', metadata: { value: '80' } }] } }),
      new k8s.apiextensions.CustomResource('lws', { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: meta('lws'), spec: { leaderWorkerTemplate: { size: 2, leaderTemplate: { spec: { containers: [vllmContainer('vllm/vllm-openai:v0.11.0')] } }, workerTemplate: { spec: { containers: [{ name: 'worker', image: 'vllm/vllm-openai', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } } } } }),
      new k8s.apps.v1.StatefulSet('etcd', { metadata: meta('etcd'), spec: { replicas: 2, serviceName: 'etcd', selector: { matchLabels: { app: 'etcd' } }, template: { metadata: { labels: { app: 'etcd' } }, spec: { containers: [{ name: 'etcd', image: 'registry.k8s.io/etcd:3.5.21-0', command: ['etcd'] }] } } } }),
      new k8s.batch.v1.Job('download', { metadata: meta('download'), spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'dl', image: 'python:3.12', env: [{ name: 'HF_TOKEN', value: 'hf_abc' }] }] } } } }),
      new k8s.apps.v1.DaemonSet('probe', { metadata: meta('probe'), spec: { selector: { matchLabels: { app: 'probe' } }, template: { metadata: { labels: { app: 'probe' } }, spec: { containers: [{ name: 'p', image: 'nvidia/dcgm:latest', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } } } }),
      new k8s.batch.v1.CronJob('eval', { metadata: meta('eval'), spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'e', image: 'eval', resources: { limits: { 'nvidia.com/gpu': '1' } } }] } } } } } }),
    ];
    await settle(resources);
    bad = [...recorded];
  });

  test('flags the hand-written objects, naming the rule, the resource, the value and the fix, per resource URN', async () => {
    const out = await runPolicies(gpuplanePolicies(), bad);
    const has = (policy: string, urnTail: string, text: string) => expect(out.filter((l) => l.startsWith(`${policy} urn:`) && l.includes(`::${urnTail}: `) && l.includes(text))).not.toEqual([]);
    has('gpuplane-gpu-cpu-limit', 'kubernetes:apps/v1:Deployment::vllm', '[gpu-cpu-limit] Deployment/ml/vllm container vllm: limits.cpu "8" on a GPU container');
    has('gpuplane-pinned-image', 'kubernetes:apps/v1:Deployment::vllm', 'image "vllm/vllm-openai:latest" is not pinned');
    has('gpuplane-max-model-len', 'kubernetes:apps/v1:Deployment::vllm', 'no --max-model-len');
    has('gpuplane-startup-probe', 'kubernetes:apps/v1:Deployment::vllm', 'Add a startupProbe on /health');
    has('gpuplane-gpu-surge', 'kubernetes:apps/v1:Deployment::vllm', 'maxSurge "25%" needs 1 free GPU(s)');
    has('gpuplane-autoscaler-signal', 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler::vllm-hpa', 'scales a vLLM server on cpu');
    has('gpuplane-autoscaler-signal', 'kubernetes:keda.sh/v1alpha1:ScaledObject::vllm-keda', 'scales a vLLM server on memory');
    has('gpuplane-pinned-image', 'kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet::lws', 'LeaderWorkerSet/ml/lws spec.leaderWorkerTemplate.workerTemplate container worker: image "vllm/vllm-openai" is not pinned');
    has('gpuplane-gpu-cpu-limit', 'kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet::lws', 'leaderTemplate container vllm: limits.cpu "8"');
    has('gpuplane-etcd-members', 'kubernetes:apps/v1:StatefulSet::etcd', 'StatefulSet/ml/etcd: 2 etcd member(s)');
    has('gpuplane-hf-token-literal', 'kubernetes:batch/v1:Job::download', 'env HF_TOKEN holds the token in the manifest');
    has('gpuplane-pinned-image', 'kubernetes:apps/v1:DaemonSet::probe', 'image "nvidia/dcgm:latest" is not pinned');
    has('gpuplane-pinned-image', 'kubernetes:batch/v1:CronJob::eval', 'image "eval" is not pinned');
    // Every line comes from a named rule (no message fell through the rule table).
    expect(out.filter((l) => l.includes('[production]'))).toEqual([]);
  });

  test('enforcement per rule: mandatory by default, overrides by rule id, unknown ids refused', () => {
    const policies = gpuplanePolicies({ rules: { 'pinned-image': 'advisory', schema: 'disabled' } });
    const level = (name: string) => policies.find((p) => p.name === name)?.enforcementLevel;
    expect([level('gpuplane-gpu-cpu-limit'), level('gpuplane-pinned-image'), level('gpuplane-schema'), level('gpuplane-helm-chart-children')]).toEqual(['mandatory', 'advisory', 'disabled', 'advisory']);
    expect(policies.map((p) => p.name.replace(/^gpuplane-/, '')).sort()).toEqual([...POLICY_RULES].sort());
    expect(gpuplanePolicies({ enforcementLevel: 'advisory' }).every((p) => p.enforcementLevel === 'advisory')).toBe(true);
    expect(() => gpuplanePolicies({ rules: { 'no-such-rule': 'advisory' } })).toThrow(/'rules\.no-such-rule' is not a rule of the pack \(got "no-such-rule"; allowed: hf-token-literal, /);
  });

  test("gpuplane's own VllmService passes every policy", async () => {
    const before = recorded.length;
    const svc = new VllmService('llama', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', autoscaling: { mode: 'keda' } });
    await settle(Object.values(svc.resources) as pulumiTypes.Resource[]);
    const mine = recorded.slice(before).filter((r) => r.type.startsWith('kubernetes:'));
    expect(mine.map((r) => r.type)).toContain('kubernetes:apps/v1:StatefulSet');
    expect(await runPolicies(gpuplanePolicies({ closedWorld: true }), mine)).toEqual([]);
  });

  test('a Helm chart component: the policy sees only the Chart (pulumi-kubernetes #2057) and asks for the post-renderer', async () => {
    const chart = (name: string, props: Record<string, unknown>): RecordedResource => ({ type: 'kubernetes:helm.sh/v4:Chart', name, inputs: { chart: './vllm', ...props } });
    const out = await runPolicies(gpuplanePolicies(), [chart('plain', {}), chart('checked', { postRenderer: { command: '/app/node_modules/.bin/gpuplane-check', args: ['--post-render'] } })]);
    expect(out).toEqual([
      expect.stringMatching(/^gpuplane-helm-chart-children urn:.*::plain: \[helm-chart-children\] kubernetes:helm\.sh\/v4:Chart "plain": the objects this chart renders are not visible to policies \(pulumi-kubernetes #2057\).*postRenderer: none\)\. Use postRenderer \{ command: /),
    ]);
  });
});
