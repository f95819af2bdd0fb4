import { KubeObject } from '../../lib/core/kube';
import { validateSchema } from '../../lib/core/validate/schema';
import { crdFor, validateAgainstCrd } from '../helpers/crd-schema';

/**
 * The hand-written run-time schemas (lib/core/validate/schemas/) and the real CRDs give the same verdict on the same
 * objects: a valid base object per kind, and generated variants of it (every field's type broken, an unknown key at
 * every level, and per field the values its CRD allows and refuses: enums, patterns, lengths, list sizes, CEL rules).
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Variant = readonly [path: string, value: unknown];

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** Sets (or, with undefined, deletes) a dotted path; `[n]` indexes arrays; keys with dots go in quotes: `labels."a.b/c"`. */
function setPath(o: Obj, path: string, value: unknown): Obj {
  const out = clone(o);
  const parts = path.match(/"[^"]+"|\[\d+\]|[^.[\]]+/g)!.map((p) => (p.startsWith('"') ? p.slice(1, -1) : p.startsWith('[') ? Number(p.slice(1, -1)) : p));
  let cur: Obj = out;
  for (const p of parts.slice(0, -1)) {
    if (cur[p as string] === undefined) cur[p as string] = {};
    cur = cur[p as string];
  }
  const last = parts[parts.length - 1] as string;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return out;
}

/** Every leaf and every object below `spec`, as dotted paths. */
function walk(o: unknown, path: string, leaves: string[], objects: string[]): void {
  if (Array.isArray(o)) o.forEach((v, i) => walk(v, `${path}[${i}]`, leaves, objects));
  else if (o !== null && typeof o === 'object') {
    objects.push(path);
    for (const [k, v] of Object.entries(o)) walk(v, `${path}.${/[./]/.test(k) ? `"${k}"` : k}`, leaves, objects);
  } else leaves.push(path);
}

function generated(base: Obj, table: readonly Variant[], freeForm: readonly string[] = []): [string, Obj][] {
  const leaves: string[] = [];
  const objects: string[] = [];
  walk(base.spec, 'spec', leaves, objects);
  const free = (p: string) => freeForm.some((f) => p === f || p.startsWith(`${f}.`) || p.startsWith(`${f}[`));
  const out: [string, Obj][] = [['the base object', base]];
  for (const p of objects.filter((x) => !free(x))) out.push([`unknown key under ${p}`, setPath(base, `${p}.zzUnknown`, 'x')]);
  for (const p of leaves.filter((x) => !free(x))) {
    // Every leaf as each JSON type: the right one keeps the verdict, the others must be refused by both.
    out.push([`${p} as a number`, setPath(base, p, 12345)], [`${p} as a string`, setPath(base, p, 'x')], [`${p} as a boolean`, setPath(base, p, true)]);
  }
  for (const [p, value] of table) out.push([`${p} = ${JSON.stringify(value)}`, setPath(base, p, value)]);
  return out;
}

function verdicts(o: Obj) {
  const schema = validateSchema(o as KubeObject);
  const crd = validateAgainstCrd(o as KubeObject);
  return { schema: schema.length === 0 ? 'valid' : 'invalid', crd: crd.errors.length === 0 ? 'valid' : 'invalid', schemaErrors: schema, crdErrors: crd.errors, unchecked: crd.unchecked };
}

const LONG = (n: number) => 'a'.repeat(n);
const DURATIONS = ['30m', '1h30m', '720h', 'Never', '0s', '1d', '10', '1.5h', '', '5ms'];

const NODEPOOL: Obj = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'h100' },
  spec: {
    template: {
      metadata: { labels: { 'gpuplane.dev/pool': 'h100', 'nvidia.com/mig.config': 'all-3g.40gb' }, annotations: { a: 'b' } },
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' },
        requirements: [
          { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['p5.48xlarge'] },
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'], minValues: 1 },
        ],
        taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
        startupTaints: [{ key: 'gpuplane.dev/warming', effect: 'NoExecute' }],
        expireAfter: '720h',
        terminationGracePeriod: '48h',
      },
    },
    limits: { 'nvidia.com/gpu': '32', cpu: 1000 },
    weight: 10,
    disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '30m', budgets: [{ nodes: '1' }, { nodes: '10%', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Empty', 'Drifted'] }] },
  },
};

