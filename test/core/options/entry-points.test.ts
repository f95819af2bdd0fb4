import { problemsOf } from '../../helpers/problems';
import { resolveGpuPool } from '../../../lib/core/gpu/pool';
import { renderGpuPool } from '../../../lib/core/gpu/pool-render';
import { renderGpuOperatorStack } from '../../../lib/core/operator/stack';
import { renderEtcdKubernetes } from '../../../lib/core/etcd/kubernetes';
import { renderEtcdHosts } from '../../../lib/core/etcd/hosts';
import { externalEtcdEndpoints, kubeadmClusterConfiguration } from '../../../lib/core/etcd/kubeadm';
import { planStackedToExternal } from '../../../lib/core/etcd/migration';

/** Options as a JavaScript or YAML caller passes them, unchecked by the compiler. */
const loose = <T>(o: Record<string, unknown>): T => o as unknown as T;

describe('GPU pools refuse what the types refuse', () => {
  const pool = (o: Record<string, unknown>) => problemsOf(() => renderGpuPool(loose({ name: 'p', gpu: 'A100-80GB', ...o })));
  test.each([
    [{ timeslicing: { replicas: 4 } }, "'timeslicing' is not an option; did you mean 'timeSlicing'?"],
    [{ timeSlicing: { replicas: '4' } }, "'timeSlicing.replicas' must be an integer, not a string (got \"4\"). Fix: write 4 without quotes"],
    [{ timeSlicing: { replicas: 4, rename: 'x' } }, "'timeSlicing.rename' is not accepted: the device plugin parses resources[].rename but ignores it"],
    [{ nodes: NaN }, "'nodes' must be a positive integer, not NaN"],
    [{ nodes: { min: 1, max: 2, desired: 1 } }, "'nodes.desired' is not an option"],
    [{ mig: { layout: { '3g.40gb': 2.5 } } }, "'mig.layout[\"3g.40gb\"]' must be a non-negative integer (got 2.5"],
    [{ mig: { layout: 7 } }, "'mig.layout' must be 'balanced' or a profile name, or an object of a non-negative integer, or a list of an object of a non-negative integer, not a number (got 7)"],
    [{ taints: [{ key: 'gpu', effect: 'NoScheduel' }] }, "'taints[0].effect' must be 'NoSchedule', 'PreferNoSchedule' or 'NoExecute' (got \"NoScheduel\"; allowed: 'NoSchedule', 'PreferNoSchedule', 'NoExecute'). Fix: did you mean 'NoSchedule'?"],
    [{ labels: { 'bad key!': 'x' } }, "'labels[\"bad key!\"] (key)' must be a label key"],
    [{ karpenter: { nodeClassRef: { group: 'g', kind: 'k', name: 'n' }, instanceTypes: [] } }, "'karpenter.instanceTypes' must not be empty"],
    [{ karpenter: { nodeClassRef: { group: 'g', kind: 'k', name: 'n' }, instanceTypes: ['p5.48xlarge'], expireAfter: '30d' } }, "'karpenter.expireAfter' must be a duration in s, m and h, or 'Never'"],
    [{ gpusPerNode: 8.5 }, "'gpusPerNode' must be a positive integer of at most 16 (got 8.5"],
  ])('%j', (o, expected) => {
    expect(pool(o)).toContain(expected);
  });

  test('every problem of a pool comes at once', () => {
    expect(problemsOf(() => resolveGpuPool(loose({ name: 'Bad_Name', gpu: 3, nodes: -1 })))).toMatch(/^GPU pool 'Bad_Name': 3 problems/);
  });
});

