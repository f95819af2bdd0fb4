import { stringify } from 'yaml';
import { GpuplaneValidationError, refuse } from '../errors';
import { absolutePath } from '../options/formats';
import { arr, checkOptions, obj, oneOf, opt, problemsOf, str } from '../options/schema';
/** Anything with client endpoints: a rendered cluster, or one managed elsewhere (`externalEtcdEndpoints`). */
export interface EtcdEndpoints {
  readonly endpoints: readonly string[];
}

const ENDPOINTS = arr(str({ test: (e) => (/^https:\/\/[^/\s]+:\d+$/.test(e) ? undefined : 'must be an https URL with a port'), fix: "e.g. 'https://10.0.1.10:2379'; API servers talk to etcd over TLS only" }), { minItems: 1, unique: true, fix: "list every member's client URL" });

/** An etcd cluster gpuplane does not manage, usable wherever a cluster is accepted. */
export function externalEtcdEndpoints(endpoints: readonly string[]): EtcdEndpoints {
  const problems = problemsOf(ENDPOINTS, endpoints, 'endpoints');
  if (problems.length > 0) throw new GpuplaneValidationError('externalEtcdEndpoints', problems);
  return { endpoints: [...endpoints] };
}

/** The kubeadm API version and the client certificate paths of the ClusterConfiguration. */
export interface KubeadmOptions {
  /** @default 'v1beta4' */
  readonly apiVersion?: 'v1beta4' | 'v1beta3';
  /** @default '/etc/kubernetes/pki/etcd/ca.crt' */
  readonly caFile?: string;
  /** @default '/etc/kubernetes/pki/apiserver-etcd-client.crt' */
  readonly certFile?: string;
  /** @default '/etc/kubernetes/pki/apiserver-etcd-client.key' */
  readonly keyFile?: string;
  /** @default - kubeadm's choice */
  readonly kubernetesVersion?: string;
}

/**
 * The kubeadm ClusterConfiguration that points API servers at the external cluster, with the API server's own
 * compaction made explicit (every 5 minutes; etcd's periodic compaction is the backstop).
 */
const kubeadmPath = opt(absolutePath('/etc/kubernetes/pki/etcd/ca.crt'));
const KUBEADM_OPTIONS = obj<KubeadmOptions>({
  apiVersion: opt(oneOf(['v1beta4', 'v1beta3'])),
  caFile: kubeadmPath, certFile: kubeadmPath, keyFile: kubeadmPath,
  kubernetesVersion: opt(str({ test: (s) => (/^v?\d+\.\d+\.\d+$|^stable(-\d+(\.\d+)?)?$/.test(s) ? undefined : 'must be a Kubernetes version such as v1.34.2') })),
});

/** The kubeadm ClusterConfiguration that points API servers at an external etcd cluster. */
export function kubeadmClusterConfiguration(cluster: EtcdEndpoints, o: KubeadmOptions = {}): Record<string, unknown> {
  checkOptions('kubeadm ClusterConfiguration', KUBEADM_OPTIONS, o);
  const version = o.apiVersion ?? 'v1beta4';
  const etcdMinor = (cluster as { resolved?: { version?: { minor?: string } } }).resolved?.version?.minor;
  if (version === 'v1beta4' && etcdMinor === '3.4') {
    refuse('kubeadm ClusterConfiguration', {
      field: 'apiVersion', message: "is kubeadm v1beta4 (Kubernetes 1.31+), whose preflight refuses external etcd older than 3.5 (ExternalEtcdVersion), and the cluster runs etcd 3.4", value: version,
      fix: "upgrade the cluster to etcd 3.5 or 3.6 (version: '3.5.21'), or use apiVersion 'v1beta3' with an older kubeadm",
    });
  }
  const args: Record<string, string> = { 'etcd-compaction-interval': '5m' };
  return {
    apiVersion: `kubeadm.k8s.io/${version}`,
    kind: 'ClusterConfiguration',
    ...(o.kubernetesVersion ? { kubernetesVersion: o.kubernetesVersion } : {}),
    etcd: {
      external: {
        endpoints: [...cluster.endpoints],
        caFile: o.caFile ?? '/etc/kubernetes/pki/etcd/ca.crt',
        certFile: o.certFile ?? '/etc/kubernetes/pki/apiserver-etcd-client.crt',
        keyFile: o.keyFile ?? '/etc/kubernetes/pki/apiserver-etcd-client.key',
      },
    },
    apiServer: {
      // v1beta4 lists extra args as name/value pairs; v1beta3 as a map.
      extraArgs: version === 'v1beta4' ? Object.entries(args).map(([name, value]) => ({ name, value })) : args,
    },
  };
}

/** kubeadmClusterConfiguration as YAML. */
export function kubeadmClusterConfigurationYaml(cluster: EtcdEndpoints, o: KubeadmOptions = {}): string {
  return stringify(kubeadmClusterConfiguration(cluster, o));
}