const NODEPOOL_VARIANTS: Variant[] = [
  ...['WhenEmpty', 'WhenEmptyOrUnderutilized', 'Balanced', 'Always', 'whenEmpty'].map((v): Variant => ['spec.disruption.consolidationPolicy', v]),
  ['spec.disruption.consolidateAfter', undefined],
  ['spec.disruption', undefined],
  ['spec.disruption', { consolidationPolicy: 'WhenEmpty' }],
  ...DURATIONS.map((v): Variant => ['spec.disruption.consolidateAfter', v]),
  ...DURATIONS.map((v): Variant => ['spec.template.spec.expireAfter', v]),
  ...DURATIONS.map((v): Variant => ['spec.template.spec.terminationGracePeriod', v]),
  ...['1', '10%', '100%', '101%', 'all', '1.5'].map((v): Variant => ['spec.disruption.budgets[0].nodes', v]),
  ['spec.disruption.budgets[0].nodes', undefined],
  ['spec.disruption.budgets[1].duration', undefined],
  ['spec.disruption.budgets[1].schedule', '@daily'],
  ['spec.disruption.budgets[1].schedule', 'often'],
  ...['8h', '1h30m', '30s', '90m0s'].map((v): Variant => ['spec.disruption.budgets[1].duration', v]),
  ['spec.disruption.budgets[1].reasons', ['Underutilized']],
  ['spec.disruption.budgets[1].reasons', ['Expired']],
  ['spec.disruption.budgets[1].reasons', ['Empty', 'Empty']],
  ['spec.disruption.budgets', Array.from({ length: 50 }, () => ({ nodes: '1' }))],
  ['spec.disruption.budgets', Array.from({ length: 51 }, () => ({ nodes: '1' }))],
  ...['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte', 'Equals'].map((v): Variant => ['spec.template.spec.requirements[0].operator', v]),
  ['spec.template.spec.requirements[0]', { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gte', values: ['8'] }],
  ['spec.template.spec.requirements[0]', { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Lte', values: ['8', '16'] }],
  ['spec.template.spec.requirements[0]', { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['-1'] }],
  ['spec.template.spec.requirements[0]', { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Lt', values: ['eight'] }],
  ['spec.template.spec.requirements[0]', { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Exists' }],
  ['spec.template.spec.requirements[0].values', []],
  ['spec.template.spec.requirements[1].minValues', 2],
  ['spec.template.spec.requirements[1].minValues', 0],
  ['spec.template.spec.requirements[1].minValues', 51],
  ['spec.template.spec.requirements[0].key', 'karpenter.sh/nodepool'],
  ['spec.template.spec.requirements[0].key', 'kubernetes.io/hostname'],
  ['spec.template.spec.requirements[0].key', 'karpenter.sh/capacity-type'],
  ['spec.template.spec.requirements[0].key', 'x.karpenter.sh/thing'],
  ['spec.template.spec.requirements[0].key', 'karpenter.k8s.aws/instance-family'],
  ['spec.template.spec.requirements[0].key', 'Bad Key'],
  ['spec.template.spec.requirements[0].key', `${LONG(250)}/${LONG(63)}`],
  ['spec.template.spec.requirements[0].key', `${LONG(253)}/${LONG(63)}`],
  ['spec.template.spec.requirements', Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, operator: 'Exists' }))],
  ['spec.template.spec.requirements', Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, operator: 'Exists' }))],
  ['spec.template.metadata.labels."gpuplane.dev/pool"', LONG(63)],
  ['spec.template.metadata.labels."gpuplane.dev/pool"', LONG(64)],
  ['spec.template.metadata.labels."gpuplane.dev/pool"', 'has space'],
  ['spec.template.metadata.labels."gpuplane.dev/pool"', ''],
  ['spec.template.metadata.labels."gpuplane.dev/pool"', '-lead'],
  ['spec.template.metadata.labels."karpenter.sh/nodepool"', 'x'],
  ['spec.template.metadata.labels."kubernetes.io/hostname"', 'x'],
  ['spec.template.metadata.labels."karpenter.sh/capacity-type"', 'spot'],
  ['spec.template.metadata.labels."team.karpenter.sh/x"', 'y'],
  ['spec.template.metadata.labels', Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, 'v']))],
  ['spec.template.metadata.labels', Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v']))],
  ['spec.template.spec.taints[0].key', 'nvidia.com/gpu'],
  ['spec.template.spec.taints[0].key', 'bad key'],
  ['spec.template.spec.taints[0].key', ''],
  ['spec.template.spec.taints[0].value', 'present'],
  ['spec.template.spec.taints[0].value', 'not valid!'],
  ['spec.template.spec.taints[0].value', ''],
  ['spec.template.spec.taints[0].value', undefined],
  ['spec.template.spec.taints[0].effect', 'NoExecute'],
  ['spec.template.spec.taints[0].effect', 'PreferNoSchedule'],
  ['spec.template.spec.taints[0].effect', 'Evict'],
  ['spec.template.spec.startupTaints[0].key', 'bad key'],
  ['spec.template.spec.nodeClassRef.group', ''],
  ['spec.template.spec.nodeClassRef.group', 'a/b'],
  ['spec.template.spec.nodeClassRef.name', ''],
  ['spec.template.spec.nodeClassRef.kind', ''],
  ['spec.template.spec.nodeClassRef.name', undefined],
  ['spec.template.spec.requirements', undefined],
  ['spec.limits."nvidia.com/gpu"', '1.5k'],
  ['spec.limits."nvidia.com/gpu"', '100Gi'],
  ['spec.limits."nvidia.com/gpu"', 'lots'],
  ...[0, 1, 100, 101, -1].map((v): Variant => ['spec.weight', v]),
  ['spec.replicas', 3],
  ['spec.replicas', -1],
  ['spec', { template: NODEPOOL.spec.template, replicas: 2, limits: { nodes: '3' } }],
  ['spec', { template: NODEPOOL.spec.template, replicas: 2, limits: { cpu: '3' } }],
  ['spec', { template: NODEPOOL.spec.template, replicas: 2, weight: 5 }],
];

