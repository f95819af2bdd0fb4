import * as pulumi from '@pulumi/pulumi';
import { GpuDashboardSources, renderGpuDashboardFrom } from '../core/dashboards/gpu';
import { createKubernetesResources } from './resources';

/** Arguments of the Pulumi GpuDashboard: the GPU pools (or the operator stack) it shows and where its ConfigMap goes. */
export type GpuDashboardArgs = GpuDashboardSources;

/** A Grafana dashboard for GPU pools (DCGM, MIG instances included), as a ConfigMap for kube-prometheus-stack's sidecar. */
export class GpuDashboard extends pulumi.ComponentResource {
  public readonly dashboard: Record<string, unknown>;
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: GpuDashboardArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const render = renderGpuDashboardFrom(args);
    super('gpuplane:index:GpuDashboard', name, {}, opts);
    this.dashboard = render.dashboard;
    this.resources = createKubernetesResources(this, name, 'gpuplane', render.objects);
    this.registerOutputs({});
  }
}
