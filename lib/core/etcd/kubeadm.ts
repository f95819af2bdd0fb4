import { stringify } from 'yaml';
import { ResolvedEtcdCluster } from './options';

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
export function kubeadmClusterConfiguration(r: ResolvedEtcdCluster, o: KubeadmOptions = {}): Record<string, unknown> {
  const version = o.apiVersion ?? 'v1beta4';
  const args: Record<string, string> = { 'etcd-compaction-interval': '5m' };
  return {
    apiVersion: `kubeadm.k8s.io/${version}`,
    kind: 'ClusterConfiguration',
    ...(o.kubernetesVersion ? { kubernetesVersion: o.kubernetesVersion } : {}),
    etcd: {
      external: {
        endpoints: r.members.map((m) => m.clientUrl),
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

export function kubeadmClusterConfigurationYaml(r: ResolvedEtcdCluster, o: KubeadmOptions = {}): string {
  return stringify(kubeadmClusterConfiguration(r, o));
}