const HELMREPOSITORY: Obj = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmRepository',
  metadata: { name: 'nvidia', namespace: 'flux-system' },
  spec: { url: 'https://helm.ngc.nvidia.com/nvidia', interval: '1h', timeout: '60s', type: 'default', provider: 'generic', secretRef: { name: 's' }, certSecretRef: { name: 'c' }, suspend: false, insecure: false, passCredentials: false, accessFrom: { namespaceSelectors: [{ matchLabels: { a: 'b' } }] } },
};

const HELMREPOSITORY_VARIANTS: Variant[] = [
  ...['1h', '90m', '1m30s', '500ms', '1.5h', '1d', ''].map((v): Variant => ['spec.interval', v]),
  ...['60s', '5m', '1h', '1m30s', '2.5m', '1d'].map((v): Variant => ['spec.timeout', v]),
  ...['https://x', 'http://x', 'oci://ghcr.io/x', 'ftp://x', 'helm.ngc.nvidia.com'].map((v): Variant => ['spec.url', v]),
  ...['default', 'oci', 'git'].map((v): Variant => ['spec.type', v]),
  ...['generic', 'aws', 'azure', 'gcp', 'github'].map((v): Variant => ['spec.provider', v]),
  ['spec.interval', undefined],
  ['spec.url', undefined],
  ['spec.secretRef', {}],
  ['spec.accessFrom', {}],
];

const HELMRELEASE: Obj = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'gpu-operator', namespace: 'flux-system' },
  spec: {
    interval: '1h',
    releaseName: 'gpu-operator',
    targetNamespace: 'gpu-operator',
    storageNamespace: 'gpu-operator',
    serviceAccountName: 'flux',
    timeout: '15m',
    maxHistory: 5,
    chart: { spec: { chart: 'gpu-operator', version: 'v26.7.0', sourceRef: { kind: 'HelmRepository', name: 'nvidia', namespace: 'flux-system' }, interval: '1h', reconcileStrategy: 'ChartVersion' } },
    install: { crds: 'CreateReplace', remediation: { retries: 3 }, createNamespace: true, disableWait: false, timeout: '20m' },
    upgrade: { crds: 'CreateReplace', remediation: { retries: 3, strategy: 'rollback', remediateLastFailure: true }, force: false, cleanupOnFail: true },
    values: { driver: { enabled: false }, toolkit: { env: [{ name: 'A', value: 'b' }] } },
    dependsOn: [{ name: 'cert-manager' }],
  },
};

