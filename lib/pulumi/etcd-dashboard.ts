import * as pulumi from '@pulumi/pulumi';
import { EtcdDashboardSources, renderEtcdDashboardFrom } from '../core/dashboards/etcd';
import { createKubernetesResources } from './resources';

/** Arguments of the Pulumi EtcdDashboard: the etcd cluster it shows and where its ConfigMap goes. */
export type EtcdDashboardArgs = EtcdDashboardSources;

/** A Grafana dashboard for an ExternalEtcdCluster, as a ConfigMap for kube-prometheus-stack's sidecar. */
export class EtcdDashboard extends pulumi.ComponentResource {
  public readonly dashboard: Record<string, unknown>;
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: EtcdDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    const render = renderEtcdDashboardFrom(args);
    super('gpuplane:index:EtcdDashboard', name, {}, opts);
    this.dashboard = render.dashboard;
    this.resources = createKubernetesResources(this, name, args.cluster.resolved.name, render.objects);
    this.registerOutputs({});
  }
}
