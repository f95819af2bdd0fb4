import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GpuDashboardSources, renderGpuDashboardFrom } from '../core/dashboards/gpu';
import { addRenderedObjects } from './rendered';

/** Props of GpuDashboard: the GPU pools (or the operator stack) it shows and where its ConfigMap goes. */
export type GpuDashboardProps = GpuDashboardSources;

/** A Grafana dashboard for GPU pools (DCGM, MIG instances included), as a ConfigMap for kube-prometheus-stack's sidecar. */
export class GpuDashboard extends Construct {
  /** The dashboard JSON model. */
  public readonly dashboard: Record<string, unknown>;
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: GpuDashboardProps = {}) {
    super(scope, id);
    const render = renderGpuDashboardFrom(props);
    this.dashboard = render.dashboard;
    this.apiObjects = addRenderedObjects(this, 'gpuplane', render.objects);
  }
}
