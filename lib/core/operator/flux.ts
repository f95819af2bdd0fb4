/** A chart as Flux delivers it: the HelmRepository it comes from and the HelmRelease that installs it. */
export interface FluxChart {
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  /** The repository is an OCI registry (`type: oci`). */
  readonly oci?: boolean;
  readonly chart: string;
  readonly version: string;
  readonly releaseName: string;
  readonly targetNamespace: string;
  readonly fluxNamespace: string;
  readonly interval: string;
  readonly labels: Record<string, string>;
  readonly values: Record<string, unknown>;
  /** HelmReleases installed first. */
  readonly dependsOn?: readonly string[];
}

/** The HelmRepository and HelmRelease of a chart; CRDs created and replaced on install and upgrade, three retries. */
export function fluxHelmObjects(c: FluxChart): Record<string, unknown>[] {
  return [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository',
      metadata: { name: c.repositoryName, namespace: c.fluxNamespace, labels: c.labels },
      spec: { ...(c.oci ? { type: 'oci' } : {}), url: c.repositoryUrl, interval: c.interval },
    },
    {
      apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease',
      metadata: { name: c.releaseName, namespace: c.fluxNamespace, labels: c.labels },
      spec: {
        interval: c.interval, releaseName: c.releaseName, targetNamespace: c.targetNamespace,
        chart: { spec: { chart: c.chart, version: c.version, sourceRef: { kind: 'HelmRepository', name: c.repositoryName, namespace: c.fluxNamespace }, interval: c.interval } },
        ...(c.dependsOn ? { dependsOn: c.dependsOn.map((name) => ({ name, namespace: c.fluxNamespace })) } : {}),
        install: { crds: 'CreateReplace', remediation: { retries: 3 } },
        upgrade: { crds: 'CreateReplace', remediation: { retries: 3 } },
        values: c.values,
      },
    },
  ];
}
