import { stringify } from 'yaml';
/** Anything with client endpoints: a rendered cluster, or one managed elsewhere (`externalEtcdEndpoints`). */
export interface EtcdEndpoints {
  readonly endpoints: readonly string[];
}

/** An etcd cluster gpuplane does not manage, usable wherever a cluster is accepted. */
export function externalEtcdEndpoints(endpoints: readonly string[]): EtcdEndpoints {
  for (const e of endpoints) {
    if (!/^https:\/\/[^/]+:\d+$/.test(e)) {
      throw new Error(`'endpoints' must be https URLs with a port (got ${JSON.stringify(e)}). Fix: e.g. 'https://10.0.1.10:2379'; API servers talk to etcd over TLS only.`);
    }
  }
  if (endpoints.length === 0) throw new Error(`'endpoints' must list at least one member (got none). Fix: list every member's client URL.`);
  return { endpoints: [...endpoints] };
}

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
export function kubeadmClusterConfiguration(cluster: EtcdEndpoints, o: KubeadmOptions = {}): Record<string, unknown> {
  const version = o.apiVersion ?? 'v1beta4';
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

export function kubeadmClusterConfigurationYaml(cluster: EtcdEndpoints, o: KubeadmOptions = {}): string {
  return stringify(kubeadmClusterConfiguration(cluster, o));
}
