import type * as pulumiTypes from '@pulumi/pulumi';
import { recordResources, promiseOf, settle } from '../helpers/pulumi-mocks';
import { renderVllmService } from '../../lib/core/vllm/render';
import { objectId } from '../../lib/core/object-ids';

const recorded = recordResources();
// Imported after the mocks, as Pulumi's testing guide requires.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { VllmService } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

describe('VllmService (Pulumi)', () => {
  const args = { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', autoscaling: { mode: 'keda' as const }, istio: { mode: 'tuned' as const } };
  let svc: InstanceType<typeof VllmService>;

  beforeAll(async () => {
    svc = new VllmService('llama', args);
    await settle(Object.values(svc.resources) as pulumiTypes.Resource[]);
    await promiseOf(svc.urn);
  });

  test('registers the component with its type token', () => {
    expect(recorded.find((r) => r.name === 'llama')?.type).toBe('gpuplane:index:VllmService');
  });

  test('creates one typed resource per object, custom resources for CRDs', () => {
    // Registration is asynchronous; compare as a sorted set.
    const mine = recorded.filter((r) => r.name.startsWith('llama-'));
    expect(mine.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
      'kubernetes:apps/v1:StatefulSet llama-statefulset',
      'kubernetes:core/v1:Service llama-service',
      'kubernetes:policy/v1:PodDisruptionBudget llama-poddisruptionbudget',
      'kubernetes:keda.sh/v1alpha1:ScaledObject llama-scaledobject',
      'kubernetes:monitoring.coreos.com/v1:ServiceMonitor llama-servicemonitor',
      'kubernetes:monitoring.coreos.com/v1:PrometheusRule llama-prometheusrule',
      'kubernetes:networking.k8s.io/v1:NetworkPolicy llama-networkpolicy',
      'kubernetes:networking.istio.io/v1beta1:VirtualService llama-virtualservice',
      'kubernetes:networking.istio.io/v1beta1:DestinationRule llama-destinationrule',
    ].sort());
  });

  test('every child is parented to the component', async () => {
    for (const res of Object.values(svc.resources)) {
      expect(await promiseOf(res.urn)).toMatch(/::gpuplane:index:VllmService\$kubernetes:/);
    }
  });

  test('parity: the resources carry exactly the objects the core renders (and the cdk8s construct synthesizes)', () => {
    const objects = renderVllmService({ ...args, name: 'llama' }).objects;
    const byName = new Map(recorded.map((r) => [r.name, r.inputs]));
    for (const obj of objects) {
      expect(byName.get(`llama-${objectId('llama', obj).toLowerCase()}`)).toEqual(obj);
    }
    expect(recorded.filter((r) => r.name.startsWith('llama-'))).toHaveLength(objects.length);
  });

  test('parity for a multi-node service: the LeaderWorkerSet is a CustomResource carrying exactly the core object', async () => {
    const multi = { namespace: 'inference', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8, pipelineParallelSize: 2 };
    const big = new VllmService('llama-405b', multi);
    await settle(Object.values(big.resources) as pulumiTypes.Resource[]);
    const objects = renderVllmService({ ...multi, name: 'llama-405b' }).objects;
    const lws = recorded.find((r) => r.name === 'llama-405b-leaderworkerset-lws')!;
    expect(lws.type).toBe('kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet');
    expect(lws.inputs).toEqual(objects.find((o) => o.kind === 'LeaderWorkerSet'));
    for (const obj of objects) expect(recorded.find((r) => r.name === `llama-405b-${objectId('llama-405b', obj).toLowerCase()}`)?.inputs).toEqual(obj);
  });

  test('outputs the URL and the estimate', async () => {
    expect(await promiseOf(svc.url)).toBe('http://llama.inference.svc.cluster.local:8000/v1');
    expect(svc.memory.fits).toBe(true);
  });

  test('a created namespace comes first and the rest depend on it', async () => {
    const ns = new VllmService('qwen', { name: 'qwen', namespace: 'chat', createNamespace: true, model: 'qwen3-8b', gpu: 'L40S' });
    await settle(Object.values(ns.resources) as pulumiTypes.Resource[]);
    expect(Object.keys(ns.resources)[0]).toBe('Namespace');
    expect(recorded.find((r) => r.name === 'qwen-namespace')?.type).toBe('kubernetes:core/v1:Namespace');
  });

  test('fails if the options are refused, before any resource is created', () => {
    const before = recorded.length;
    expect(() => new VllmService('bad', { model: 'llama-3.1-70b', gpu: 'T4' })).toThrow(/VllmService 'bad': 1 problem/);
    expect(recorded.length).toBe(before);
  });
});

describe('VllmService (Pulumi) with Input leaves', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { checkImage, checkNamespace } = require('../../lib/pulumi/vllm-service') as typeof import('../../lib/pulumi/vllm-service');

  test('namespace, image and the token Secret name may be Outputs; they land wherever the plain values would', async () => {
    const svc = new VllmService('team', {
      namespace: pulumi.output('team-a'),
      image: pulumi.output('vllm/vllm-openai:v0.26.0'),
      hfTokenSecret: { name: pulumi.output('hf-token-team-a') },
      model: 'llama-3.1-8b', gpu: 'H100-80GB',
    });
    await settle(Object.values(svc.resources) as pulumiTypes.Resource[]);
    const plain = renderVllmService({ name: 'team', namespace: 'team-a', hfTokenSecret: { name: 'hf-token-team-a' }, model: 'llama-3.1-8b', gpu: 'H100-80GB' }).objects;
    for (const obj of plain) {
      expect(recorded.find((r) => r.name === `team-${objectId('team', obj).toLowerCase()}`)?.inputs).toEqual(obj);
    }
    expect(await promiseOf(svc.url)).toBe('http://team.team-a.svc.cluster.local:8000/v1');
  });

  test('resolved values are checked with the rules the core applies to plain strings', () => {
    expect(() => checkNamespace('Team_A')).toThrow(`'namespace' must be a DNS-1123 label (got "Team_A")`);
    expect(() => checkImage('vllm/vllm-openai:latest')).toThrow(`'image' must be pinned to a release tag or digest`);
    expect(() => checkImage('vllm/vllm-openai:v0.26.0')).not.toThrow();
  });
});
