import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GpuOperatorRender, GpuOperatorStackOptions, renderGpuOperatorStack } from '../core/operator/stack';
import { GpuOperatorSideFileNames, gpuOperatorSideFiles, SideFile, SideFilesOption } from '../core/side-files';
import { GpuNodePool } from './gpu-node-pool';
import { addRenderedObjects } from './rendered';
import { chartIdOf, registerSideFiles } from './side-files';
import { reportWarnings, strictFor, StrictProps } from './warnings';

export interface GpuOperatorStackProps extends GpuOperatorStackOptions, StrictProps {
  /**
   * The pools whose configs the operator serves.
   * @default - every GpuNodePool and MigNodePool already in the app (construct the pools before the stack)
   */
  readonly pools?: GpuOperatorStackOptions['pools'];
  /**
   * The plain Helm values file written beside the manifests at synth; `false` writes none, `{ valuesFile }` renames it.
   * @default - `<chart id>.values.yaml` - the values `helm install` needs, next to the manifests they belong to
   */
  readonly sideFiles?: SideFilesOption<GpuOperatorSideFileNames>;
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
  /** The files written beside the manifests at synth (paths relative to the output directory). */
  public readonly sideFiles: readonly SideFile[];
  /** Advice about the configuration, printed at synth (errors in strict mode). */
  public readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: GpuOperatorStackProps = {}) {
    super(scope, id);
    const { strict, sideFiles, ...options } = props;
    const pools = options.pools ?? scope.node.root.node.findAll().filter((c): c is GpuNodePool => c instanceof GpuNodePool);
    this.render = renderGpuOperatorStack({ ...options, pools });
    this.warnings = this.render.warnings;
    reportWarnings(this, 'GpuOperatorStack', this.warnings, strictFor(this, strict));
    this.values = this.render.values;
    this.valuesYaml = this.render.valuesYaml;
    this.apiObjects = addRenderedObjects(this, 'gpuplane', this.render.objects);
    this.sideFiles = gpuOperatorSideFiles('GpuOperatorStack', chartIdOf(this), this.valuesYaml, sideFiles);
    registerSideFiles(this, () => this.sideFiles);
  }
}
