import * as pulumi from '@pulumi/pulumi';
import { EtcdHostsOptions, EtcdHostsRender, renderEtcdHosts } from '../core/etcd/hosts';
import { EtcdEndpoints, externalEtcdEndpoints, kubeadmClusterConfigurationYaml, KubeadmOptions } from '../core/etcd/kubeadm';
import { EtcdKubernetesOptions, renderEtcdKubernetes } from '../core/etcd/kubernetes';
import { ExternalEtcdClusterOptions, ResolvedEtcdCluster } from '../core/etcd/options';
import { createKubernetesResources } from './resources';

export type ExternalEtcdClusterArgs = Omit<ExternalEtcdClusterOptions, 'name'> & {
  /** @default - the component name */
  readonly name?: string;
  /** kubeadm ClusterConfiguration options for the `kubeadmConfig` output. @default {} */
  readonly kubeadm?: KubeadmOptions;
} & ({ readonly kubernetes: EtcdKubernetesOptions; readonly hosts?: undefined } | ({ readonly kubernetes?: undefined } & Pick<EtcdHostsOptions, 'hosts' | 'binaryDir' | 'scriptDir'>));

/**
 * A dedicated etcd cluster as a Pulumi component (`gpuplane:index:ExternalEtcdCluster`). Kubernetes-hosted: one
 * resource per object. Hosts mode: the member files as outputs, ready for the program that provisions the hosts.
 */
export class ExternalEtcdCluster extends pulumi.ComponentResource implements EtcdEndpoints {
  public static fromEndpoints(endpoints: readonly string[]): EtcdEndpoints {
    return externalEtcdEndpoints(endpoints);
  }

  public readonly resolved: ResolvedEtcdCluster;
  public readonly endpoints: readonly string[];
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  public readonly hostFiles?: EtcdHostsRender;
  /** The kubeadm ClusterConfiguration YAML for API servers using this cluster. */
  public readonly kubeadmConfig: pulumi.Output<string>;

  constructor(name: string, args: ExternalEtcdClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const objectName = args.name ?? name;
    const k8sRender = args.kubernetes ? renderEtcdKubernetes({ ...args, name: objectName, kubernetes: args.kubernetes }) : undefined;
    const hostsRender = args.kubernetes ? undefined : renderEtcdHosts({ ...(args as EtcdHostsOptions), name: objectName });
    super('gpuplane:index:ExternalEtcdCluster', name, {}, opts);
    this.resolved = (k8sRender ?? hostsRender)!.resolved;
    this.endpoints = k8sRender ? k8sRender.endpoints : hostsRender!.resolved.members.map((m) => m.clientUrl);
    this.resources = k8sRender ? createKubernetesResources(this, name, objectName, k8sRender.objects) : {};
    this.hostFiles = hostsRender;
    this.kubeadmConfig = pulumi.output(kubeadmClusterConfigurationYaml(this, args.kubeadm));
    this.registerOutputs({ endpoints: this.endpoints, kubeadmConfig: this.kubeadmConfig, quorum: this.resolved.quorum });
  }
}
