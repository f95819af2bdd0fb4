import { isIP } from 'net';
import { isDns1123Subdomain } from '../kube';
import { absolutePath, dnsLabel, dnsSubdomain, imageReference, imageReferenceProblem, labels, labelValue, quantity } from '../options/formats';
import { arr, bool, num, obj, oneOf, opt, posInt, record, Schema, Shape, str, variants } from '../options/schema';
import type { EtcdHostsOptions } from './hosts';
import type { EtcdKubernetesOptions } from './kubernetes';
import type { EtcdBackupOptions, EtcdDefragOptions, EtcdHost, EtcdTlsFiles, ExternalEtcdClusterOptions } from './options';
import { parseEtcdVersion } from './versions';

const port = (fix: string) => num({ integer: true, min: 1, max: 65535, fix });

/** A member address: an IP address or a DNS name. */
const address = str({
  expected: 'an IP address or DNS name',
  test: (s) => (isIP(s) !== 0 || isDns1123Subdomain(s) ? undefined : 'must be an IP address or a DNS name'),
  fix: "e.g. '10.0.1.10' or 'etcd-1.example.internal'",
});

const HOST = obj<EtcdHost>({
  name: dnsLabel(63, 'e.g. "etcd-1"'),
  address,
  zone: opt(labelValue()),
  clientPort: opt(port('use 2379')),
  peerPort: opt(port('use 2380')),
  metricsPort: opt(port('use 2381')),
  dataDir: opt(absolutePath('/var/lib/etcd')),
});

const tlsPath = opt(absolutePath('/etc/etcd/pki/ca.crt'));
const TLS_FILES = obj<Partial<EtcdTlsFiles>>({
  caFile: tlsPath, certFile: tlsPath, keyFile: tlsPath, peerCaFile: tlsPath, peerCertFile: tlsPath, peerKeyFile: tlsPath, clientCertFile: tlsPath, clientKeyFile: tlsPath,
});

