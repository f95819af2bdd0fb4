/** Where the GPU Operator runs, and what that platform already provides on its GPU nodes. */
export type OperatorPlatform = 'generic' | 'eks' | 'gke' | 'aks' | 'openshift';

/** The platforms GpuOperatorStack has presets for. */
export const OPERATOR_PLATFORMS: readonly OperatorPlatform[] = ['generic', 'eks', 'gke', 'aks', 'openshift'];

/** What a platform's GPU nodes already have, which decides the operator's values. */
export interface PlatformPreset {
  /** The platform's GPU nodes ship the NVIDIA driver; the operator must not install another. */
  readonly driverPreinstalled: boolean;
  /** The platform's GPU nodes ship the container toolkit. */
  readonly toolkitPreinstalled: boolean;
  /** `hostPaths.driverInstallDir` and `toolkit.installDir` where the platform keeps the driver. */
  readonly driverInstallDir?: string;
  readonly toolkitInstallDir?: string;
  /** Environment of the container toolkit (`toolkit.env`, rendered only while the operator installs the toolkit). */
  readonly toolkitEnv?: readonly { readonly name: string; readonly value: string }[];
  /** MIG mode changes need a node reboot on this platform (`migManager.env WITH_REBOOT=true`). */
  readonly migNeedsReboot: boolean;
  /** Node Feature Discovery comes from the platform (OpenShift's NFD operator). */
  readonly nfdProvided: boolean;
  readonly openshift: boolean;
  readonly note: string;
}

/** The preset of each platform. */
export const PLATFORM_PRESETS: Record<OperatorPlatform, PlatformPreset> = {
  generic: { driverPreinstalled: false, toolkitPreinstalled: false, migNeedsReboot: false, nfdProvided: false, openshift: false, note: 'self-managed nodes: the operator installs the driver and the toolkit' },
  eks: { driverPreinstalled: true, toolkitPreinstalled: true, migNeedsReboot: false, nfdProvided: false, openshift: false, note: 'EKS accelerated AMIs ship the NVIDIA driver and container toolkit' },
  gke: {
    driverPreinstalled: true, toolkitPreinstalled: false, driverInstallDir: '/home/kubernetes/bin/nvidia', toolkitInstallDir: '/home/kubernetes/bin/nvidia',
    // On GKE 1.33+ the toolkit misconfigures containerd's config.toml unless it reads the runtime config from the file
    // (NVIDIA/cloud-native-docs PR 312, gpu-operator/google-gke.rst: toolkit.env RUNTIME_CONFIG_SOURCE=file); the
    // chart copies toolkit.env into the ClusterPolicy's spec.toolkit.env (NVIDIA/gpu-operator
    // deployments/gpu-operator/templates/clusterpolicy.yaml).
    toolkitEnv: [{ name: 'RUNTIME_CONFIG_SOURCE', value: 'file' }],
    migNeedsReboot: true, nfdProvided: false, openshift: false, note: 'GKE installs the driver under /home/kubernetes/bin/nvidia; MIG mode changes need a reboot',
  },
  aks: { driverPreinstalled: true, toolkitPreinstalled: true, migNeedsReboot: false, nfdProvided: false, openshift: false, note: 'AKS GPU node images ship the driver and the container toolkit' },
  openshift: { driverPreinstalled: false, toolkitPreinstalled: false, migNeedsReboot: false, nfdProvided: true, openshift: true, note: "OpenShift: the operator builds the driver with the Driver Toolkit; NFD comes from OpenShift's NFD operator" },
};
