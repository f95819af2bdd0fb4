import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { renderEtcdDashboard } from '../core/dashboards/etcd';
import { ResolvedEtcdCluster } from '../core/etcd/options';
import { addRenderedObjects } from './rendered';

/** Props of EtcdDashboard: the etcd cluster it shows and where its ConfigMap goes. */
export interface EtcdDashboardProps {
  /** The cluster (an ExternalEtcdCluster) the dashboard shows. */
  readonly cluster: { readonly resolved: ResolvedEtcdCluster; readonly namespace?: string };
  /** @default - the cluster's namespace; required for members on hosts (the Grafana sidecar must search it) */
  readonly namespace?: string;
  /** @default - none: the sidecar's default folder */
  readonly folder?: string;
  /** @default { grafana_dashboard: '1' } - kube-prometheus-stack's default */
  readonly sidecarLabel?: Record<string, string>;
}

/** A Grafana dashboard for an ExternalEtcdCluster, as a ConfigMap for kube-prometheus-stack's sidecar. */
export class EtcdDashboard extends Construct {
  /** The dashboard JSON model. */
  public readonly dashboard: Record<string, unknown>;
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: EtcdDashboardProps) {
    super(scope, id);
    const { cluster, ...rest } = props;
    const resolved = cluster?.resolved;
    const spec = resolved ? { name: resolved.name, mode: resolved.mode, version: resolved.version?.version } : (resolved as never);
    const render = renderEtcdDashboard({ ...rest, cluster: spec, clusterNamespace: cluster?.namespace });
    this.dashboard = render.dashboard;
    this.apiObjects = addRenderedObjects(this, resolved.name, render.objects);
  }
}
