import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DashboardPoolSpec, renderGpuDashboard } from '../core/dashboards/gpu';
import { addRenderedObjects } from './rendered';

/** Props of GpuDashboard: the GPU pools (or the operator stack) it shows and where its ConfigMap goes. */
export interface GpuDashboardProps {
  /**
   * The GPU Operator stack whose dcgm-exporter the dashboard reads: its pools and its namespace.
   * @default - none: give `pools`
   */
  readonly stack?: { readonly render: { readonly namespace: string; readonly pools: readonly DashboardPoolSpec[] } };
  /** The pools (GpuNodePool, MigNodePool) the dashboard offers, without a stack. @default - the stack's pools */
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
export class GpuDashboard extends Construct {
  /** The dashboard JSON model. */
  public readonly dashboard: Record<string, unknown>;
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: GpuDashboardProps = {}) {
    super(scope, id);
    const { stack, pools, ...rest } = props;
    const render = renderGpuDashboard({
      ...rest,
      pools: pools ? pools.map((p) => p?.resolved ?? (p as unknown as DashboardPoolSpec)) : stack?.render.pools,
      operatorNamespace: rest.operatorNamespace ?? stack?.render.namespace,
    });
    this.dashboard = render.dashboard;
    this.apiObjects = addRenderedObjects(this, 'gpuplane', render.objects);
  }
}