const HELMRELEASE_VARIANTS: Variant[] = [
  ['spec.install.remediation.strategy', 'rollback'],
  ['spec.install.remediation.strategy', 'uninstall'],
  ['spec.upgrade.remediation.strategy', 'uninstall'],
  ['spec.upgrade.remediation.strategy', 'retry'],
  ['spec.install.remediation.ignoreTestFailures', true],
  ...['Skip', 'Create', 'CreateReplace', 'Replace'].map((v): Variant => ['spec.install.crds', v]),
  ...['Skip', 'Create', 'CreateReplace', 'Replace'].map((v): Variant => ['spec.upgrade.crds', v]),
  ...['1h', '10m', '1.5h', '1d'].map((v): Variant => ['spec.interval', v]),
  ...['1h', '10m', '1d'].map((v): Variant => ['spec.chart.spec.interval', v]),
  ['spec.releaseName', ''], ['spec.releaseName', LONG(53)], ['spec.releaseName', LONG(54)],
  ['spec.targetNamespace', ''], ['spec.targetNamespace', LONG(63)], ['spec.targetNamespace', LONG(64)],
  ['spec.storageNamespace', ''],
  ['spec.serviceAccountName', ''],
  ['spec.chart.spec.chart', ''], ['spec.chart.spec.chart', LONG(2048)], ['spec.chart.spec.chart', LONG(2049)],
  ['spec.chart.spec.sourceRef.name', ''], ['spec.chart.spec.sourceRef.namespace', ''], ['spec.chart.spec.sourceRef.namespace', LONG(64)],
  ...['HelmRepository', 'GitRepository', 'Bucket', 'OCIRepository'].map((v): Variant => ['spec.chart.spec.sourceRef.kind', v]),
  ...['ChartVersion', 'Revision', 'Latest'].map((v): Variant => ['spec.chart.spec.reconcileStrategy', v]),
  ['spec.chart.spec.verify', { provider: 'cosign' }],
  ['spec.chart.spec.verify', {}],
  ['spec.chart.spec.verify', { provider: 'gpg' }],
  ['spec.chart', undefined],
  ['spec.chartRef', { kind: 'OCIRepository', name: 'gpu-operator' }],
  ['spec.interval', undefined],
  ['spec.install.strategy', { name: 'RetryOnFailure', retryInterval: '5m' }],
  ['spec.install.strategy', { name: 'RemediateOnFailure' }],
  ['spec.install.strategy', { name: 'Retry' }],
  ['spec.upgrade.strategy', { name: 'RetryOnFailure', retryInterval: '5m' }],
  ['spec.upgrade.strategy', { name: 'RemediateOnFailure', retryInterval: '5m' }],
  ['spec.install.strategy', { name: 'RemediateOnFailure', retryInterval: '5m' }],
  ['spec.upgrade.serverSideApply', 'auto'], ['spec.upgrade.serverSideApply', true], ['spec.install.serverSideApply', true],
  ['spec.rollback', { cleanupOnFail: true, timeout: '5m' }],
  ['spec.uninstall', { deletionPropagation: 'orphan', keepHistory: true }],
  ['spec.uninstall', { deletionPropagation: 'cascade' }],
  ['spec.test', { enable: true, filters: [{ name: 'smoke', exclude: true }] }],
  ['spec.valuesFrom', [{ kind: 'ConfigMap', name: 'values', valuesKey: 'values.yaml', targetPath: 'driver.version' }]],
  ['spec.valuesFrom', [{ kind: 'Secret', name: 'v', valuesKey: 'not valid/key' }]],
  ['spec.valuesFrom', [{ kind: 'File', name: 'v' }]],
  ['spec.driftDetection', { mode: 'enabled', ignore: [{ paths: ['/spec/replicas'], target: { kind: 'Deployment' } }] }],
  ['spec.postRenderers', [{ kustomize: { patches: [{ patch: 'x', target: { kind: 'DaemonSet' } }] } }]],
  ['spec.commonMetadata', { labels: { a: 'b' } }],
  ['spec.kubeConfig', { secretRef: { name: 'kc' } }],
  ['spec.kubeConfig', {}],
  ['spec.dependsOn', [{ namespace: 'x' }]],
];

const ISSUER: Obj = { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'etcd-ca', namespace: 'etcd' }, spec: { ca: { secretName: 'etcd-ca', crlDistributionPoints: ['http://crl'], ocspServers: ['http://ocsp'], issuingCertificateURLs: ['http://ca'] } } };
const ISSUER_VARIANTS: Variant[] = [
  ['spec', { selfSigned: {} }],
  ['spec', { selfSigned: { crlDistributionPoints: ['http://crl'] } }],
  ['spec.ca.secretName', undefined],
  ['spec.ca.issuingCertificateURLs', 'http://ca'],
];
const CLUSTER_ISSUER: Obj = { ...ISSUER, kind: 'ClusterIssuer', metadata: { name: 'ca' } };

