import { ProblemCollector } from '../errors';
import { canonicalize, KubeObject } from '../kube';
import { checkOptions } from '../options/schema';
import { ETCD_KUBERNETES_OPTIONS } from './options-schema';
import { assertValidObjects } from '../validate';
import { flagArgs, memberFlags } from './flags';
import { EtcdKubernetesRestore, kubernetesRestore } from './kubernetes-restore';
import { etcdAlertRules } from './monitoring';
import { ExternalEtcdClusterOptions, ResolvedEtcdCluster, ResolvedEtcdMember, resolveEtcdCluster } from './options';
import { backupScript, defragScript, healthCheckScript, ScriptContext } from './scripts';
import { etcdHasLivez, etcdImage } from './versions';

/** A Kubernetes-hosted cluster: namespace, storage, placement, TLS, tools image and monitoring. */
export interface EtcdKubernetesOptions {
  /** @default 'etcd' */
  readonly namespace?: string;
  /** A fast (NVMe, local or provisioned-IOPS) storage class: the disk decides etcd's latency. Required. */
  readonly storageClassName: string;
  /** @default - four times the quota plus 2 GiB for the WAL and snapshots, in whole Gi */
  readonly storageSize?: string;
  /** Nodes dedicated to etcd. @default { 'node-role.gpuplane.dev/etcd': 'true' } */
  readonly nodeSelector?: Record<string, string>;
  /** The taint those nodes carry. @default { key: 'node-role.gpuplane.dev/etcd', effect: 'NoSchedule' } */
  readonly taint?: { readonly key: string; readonly value?: string; readonly effect: 'NoSchedule' | 'NoExecute' };
  /** Keep every member in this zone. @default - no zone constraint */
  readonly zone?: string;
  /** Spread members over zones instead (warned: every write pays the cross-zone latency). @default false */
  readonly spreadAcrossZones?: boolean;
  /** @default `registry.k8s.io/etcd:<version>-0` */
  readonly image?: string;
  /** Image for the backup and defragmentation CronJobs: needs bash, etcdctl (etcdutl from 3.5), awk and grep. The official etcd images are distroless, so there is no default. */
  readonly toolsImage: string;
  /** TLS: cert-manager (a private CA chain gpuplane renders, or your issuer) or Secrets you provide. @default { mode: 'cert-manager' } */
  readonly tls?: { readonly mode: 'cert-manager'; readonly issuerRef?: { readonly name: string; readonly kind: 'Issuer' | 'ClusterIssuer' } } | { readonly mode: 'secrets'; readonly server: string; readonly peer: string; readonly client: string };
  /** @default { cpu: '2', memory: '8Gi' } */
  readonly resources?: { readonly cpu?: string; readonly memory?: string };
  /** Backup volume. @default { size: '20Gi' } on the cluster's default storage class - never the members' own disks */
  readonly backupVolume?: { readonly size?: string; readonly storageClassName?: string };
  /** Labels for the ServiceMonitor and PrometheusRule. @default {} */
  readonly monitoringLabels?: Record<string, string>;
  /**
   * Reach the members from outside the cluster (API servers on hosts or in other clusters): one Service per member
   * (LoadBalancer by default), members also advertise `https://<member>.<domain>:2379`, the server certificate
   * covers `*.<domain>`, and the kubeadm endpoints use those names. Map each `<member>.<domain>` to its Service.
   * @default - members are reachable inside the cluster only (svc DNS names)
   */
  readonly externalAccess?: { readonly domain: string; readonly serviceType?: 'LoadBalancer' | 'NodePort'; readonly annotations?: Record<string, string> };
}

/** What renderEtcdKubernetes returns: the resolved cluster, its objects and endpoints. */
export interface EtcdKubernetesRender {
  readonly resolved: ResolvedEtcdCluster;
  readonly objects: readonly KubeObject[];
  readonly namespace: string;
  /** Client endpoints API servers use. */
  readonly endpoints: readonly string[];
  /** The restore procedure: the script, its steps and the Jobs (not among `objects`: a restore is run, never synced). */
  readonly restore: EtcdKubernetesRestore;
}

const PKI = '/etc/etcd/pki';
const PORTS = { client: 2379, peer: 2380, metrics: 2381 };

