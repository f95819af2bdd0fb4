import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DashboardServiceSpec, renderVllmDashboard } from '../core/dashboards/vllm';
import { addRenderedObjects } from './rendered';

/** Props of VllmDashboard. */
export interface VllmDashboardProps {
  /** The service (a VllmService) the dashboard shows. */
  readonly service: { readonly resolved: DashboardServiceSpec };
  /** @default - the service's namespace (the Grafana sidecar must search it: `searchNamespace: ALL`) */
  readonly namespace?: string;
  /** @default - none: the sidecar's default folder */
  readonly folder?: string;
}

/** A Grafana dashboard for a VllmService, as a ConfigMap for kube-prometheus-stack's sidecar. */
export class VllmDashboard extends Construct {
  /** The dashboard JSON model. */
  public readonly dashboard: Record<string, unknown>;
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: VllmDashboardProps) {
    super(scope, id);
    const render = renderVllmDashboard({ ...props, service: props?.service?.resolved ?? (props?.service as unknown as DashboardServiceSpec) });
    this.dashboard = render.dashboard;
    this.apiObjects = addRenderedObjects(this, props.service.resolved.name, render.objects);
  }
}