const CERTIFICATE: Obj = {
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name: 'etcd-server', namespace: 'etcd' },
  spec: {
    secretName: 'etcd-server',
    issuerRef: { name: 'etcd-ca', kind: 'Issuer', group: 'cert-manager.io' },
    commonName: 'etcd-server',
    dnsNames: ['etcd-0.etcd.etcd.svc'],
    ipAddresses: ['127.0.0.1'],
    isCA: false,
    duration: '8760h',
    renewBefore: '720h',
    usages: ['server auth', 'client auth'],
    privateKey: { algorithm: 'ECDSA', size: 256, encoding: 'PKCS8', rotationPolicy: 'Always' },
    subject: { organizations: ['gpuplane'] },
    secretTemplate: { labels: { a: 'b' } },
  },
};
const CERTIFICATE_VARIANTS: Variant[] = [
  ...['Issuer', 'ClusterIssuer', 'AWSPCAIssuer'].map((v): Variant => ['spec.issuerRef.kind', v]),
  ['spec.issuerRef.group', 'awspca.cert-manager.io'],
  ['spec.issuerRef.name', undefined],
  ['spec.secretName', undefined],
  ...['RSA', 'ECDSA', 'Ed25519', 'DSA'].map((v): Variant => ['spec.privateKey.algorithm', v]),
  ...['PKCS1', 'PKCS8', 'PEM'].map((v): Variant => ['spec.privateKey.encoding', v]),
  ...['Never', 'Always', 'Sometimes'].map((v): Variant => ['spec.privateKey.rotationPolicy', v]),
  ...['server auth', 'digital signature', 'key encipherment', 'serverAuth'].map((v): Variant => ['spec.usages', [v]]),
  ['spec.emailAddresses', ['ops@example.com']],
  ['spec.uris', ['spiffe://cluster/etcd']],
  ['spec.otherNames', [{ oid: '1.3.6.1.4.1.311.20.2.3', utf8Value: 'x' }]],
  ['spec.literalSubject', 'CN=etcd'],
  ['spec.renewBeforePercentage', 30],
  ['spec.revisionHistoryLimit', 3],
  ['spec.signatureAlgorithm', 'ECDSAWithSHA256'],
  ['spec.signatureAlgorithm', 'MD5WithRSA'],
  ['spec.encodeUsagesInRequest', true],
  ['spec.additionalOutputFormats', [{ type: 'CombinedPEM' }]],
  ['spec.additionalOutputFormats', [{ type: 'PFX' }]],
  ['spec.keystores', { pkcs12: { create: true, passwordSecretRef: { name: 'p', key: 'k' }, profile: 'Modern2023' } }],
  ['spec.keystores', { jks: { alias: 'x' } }],
  ['spec.nameConstraints', { critical: true, permitted: { dnsDomains: ['etcd.svc'] } }],
  ['spec.renewal', { policy: 'RenewBefore', windows: [{ cron: '0 2 * * *', windowDuration: '4h' }] }],
  ['spec.renewal', { windows: [{ cron: '0 2 * * *', windowDuration: '4d' }] }],
  ['spec.subject.serialNumber', '1'],
  ['spec.secretTemplate.annotations', { a: 'b' }],
];

/** The hand-written cert-manager schemas are stricter on purpose where the admission webhook refuses (CERT_MANAGER_WEBHOOK_RULES). */
const WEBHOOK_ONLY: [string, Obj][] = [
  ['an issuer without an issuer type', setPath(ISSUER, 'spec', {})],
  ['an issuer with two issuer types', setPath(ISSUER, 'spec.selfSigned', {})],
  ['a commonName over 64 bytes', setPath(CERTIFICATE, 'spec.commonName', LONG(65))],
  ['a duration that is not a Go duration', setPath(CERTIFICATE, 'spec.duration', '1 year')],
];