/** Renders a Kubernetes-hosted cluster: StatefulSet, Services, PDB, TLS, CronJobs, monitoring. */
export function renderEtcdKubernetes(o: ExternalEtcdClusterOptions & { readonly kubernetes: EtcdKubernetesOptions }): EtcdKubernetesRender {
  const subject = `ExternalEtcdCluster '${typeof (o as { name?: unknown })?.name === 'string' ? o.name : '?'}'`;
  checkOptions(subject, ETCD_KUBERNETES_OPTIONS, o);
  const k = o.kubernetes;
  const ns = k.namespace ?? 'etcd';
  const peerSvc = `${o.name}-peer`;
  const members = (ports: typeof PORTS, dataDir: string, count: number): ResolvedEtcdMember[] =>
    Array.from({ length: count }, (_, i) => {
      const host = `${o.name}-${i}.${peerSvc}.${ns}.svc`;
      return {
        name: `${o.name}-${i}`, address: host, zone: k.zone,
        clientUrl: `https://${host}:${ports.client}`, peerUrl: `https://${host}:${ports.peer}`, metricsUrl: `http://${host}:${ports.metrics}`,
        dataDir, listen: { client: `https://0.0.0.0:${ports.client}`, peer: `https://0.0.0.0:${ports.peer}`, metrics: `http://0.0.0.0:${ports.metrics}` },
      };
    });
  const tlsFiles = {
    caFile: `${PKI}/server/ca.crt`, certFile: `${PKI}/server/tls.crt`, keyFile: `${PKI}/server/tls.key`,
    peerCaFile: `${PKI}/peer/ca.crt`, peerCertFile: `${PKI}/peer/tls.crt`, peerKeyFile: `${PKI}/peer/tls.key`,
    clientCertFile: `${PKI}/client/tls.crt`, clientKeyFile: `${PKI}/client/tls.key`,
  };
  const p = new ProblemCollector();
  // Pods get the ports, data dir and certificate paths of the StatefulSet; host-level settings would be ignored.
  for (const [field, why] of [['hosts', 'lists members on hosts; a Kubernetes-hosted cluster has members'], ['ports', 'sets host ports; the pods use 2379, 2380 and 2381'], ['dataDir', 'sets a host path; the pods keep data on their volume'], ['tls', 'sets certificate files on hosts; in Kubernetes set kubernetes.tls']] as const) {
    p.check(o[field] === undefined, { field, message: `does not apply to a Kubernetes-hosted cluster: it ${why}`, value: o[field], fix: 'drop it' });
  }
  const r = resolveEtcdCluster({ ...o, ports: PORTS, dataDir: '/var/lib/etcd/data', tls: tlsFiles }, 'kubernetes', members, p);
  const ext = k.externalAccess;
  const warnings = [...r.warnings];
  if (k.spreadAcrossZones) {
    warnings.push(`ExternalEtcdCluster '${o.name}': members spread across zones; every write waits for a majority across zones, so cross-zone latency is added to every API request. Keep one zone unless you need zone failure tolerance and have sub-millisecond links.`);
  }
  p.check(k.backupVolume?.storageClassName === undefined || k.backupVolume.storageClassName !== k.storageClassName, {
    field: 'kubernetes.backupVolume.storageClassName', message: `is the members' own storage class: snapshots would sit on the disks they protect (a lost node loses both), and a local class pins the backup pod to a tainted etcd node`,
    value: k.backupVolume?.storageClassName, fix: 'name a class of other disks (network or object-backed storage), or omit it for the cluster default',
  });
  p.check(!(k.spreadAcrossZones && k.zone), { field: 'kubernetes.zone', message: "contradicts 'kubernetes.spreadAcrossZones'", value: k.zone, fix: 'keep one of them' });
  p.throwIfAny(subject);

  const labels = { 'app.kubernetes.io/name': 'etcd', 'app.kubernetes.io/instance': o.name, 'app.kubernetes.io/managed-by': 'gpuplane', 'app.kubernetes.io/version': r.version.version };
  const selector = { 'app.kubernetes.io/name': 'etcd', 'app.kubernetes.io/instance': o.name };
  const meta = (name: string, extra: Record<string, string> = {}) => ({ name, namespace: ns, labels: { ...labels, ...extra } });
  const internalClient = `https://$(POD_NAME).${peerSvc}.${ns}.svc:${PORTS.client}`;
  const template: ResolvedEtcdMember = {
    ...r.members[0], name: '$(POD_NAME)',
    // Advertised client URLs: the in-cluster name, and with external access the external one too.
    clientUrl: ext ? `${internalClient},https://$(POD_NAME).${ext.domain}:${PORTS.client}` : internalClient,
    peerUrl: `https://$(POD_NAME).${peerSvc}.${ns}.svc:${PORTS.peer}`,
  };
  const endpoints = ext ? r.members.map((m) => `https://${m.name}.${ext.domain}:${PORTS.client}`) : r.members.map((m) => m.clientUrl);
  const args = flagArgs(memberFlags(r, template, 'new', r.members));
  const quotaGiB = r.quotaBackendBytes / 2 ** 30;
  const storage = k.storageSize ?? `${Math.ceil(quotaGiB * 4 + 2)}Gi`;
  const taint = k.taint ?? { key: 'node-role.gpuplane.dev/etcd', effect: 'NoSchedule' as const };
  const probePath = etcdHasLivez(r.version) ? { live: '/livez', ready: '/readyz' } : { live: '/health', ready: '/health' };
  const secrets = k.tls?.mode === 'secrets' ? { server: k.tls.server, peer: k.tls.peer, client: k.tls.client } : { server: `${o.name}-server-tls`, peer: `${o.name}-peer-tls`, client: `${o.name}-client-tls` };
  const tlsVolumes = (['server', 'peer', 'client'] as const).map((kind) => ({ name: `${kind}-tls`, secret: { secretName: secrets[kind], defaultMode: 0o400 } }));
  const tlsMounts = (['server', 'peer', 'client'] as const).map((kind) => ({ name: `${kind}-tls`, mountPath: `${PKI}/${kind}`, readOnly: true }));
  const podSecurity = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } };
  const containerSecurity = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
  const affinity = {
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' }] },
    // One zone by default: every member joins the zone of the first (a write pays the round trip to a majority).
    ...(!k.zone && !k.spreadAcrossZones ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: selector }, topologyKey: 'topology.kubernetes.io/zone' }] } } : {}),
    ...(k.zone ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [k.zone] }] }] } } } : {}),
  };
  const tolerations = [{ key: taint.key, operator: taint.value === undefined ? 'Exists' : 'Equal', value: taint.value, effect: taint.effect }];
  const objects: KubeObject[] = [];
  const nodeSelector = k.nodeSelector ?? { 'node-role.gpuplane.dev/etcd': 'true' };
  const restore = kubernetesRestore({
    r, namespace: ns, statefulSet: o.name, backupClaim: `${o.name}-backups`, toolsImage: k.toolsImage, labels, selector, nodeSelector, tolerations,
    podSecurity, containerSecurity, tlsVolumes, pki: PKI, dataDir: r.members[0].dataDir,
  });
  const c: Ctx = { o, k, r, ns, peerSvc, ext, labels, selector, meta, secrets, tlsVolumes, podSecurity, containerSecurity, restore };

  if (k.tls?.mode !== 'secrets') objects.push(...tlsObjects(c));

  objects.push(
    {
      apiVersion: 'v1', kind: 'Service', metadata: meta(peerSvc),
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector, ports: [{ name: 'client', port: PORTS.client, targetPort: 'client' }, { name: 'peer', port: PORTS.peer, targetPort: 'peer' }] },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(`${o.name}-client`), spec: { type: 'ClusterIP', selector, ports: [{ name: 'client', port: PORTS.client, targetPort: 'client' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: meta(`${o.name}-metrics`, { 'gpuplane.dev/etcd-metrics': 'true' }), spec: { clusterIP: 'None', selector, ports: [{ name: 'metrics', port: PORTS.metrics, targetPort: 'metrics' }] } },
    {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta(o.name),
      spec: {
        serviceName: peerSvc,
        replicas: r.members.length,
        podManagementPolicy: 'Parallel', // members must start together to form the initial cluster
        updateStrategy: { type: 'RollingUpdate' },
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            priorityClassName: 'system-cluster-critical',
            terminationGracePeriodSeconds: 60,
            securityContext: podSecurity,
            nodeSelector,
            tolerations,
            affinity,
            topologySpreadConstraints: k.spreadAcrossZones ? [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector } }] : undefined,
            containers: [{
              name: 'etcd',
              image: k.image ?? etcdImage(r.version),
              imagePullPolicy: 'IfNotPresent',
              command: ['etcd'],
              args,
              env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              ports: [{ name: 'client', containerPort: PORTS.client }, { name: 'peer', containerPort: PORTS.peer }, { name: 'metrics', containerPort: PORTS.metrics }],
              resources: { requests: { cpu: k.resources?.cpu ?? '2', memory: k.resources?.memory ?? '8Gi' }, limits: { memory: k.resources?.memory ?? '8Gi' } },
              startupProbe: { httpGet: { path: probePath.live, port: 'metrics' }, periodSeconds: 5, failureThreshold: 60 },
              livenessProbe: { httpGet: { path: probePath.live, port: 'metrics' }, periodSeconds: 10, failureThreshold: 8, timeoutSeconds: 15 },
              readinessProbe: { httpGet: { path: probePath.ready, port: 'metrics' }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 5 },
              volumeMounts: [{ name: 'data', mountPath: '/var/lib/etcd' }, ...tlsMounts],
              securityContext: containerSecurity,
            }],
            volumes: tlsVolumes,
          },
        },
        volumeClaimTemplates: [{ metadata: { name: 'data', labels: selector }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: k.storageClassName, resources: { requests: { storage } } } }],
      },
    },
    ...(ext
      ? r.members.map((m) => ({
          apiVersion: 'v1', kind: 'Service', metadata: { ...meta(`${m.name}-external`), annotations: ext.annotations },
          spec: {
            type: ext.serviceType ?? 'LoadBalancer',
            // Each member behind its own address: clients must reach every member, not a random one.
            selector: { ...selector, 'statefulset.kubernetes.io/pod-name': m.name },
            ports: [{ name: 'client', port: PORTS.client, targetPort: 'client' }],
          },
        }))
      : []),
    // One member down at a time keeps a majority for 3, 5 and 7 members.
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(o.name), spec: { ...(r.members.length === 1 ? { minAvailable: 1 } : { maxUnavailable: 1 }), selector: { matchLabels: selector } } },
  );

  objects.push(...opsObjects(c), ...monitoringObjects(c));
  const canonical = objects.map((x) => canonicalize(x));
  assertValidObjects(`ExternalEtcdCluster '${o.name}'`, canonical);
  assertValidObjects(`ExternalEtcdCluster '${o.name}' restore Jobs`, restore.jobs);
  return { resolved: { ...r, warnings }, objects: canonical, namespace: ns, endpoints, restore };
}

