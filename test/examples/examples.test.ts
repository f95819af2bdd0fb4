import type * as pulumiTypes from '@pulumi/pulumi';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, sep } from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { KubeObject } from '../../lib/core/kube';
import { objectId } from '../../lib/core/object-ids';
import { validateObjects } from '../../lib/core/validate';
import { promiseOf, recordResources, settle } from '../helpers/pulumi-mocks';
import { find, findWorkload, flag, vllmContainer } from '../helpers/find';
import { validateAgainstCrd } from '../helpers/crd-schema';

const recorded = recordResources();
/* eslint-disable @typescript-eslint/no-var-requires */
const { buildApp } = require('../../examples/main') as typeof import('../../examples/main');
const { sideFilesOf } = require('../../lib') as typeof import('../../lib');
const { EXAMPLE_SERVICES } = require('../../examples/services') as typeof import('../../examples/services');
const { EXAMPLE_POOLS, EXAMPLE_POOL_SERVICES, EXAMPLE_OPERATORS } = require('../../examples/gpu-pools') as typeof import('../../examples/gpu-pools');
const { EXAMPLE_ETCD } = require('../../examples/etcd') as typeof import('../../examples/etcd');
const { EXAMPLE_FLEETS } = require('../../examples/fleet') as typeof import('../../examples/fleet');
const { EXAMPLE_GATEWAY, EXAMPLE_GATEWAY_CHART, EXAMPLE_GATEWAY_SERVICES } = require('../../examples/gateway') as typeof import('../../examples/gateway');
const { EXAMPLE_DRA_CHART, EXAMPLE_KUEUE_CHART } = require('../../examples/dra-kueue') as typeof import('../../examples/dra-kueue');
const ALL_CHARTS = [...Object.keys(EXAMPLE_SERVICES), ...Object.keys(EXAMPLE_POOLS), ...Object.keys(EXAMPLE_OPERATORS), ...Object.keys(EXAMPLE_ETCD), ...Object.keys(EXAMPLE_FLEETS), EXAMPLE_GATEWAY_CHART, EXAMPLE_DRA_CHART, EXAMPLE_KUEUE_CHART].sort();
const HOSTS_ONLY = new Set(['etcd-hosts']); // hosts-mode etcd renders files, not manifests

/** Synthesizes the cdk8s app into a temporary folder and reads the manifests back, per chart. */
const outdir = mkdtempSync(join(tmpdir(), 'gpuplane-examples-'));
let sideFiles: string[] = [];

function synthExamples(): Record<string, KubeObject[]> {
  const app = buildApp(outdir);
  app.synth(); // writes the side files too
  sideFiles = sideFilesOf(app).map((f) => join(outdir, f.path));
  for (const f of sideFiles) expect(existsSync(f)).toBe(true);
  const out: Record<string, KubeObject[]> = {};
  for (const file of readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort()) {
    out[file.replace(/\.k8s\.yaml$/, '')] = parseAllDocuments(readFileSync(join(outdir, file), 'utf8')).map((d) => d.toJSON() as KubeObject).filter((o) => o !== null);
  }
  return out;
}