const FLAVOR: Obj = {
  apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ResourceFlavor', metadata: { name: 'h100' },
  spec: { nodeLabels: { 'nvidia.com/gpu.product': 'NVIDIA-H100-80GB-HBM3' }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] },
};
const FLAVOR_VARIANTS: Variant[] = [
  ['spec.nodeLabels', {}], ['spec.tolerations', []], ['spec.topologyName', 'default'], ['spec.topologyName', 'Bad_Name'],
  ['spec.nodeTaints', [{ key: 'a', effect: 'NoSchedule' }]], ['spec.nodeTaints', [{ key: 'a' }]],
];
const CLUSTER_QUEUE: Obj = {
  apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ClusterQueue', metadata: { name: 'gpu-inference' },
  spec: {
    namespaceSelector: {}, cohortName: 'platform', queueingStrategy: 'BestEffortFIFO', preemption: { withinClusterQueue: 'LowerPriority' },
    resourceGroups: [{ coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'], flavors: [{ name: 'h100', resources: [{ name: 'cpu', nominalQuota: '192' }, { name: 'memory', nominalQuota: '1536Gi' }, { name: 'nvidia.com/gpu', nominalQuota: '16', borrowingLimit: '8' }] }] }],
  },
};
const CLUSTER_QUEUE_VARIANTS: Variant[] = [
  ...['StrictFIFO', 'BestEffortFIFO', 'FIFO'].map((v): Variant => ['spec.queueingStrategy', v]),
  ...['Never', 'LowerPriority', 'LowerOrNewerEqualPriority', 'Any'].map((v): Variant => ['spec.preemption.withinClusterQueue', v]),
  ['spec.cohortName', undefined], ['spec.cohortName', 'Bad_Cohort'], ['spec.resourceGroups[0].flavors', []], ['spec.resourceGroups[0].coveredResources', []],
  ['spec.resourceGroups[0].flavors[0].resources[0].nominalQuota', '1.5'], ['spec.resourceGroups[0].flavors[0].resources[0].nominalQuota', 'lots'],
  ['spec.resourceGroups[0].flavors[0].resources[0].nominalQuota', undefined],
];
const LOCAL_QUEUE: Obj = { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'inference', namespace: 'inference' }, spec: { clusterQueue: 'gpu-inference' } };
const LOCAL_QUEUE_VARIANTS: Variant[] = [['spec.clusterQueue', 'Bad_Queue'], ['spec.stopPolicy', 'Hold'], ['spec.stopPolicy', 'Pause']];

const KINDS: [string, Obj, Variant[], string[]][] = [
  ['kueue.x-k8s.io/v1beta2 ResourceFlavor', FLAVOR, FLAVOR_VARIANTS, []],
  ['kueue.x-k8s.io/v1beta2 ClusterQueue', CLUSTER_QUEUE, CLUSTER_QUEUE_VARIANTS, []],
  ['kueue.x-k8s.io/v1beta2 LocalQueue', LOCAL_QUEUE, LOCAL_QUEUE_VARIANTS, []],
  ['karpenter.sh/v1 NodePool', NODEPOOL, NODEPOOL_VARIANTS, []],
  ['source.toolkit.fluxcd.io/v1 HelmRepository', HELMREPOSITORY, HELMREPOSITORY_VARIANTS, []],
  ['helm.toolkit.fluxcd.io/v2 HelmRelease', HELMRELEASE, HELMRELEASE_VARIANTS, ['spec.values']],
  ['cert-manager.io/v1 Issuer', ISSUER, ISSUER_VARIANTS, []],
  ['cert-manager.io/v1 ClusterIssuer', CLUSTER_ISSUER, ISSUER_VARIANTS, []],
  ['cert-manager.io/v1 Certificate', CERTIFICATE, CERTIFICATE_VARIANTS, ['spec.duration', 'spec.renewBefore', 'spec.commonName']],
];

describe('hand-written run-time schemas agree with the real CRDs', () => {
  test.each(KINDS)('%s: the base object is valid for both, and its CRD is in the reference', (_kind, base) => {
    expect(crdFor(base.apiVersion, base.kind)).toBeDefined();
    expect(verdicts(base)).toMatchObject({ schemaErrors: [], crdErrors: [] });
  });

  test.each(KINDS)('%s: every generated variant gets the same verdict from both', (_kind, base, table, freeForm) => {
    const cases = generated(base, table, freeForm);
    expect(cases.length).toBeGreaterThan(table.length);
    const disagreements = cases.map(([label, o]) => ({ label, ...verdicts(o) })).filter((v) => v.schema !== v.crd || v.unchecked.length > 0);
    expect(disagreements).toEqual([]);
    // Both kinds of verdict occur, so the comparison means something.
    const seen = new Set(cases.map(([, o]) => verdicts(o).crd));
    expect([...seen].sort()).toEqual(['invalid', 'valid']);
  });

  test.each(WEBHOOK_ONLY)('cert-manager: %s passes the CRD but the webhook (and the hand-written schema) refuse it', (_label, o) => {
    expect(verdicts(o)).toMatchObject({ schema: 'invalid', crd: 'valid' });
  });
});