/** What the parts of a Kubernetes-hosted cluster share: the options, the resolved cluster and the naming. */
interface Ctx {
  readonly o: ExternalEtcdClusterOptions & { readonly kubernetes: EtcdKubernetesOptions };
  readonly k: EtcdKubernetesOptions;
  readonly r: ResolvedEtcdCluster;
  readonly ns: string;
  readonly peerSvc: string;
  readonly ext?: EtcdKubernetesOptions['externalAccess'];
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
  readonly meta: (name: string, extra?: Record<string, string>) => { name: string; namespace: string; labels: Record<string, string> };
  readonly secrets: { readonly server: string; readonly peer: string; readonly client: string };
  readonly tlsVolumes: readonly Record<string, unknown>[];
  readonly podSecurity: Record<string, unknown>;
  readonly containerSecurity: Record<string, unknown>;
  readonly restore: EtcdKubernetesRestore;
}

/** TLS from cert-manager: a private CA chain (unless an issuer is given) and the server, peer and client certificates. */
function tlsObjects(c: Ctx): KubeObject[] {
  const { o, k, ns, peerSvc, ext, meta, secrets } = c;
  const objects: KubeObject[] = [];
  const issuerRef = k.tls?.mode === 'cert-manager' ? k.tls.issuerRef : undefined;
    const issuer = issuerRef ?? { name: `${o.name}-ca`, kind: 'Issuer' as const };
    if (!issuerRef) {
      objects.push(
        { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(`${o.name}-selfsigned`), spec: { selfSigned: {} } },
        { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta(`${o.name}-ca`), spec: { isCA: true, commonName: `${o.name}-etcd-ca`, secretName: `${o.name}-ca`, duration: '87600h', privateKey: { algorithm: 'ECDSA', size: 256 }, issuerRef: { name: `${o.name}-selfsigned`, kind: 'Issuer' } } },
        { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: meta(`${o.name}-ca`), spec: { ca: { secretName: `${o.name}-ca` } } },
      );
    }
    const dnsNames = [`*.${peerSvc}.${ns}.svc`, `*.${peerSvc}.${ns}.svc.cluster.local`, `${o.name}-client.${ns}.svc`, `${o.name}-client.${ns}.svc.cluster.local`, 'localhost', ...(ext ? [`*.${ext.domain}`] : [])];
    const cert = (kind: string, usages: string[], names: { dnsNames?: string[]; ipAddresses?: string[] }) => ({
      apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta(`${o.name}-${kind}`),
      spec: { secretName: secrets[kind as 'server'], commonName: `${o.name}-${kind}`, duration: '8760h', renewBefore: '1440h', usages, privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' }, issuerRef: issuer, ...names },
    });
    objects.push(
      cert('server', ['server auth', 'client auth'], { dnsNames, ipAddresses: ['127.0.0.1'] }),
      cert('peer', ['server auth', 'client auth'], { dnsNames }),
      cert('client', ['client auth'], {}),
    );
  return objects;
}

/** The operational scripts, the backup claim and the backup and defragmentation CronJobs. */
function opsObjects(c: Ctx): KubeObject[] {
  const { o, k, r, meta, tlsVolumes, podSecurity, containerSecurity } = c;
  const objects: KubeObject[] = [];
  const ctx: ScriptContext = { binaryDir: '/usr/local/bin', endpoints: r.members.map((m) => m.clientUrl) };
  objects.push({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${o.name}-ops`),
    data: {
      'etcd-backup.sh': backupScript(r, ctx), 'etcd-defrag.sh': defragScript(r, ctx), 'etcd-health-check.sh': healthCheckScript(r, ctx),
      // What the restore Jobs run (kubernetes-restore.ts): in the cluster before they are needed.
      'etcd-restore-member.sh': c.restore.memberScript, 'etcd-restore-verify.sh': c.restore.verifyScript,
    },
  });
  objects.push({
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta(`${o.name}-backups`),
    // Off the members' disks: the cluster's default class unless told otherwise (a local class on the etcd nodes would
    // keep snapshots beside the data they protect, and pin the backup pod to a tainted etcd node).
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: k.backupVolume?.storageClassName, resources: { requests: { storage: k.backupVolume?.size ?? '20Gi' } } },
  });
  const cronJob = (what: 'backup' | 'defrag', schedule: string, volumes: Record<string, unknown>[], mounts: Record<string, unknown>[]) => ({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta(`${o.name}-${what}`),
    spec: {
      schedule, concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3,
      jobTemplate: {
        spec: {
          backoffLimit: 1, activeDeadlineSeconds: 3600,
          template: {
            // Not the members' labels: the PDB (maxUnavailable) would select these Job pods, which have no scalable
            // controller, and the disruption controller then fails to sync it ("found no controllers for pod",
            // kubernetes pkg/controller/disruption/disruption.go getExpectedScale), so no member could be evicted.
            metadata: { labels: { 'app.kubernetes.io/name': 'etcd-ops', 'app.kubernetes.io/instance': o.name, 'app.kubernetes.io/component': what } },
            spec: {
              restartPolicy: 'Never', automountServiceAccountToken: false, securityContext: podSecurity,
              containers: [{
                name: what, image: k.toolsImage, command: ['/bin/bash', `/ops/etcd-${what}.sh`],
                env: [{ name: 'ETCDCTL', value: 'etcdctl' }, { name: 'ETCDUTL', value: 'etcdutl' }, { name: 'TEXTFILE_DIR', value: '/nonexistent' }],
                volumeMounts: [{ name: 'ops', mountPath: '/ops', readOnly: true }, { name: 'client-tls', mountPath: `${PKI}/client`, readOnly: true }, { name: 'server-tls', mountPath: `${PKI}/server`, readOnly: true }, ...mounts],
                resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
                securityContext: { ...containerSecurity, readOnlyRootFilesystem: false },
              }],
              volumes: [{ name: 'ops', configMap: { name: `${o.name}-ops` } }, ...tlsVolumes.filter((v) => v.name !== 'peer-tls'), ...volumes],
            },
          },
        },
      },
    },
  });
  objects.push(
    cronJob('backup', r.backup.schedule, [{ name: 'backups', persistentVolumeClaim: { claimName: `${o.name}-backups` } }], [{ name: 'backups', mountPath: r.backup.dir }]),
    cronJob('defrag', r.defrag.schedule, [], []),
  );
  return objects;
}

/** The ServiceMonitor and the alert rules. */
function monitoringObjects(c: Ctx): KubeObject[] {
  const { o, k, r, ns, labels, selector, meta } = c;
  const objects: KubeObject[] = [];
  const monitoringLabels = { ...labels, ...(k.monitoringLabels ?? {}) };
  objects.push(
    {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { ...meta(o.name), labels: monitoringLabels },
      spec: { selector: { matchLabels: { ...selector, 'gpuplane.dev/etcd-metrics': 'true' } }, namespaceSelector: { matchNames: [ns] }, endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }] },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { ...meta(o.name), labels: monitoringLabels },
      spec: { groups: [{ name: `${ns}.${o.name}.etcd`, rules: etcdAlertRules(r, { job: `${o.name}-metrics`, certificateSource: 'cert-manager', certificateNamespace: ns, backup: { source: 'cronjob', namespace: ns, cronjob: `${o.name}-backup` } }) }] },
    },
  );
  return objects;
}
