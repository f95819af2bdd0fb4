/* eslint-disable @typescript-eslint/no-explicit-any */
import type * as pulumiTypes from '@pulumi/pulumi';
import { recordResources, settle } from '../helpers/pulumi-mocks';
import { renderGpuOperatorStack } from '../../lib/core/operator/stack';
import { renderKueueQueues } from '../../lib/core/kueue/queues';
import { draGpuClaim } from '../../lib/core/gpu/dra';
import { renderVllmService } from '../../lib/core/vllm/render';
import { objectId } from '../../lib/core/object-ids';

const recorded = recordResources();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { GpuOperatorStack, KueueQueues, VllmService } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

const queues = { clusterQueue: 'gpu-inference', flavors: [{ name: 'h100', gpu: 'H100-80GB', quota: { gpus: 16, cpu: '192', memory: '1536Gi' } }], localQueues: [{ name: 'inference', namespace: 'inference' }] };

describe('DRA and Kueue (Pulumi)', () => {
  test('KueueQueues creates the same objects as the core render, and a queued VllmService carries the label', async () => {
    const q = new KueueQueues('queues', queues);
    const svc = new VllmService('llama', { name: 'llama-70b', namespace: 'inference', model: 'llama-3.1-70b', gpu: 'H100-80GB', tensorParallelSize: 4, queue: q.localQueue('inference') });
    await settle([...Object.values(q.resources), ...Object.values(svc.resources)] as pulumiTypes.Resource[]);
    for (const obj of renderKueueQueues(queues).objects) {
      const r = recorded.find((x) => x.name === `queues-${objectId('gpuplane', obj).toLowerCase()}`)!;
      expect([r.type, r.inputs]).toEqual([`kubernetes:kueue.x-k8s.io/v1beta2:${obj.kind}`, obj]);
    }
    expect(recorded.find((r) => r.name === 'queues')?.type).toBe('gpuplane:index:KueueQueues');
    const deployment = recorded.find((r) => r.type === 'kubernetes:apps/v1:StatefulSet' && (r.inputs as any).metadata.name === 'llama-70b')! as any;
    expect(deployment.inputs.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('inference');
  });

  test('a VllmService on a DRA claim creates a typed resource.k8s.io/v1 ResourceClaimTemplate', async () => {
    const options = { name: 'llama-dra', namespace: 'inference', model: 'llama-3.1-70b', tensorParallelSize: 4, placement: draGpuClaim({ gpu: 'H100-80GB' }) };
    const svc = new VllmService('llama-dra', options);
    await settle(Object.values(svc.resources) as pulumiTypes.Resource[]);
    const expected = renderVllmService(options).objects.find((o) => o.kind === 'ResourceClaimTemplate')!;
    const r = recorded.find((x) => x.type === 'kubernetes:resource.k8s.io/v1:ResourceClaimTemplate')!;
    expect(r.inputs).toEqual(expected);
  });

  test('GpuOperatorStack with draDriver adds the DRA driver chart as a second Release, after the operator', async () => {
    const stack = new GpuOperatorStack('gpu-operator-dra', { draDriver: {} });
    await settle([...Object.values(stack.resources), stack.release, stack.draRelease!] as pulumiTypes.Resource[]);
    const expected = renderGpuOperatorStack({ draDriver: {}, delivery: 'none' });
    const release = recorded.find((r) => r.name === 'gpu-operator-dra-dra-driver')!;
    expect(release.inputs).toMatchObject({ chart: 'oci://registry.k8s.io/dra-driver-nvidia/charts/dra-driver-nvidia-gpu', version: '0.4.1', namespace: 'gpu-operator', values: expected.draHelmRelease!.values });
    expect((recorded.find((r) => r.name === 'gpu-operator-dra-release')!.inputs as any).values.devicePlugin).toEqual({ enabled: false });
  });
});