/** Schedules are checked per mode: a cron schedule for CronJobs, a systemd OnCalendar expression on hosts. */
const schedule = str({ minLength: 1, test: (s) => (/[\n'"`$\\;]/.test(s) ? 'must not contain quotes, newlines or shell syntax (it is written into unit files)' : undefined) });

const BACKUP = obj<EtcdBackupOptions>({
  schedule: opt(schedule),
  retain: opt(posInt('use 14')),
  dir: opt(absolutePath('/var/backups/etcd')),
  maxAgeHours: opt(num({ gt: 0, fix: 'use 13 (two missed runs at the default schedule)' })),
  textfileDir: opt(absolutePath('/var/lib/node_exporter/textfile_collector')),
});

const share = (fix: string) => num({ min: 0, lt: 1, fix });
const DEFRAG = obj<EtcdDefragOptions>({
  fragmentationThreshold: opt(share('e.g. 0.5')),
  quotaThreshold: opt(share('e.g. 0.8')),
  pauseSeconds: opt(num({ integer: true, min: 0, fix: 'use 30' })),
  schedule: opt(schedule),
});

const FLAG_NAME = str({ test: (s) => (/^(--)?[a-z0-9][a-z0-9-]*$/.test(s) ? undefined : 'must be an etcd flag name such as --log-level') });
const FLAG_VALUE = str({ test: (s) => (/[\n'"`$\\;]/.test(s) ? 'must not contain quotes, newlines or shell syntax (it is written into scripts and unit files)' : undefined) });

const CLUSTER: Shape<ExternalEtcdClusterOptions> = {
  name: dnsLabel(40, 'e.g. "etcd-main"'),
  version: opt(str({ test: (s) => (parseEtcdVersion(s) ? undefined : 'must be an etcd 3.4, 3.5 or 3.6 release'), allowed: '3.4.x, 3.5.x, 3.6.x', fix: 'e.g. "3.5.21"' })),
  hosts: opt(arr(HOST)),
  members: opt(posInt('use 3')),
  developmentSingleMember: opt(bool()),
  ports: opt(obj<NonNullable<ExternalEtcdClusterOptions['ports']>>({ client: opt(port('use 2379')), peer: opt(port('use 2380')), metrics: opt(port('use 2381')) })),
  dataDir: opt(absolutePath('/var/lib/etcd')),
  tls: opt(TLS_FILES),
  quotaBackendBytes: opt(posInt('keep 2 GiB (2147483648)')),
  autoCompactionRetention: opt(str({ test: (s) => (/^\d+(m|h)$/.test(s) && parseInt(s, 10) > 0 ? undefined : 'must be a duration in minutes or hours'), fix: "use e.g. '8h'" })),
  heartbeatIntervalMs: opt(posInt('use 100')),
  electionTimeoutMs: opt(posInt('use 1000')),
  snapshotCount: opt(posInt('use 10000')),
  extraFlags: opt(record(FLAG_VALUE, FLAG_NAME)),
  backup: opt(BACKUP),
  defrag: opt(DEFRAG),
};

const secretName = dnsSubdomain('name a Secret of kubernetes.io/tls type');

const KUBERNETES = obj<EtcdKubernetesOptions>({
  namespace: opt(dnsLabel(63, "use 'etcd'")),
  storageClassName: dnsSubdomain("name a fast StorageClass, e.g. 'local-nvme'"),
  storageSize: opt(quantity('10Gi')),
  nodeSelector: opt(labels()),
  taint: opt(obj<NonNullable<EtcdKubernetesOptions['taint']>>({ key: str({ minLength: 1 }), value: opt(labelValue()), effect: oneOf(['NoSchedule', 'NoExecute']) })),
  zone: opt(labelValue()),
  spreadAcrossZones: opt(bool()),
  image: opt(imageReference('e.g. "registry.k8s.io/etcd:3.5.21-0"')),
  toolsImage: str({
    expected: 'an image for the backup and defragmentation CronJobs with bash, etcdctl (etcdutl from 3.5), awk and grep: the official etcd images are distroless, so there is no default',
    test: imageReferenceProblem, fix: 'name an image with those tools, pinned by tag or digest',
  }),
  tls: opt(variants('mode', {
    'cert-manager': obj<{ readonly mode: 'cert-manager'; readonly issuerRef?: { readonly name: string; readonly kind: 'Issuer' | 'ClusterIssuer' } }>({
      mode: oneOf(['cert-manager']),
      issuerRef: opt(obj<{ readonly name: string; readonly kind: 'Issuer' | 'ClusterIssuer' }>({ name: dnsSubdomain(), kind: oneOf(['Issuer', 'ClusterIssuer']) })),
    }),
    secrets: obj<{ readonly mode: 'secrets'; readonly server: string; readonly peer: string; readonly client: string }>({ mode: oneOf(['secrets']), server: secretName, peer: secretName, client: secretName }),
  })),
  resources: opt(obj<NonNullable<EtcdKubernetesOptions['resources']>>({ cpu: opt(quantity('2')), memory: opt(quantity('8Gi')) })),
  backupVolume: opt(obj<NonNullable<EtcdKubernetesOptions['backupVolume']>>({ size: opt(quantity('20Gi')), storageClassName: opt(dnsSubdomain()) })),
  monitoringLabels: opt(labels()),
  externalAccess: opt(obj<NonNullable<EtcdKubernetesOptions['externalAccess']>>({
    domain: str({ test: (s) => (isDns1123Subdomain(s) && s.includes('.') ? undefined : 'must be a DNS domain'), fix: "e.g. 'etcd.example.internal'" }),
    serviceType: opt(oneOf(['LoadBalancer', 'NodePort'])),
    annotations: opt(record(str())),
  })),
});

/** Every option of a Kubernetes-hosted cluster. */
export const ETCD_KUBERNETES_OPTIONS: Schema<ExternalEtcdClusterOptions & { readonly kubernetes: EtcdKubernetesOptions }> = obj<ExternalEtcdClusterOptions & { readonly kubernetes: EtcdKubernetesOptions }>({ ...CLUSTER, kubernetes: KUBERNETES });

/** Every option of a cluster on hosts. */
export const ETCD_HOSTS_OPTIONS: Schema<EtcdHostsOptions> = obj<EtcdHostsOptions>({
  ...CLUSTER,
  binaryDir: opt(absolutePath('/usr/local/bin')),
  scriptDir: opt(absolutePath('/usr/local/lib/etcd-ops')),
});