describe('GpuOperatorStack refuses what the types refuse', () => {
  const stack = (o: Record<string, unknown>) => problemsOf(() => renderGpuOperatorStack(loose(o)));
  test.each([
    [{ platfrom: 'eks' }, "'platfrom' is not an option; did you mean 'platform'?"],
    [{ platform: 'EKS' }, "'platform' must be 'generic', 'eks', 'gke', 'aks' or 'openshift' (got \"EKS\";"],
    [{ monitoring: { temperatureCelsius: NaN } }, "'monitoring.temperatureCelsius' must be a positive number of at most 120, not NaN"],
    [{ pools: [{ name: 'x' }] }, "'pools[0]' must be a MigNodePool or GpuNodePool (or its resolved form)"],
    [{ flux: { interval: 'hourly' } }, "'flux.interval' must be a positive duration"],
    [{ argocd: { server: 'http://kubernetes.default.svc' } }, "'argocd.server' must use https"],
    [{ platform: 'aks', toolkit: { enabled: true } }, "'toolkit.enabled' must be false on aks: AKS GPU node images ship the driver and the container toolkit"],
  ])('%j', (o, expected) => {
    expect(stack(o)).toContain(expected);
  });
});

describe('ExternalEtcdCluster refuses what the types refuse, in one round', () => {
  const kubernetes = { storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' };
  const k8s = (o: Record<string, unknown>, k: Record<string, unknown> = {}) => problemsOf(() => renderEtcdKubernetes(loose({ name: 'etcd', ...o, kubernetes: { ...kubernetes, ...k } })));
  const hosts = (o: Record<string, unknown>) => problemsOf(() => renderEtcdHosts(loose({ name: 'etcd', hosts: [1, 2, 3].map((i) => ({ name: `etcd-${i}`, address: `10.0.0.${i}` })), ...o })));
  test.each([
    [{ member: 5 }, "'member' is not an option; did you mean 'members'? (got 5;"],
    [{ members: '3' }, "'members' must be a positive integer, not a string (got \"3\"). Fix: write 3 without quotes"],
    [{ defrag: { pauseSeconds: -5 } }, "'defrag.pauseSeconds' must be a non-negative integer (got -5"],
    [{ backup: { maxAgeHours: NaN } }, "'backup.maxAgeHours' must be a positive number, not NaN"],
    [{ backup: { schedule: '0 */6 * *' } }, "'backup.schedule' must have 5 fields (minute hour day-of-month month day-of-week), it has 4 (CronJob schedules are cron expressions)"],
    [{ ports: { client: 3379 } }, "'ports' does not apply to a Kubernetes-hosted cluster: it sets host ports"],
    [{ tls: { caFile: '/etc/ca.crt' } }, "'tls' does not apply to a Kubernetes-hosted cluster"],
    [{ extraFlags: { '--log-level': 'info; rm -rf /' } }, "'extraFlags[\"--log-level\"]' must not contain quotes, newlines or shell syntax"],
  ])('Kubernetes mode %j', (o, expected) => {
    expect(k8s(o)).toContain(expected);
  });

  test.each([
    [{ tls: { mode: 'secret', server: 's' } }, "'kubernetes.tls.mode' must be 'cert-manager' or 'secrets' (got \"secret\"; allowed: cert-manager, secrets). Fix: did you mean 'secrets'?"],
    [{ storageSize: '10 GB' }, "'kubernetes.storageSize' must be a Kubernetes quantity"],
    [{ externalAccess: { domain: 'localhost' } }, "'kubernetes.externalAccess.domain' must be a DNS domain"],
  ])('kubernetes.%j', (k, expected) => {
    expect(k8s({}, k)).toContain(expected);
  });

  test('schema and cluster problems come together', () => {
    expect(k8s({ members: 4, ports: { client: 1 } })).toMatch(/2 problems[\s\S]*'ports' does not apply[\s\S]*'members' must be an odd count/);
  });

  test.each([
    [{ members: 5 }, "'members' is for Kubernetes-hosted clusters; on hosts there is one member per entry of hosts"],
    [{ hosts: [{ name: 'etcd-1', address: '10.0.0.1 ' }] }, "'hosts[0].address' must be an IP address or a DNS name"],
    [{ hosts: [{ name: 'etcd-1', address: '10.0.0.1', clientPort: 70000 }] }, "'hosts[0].clientPort' must be a positive integer of at most 65535 (got 70000; allowed: [1, 65535], whole numbers)"],
    [{ backup: { dir: '/var/backups/my etcd' } }, "'backup.dir' must not contain spaces, quotes or shell syntax (it is written into scripts)"],
    [{ backup: { schedule: '0 */6 * * *' } }, "'backup.schedule' must be a systemd OnCalendar expression on hosts (a timer runs it), not a cron schedule"],
    [{ hosts: [] }, "'hosts' must list the members"],
  ])('hosts mode %j', (o, expected) => {
    expect(hosts(o)).toContain(expected);
  });

  test('kubeadm v1beta4 refuses etcd 3.4, as its preflight does', () => {
    const cluster = { endpoints: ['https://10.0.0.1:2379'], resolved: { version: { minor: '3.4' } } };
    expect(problemsOf(() => kubeadmClusterConfiguration(cluster))).toContain("'apiVersion' is kubeadm v1beta4 (Kubernetes 1.31+), whose preflight refuses external etcd older than 3.5");
    expect(kubeadmClusterConfiguration(cluster, { apiVersion: 'v1beta3' }).apiVersion).toBe('kubeadm.k8s.io/v1beta3');
    expect(problemsOf(() => kubeadmClusterConfiguration(cluster, loose({ apiVersion: 'v1beta3', caFIle: '/x' })))).toContain("'caFIle' is not an option; did you mean 'caFile'?");
  });

  test('endpoints and migration inputs are checked', () => {
    expect(problemsOf(() => externalEtcdEndpoints([]))).toContain("'endpoints' must not be empty");
    expect(problemsOf(() => planStackedToExternal(['cp-1', 'cp-1'], ['e1']))).toContain("'stacked[1]' repeats an earlier item");
    expect(problemsOf(() => planStackedToExternal(['cp-1', 'cp-2', 'cp-3'], ['e1', 'e2', 'e3'], ['cp-9']))).toContain("'unhealthyStacked' names a member that is not in stacked (got \"cp-9\"; allowed: cp-1, cp-2, cp-3)");
  });
});

describe('estimateVllmMemory and planGpuFleet refuse unknown keys and wrong kinds', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { estimateVllmMemory, planGpuFleet } = require('../../../lib/core') as typeof import('../../../lib/core');
  test.each([
    [{ maxModelLength: 4096 }, "'maxModelLength' is not an option; did you mean 'maxModelLen'?"],
    [{ maxNumSeqs: '256' }, "'maxNumSeqs' must be a number, not a string (got \"256\"). Fix: write 256 without quotes"],
    [{ lora: { maxLora: 2 } }, "'lora.maxLora' is not an option; did you mean 'maxLoras'?"],
    [{ model: { layers: 32, kvHeads: 8, headDim: 128, parameters: 8e9, kvHead: 8 } }, "'model.kvHead' is not an option"],
  ])('estimateVllmMemory %j', (o, expected) => {
    expect(problemsOf(() => estimateVllmMemory(loose({ model: 'llama-3.1-8b', gpu: 'H100-80GB', ...o })))).toContain(expected);
  });

  test('planGpuFleet', () => {
    expect(problemsOf(() => planGpuFleet(loose({ workloads: [{ name: 'a', memoryGib: 9 }], gpus: [{ gpu: 'H100-80GB', hourlyPrice: 4 }] })))).toContain("'workloads[0].memoryGib' is not an option");
  });
});

describe('etcd backups leave the members alone', () => {
  const kubernetes = { storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' };
  test('the backup claim takes the cluster default class, not the members\' local one', () => {
    const r = renderEtcdKubernetes({ name: 'etcd', kubernetes });
    const claim = r.objects.find((o) => o.kind === 'PersistentVolumeClaim') as { spec: Record<string, unknown> } | undefined;
    expect(claim?.spec.storageClassName).toBeUndefined();
  });
  test('fails if the backups would sit on the members\' storage class', () => {
    expect(problemsOf(() => renderEtcdKubernetes({ name: 'etcd', kubernetes: { ...kubernetes, backupVolume: { storageClassName: 'local-nvme' } } }))).toContain("'kubernetes.backupVolume.storageClassName' is the members' own storage class");
  });
});
