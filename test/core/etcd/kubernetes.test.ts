import { renderEtcdKubernetes } from '../../../lib/core/etcd/kubernetes';
import { validateObjects } from '../../../lib/core/validate';
import { find } from '../../helpers/find';

const base = { name: 'etcd-main', kubernetes: { storageClassName: 'local-nvme', toolsImage: 'registry.example.com/etcd-tools:3.5.21' } };

describe('ExternalEtcdCluster Kubernetes-hosted', () => {
  const r = renderEtcdKubernetes(base);

  test('renders the cluster, its TLS chain, operations and monitoring, all valid', () => {
    expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Issuer/etcd-main-selfsigned', 'Certificate/etcd-main-ca', 'Issuer/etcd-main-ca', 'Certificate/etcd-main-server', 'Certificate/etcd-main-peer', 'Certificate/etcd-main-client',
      'Service/etcd-main-peer', 'Service/etcd-main-client', 'Service/etcd-main-metrics', 'StatefulSet/etcd-main', 'PodDisruptionBudget/etcd-main',
      'ConfigMap/etcd-main-ops', 'PersistentVolumeClaim/etcd-main-backups', 'CronJob/etcd-main-backup', 'CronJob/etcd-main-defrag', 'ServiceMonitor/etcd-main', 'PrometheusRule/etcd-main',
    ]);
    expect(validateObjects(r.objects)).toEqual([]);
    expect(r.endpoints).toEqual([0, 1, 2].map((i) => `https://etcd-main-${i}.etcd-main-peer.etcd.svc:2379`));
  });

  test('one member per dedicated node, fast storage, a budget that keeps quorum', () => {
    const sts = find(r.objects, 'StatefulSet');
    const pod = sts.spec.template.spec;
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(pod.nodeSelector).toEqual({ 'node-role.gpuplane.dev/etcd': 'true' });
    expect(pod.tolerations).toEqual([{ key: 'node-role.gpuplane.dev/etcd', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'local-nvme', resources: { requests: { storage: '10Gi' } } });
    expect(find(r.objects, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('one zone by default: members follow the first into its zone; a named zone pins them', () => {
    expect(find(r.objects, 'StatefulSet').spec.template.spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('topology.kubernetes.io/zone');
    const pinned = find(renderEtcdKubernetes({ ...base, kubernetes: { ...base.kubernetes, zone: 'eu-west-1a' } }).objects, 'StatefulSet').spec.template.spec.affinity;
    expect(pinned.podAffinity).toBeUndefined();
    expect(pinned.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] });
  });

  test('each pod advertises its own stable name; probes use /livez and /readyz on 3.5.21', () => {
    const c = find(r.objects, 'StatefulSet').spec.template.spec.containers[0];
    expect(c.image).toBe('registry.k8s.io/etcd:3.5.21-0');
    expect(c.args).toContain('--advertise-client-urls=https://$(POD_NAME).etcd-main-peer.etcd.svc:2379');
    expect(c.args).toContain('--listen-client-urls=https://0.0.0.0:2379');
    expect(c.env).toEqual([{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'metrics' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
    expect(renderEtcdKubernetes({ ...base, version: '3.5.9' }).objects.find((o) => o.kind === 'StatefulSet')!.spec).toMatchObject({ template: { spec: { containers: [{ livenessProbe: { httpGet: { path: '/health' } } }] } } });
  });

  test('cert-manager certificates cover the member and client names', () => {
    const server = find(r.objects, 'Certificate', 'etcd-main-server').spec;
    expect(server.dnsNames).toContain('*.etcd-main-peer.etcd.svc');
    expect(server.usages).toEqual(['server auth', 'client auth']);
    expect(server.issuerRef).toEqual({ name: 'etcd-main-ca', kind: 'Issuer' });
    expect(find(r.objects, 'Certificate', 'etcd-main-client').spec.usages).toEqual(['client auth']);
  });

  test('backup freshness comes from kube-state-metrics for the CronJob; certificates from cert-manager', () => {
    const rules = find(r.objects, 'PrometheusRule').spec.groups[0].rules as { alert: string; expr: string }[];
    expect(rules.find((x) => x.alert === 'EtcdBackupTooOld')!.expr).toContain('kube_cronjob_status_last_successful_time{namespace="etcd",cronjob="etcd-main-backup"}');
    expect(rules.find((x) => x.alert === 'EtcdCertificateExpiringSoon')!.expr).toContain('certmanager_certificate_expiration_timestamp_seconds{namespace="etcd",name=~"etcd-main-.*"}');
  });

  test('user-supplied Secrets replace the cert-manager chain', () => {
    const s = renderEtcdKubernetes({ ...base, kubernetes: { ...base.kubernetes, tls: { mode: 'secrets', server: 'srv', peer: 'peer', client: 'cli' } } });
    expect(s.objects.some((o) => o.apiVersion.startsWith('cert-manager'))).toBe(false);
    expect(find(s.objects, 'StatefulSet').spec.template.spec.volumes.map((v: { secret: { secretName: string } }) => v.secret.secretName)).toEqual(['srv', 'peer', 'cli']);
  });

  test('warns when members are spread across zones', () => {
    const s = renderEtcdKubernetes({ ...base, kubernetes: { ...base.kubernetes, spreadAcrossZones: true } });
    expect(s.resolved.warnings[0]).toMatch(/spread across zones; every write waits for a majority across zones/);
    expect(find(s.objects, 'StatefulSet').spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
  });

  test('external access: a Service per member, external names advertised and certified, kubeadm endpoints outside', () => {
    const e = renderEtcdKubernetes({ ...base, kubernetes: { ...base.kubernetes, externalAccess: { domain: 'etcd.example.internal' } } });
    expect(e.endpoints).toEqual([0, 1, 2].map((i) => `https://etcd-main-${i}.etcd.example.internal:2379`));
    const svc = find(e.objects, 'Service', 'etcd-main-1-external');
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', selector: { 'statefulset.kubernetes.io/pod-name': 'etcd-main-1' } });
    expect(find(e.objects, 'StatefulSet').spec.template.spec.containers[0].args).toContain('--advertise-client-urls=https://$(POD_NAME).etcd-main-peer.etcd.svc:2379,https://$(POD_NAME).etcd.example.internal:2379');
    expect(find(e.objects, 'Certificate', 'etcd-main-server').spec.dnsNames).toContain('*.etcd.example.internal');
    expect(validateObjects(e.objects)).toEqual([]);
  });

  test('fails without a storage class or a tools image, naming both', () => {
    expect(() => renderEtcdKubernetes({ name: 'etcd-main', kubernetes: { storageClassName: '' } } as never)).toThrow(/'kubernetes.storageClassName' must be a DNS-1123 subdomain[\s\S]*'kubernetes.toolsImage' is required: an image for the backup and defragmentation CronJobs with bash, etcdctl/);
  });

  test('fails on an even member count', () => {
    expect(() => renderEtcdKubernetes({ ...base, members: 4 })).toThrow("'members' must be an odd count: 4 members need a quorum of 3");
  });
});
