import type { ExternalEtcdClusterProps } from '../lib/cdk8s/external-etcd-cluster';

/** Dedicated etcd clusters for control planes. Shared by the cdk8s app and the Pulumi program. */
export const EXAMPLE_ETCD: Record<string, ExternalEtcdClusterProps & { readonly name: string }> = {
  // Three members on dedicated nodes of a management cluster, TLS from cert-manager, NVMe storage.
  'etcd-kubernetes': {
    name: 'etcd-main',
    version: '3.5.21',
    kubernetes: {
      namespace: 'etcd',
      storageClassName: 'local-nvme',
      zone: 'eu-west-1a',
      toolsImage: 'registry.example.com/platform/etcd-tools:3.5.21',
      monitoringLabels: { release: 'kube-prometheus-stack' },
    },
  },
  // Five members on VMs provisioned elsewhere (tolerates two failures).
  'etcd-hosts': {
    name: 'etcd-prod',
    version: '3.5.21',
    hosts: [1, 2, 3, 4, 5].map((i) => ({ name: `etcd-${i}`, address: `10.20.0.${10 + i}`, zone: 'eu-west-1a' })),
    quotaBackendBytes: 4 * 2 ** 30,
  },
};

/** The etcd charts that also get the etcd Grafana dashboard (in the cluster's namespace). */
export const EXAMPLE_ETCD_DASHBOARDS: readonly string[] = ['etcd-kubernetes'];
