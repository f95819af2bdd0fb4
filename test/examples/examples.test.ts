import type * as pulumiTypes from '@pulumi/pulumi';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../../lib/core/kube';
import { objectId } from '../../lib/core/object-ids';
import { validateObjects } from '../../lib/core/validate';
import { promiseOf, recordResources, settle } from '../helpers/pulumi-mocks';
import { find, flag, vllmContainer } from '../helpers/find';

const recorded = recordResources();
/* eslint-disable @typescript-eslint/no-var-requires */
const { buildApp } = require('../../examples/main') as typeof import('../../examples/main');
const { EXAMPLE_SERVICES } = require('../../examples/services') as typeof import('../../examples/services');
const { EXAMPLE_POOLS, EXAMPLE_POOL_SERVICES, EXAMPLE_OPERATORS } = require('../../examples/gpu-pools') as typeof import('../../examples/gpu-pools');
const ALL_CHARTS = [...Object.keys(EXAMPLE_SERVICES), ...Object.keys(EXAMPLE_POOLS), ...Object.keys(EXAMPLE_OPERATORS)].sort();

/** Synthesizes the cdk8s app into a temporary folder and reads the manifests back, per chart. */
function synthExamples(): Record<string, KubeObject[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'gpuplane-examples-'));
  buildApp(outdir).synth();
  const out: Record<string, KubeObject[]> = {};
  for (const file of readdirSync(outdir).sort()) {
    out[file.replace(/\.k8s\.yaml$/, '')] = parseAllDocuments(readFileSync(join(outdir, file), 'utf8')).map((d) => d.toJSON() as KubeObject);
  }
  return out;
}

describe('examples', () => {
  const charts = synthExamples();

  test('one manifest file per example', () => {
    expect(Object.keys(charts)).toEqual(ALL_CHARTS);
  });

  test.each(ALL_CHARTS.map((k) => [k]))('%s: every object validates against its schema and the semantic checks', (name) => {
    expect(charts[name].length).toBeGreaterThan(3);
    expect(validateObjects(charts[name])).toEqual([]);
  });

  test('h100-mig: a Karpenter pool of 3g.40gb x2 per GPU serving two 8B models from MIG slices', () => {
    const objs = charts['h100-mig'];
    expect(find(objs, 'NodePool').spec.template.metadata.labels['nvidia.com/mig.config']).toBe('h100-mig');
    const deployments = objs.filter((o) => o.kind === 'Deployment').map((d) => vllmContainer(d));
    expect(deployments).toHaveLength(2);
    for (const c of deployments) {
      expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
      expect(flag(c.args, '--gpu-memory-utilization')).toBe('0.75');
    }
  });

  test('gpu-operator-eks: driver and toolkit left to the AMI; every pool collected', () => {
    const objs = charts['gpu-operator-eks'];
    const hr = find(objs, 'HelmRelease');
    expect(hr.spec.values.driver.enabled).toBe(false);
    expect(Object.keys(find(objs, 'ConfigMap', 'gpuplane-device-plugin-configs').data).sort()).toEqual(['a100-hybrid', 'default', 'h100-mig', 't4-shared']);
  });

  test('gpu-operator-gke: Argo CD Application with the GKE driver paths and MIG reboot', () => {
    const values = find(charts['gpu-operator-gke'], 'Application').spec.source.helm.valuesObject;
    expect(values.hostPaths.driverInstallDir).toBe('/home/kubernetes/bin/nvidia');
    expect(values.migManager.env).toEqual([{ name: 'WITH_REBOOT', value: 'true' }]);
  });

  test('llama-8b-h100: one H100 per pod, 8192 context', () => {
    const c = vllmContainer(find(charts['llama-8b-h100'], 'Deployment'));
    expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(flag(c.args, '--max-model-len')).toBe('8192');
  });

  test('llama-70b-tp4: TP=4 with /dev/shm and a shared RWX cache', () => {
    const objs = charts['llama-70b-tp4'];
    const d = find(objs, 'Deployment');
    expect(flag(vllmContainer(d).args, '--tensor-parallel-size')).toBe('4');
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } });
    expect(find(objs, 'PersistentVolumeClaim').spec.accessModes).toEqual(['ReadWriteMany']);
  });

  test('llama-70b-awq: a quantized 70B on one GPU', () => {
    const c = vllmContainer(find(charts['llama-70b-awq'], 'Deployment'));
    expect(flag(c.args, '--quantization')).toBe('awq');
    expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
  });

  test('qwen-keda-istio: KEDA, Istio tuned, its own namespace with a GPU quota', () => {
    const objs = charts['qwen-keda-istio'];
    expect(objs.map((o) => o.kind)).toEqual(expect.arrayContaining(['Namespace', 'ResourceQuota', 'ScaledObject', 'VirtualService', 'DestinationRule']));
    expect(find(objs, 'PrometheusRule').metadata.labels.release).toBe('kube-prometheus-stack');
  });

  test('the Pulumi program builds the same objects (parity with cdk8s)', async () => {
    const program = require('../../examples/pulumi') as typeof import('../../examples/pulumi');
    const all = [
      ...Object.values(program.services).flatMap((s) => Object.values(s.resources)),
      ...Object.values(program.poolServices).flatMap((s) => Object.values(s.resources)),
      ...Object.values(program.pools).flatMap((p) => Object.values(p.resources)),
      ...Object.values(program.operators).flatMap((o) => [...Object.values(o.resources), o.release]),
    ] as pulumiTypes.Resource[];
    await settle(all);
    for (const [chart, options] of Object.entries(EXAMPLE_SERVICES)) {
      for (const obj of charts[chart]) {
        const logical = `${chart}-${objectId(options.name, obj).toLowerCase()}`;
        expect(recorded.find((r) => r.name === logical)?.inputs).toEqual(obj);
      }
    }
    for (const [chart, options] of Object.entries(EXAMPLE_POOLS)) {
      for (const obj of charts[chart].filter((o) => o.kind === 'NodePool')) {
        expect(recorded.find((r) => r.name === `${chart}-${objectId(options.name, obj).toLowerCase()}`)?.inputs).toEqual(obj);
      }
    }
    for (const s of EXAMPLE_POOL_SERVICES) {
      for (const obj of charts[s.pool].filter((o) => o.metadata.name === s.service.name || o.metadata.name.startsWith(`${s.service.name}-`))) {
        expect(recorded.find((r) => r.name === `${s.service.name}-${objectId(s.service.name, obj).toLowerCase()}`)?.inputs).toEqual(obj);
      }
    }
    for (const chart of Object.keys(EXAMPLE_OPERATORS)) {
      const gitops = new Set(['HelmRepository', 'HelmRelease', 'Application']);
      const release = recorded.find((r) => r.name === `${chart}-release`)!;
      const cdk8sValues = (charts[chart].find((o) => o.kind === 'HelmRelease') as any)?.spec.values ?? (charts[chart].find((o) => o.kind === 'Application') as any).spec.source.helm.valuesObject; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(release.inputs.values).toEqual(cdk8sValues);
      for (const obj of charts[chart].filter((o) => !gitops.has(o.kind))) {
        expect(recorded.find((r) => r.name === `${chart}-${objectId('gpuplane', obj).toLowerCase()}`)?.inputs).toEqual(obj);
      }
    }
    expect(await promiseOf(program.urls['llama-8b-h100'])).toBe('http://llama-8b.inference.svc.cluster.local:8000/v1');
  });
});
