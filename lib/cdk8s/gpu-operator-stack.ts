import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GpuOperatorRender, GpuOperatorStackOptions, renderGpuOperatorStack } from '../core/operator/stack';
import { GpuNodePool } from './gpu-node-pool';
import { addRenderedObjects } from './rendered';
import { reportWarnings, strictFor, StrictProps } from './warnings';

export interface GpuOperatorStackProps extends GpuOperatorStackOptions, StrictProps {
  /**
   * The pools whose configs the operator serves.
   * @default - every GpuNodePool and MigNodePool already in the app (construct the pools before the stack)
   */
  readonly pools?: GpuOperatorStackOptions['pools'];
}

/**
 * The NVIDIA GPU Operator for GitOps: namespace, the pools' device-plugin and mig-parted ConfigMaps, the DCGM
 * metrics ConfigMap and GPU health alerts, and the chart as a Flux HelmRelease or an Argo CD Application.
 * `valuesYaml` is the plain values file for `helm install`.
 */
export class GpuOperatorStack extends Construct {
  public readonly render: GpuOperatorRender;
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;
  public readonly values: Record<string, unknown>;
  public readonly valuesYaml: string;
  /** Advice about the configuration, printed at synth (errors in strict mode). */
  public readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: GpuOperatorStackProps = {}) {
    super(scope, id);
    const { strict, ...options } = props;
    const pools = options.pools ?? scope.node.root.node.findAll().filter((c): c is GpuNodePool => c instanceof GpuNodePool);
    this.render = renderGpuOperatorStack({ ...options, pools });
    this.warnings = this.render.warnings;
    reportWarnings(this, 'GpuOperatorStack', this.warnings, strictFor(this, strict));
    this.values = this.render.values;
    this.valuesYaml = this.render.valuesYaml;
    this.apiObjects = addRenderedObjects(this, 'gpuplane', this.render.objects);
  }
}
