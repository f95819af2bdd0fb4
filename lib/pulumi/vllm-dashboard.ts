import * as pulumi from '@pulumi/pulumi';
import { DashboardServiceSpec, renderVllmDashboard } from '../core/dashboards/vllm';
import { createKubernetesResources } from './resources';

/** Args of the VllmDashboard component. */
export interface VllmDashboardArgs {
  /** The service (a Pulumi VllmService) the dashboard shows. */
  readonly service: { readonly resolved: DashboardServiceSpec };
  /** @default - the service's namespace (the Grafana sidecar must search it: `searchNamespace: ALL`) */
  readonly namespace?: string;
  /** @default - none: the sidecar's default folder */
  readonly folder?: string;
}

/** A Grafana dashboard for a VllmService, as a ConfigMap for kube-prometheus-stack's sidecar. */
export class VllmDashboard extends pulumi.ComponentResource {
  public readonly dashboard: Record<string, unknown>;
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: VllmDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    const render = renderVllmDashboard({ ...args, service: args?.service?.resolved ?? (args?.service as unknown as DashboardServiceSpec) });
    super('gpuplane:index:VllmDashboard', name, {}, opts);
    this.dashboard = render.dashboard;
    this.resources = createKubernetesResources(this, name, args.service.resolved.name, render.objects);
    this.registerOutputs({});
  }
}
