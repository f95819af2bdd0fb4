import * as pulumi from '@pulumi/pulumi';
import { DashboardPoolSpec, renderGpuDashboard } from '../core/dashboards/gpu';
import { createKubernetesResources } from './resources';

/** Arguments of the Pulumi GpuDashboard: the GPU pools (or the operator stack) it shows and where its ConfigMap goes. */
export interface GpuDashboardArgs {
  /** The GPU Operator stack (a Pulumi GpuOperatorStack) whose dcgm-exporter the dashboard reads. @default - none: give `pools` */
  readonly stack?: { readonly render: { readonly namespace: string; readonly pools: readonly DashboardPoolSpec[] } };
  /** The pools (Pulumi GpuNodePool, MigNodePool) the dashboard offers, without a stack. @default - the stack's pools */
  readonly pools?: readonly { readonly resolved: DashboardPoolSpec }[];
  /** @default - the stack's namespace, else 'gpu-operator' */
  readonly operatorNamespace?: string;
  /** @default 'gpu-pools' */
  readonly name?: string;
  /** @default - the operator namespace (the Grafana sidecar must search it: `searchNamespace: ALL`) */
  readonly namespace?: string;
  /** @default - none: the sidecar's default folder */
  readonly folder?: string;
  /** @default { grafana_dashboard: '1' } - kube-prometheus-stack's default */
  readonly sidecarLabel?: Record<string, string>;
}

/** A Grafana dashboard for GPU pools (DCGM, MIG instances included), as a ConfigMap for kube-prometheus-stack's sidecar. */
export class GpuDashboard extends pulumi.ComponentResource {
  public readonly dashboard: Record<string, unknown>;
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;

  constructor(name: string, args: GpuDashboardArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const { stack, pools, ...rest } = args;
    const render = renderGpuDashboard({
      ...rest,
      pools: pools ? pools.map((p) => p?.resolved ?? (p as unknown as DashboardPoolSpec)) : stack?.render.pools,
      operatorNamespace: rest.operatorNamespace ?? stack?.render.namespace,
    });
    super('gpuplane:index:GpuDashboard', name, {}, opts);
    this.dashboard = render.dashboard;
    this.resources = createKubernetesResources(this, name, 'gpuplane', render.objects);
    this.registerOutputs({});
  }
}
