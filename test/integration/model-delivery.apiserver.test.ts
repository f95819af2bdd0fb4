import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { KubeObject } from '../../lib/core/kube';
import { renderVllmService } from '../../lib/core/vllm/render';
import type { VllmServiceOptions } from '../../lib/core/vllm/options';
import { componentPath, describeWithComponents, onPath } from '../helpers/components';
import { ControlPlane } from '../helpers/kube-apiserver';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The model delivery paths against a real kube-apiserver (the release .ci/build-components.sh builds, 1.34 today):
 * server-side dry-run with strict field validation of the StatefulSet with claim templates, the loader Job and the
 * waiting Deployment; and the image volume, which this 1.34 server (ImageVolume gate off by default before 1.35) silently
 * drops with its mount: why gpuplane refuses it below kubernetesVersion 1.35.
 */
const BUILT_IN = new Set(['v1', 'apps/v1', 'batch/v1', 'policy/v1', 'autoscaling/v2', 'networking.k8s.io/v1']);
const base: VllmServiceOptions = { name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' };

describeWithComponents(['kube-apiserver'], 'model delivery on a real kube-apiserver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-delivery-apiserver-'));
  const etcd = componentPath('etcd-3.6') ?? componentPath('etcd-3.5') ?? onPath('etcd');
  let cp: ControlPlane;
  let minor = 0;

  beforeAll(async () => {
    if (!etcd) throw new Error('no etcd binary: install etcd-server (apt-get) or run `bash .ci/build-components.sh`');
    cp = await ControlPlane.start(dir, etcd, componentPath('kube-apiserver')!);
    minor = Number((await cp.request('GET', '/version')).body.minor.replace(/\D/g, ''));
    const ns = await cp.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'inference' } }, { dryRun: false });
    expect(ns.status).toBeLessThan(300);
  }, 180000);

  afterAll(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function dryRun(objects: readonly KubeObject[]): Promise<string[]> {
    const out: string[] = [];
    for (const o of objects.filter((x) => BUILT_IN.has(x.apiVersion))) {
      const r = await cp.apply(o as any, { dryRun: true });
      if (r.status >= 300) out.push(`${o.kind}/${o.metadata.name}: ${r.status} ${r.body?.message}`);
    }
    return out;
  }

  test.each([
    ['per-replica claims (StatefulSet)', {}],
    ['the loader Job and the waiting Deployment', { model: 'llama-3.3-70b', tensorParallelSize: 4, modelRevision: '6f6073b423013f6a7d4d9f39144961bfbfbc386b', modelCache: { accessMode: 'ReadWriteMany' } }],
    ['an existing claim, offline', { downloadModel: false, modelCache: { accessMode: 'ReadWriteMany', existingClaimName: 'models' } }],
  ] as const)('%s: every built-in object passes strict server-side dry-run', async (_name, o) => {
    const { objects } = renderVllmService({ ...base, ...(o as Partial<VllmServiceOptions>) });
    expect(await dryRun(objects)).toEqual([]);
  });

  test('below 1.35 the server silently drops the image volume and its mount (the ImageVolume gate is off by default)', async () => {
    const reference = `registry.example.com/models/llama@sha256:${'a'.repeat(64)}`;
    const { objects } = renderVllmService({ ...base, kubernetesVersion: '1.35', modelCache: { image: { reference } } });
    const deployment = objects.find((x) => x.kind === 'Deployment')! as any;
    const r = await cp.apply(deployment, { dryRun: true });
    if (minor >= 35) {
      expect(r.status).toBeLessThan(300);
    } else {
      // Accepted, but the disabled gate drops the image volume and its mount from the template: the pods would start
      // with nothing at /models. This is the failure the kubernetesVersion gate refuses at synth.
      expect(r.status).toBeLessThan(300);
      const pod = r.body.spec.template.spec;
      expect((pod.volumes ?? []).map((v: any) => v.name)).not.toContain('model-image');
      expect((pod.containers[0].volumeMounts ?? []).map((m: any) => m.name)).not.toContain('model-image');
      expect(deployment.spec.template.spec.volumes.map((v: any) => v.name)).toContain('model-image');
    }
  });
});
