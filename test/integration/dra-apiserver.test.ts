import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { draGpuClaim } from '../../lib/core/gpu/dra';
import { renderVllmService } from '../../lib/core/vllm/render';
import { componentPath, describeWithComponents, onPath } from '../helpers/components';
import { ControlPlane } from '../helpers/kube-apiserver';

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The ResourceClaimTemplate gpuplane renders, checked by a real kube-apiserver v1.34 (resource.k8s.io/v1 is served by
 * default from 1.34): server-side dry-run with fieldValidation=Strict, which runs strict decoding, the API server's
 * DRA validation and the compilation of every CEL selector. The v1beta1-shaped request is shown to be rejected.
 */
describeWithComponents(['kube-apiserver'], 'ResourceClaimTemplate on a real kube-apiserver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-dra-apiserver-'));
  const etcd = componentPath('etcd-3.6') ?? componentPath('etcd-3.5') ?? onPath('etcd');
  let cp: ControlPlane;
  const objects = renderVllmService({ name: 'llama-70b', namespace: 'inference', model: 'llama-3.1-70b', tensorParallelSize: 4, placement: draGpuClaim({ gpu: 'H100-80GB' }) }).objects;
  const template = () => JSON.parse(JSON.stringify(objects.find((o) => o.kind === 'ResourceClaimTemplate')));
  /** A dry-run create with strict field validation: what `kubectl create --dry-run=server` does. */
  const dryRun = async (o: any) => cp.request('POST', `${await cp.objectPath(o.apiVersion, o.kind, o.metadata.namespace)}?dryRun=All&fieldValidation=Strict&fieldManager=gpuplane`, o);

  beforeAll(async () => {
    if (!etcd) throw new Error('no etcd binary: install etcd-server (apt-get) or run `bash .ci/build-components.sh`');
    cp = await ControlPlane.start(dir, etcd, componentPath('kube-apiserver')!);
    const ns = await cp.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'inference' } } as any, { dryRun: false });
    expect(ns.status).toBeLessThan(300);
  }, 180000);

  afterAll(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the rendered claim template and the Deployment that references it are accepted as they are', async () => {
    const r = await dryRun(template());
    expect([r.status, r.warnings]).toEqual([201, []]);
    // Nothing gpuplane set is changed or dropped (the server adds an empty template metadata).
    expect(r.body.spec).toEqual({ metadata: {}, ...template().spec });
    const d = await dryRun(objects.find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet'));
    expect([d.status, d.warnings]).toEqual([201, []]);
    expect(d.body.spec.template.spec.resourceClaims).toEqual([{ name: 'gpus', resourceClaimTemplateName: 'llama-70b-gpus' }]);
    expect(d.body.spec.template.spec.containers[0].resources.claims).toEqual([{ name: 'gpus' }]);
  }, 60000);

  test('the MIG claim (mig.nvidia.com, profile selector) is accepted', async () => {
    const mig = renderVllmService({ name: 'llama-8b', namespace: 'inference', model: 'llama-3.1-8b', placement: draGpuClaim({ gpu: 'A100-80GB', mig: { profile: '3g.40gb' } }) }).objects;
    const r = await dryRun(mig.find((o) => o.kind === 'ResourceClaimTemplate'));
    expect([r.status, r.warnings]).toEqual([201, []]);
  }, 60000);

  test('the v1beta1 shape (deviceClassName directly under requests[]) is a strict decoding error in v1', async () => {
    const o = template();
    const req = o.spec.spec.devices.requests[0];
    o.spec.spec.devices.requests[0] = { name: req.name, ...req.exactly };
    const r = await dryRun(o);
    expect(r.status).toBe(400);
    for (const field of ['allocationMode', 'count', 'deviceClassName', 'selectors']) expect(r.body.message).toContain(`unknown field "spec.spec.devices.requests[0].${field}"`);
    expect(r.body.message).toContain('strict decoding error');
  }, 60000);

  test('a CEL selector that does not compile is refused', async () => {
    const o = template();
    o.spec.spec.devices.requests[0].exactly.selectors[1].cel.expression = 'device.capacity["gpu.nvidia.com"].memory >= "79Gi"';
    const r = await dryRun(o);
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('selectors[1].cel.expression');
  }, 60000);
});
