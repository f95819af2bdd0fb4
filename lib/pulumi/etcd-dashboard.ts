import * as pulumi from '@pulumi/pulumi';
import { renderEtcdDashboard } from '../core/dashboards/etcd';
import { ResolvedEtcdCluster } from '../core/etcd/options';
import { createKubernetesResources } from './resources';

/** Arguments of the Pulumi EtcdDashboard: the etcd cluster it shows and where its ConfigMap goes. */
export interface EtcdDashboardArgs {
  /** The cluster (a Pulumi ExternalEtcdCluster) the dashboard shows. */
  readonly cluster: { readonly resolved: ResolvedEtcdCluster; readonly namespace?: string };
  /** @default - the cluster's namespace; required for members on hosts (the Grafana sidecar must search it) */
  readonly namespace?: string;
  /** @default - none: the sidecar's default folder */
  readonly folder?: string;
  /** @default { grafana_dashboard: '1' } - kube-prometheus-stack's default */
  readonly sidecarLabel?: Record<string, string>;
}

/** A Grafana dashboard for an ExternalEtcdCluster, as a ConfigMap for kube-prometheus-stack's sidecar. */
export class EtcdDashboard extends pulumi.ComponentResource {
  public readonly dashboard: Record<string, unknown>;
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: EtcdDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    const { cluster, ...rest } = args;
    const resolved = cluster?.resolved;
    const spec = resolved ? { name: resolved.name, mode: resolved.mode, version: resolved.version?.version } : (resolved as never);
    const render = renderEtcdDashboard({ ...rest, cluster: spec, clusterNamespace: cluster?.namespace });
    super('gpuplane:index:EtcdDashboard', name, {}, opts);
    this.dashboard = render.dashboard;
    this.resources = createKubernetesResources(this, name, resolved.name, render.objects);
    this.registerOutputs({});
  }
}
