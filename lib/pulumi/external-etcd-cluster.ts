import * as pulumi from '@pulumi/pulumi';
import { EtcdHostsOptions, EtcdHostsRender, renderEtcdHosts } from '../core/etcd/hosts';
import { EtcdEndpoints, externalEtcdEndpoints, kubeadmClusterConfigurationYaml, KubeadmOptions } from '../core/etcd/kubeadm';
import { EtcdKubernetesOptions, renderEtcdKubernetes } from '../core/etcd/kubernetes';
import { EtcdKubernetesRestore } from '../core/etcd/kubernetes-restore';
import { ExternalEtcdClusterOptions, ResolvedEtcdCluster } from '../core/etcd/options';
import { checkSideFilesOption, ETCD_SIDE_FILES, etcdSideFiles, EtcdSideFileNames, SideFile, SideFilesOption } from '../core/side-files';
import { createKubernetesResources } from './resources';
import { sideFileMap } from './side-files';
import { logWarnings, refuseWarningsIfStrict, strictFor, StrictArgs } from './warnings';

/** Args of the ExternalEtcdCluster component: Kubernetes-hosted (`kubernetes`) or on hosts (`hosts`). */
export type ExternalEtcdClusterArgs = Omit<ExternalEtcdClusterOptions, 'name'> & StrictArgs & {
  /** @default - the component name */
  readonly name?: string;
  /** kubeadm ClusterConfiguration options for the `kubeadmConfig` output. @default {} */
  readonly kubeadm?: KubeadmOptions;
  /**
   * The kubeadm ClusterConfiguration and, in hosts mode, every member's files and the scripts, in the `sideFiles`
   * output (write them with `saveSideFiles`); `false` leaves them out, an object renames them.
   * @default - `<component name>.kubeadm.yaml` and the folder `<component name>/` - the files the cdk8s construct writes beside its manifests
   */
  readonly sideFiles?: SideFilesOption<EtcdSideFileNames>;
} & ({ readonly kubernetes: EtcdKubernetesOptions; readonly hosts?: undefined } | ({ readonly kubernetes?: undefined } & Pick<EtcdHostsOptions, 'hosts' | 'binaryDir' | 'scriptDir'>));

/**
 * A dedicated etcd cluster as a Pulumi component (`gpuplane:index:ExternalEtcdCluster`). Kubernetes-hosted: one
 * resource per object. Hosts mode: the member files as outputs, ready for the program that provisions the hosts.
 */
export class ExternalEtcdCluster extends pulumi.ComponentResource implements EtcdEndpoints {
  /** An etcd cluster managed elsewhere, usable wherever a cluster is accepted. */
  public static fromEndpoints(endpoints: readonly string[]): EtcdEndpoints {
    return externalEtcdEndpoints(endpoints);
  }

  public readonly resolved: ResolvedEtcdCluster;
  /** The namespace of Kubernetes-hosted members. @default - none: members on hosts */
  public readonly namespace?: string;
  public readonly endpoints: readonly string[];
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  public readonly hostFiles?: EtcdHostsRender;
  /** Kubernetes-hosted: the restore procedure (script, steps, Jobs); its Jobs are not created: a restore is run, never deployed. */
  public readonly restore?: EtcdKubernetesRestore;
  /** The kubeadm ClusterConfiguration YAML for API servers using this cluster. */
  public readonly kubeadmConfig: pulumi.Output<string>;
  /** The side files, as the cdk8s construct writes them; also the `sideFiles` output (path to content). */
  public readonly sideFiles: readonly SideFile[];

  constructor(name: string, args: ExternalEtcdClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { strict, kubeadm, sideFiles, ...options } = args;
    const objectName = options.name ?? name;
    const k8sRender = options.kubernetes ? renderEtcdKubernetes({ ...options, name: objectName, kubernetes: options.kubernetes }) : undefined;
    const hostsRender = options.kubernetes ? undefined : renderEtcdHosts({ ...(options as EtcdHostsOptions), name: objectName });
    const warnings = (k8sRender ?? hostsRender)!.resolved.warnings;
    refuseWarningsIfStrict(`ExternalEtcdCluster '${objectName}'`, warnings, strictFor(strict));
    checkSideFilesOption(`ExternalEtcdCluster '${objectName}'`, ETCD_SIDE_FILES, sideFiles);
    super('gpuplane:index:ExternalEtcdCluster', name, {}, opts);
    logWarnings(this, warnings);
    this.resolved = (k8sRender ?? hostsRender)!.resolved;
    this.namespace = k8sRender?.namespace;
    this.endpoints = k8sRender ? k8sRender.endpoints : hostsRender!.resolved.members.map((m) => m.clientUrl);
    this.resources = k8sRender ? createKubernetesResources(this, name, objectName, k8sRender.objects) : {};
    this.hostFiles = hostsRender;
    this.restore = k8sRender?.restore;
    const kubeadmYaml = kubeadmClusterConfigurationYaml(this, kubeadm);
    this.kubeadmConfig = pulumi.output(kubeadmYaml);
    this.sideFiles = etcdSideFiles(`ExternalEtcdCluster '${objectName}'`, name, () => kubeadmYaml, hostsRender, sideFiles);
    this.registerOutputs({ endpoints: this.endpoints, kubeadmConfig: this.kubeadmConfig, quorum: this.resolved.quorum, sideFiles: sideFileMap(this.sideFiles) });
  }
}
