import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { GpuOperatorRender, GpuOperatorStackOptions, renderGpuOperatorStack } from '../core/operator/stack';
import { GpuOperatorSideFileNames, gpuOperatorSideFiles, SideFile, SideFilesOption } from '../core/side-files';
import { createKubernetesResources } from './resources';
import { sideFileMap } from './side-files';
import { logWarnings, refuseWarningsIfStrict, strictFor, StrictArgs } from './warnings';

/** Args of the GpuOperatorStack component: the core options without GitOps delivery (the chart is a helm.v3.Release). */
export type GpuOperatorStackArgs = Omit<GpuOperatorStackOptions, 'delivery' | 'flux' | 'argocd'> & StrictArgs & {
  /**
   * The plain Helm values file in the `sideFiles` output (write it with `saveSideFiles`); `false` leaves it out,
   * `{ valuesFile }` renames it.
   * @default - `<component name>.values.yaml` - the same file the cdk8s construct writes beside its manifests
   */
  readonly sideFiles?: SideFilesOption<GpuOperatorSideFileNames>;
};

/**
 * The NVIDIA GPU Operator as a Pulumi component (`gpuplane:index:GpuOperatorStack`): the same ConfigMaps and
 * alerts as the cdk8s construct, and the chart as a `k8s.helm.v3.Release` with the same values.
 */
export class GpuOperatorStack extends pulumi.ComponentResource {
  public readonly render: GpuOperatorRender;
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  public readonly release: k8s.helm.v3.Release;
  /** The NVIDIA DRA driver's chart (OCI), when draDriver is set. */
  public readonly draRelease?: k8s.helm.v3.Release;
  /** The side files (the plain Helm values), as the cdk8s construct writes them; also the `sideFiles` output (path to content). */
  public readonly sideFiles: readonly SideFile[];

  constructor(name: string, args: GpuOperatorStackArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const { strict, sideFiles, ...options } = args;
    const render = renderGpuOperatorStack({ ...options, delivery: 'none' });
    const files = gpuOperatorSideFiles('GpuOperatorStack', name, render.valuesYaml, sideFiles);
    refuseWarningsIfStrict('GpuOperatorStack', render.warnings, strictFor(strict));
    super('gpuplane:index:GpuOperatorStack', name, {}, opts);
    logWarnings(this, render.warnings);
    this.render = render;
    this.sideFiles = files;
    this.resources = createKubernetesResources(this, name, 'gpuplane', render.objects);
    const h = render.helmRelease;
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      { name: h.name, chart: h.chart, version: h.version, namespace: h.namespace, repositoryOpts: { repo: h.repository }, values: h.values, createNamespace: false },
      { parent: this, dependsOn: Object.values(this.resources) },
    );
    const d = render.draHelmRelease;
    if (d) {
      // An OCI chart is named by its full reference; Helm resolves it without a repository.
      this.draRelease = new k8s.helm.v3.Release(
        `${name}-dra-driver`,
        { name: d.name, chart: `${d.repository}/${d.chart}`, version: d.version, namespace: d.namespace, values: d.values, createNamespace: false },
        { parent: this, dependsOn: [this.release, ...Object.values(this.resources)] },
      );
    }
    this.registerOutputs({ namespace: render.namespace, chartVersion: render.chartVersion, sideFiles: sideFileMap(files) });
  }
}
