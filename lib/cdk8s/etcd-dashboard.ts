import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { EtcdDashboardSources, renderEtcdDashboardFrom } from '../core/dashboards/etcd';
import { addRenderedObjects } from './rendered';

/** Props of EtcdDashboard: the etcd cluster it shows and where its ConfigMap goes. */
export type EtcdDashboardProps = EtcdDashboardSources;

/** A Grafana dashboard for an ExternalEtcdCluster, as a ConfigMap for kube-prometheus-stack's sidecar. */
export class EtcdDashboard extends Construct {
  /** The dashboard JSON model. */
  public readonly dashboard: Record<string, unknown>;
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: EtcdDashboardProps) {
    super(scope, id);
    const render = renderEtcdDashboardFrom(props);
    this.dashboard = render.dashboard;
    this.apiObjects = addRenderedObjects(this, props.cluster.resolved.name, render.objects);
  }
}
