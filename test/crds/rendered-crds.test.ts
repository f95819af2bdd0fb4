import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../../lib/core/kube';
import { renderEtcdKubernetes } from '../../lib/core/etcd/kubernetes';
import { renderGpuPool } from '../../lib/core/gpu/pool-render';
import { clusterPolicyFromValues } from '../../lib/core/operator/cluster-policy';
import { OPERATOR_PLATFORMS } from '../../lib/core/operator/platforms';
import { renderGpuOperatorStack } from '../../lib/core/operator/stack';
import { renderVllmService } from '../../lib/core/vllm/render';
import { buildApp } from '../../examples/main';
import { crdFor, validateAgainstCrd } from '../helpers/crd-schema';

/**
 * Every custom resource gpuplane renders, validated against the real CRD of its served version (structural
 * schema, defaults, pruning). Built-in kinds are checked by kubernetes-models elsewhere.
 */

const BUILT_IN = /^(v1|(apps|batch|policy|autoscaling|networking\.k8s\.io|rbac\.authorization\.k8s\.io|storage\.k8s\.io|scheduling\.k8s\.io|coordination\.k8s\.io|resource\.k8s\.io)\/v\d+\w*)$/;
const isCustom = (o: KubeObject) => !BUILT_IN.test(o.apiVersion);

/** The examples as `cdk8s synth` writes them (dist/*.k8s.yaml), read back. */
function examples(): [string, KubeObject][] {
  const outdir = mkdtempSync(join(tmpdir(), 'gpuplane-crds-'));
  buildApp(outdir).synth();
  return readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).sort().flatMap((file) =>
    parseAllDocuments(readFileSync(join(outdir, file), 'utf8')).map((d) => d.toJSON() as KubeObject).filter((o) => o && isCustom(o))
      .map((o): [string, KubeObject] => [`${file}: ${o.kind}/${o.metadata.name}`, o]));
}

const karpenter = { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, instanceTypes: ['p5.48xlarge', 'p5e.48xlarge'] };

/** Fixtures with non-default options for every construct that renders custom resources. */
function fixtures(): [string, KubeObject][] {
  const named = (label: string, objects: readonly KubeObject[]) => objects.filter(isCustom).map((o): [string, KubeObject] => [`${label}: ${o.kind}/${o.metadata.name}`, o]);
  const pool = renderGpuPool({ name: 'h100', gpu: 'H100-80GB', karpenter: { ...karpenter, capacityTypes: ['on-demand', 'spot', 'reserved'], expireAfter: 'Never', consolidateAfter: '1h30m' } });
  const migPool = renderGpuPool({ name: 'mig', gpu: 'A100-80GB', mig: { layout: { '1g.10gb': 7 } }, nodes: { min: 0, max: 3 }, karpenter: { ...karpenter, expireAfter: '168h', consolidateAfter: '0s' } } as never);
  return [
    ...named('karpenter (spot, Never, 1h30m)', pool.objects),
    ...named('karpenter (MIG pool)', migPool.objects),
    ...named('flux', renderGpuOperatorStack({ delivery: 'flux', flux: { namespace: 'gitops', interval: '2h' }, pools: [pool.resolved], monitoring: { labels: { release: 'kps' }, temperatureCelsius: 80 } }).objects),
    ...named('flux with the DRA driver', renderGpuOperatorStack({ draDriver: { featureGates: { DynamicMIG: true }, computeDomains: true } }).objects),
    ['ClusterPolicy from the values with the DRA driver (device plugin off)', clusterPolicyFromValues(renderGpuOperatorStack({ draDriver: {} }).values) as unknown as KubeObject],
    ...named('flux (1m30s)', renderGpuOperatorStack({ delivery: 'flux', flux: { interval: '1m30s' } }).objects),
    ...named('argocd', renderGpuOperatorStack({ delivery: 'argocd', argocd: { namespace: 'gitops', project: 'platform', server: 'https://10.0.0.1:6443' }, platform: 'gke' }).objects),
    ...named('keda', renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', autoscaling: { mode: 'keda', minReplicas: 2, maxReplicas: 6, targetRequestsWaiting: 3 }, monitoring: { labels: { release: 'kps' }, interval: '15s' } } as never).objects),
    ...named('istio tuned', renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', istio: { mode: 'tuned', timeout: '600s' } }).objects),
    ...named('multi-node on Ray, KEDA, spare GPUs', renderVllmService({ name: 'llama-405b', namespace: 'inference', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 8, pipelineParallelSize: 2, vllmVersion: '0.11.0', spareGpus: 16, autoscaling: { mode: 'keda', minReplicas: 1, maxReplicas: 2 } }).objects),
    ...named('multi-node TP 16 on RoCE', renderVllmService({ name: 'llama-405b', namespace: 'inference', model: 'llama-3.1-405b', gpu: 'H100-80GB', tensorParallelSize: 16, multiNode: { interconnect: 'roce', ibGidIndex: 3, rdma: { resourceName: 'nvidia.com/hostdev', count: 2 } }, autoscaling: false, replicas: 1 }).objects),
    ...named('istio bypass', renderVllmService({ name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB', istio: { mode: 'bypass' } }).objects),
    // The ClusterPolicy the chart renders from gpuplane's values, per platform, with every kind of pool.
    ...OPERATOR_PLATFORMS.map((platform): [string, KubeObject] => [`ClusterPolicy from the ${platform} values`, clusterPolicyFromValues(renderGpuOperatorStack({ platform, pools: [pool.resolved, migPool.resolved] }).values) as unknown as KubeObject]),
    ...named('etcd cert-manager', renderEtcdKubernetes({ name: 'etcd-a', version: '3.5.21', kubernetes: { namespace: 'etcd', storageClassName: 'fast', toolsImage: 'registry.example.com/etcd-tools:3.5.21', monitoringLabels: { release: 'kps' } } } as never).objects),
  ];
}

describe('rendered custom resources against the real CRDs', () => {
  const cases = [...examples(), ...fixtures()];

  test('every custom resource kind gpuplane renders has a CRD in the reference', () => {
    const kinds = [...new Set(cases.map(([, o]) => `${o.apiVersion} ${o.kind}`))].sort();
    expect(kinds.filter((k) => { const [a, kind] = k.split(' '); return !crdFor(a, kind); })).toEqual([]);
    for (const kind of ['karpenter.sh/v1 NodePool', 'source.toolkit.fluxcd.io/v1 HelmRepository', 'helm.toolkit.fluxcd.io/v2 HelmRelease', 'cert-manager.io/v1 Issuer', 'cert-manager.io/v1 Certificate', 'monitoring.coreos.com/v1 ServiceMonitor', 'monitoring.coreos.com/v1 PrometheusRule', 'keda.sh/v1alpha1 ScaledObject', 'argoproj.io/v1alpha1 Application', 'leaderworkerset.x-k8s.io/v1 LeaderWorkerSet']) {
      expect(kinds).toContain(kind);
    }
    expect(kinds.some((k) => k.startsWith('networking.istio.io/') && k.endsWith(' VirtualService'))).toBe(true);
    expect(kinds.some((k) => k.startsWith('networking.istio.io/') && k.endsWith(' DestinationRule'))).toBe(true);
  });

  test.each(cases)('%s', (_label, object) => {
    const verdict = validateAgainstCrd(object);
    expect(verdict.errors).toEqual([]);
    // Every CEL rule these objects reach is evaluated (the table in crd-schema.ts); a new one shows up here.
    expect(verdict.unchecked).toEqual([]);
  });
});
