import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { EtcdHostsOptions, EtcdHostsRender, renderEtcdHosts } from '../core/etcd/hosts';
import { EtcdEndpoints, externalEtcdEndpoints, kubeadmClusterConfigurationYaml, KubeadmOptions } from '../core/etcd/kubeadm';
import { EtcdKubernetesOptions, renderEtcdKubernetes } from '../core/etcd/kubernetes';
import { EtcdKubernetesRestore } from '../core/etcd/kubernetes-restore';
import { etcdScrapeConfig } from '../core/etcd/monitoring';
import { ExternalEtcdClusterOptions, ResolvedEtcdCluster } from '../core/etcd/options';
import { checkSideFilesOption, ETCD_SIDE_FILES, etcdSideFiles, EtcdSideFileNames, SideFile, SideFilesOption } from '../core/side-files';
import { addRenderedObjects } from './rendered';
import { chartIdOf, registerSideFiles } from './side-files';
import { reportWarnings, strictFor, StrictProps } from './warnings';

/** Props of the ExternalEtcdCluster construct: Kubernetes-hosted (`kubernetes`) or on hosts (`hosts`). */
export type ExternalEtcdClusterProps = Omit<ExternalEtcdClusterOptions, 'name'> & StrictProps & {
  /** @default - the construct id, lower-cased */
  readonly name?: string;
  /**
   * kubeadm ClusterConfiguration options for the kubeadm side file.
   * @default {} - kubeadm v1beta4 with kubeadm's own certificate paths
   */
  readonly kubeadm?: KubeadmOptions;
  /**
   * The kubeadm ClusterConfiguration and, in hosts mode, every member's files and the scripts, written beside the
   * manifests at synth; `false` writes none, an object renames them.
   * @default - `<chart id>.kubeadm.yaml` and the folder `<chart id>/` - what the control plane and the hosts need, next to the manifests
   */
  readonly sideFiles?: SideFilesOption<EtcdSideFileNames>;
} & ({ readonly kubernetes: EtcdKubernetesOptions; readonly hosts?: undefined } | ({ readonly kubernetes?: undefined } & Pick<EtcdHostsOptions, 'hosts' | 'binaryDir' | 'scriptDir'>));

/**
 * A dedicated etcd cluster for Kubernetes control planes. Kubernetes-hosted: StatefulSet, Services, PDB, TLS,
 * backup and defragmentation CronJobs, ServiceMonitor and alerts. Hosts mode: each member's command line,
 * environment file and systemd unit, the operational scripts and timers, and a Prometheus scrape job.
 * Both give the kubeadm ClusterConfiguration that points API servers at the cluster.
 */
export class ExternalEtcdCluster extends Construct implements EtcdEndpoints {
  /** An etcd cluster managed elsewhere, usable wherever a cluster is accepted. */
  public static fromEndpoints(endpoints: readonly string[]): EtcdEndpoints {
    return externalEtcdEndpoints(endpoints);
  }

  public readonly resolved: ResolvedEtcdCluster;
  /** The namespace of Kubernetes-hosted members. @default - none: members on hosts */
  public readonly namespace?: string;
  public readonly endpoints: readonly string[];
  public readonly apiObjects: Readonly<Record<string, ApiObject>>;
  /** Hosts mode: the files for every member and the scripts. */
  public readonly hostFiles?: EtcdHostsRender;
  /**
   * Kubernetes-hosted: the restore procedure (script, steps, one Job per member and a verification Job), the
   * counterpart of `hostFiles.scripts.restore`. Its Jobs are not in the chart: a restore is run, never synced.
   */
  public readonly restore?: EtcdKubernetesRestore;
  /** Hosts mode: the Prometheus scrape job for the members' metrics listeners. */
  public readonly scrapeConfig?: Record<string, unknown>;
  /** Advice about the configuration, printed at synth (errors in strict mode). */
  public readonly warnings: readonly string[];

  constructor(scope: Construct, id: string, props: ExternalEtcdClusterProps) {
    super(scope, id);
    const { strict, kubeadm, sideFiles, ...options } = props;
    const name = options.name ?? id.toLowerCase();
    checkSideFilesOption(`ExternalEtcdCluster '${name}'`, ETCD_SIDE_FILES, sideFiles);
    if (options.kubernetes) {
      const render = renderEtcdKubernetes({ ...options, name, kubernetes: options.kubernetes });
      this.resolved = render.resolved;
      this.namespace = render.namespace;
      this.endpoints = render.endpoints;
      this.restore = render.restore;
      this.apiObjects = addRenderedObjects(this, name, render.objects);
    } else {
      const render = renderEtcdHosts({ ...(options as EtcdHostsOptions), name });
      this.resolved = render.resolved;
      this.endpoints = render.resolved.members.map((m) => m.clientUrl);
      this.hostFiles = render;
      this.scrapeConfig = etcdScrapeConfig(render.resolved, name);
      this.apiObjects = {};
    }
    this.warnings = this.resolved.warnings;
    reportWarnings(this, `ExternalEtcdCluster '${name}'`, this.warnings, strictFor(this, strict));
    const prefix = chartIdOf(this);
    this.makeSideFiles = () => etcdSideFiles(`ExternalEtcdCluster '${name}'`, prefix, () => this.kubeadmConfigYaml(kubeadm), this.hostFiles, sideFiles);
    registerSideFiles(this, () => this.sideFiles);
  }

  private readonly makeSideFiles: () => SideFile[];
  private files?: readonly SideFile[];

  /**
   * The files written beside the manifests at synth (paths relative to the output directory). Made on first use: the
   * kubeadm configuration refuses some clusters (etcd 3.4 with v1beta4) until `kubeadm` or `sideFiles` says otherwise.
   */
  public get sideFiles(): readonly SideFile[] {
    this.files ??= this.makeSideFiles();
    return this.files;
  }

  /** The kubeadm ClusterConfiguration (YAML) for API servers using this cluster. */
  public kubeadmConfigYaml(options?: KubeadmOptions): string {
    return kubeadmClusterConfigurationYaml(this, options);
  }
}