describe('examples', () => {
  const charts = synthExamples();

  test('one manifest file per example', () => {
    expect(Object.keys(charts)).toEqual(ALL_CHARTS);
  });

  test.each(ALL_CHARTS.filter((k) => !HOSTS_ONLY.has(k)).map((k) => [k]))('%s: every object validates against its schema, the semantic checks and the production rules', (name) => {
    expect(charts[name].length).toBeGreaterThan(3);
    expect(validateObjects(charts[name])).toEqual([]);
  });

  test('h100-mig: a Karpenter pool of 3g.40gb x2 per GPU serving two 8B models from MIG slices', () => {
    const objs = charts['h100-mig'];
    expect(find(objs, 'NodePool').spec.template.metadata.labels['nvidia.com/mig.config']).toBe('h100-mig');
    const deployments = objs.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet').map((d) => vllmContainer(d));
    expect(deployments).toHaveLength(2);
    for (const c of deployments) {
      expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
      expect(flag(c.args, '--gpu-memory-utilization')).toBe('0.75');
    }
  });

  test('gpu-fleet: the planned pools, the services on their slices, the operator collecting the pools, and the SVG', () => {
    const objs = charts['gpu-fleet'];
    const deployments = objs.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
    const replicas = Object.fromEntries(deployments.map((d) => [d.metadata.name, (d as Record<string, any>).spec.replicas])); // eslint-disable-line @typescript-eslint/no-explicit-any
    // chat x6 (split over MIG profiles and GPUs), reasoning x1, code x2; embeddings are a memory need, no service.
    expect(Object.entries(replicas).filter(([n]) => n.startsWith('chat')).reduce((s, [, r]) => s + (r as number), 0)).toBe(6);
    expect(Object.keys(replicas).filter((n) => !n.startsWith('chat')).sort()).toEqual(['code', 'reasoning']);
    const configs = objs.filter((o) => o.kind === 'ConfigMap').map((o) => JSON.stringify(o));
    expect(configs.some((c) => c.includes('mig-configs') && c.includes('fleet-h100-80gb-mig'))).toBe(true);
    expect(vllmContainer(findWorkload(objs, 'reasoning')).args).toEqual(expect.arrayContaining(['--tensor-parallel-size', '4']));
    expect(readFileSync(join(outdir, 'gpu-fleet.fleet.svg'), 'utf8')).toMatch(/^<svg/);
  });

  test('gpu-operator-eks: driver and toolkit left to the AMI; every pool collected', () => {
    const objs = charts['gpu-operator-eks'];
    const hr = find(objs, 'HelmRelease');
    expect(hr.spec.values.driver.enabled).toBe(false);
    expect(Object.keys(find(objs, 'ConfigMap', 'gpuplane-device-plugin-configs').data).sort()).toEqual(['a100-hybrid', 'default', 'h100-mig', 't4-shared']);
  });

  test('each operator chart also writes its plain Helm values file, equal to the GitOps values', () => {
    const values = parse(readFileSync(join(outdir, 'gpu-operator-eks.values.yaml'), 'utf8'));
    expect(values).toEqual(find(charts['gpu-operator-eks'], 'HelmRelease').spec.values);
  });

  test('gpu-operator-gke: Argo CD Application with the GKE driver paths and MIG reboot', () => {
    const values = find(charts['gpu-operator-gke'], 'Application').spec.source.helm.valuesObject;
    expect(values.hostPaths.driverInstallDir).toBe('/home/kubernetes/bin/nvidia');
    expect(values.migManager.env).toEqual([{ name: 'WITH_REBOOT', value: 'true' }]);
  });

  test('llama-8b-h100: one H100 per pod, 8192 context', () => {
    const c = vllmContainer(find(charts['llama-8b-h100'], 'StatefulSet'));
    expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
    expect(flag(c.args, '--max-model-len')).toBe('8192');
  });

  test('kueue-llama: the 8B and the 2-node 405B carry the queue-name label; the 405B is a LeaderWorkerSet Kueue admits whole groups of', () => {
    const objs = charts[EXAMPLE_KUEUE_CHART];
    expect(objs.filter((o) => o.metadata.labels?.['kueue.x-k8s.io/queue-name'] === 'inference').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['StatefulSet/llama-8b-queued', 'LeaderWorkerSet/llama-405b-queued-lws']);
    expect((find(objs, 'LeaderWorkerSet') as any).spec.leaderWorkerTemplate.size).toBe(2); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  test('llama-70b-tp4: a 70B at TP=4 served from a pre-filled cache (loader Job + RWX claim, pods offline)', () => {
    const objs = charts['llama-70b-tp4'];
    const d = find(objs, 'Deployment');
    const c = vllmContainer(d);
    expect(flag(c.args, '--tensor-parallel-size')).toBe('4');
    expect(flag(c.args, '--revision')).toBe('6f6073b423013f6a7d4d9f39144961bfbfbc386b');
    expect(c.env).toContainEqual({ name: 'HF_HUB_OFFLINE', value: '1' });
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '16Gi' } });
    expect(d.spec.template.spec.initContainers.map((i: { name: string }) => i.name)).toEqual(['wait-for-model']);
    expect(find(objs, 'PersistentVolumeClaim').spec.accessModes).toEqual(['ReadWriteMany']);
    const job = find(objs, 'Job');
    expect(job.spec.template.spec.containers[0].command.slice(3, 5)).toEqual(['meta-llama/Llama-3.3-70B-Instruct', '6f6073b423013f6a7d4d9f39144961bfbfbc386b']);
    expect(job.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe(find(objs, 'PersistentVolumeClaim').metadata.name);
  });

  test('llama-70b-awq: a quantized 70B on one GPU', () => {
    const c = vllmContainer(find(charts['llama-70b-awq'], 'StatefulSet'));
    expect(flag(c.args, '--quantization')).toBe('awq');
    expect(c.resources.limits['nvidia.com/gpu']).toBe('1');
  });

  test('llama-405b-multinode: a LeaderWorkerSet of 2 x 8 H100 per replica (TP 8, PP 2), valid against the real LWS CRD', () => {
    const objs = charts['llama-405b-multinode'];
    const lws = find(objs, 'LeaderWorkerSet');
    expect(lws.spec.leaderWorkerTemplate.size).toBe(2);
    const leader = lws.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0];
    expect(flag(leader.args, '--tensor-parallel-size')).toBe('8');
    expect(flag(leader.args, '--pipeline-parallel-size')).toBe('2');
    expect(leader.resources.limits['nvidia.com/gpu']).toBe('8');
    expect(find(objs, 'HorizontalPodAutoscaler').spec.scaleTargetRef.kind).toBe('LeaderWorkerSet');
    expect(objs.some((o) => o.kind === 'Deployment')).toBe(false);
    expect(validateAgainstCrd(lws as KubeObject)).toEqual({ errors: [], unchecked: [] });
  });

  test('deepseek-r1-multinode: the MoE model across nodes on InfiniBand, an HCA and IPC_LOCK on every rank', () => {
    const lws = find(charts['deepseek-r1-multinode'], 'LeaderWorkerSet');
    for (const t of [lws.spec.leaderWorkerTemplate.leaderTemplate, lws.spec.leaderWorkerTemplate.workerTemplate]) {
      const c = t.spec.containers[0];
      expect(c.resources.limits['rdma/ib']).toBe('1');
      expect(c.securityContext.capabilities.add).toEqual(['IPC_LOCK']);
      expect(c.env).toContainEqual({ name: 'NCCL_IB_HCA', value: 'mlx5' });
    }
    expect(validateAgainstCrd(lws as KubeObject)).toEqual({ errors: [], unchecked: [] });
  });

  test('qwen-keda-istio: KEDA, Istio tuned, its own namespace with a GPU quota', () => {
    const objs = charts['qwen-keda-istio'];
    expect(objs.map((o) => o.kind)).toEqual(expect.arrayContaining(['Namespace', 'ResourceQuota', 'ScaledObject', 'VirtualService', 'DestinationRule']));
    expect(find(objs, 'PrometheusRule').metadata.labels.release).toBe('kube-prometheus-stack');
  });

  test('etcd: the Kubernetes-hosted cluster with cert-manager TLS, and its kubeadm configuration next to the manifests', () => {
    const objs = charts['etcd-kubernetes'];
    expect(objs.filter((o) => o.apiVersion === 'cert-manager.io/v1').length).toBe(6);
    expect(find(objs, 'StatefulSet').spec.replicas).toBe(3);
    const kubeadm = parse(readFileSync(join(outdir, 'etcd-kubernetes.kubeadm.yaml'), 'utf8'));
    expect(kubeadm.etcd.external.endpoints).toEqual([0, 1, 2].map((i) => `https://etcd-main-${i}.etcd-main-peer.etcd.svc:2379`));
  });

  test('dashboards: the GPU pools dashboard of the EKS stack (its three pools) and the etcd dashboard of the Kubernetes-hosted cluster', () => {
    const gpu = find(charts['gpu-operator-eks'], 'ConfigMap', 'gpu-pools-grafana-dashboard');
    expect(gpu.metadata).toMatchObject({ namespace: 'gpu-operator', labels: { grafana_dashboard: '1' } });
    const gpuJson = JSON.parse(gpu.data['gpu-pools.json']);
    expect(gpuJson.templating.list.find((v: { name: string }) => v.name === 'pool').query).toBe('h100-mig,a100-hybrid,t4-shared');
    const etcd = find(charts['etcd-kubernetes'], 'ConfigMap', 'etcd-main-grafana-dashboard');
    expect(etcd.metadata).toMatchObject({ namespace: 'etcd', labels: { grafana_dashboard: '1' } });
    expect(etcd.data['etcd-main.json']).toContain('job=\\"etcd-main-metrics\\"');
    expect(charts['gpu-operator-gke'].filter((o) => o.metadata.labels?.grafana_dashboard)).toEqual([]);
  });

  test('etcd: the 5-member hosts-mode cluster writes every member file and script', () => {
    expect(charts['etcd-hosts']).toEqual([]);
    const names = sideFiles.map((f) => f.slice(outdir.length + 1));
    for (let i = 1; i <= 5; i++) for (const f of ['etcd.env', 'etcd.service', 'command.txt']) expect(names).toContain(`etcd-hosts/etcd-${i}/${f}`);
    expect(names).toEqual(expect.arrayContaining(['etcd-hosts/etcd-defrag.sh', 'etcd-hosts/etcd-backup.timer', 'etcd-hosts.kubeadm.yaml']));
    expect(readFileSync(join(outdir, 'etcd-hosts', 'etcd-3', 'etcd.env'), 'utf8')).toContain('ETCD_QUOTA_BACKEND_BYTES=4294967296');
  });

  test('the gateway chart: three models and a LoRA adapter behind one Gateway, a 10% canary, a priority, scale to zero', () => {
    const objs = charts[EXAMPLE_GATEWAY_CHART];
    expect(objs.filter((o) => o.kind === 'InferencePool').map((o) => o.metadata.name).sort()).toEqual(['llama-8b', 'llama-8b-canary', 'mistral-7b', 'qwen3-8b']);
    // The adapter routes to the Llama pool, whose picker scores LoRA affinity next to the prefix cache.
    const sql = find(objs, 'HTTPRoute', 'chat-llama-8b-llama-sql');
    expect(sql.spec.rules[0].backendRefs.map((b: { name: string }) => b.name)).toEqual(['llama-8b']);
    expect(sql.spec.rules[0].matches[0].headers).toEqual([{ type: 'Exact', name: 'X-Gateway-Model-Name', value: 'llama-sql' }]);
    const eppConfig = JSON.parse(find(objs, 'ConfigMap', 'llama-8b-epp').data['config.yaml']);
    expect(eppConfig.schedulingProfiles[0].plugins.map((p: { pluginRef: string }) => p.pluginRef)).toEqual(['prefix-cache-scorer', 'kv-cache-utilization-scorer', 'queue-scorer', 'lora-affinity-scorer', 'max-score-picker']);
    expect(findWorkload(objs, 'llama-8b').spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--enable-lora', '--lora-modules', 'llama-sql=/lora/lora-adapters/llama-3.1-8b/sql']));
    // Mistral scales to zero: KEDA wakes it on its picker's queue, which a ServiceMonitor scrapes.
    expect(find(objs, 'ScaledObject', 'mistral-7b').spec.minReplicaCount).toBe(0);
    expect(find(objs, 'ServiceMonitor', 'mistral-7b-epp').spec.selector.matchLabels['app.kubernetes.io/instance']).toBe('mistral-7b-epp');
    const llama = find(objs, 'HTTPRoute', 'chat-llama-8b');
    expect(llama.spec.rules[0].backendRefs.map((b: { name: string; weight: number }) => [b.name, b.weight])).toEqual([['llama-8b', 90], ['llama-8b-canary', 10]]);
    expect(llama.spec.rules[0].matches[0].headers).toEqual([{ type: 'Exact', name: 'X-Gateway-Model-Name', value: 'llama-3.1-8b' }]);
    expect(find(objs, 'InferenceObjective', 'qwen3-8b').spec.priority).toBe(10);
    expect(validateObjects(objs)).toEqual([]);
  });

  test('the Pulumi program builds the same objects (parity with cdk8s)', async () => {
    const program = require('../../examples/pulumi') as typeof import('../../examples/pulumi');
    const all = [
      ...Object.values(program.services).flatMap((s) => Object.values(s.resources)),
      ...Object.values(program.poolServices).flatMap((s) => Object.values(s.resources)),
      ...Object.values(program.pools).flatMap((p) => Object.values(p.resources)),
      ...Object.values(program.operators).flatMap((o) => [...Object.values(o.resources), o.release]),
      ...Object.values(program.etcdClusters).flatMap((e) => Object.values(e.resources)),
      ...[...Object.values(program.gpuDashboards), ...Object.values(program.etcdDashboards)].flatMap((d) => Object.values(d.resources)),
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
    for (const [chart, options] of Object.entries(EXAMPLE_ETCD)) {
      for (const obj of charts[chart]) {
        expect(recorded.find((r) => r.name === `${chart}-${objectId(options.name, obj).toLowerCase()}`)?.inputs).toEqual(obj);
      }
      expect(parse(await promiseOf(program.kubeadmConfigs[chart]))).toEqual(parse(readFileSync(join(outdir, `${chart}.kubeadm.yaml`), 'utf8')));
    }
    // The components' side files are the files the cdk8s app wrote, byte for byte (component names are the chart ids;
    // the Pulumi program has no fleet).
    const pulumiSideFiles = [...Object.values(program.operators), program.draOperator, ...Object.values(program.etcdClusters)].flatMap((c) => c.sideFiles);
    expect(pulumiSideFiles.map((f) => join(outdir, f.path)).sort()).toEqual(sideFiles.filter((f) => !f.includes(`${sep}gpu-fleet.`)).sort());
    for (const f of pulumiSideFiles) expect([f.path, readFileSync(join(outdir, f.path), 'utf8')]).toEqual([f.path, f.content]);
    // The gateway chart: its services under their own component names, the gateway's objects under its own.
    await settle([...Object.values(program.gatewayServices).flatMap((s) => Object.values(s.resources)), ...Object.values(program.gateway.resources)] as pulumiTypes.Resource[]);
    const gatewayObjects = charts[EXAMPLE_GATEWAY_CHART];
    const ofGateway = (o: KubeObject) => o.metadata.labels?.['app.kubernetes.io/part-of'] === EXAMPLE_GATEWAY.name;
    const dashboards = gatewayObjects.filter((o) => o.metadata.labels?.grafana_dashboard === '1');
    expect(dashboards).toHaveLength(Object.keys(EXAMPLE_GATEWAY_SERVICES).length);
    await settle(Object.values(program.dashboards).flatMap((d) => Object.values(d.resources)) as pulumiTypes.Resource[]);
    for (const obj of dashboards) {
      const svc = obj.metadata.labels!['app.kubernetes.io/instance'];
      expect(recorded.find((r) => r.name === `${EXAMPLE_GATEWAY_CHART}-${svc}-dashboard-${objectId(svc, obj).toLowerCase()}`)?.inputs).toEqual(obj);
    }
    for (const obj of gatewayObjects.filter(ofGateway)) {
      expect(recorded.find((r) => r.name === `${EXAMPLE_GATEWAY_CHART}-${objectId(EXAMPLE_GATEWAY.name!, obj).toLowerCase()}`)?.inputs).toEqual(obj);
    }
    for (const options of Object.values(EXAMPLE_GATEWAY_SERVICES)) {
      const mine = gatewayObjects.filter((o) => !ofGateway(o) && !dashboards.includes(o) && (o.metadata.name === options.name || o.metadata.name.startsWith(`${options.name}-`)) && o.metadata.labels?.['app.kubernetes.io/instance'] === options.name);
      expect(mine.length).toBeGreaterThan(3);
      for (const obj of mine) {
        expect(recorded.find((r) => r.name === `${EXAMPLE_GATEWAY_CHART}-${options.name}-${objectId(options.name, obj).toLowerCase()}`)?.inputs).toEqual(obj);
      }
    }
    expect(Object.keys(program.gateway.resources)).toHaveLength(gatewayObjects.filter(ofGateway).length);
    expect(await promiseOf(program.urls['llama-8b-h100'])).toBe('http://llama-8b.inference.svc.cluster.local:8000/v1');
  });
});
