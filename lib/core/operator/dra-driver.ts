import { ProblemCollector } from '../errors';
import { fluxHelmObjects } from './flux';
import { bool, obj, oneOf, opt, record, Schema, str } from '../options/schema';
import { absolutePath, imageReference } from '../options/formats';

/**
 * The DRA Driver for NVIDIA GPUs (kubernetes-sigs/dra-driver-nvidia-gpu, formerly NVIDIA/k8s-dra-driver-gpu) as
 * GpuOperatorStack installs it: chart `dra-driver-nvidia-gpu` 0.4.1 from registry.k8s.io's OCI repository. Facts from
 * the chart at that release (`deployments/helm/dra-driver-nvidia-gpu/values.yaml`, `templates/validation.yaml`) and
 * `pkg/featuregates/featuregates.go`.
 */
export const NVIDIA_DRA_CHART = {
  name: 'dra-driver-nvidia-gpu',
  /** Flux's HelmRepository of `type: oci` takes the repository without the chart name. */
  repository: 'oci://registry.k8s.io/dra-driver-nvidia/charts',
  version: '0.4.1',
} as const;

/** The driver's name: the domain of its device attributes in CEL, and of the opaque config it reads. */
export const NVIDIA_DRA_DRIVER_NAME = 'gpu.nvidia.com';

/** DeviceClasses the chart creates (`templates/deviceclass-*.yaml`): whole GPUs and MIG instances. */
export const NVIDIA_DEVICE_CLASSES = { gpu: 'gpu.nvidia.com', mig: 'mig.nvidia.com' } as const;

/**
 * The driver's feature gates and their defaults (`featuregates.go`, driver 0.4-0.6). Alpha gates are off: a claim that
 * needs one (dynamic MIG, MPS, time-slicing settings) is refused unless the stack turns it on.
 */
export const NVIDIA_DRA_FEATURE_GATES: Readonly<Record<string, { readonly default: boolean; readonly stage: 'alpha' | 'beta' }>> = {
  TimeSlicingSettings: { default: false, stage: 'alpha' },
  MPSSupport: { default: false, stage: 'alpha' },
  IMEXDaemonsWithDNSNames: { default: true, stage: 'beta' },
  PassthroughSupport: { default: false, stage: 'alpha' },
  DynamicMIG: { default: false, stage: 'alpha' },
  NVMLDeviceHealthCheck: { default: false, stage: 'alpha' },
  ComputeDomainCliques: { default: true, stage: 'beta' },
  CrashOnNVLinkFabricErrors: { default: true, stage: 'beta' },
  DeviceMetadata: { default: false, stage: 'alpha' },
  DRAListTypeAttributes: { default: false, stage: 'alpha' },
  ConsumableShares: { default: false, stage: 'alpha' },
};

/** Gate combinations the driver refuses at start (`ValidateFeatureGates`): [gate, other, why]. */
const GATE_CONFLICTS: readonly [string, string, 'excludes' | 'requires'][] = [
  ['ComputeDomainCliques', 'IMEXDaemonsWithDNSNames', 'requires'],
  ['DynamicMIG', 'PassthroughSupport', 'excludes'],
  ['DynamicMIG', 'MPSSupport', 'excludes'],
  ['PassthroughSupport', 'NVMLDeviceHealthCheck', 'excludes'],
  ['DeviceMetadata', 'PassthroughSupport', 'requires'],
];

/** The NVIDIA DRA driver (dra-driver-nvidia-gpu) installed beside the GPU Operator: chart version, feature gates, GPU resources. */
export interface NvidiaDraDriverOptions {
  /**
   * Hand out whole GPUs and MIG instances through DRA (the chart's `resources.gpus.enabled`). The GPU Operator's device
   * plugin is then switched off: both would advertise the same GPUs.
   * @default true - the reason to install the driver
   */
  readonly gpus?: boolean;
  /**
   * ComputeDomains (multi-node NVLink, IMEX channels; `resources.computeDomains.enabled`). The chart requires its
   * conversion webhook for them, which needs cert-manager (`webhook.tls.mode: cert-manager`).
   * @default false - only GB200/GB300 NVL racks use them, and the webhook needs cert-manager
   */
  readonly computeDomains?: boolean;
  /** Driver feature gates to set (`featureGates`). @default {} - the driver's defaults, alpha gates off */
  readonly featureGates?: Record<string, boolean>;
  /**
   * Where the NVIDIA driver's files are on the host (`nvidiaDriverRoot`).
   * @default - '/run/nvidia/driver' when the GPU Operator installs the driver, '/' when the node image ships it, and
   *   '/home/kubernetes/bin/nvidia' on GKE
   */
  readonly nvidiaDriverRoot?: string;
  /** Chart version. @default '0.4.1' */
  readonly chartVersion?: string;
  /** Driver image, pinned. @default - the chart's: registry.k8s.io/dra-driver-nvidia/dra-driver-nvidia-gpu:v<chart version> */
  readonly image?: string;
}

/** The DRA driver options with every default resolved, as the Helm release renders them. */
export interface ResolvedNvidiaDraDriver {
  readonly gpus: boolean;
  readonly computeDomains: boolean;
  /** Every known gate with its value (the defaults and what was set). */
  readonly featureGates: Readonly<Record<string, boolean>>;
  readonly namespace: string;
  readonly chartVersion: string;
  readonly values: Record<string, unknown>;
}

/** The option schema of GpuOperatorStack `draDriver`. */
export const NVIDIA_DRA_DRIVER_OPTIONS: Schema<NvidiaDraDriverOptions> = obj<NvidiaDraDriverOptions>({
  gpus: opt(bool()),
  computeDomains: opt(bool()),
  featureGates: opt(record(bool(), oneOf(Object.keys(NVIDIA_DRA_FEATURE_GATES) as [string, ...string[]], 'use a gate of the driver (featuregates.go)'))),
  nvidiaDriverRoot: opt(absolutePath('/run/nvidia/driver')),
  chartVersion: opt(str({ test: (s) => (/^\d+\.\d+\.\d+$/.test(s) ? undefined : 'must be a pinned chart version without a v (the chart uses strict semver)'), fix: `use '${NVIDIA_DRA_CHART.version}'` })),
  image: opt(imageReference('e.g. "registry.k8s.io/dra-driver-nvidia/dra-driver-nvidia-gpu:v0.4.1"')),
});

/** The gates of a driver with nothing set: the chart's defaults. */
export function defaultDraFeatureGates(): Record<string, boolean> {
  return Object.fromEntries(Object.entries(NVIDIA_DRA_FEATURE_GATES).map(([k, v]) => [k, v.default]));
}

/**
 * Resolves the driver options into the chart values. `driverRoot` is where the GPU Operator's stack puts the driver;
 * `namespace` is the operator's, which already enforces the privileged Pod Security level the driver's kubelet plugin
 * needs (the chart itself refuses only 'default'). Problems go to `p` under `draDriver.*`.
 */
export function resolveNvidiaDraDriver(o: NvidiaDraDriverOptions, driverRoot: string, namespace: string, p: ProblemCollector): ResolvedNvidiaDraDriver {
  const gpus = o.gpus ?? true;
  const computeDomains = o.computeDomains ?? false;
  const featureGates = { ...defaultDraFeatureGates(), ...(o.featureGates ?? {}) };
  for (const [gate, other, how] of GATE_CONFLICTS) {
    if (!featureGates[gate]) continue;
    const broken = how === 'requires' ? !featureGates[other] : featureGates[other];
    p.check(!broken, {
      field: `draDriver.featureGates.${gate}`,
      message: how === 'requires' ? `requires ${other}, which is off; the driver refuses to start` : `cannot be on together with ${other}; the driver refuses to start (they are mutually exclusive)`,
      value: true, fix: how === 'requires' ? `set ${other}: true, or turn ${gate} off` : `turn one of ${gate} and ${other} off`,
    });
  }
  p.check(gpus || computeDomains, { field: 'draDriver', message: 'hands out nothing with gpus and computeDomains both off', value: o, fix: 'drop draDriver, or leave gpus on' });
  const chartVersion = o.chartVersion ?? NVIDIA_DRA_CHART.version;
  const set = Object.fromEntries(Object.entries(o.featureGates ?? {}).sort(([a], [b]) => a.localeCompare(b)));
  if (o.image !== undefined) {
    p.check(!o.image.includes('@') && /:[^/]+$/.test(o.image), { field: 'draDriver.image', message: 'must name a tag: the chart renders repository:tag, so a digest or a bare repository would not pull', value: o.image, fix: `e.g. "registry.k8s.io/dra-driver-nvidia/dra-driver-nvidia-gpu:v${NVIDIA_DRA_CHART.version}"` });
  }
  const image = o.image ? imageValues(o.image) : undefined;
  const values: Record<string, unknown> = {
    nvidiaDriverRoot: o.nvidiaDriverRoot ?? driverRoot,
    // The chart fails on resources.gpus.enabled without this override until KEP-5004 (DRAExtendedResource) is GA: it
    // would collide with the device plugin. gpuplane switches the GPU Operator's device plugin off in the same stack.
    gpuResourcesEnabledOverride: gpus,
    resources: { gpus: { enabled: gpus }, computeDomains: { enabled: computeDomains } },
    // ComputeDomain's CRD converts versions through the webhook; the chart refuses ComputeDomains without it.
    ...(computeDomains ? { webhook: { enabled: true, tls: { mode: 'cert-manager' } } } : {}),
    ...(Object.keys(set).length > 0 ? { featureGates: set } : {}),
    ...(image ? { image } : {}),
  };
  return { gpus, computeDomains, featureGates, namespace, chartVersion, values };
}

function imageValues(ref: string): Record<string, string> {
  const colon = ref.lastIndexOf(':');
  return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

/** Where the DRA driver finds the NVIDIA driver: the GPU Operator's driver container, GKE's path, or the host. */
export function draDriverRootFor(platform: string, operatorInstallsDriver: boolean): string {
  if (operatorInstallsDriver) return '/run/nvidia/driver';
  return platform === 'gke' ? '/home/kubernetes/bin/nvidia' : '/';
}

/**
 * The DRA driver in a GpuOperatorStack: refuses device-plugin pools on a stack that hands GPUs out through DRA (both
 * would advertise the same GPUs: the chart's own guard says so), switches the operator's device plugin off, and
 * renders the chart for the stack's delivery (Flux: an OCI HelmRepository and a HelmRelease; 'none': values only).
 */
export function draDriverInStack(
  o: NvidiaDraDriverOptions | undefined,
  stack: { namespace: string; platform: string; driverEnabled: boolean; delivery: string; pools: readonly { readonly name: string; readonly kind: string }[]; fluxNamespace: string; interval: string; labels: Record<string, string> },
  values: Record<string, unknown>,
  p: ProblemCollector,
): { draDriver?: ResolvedNvidiaDraDriver; objects: Record<string, unknown>[]; helmRelease?: { name: string; chart: string; version: string; repository: string; namespace: string; values: Record<string, unknown> } } {
  if (o === undefined) return { objects: [] };
  const draDriver = resolveNvidiaDraDriver(o, draDriverRootFor(stack.platform, stack.driverEnabled), stack.namespace, p);
  if (draDriver.gpus) {
    for (const pool of stack.pools) {
      p.add({
        field: 'pools', message: `must not include '${pool.name}': its GPUs are handed out by the device plugin (${pool.kind}), and with draDriver.gpus the DRA driver advertises the same GPUs on every GPU node, so both would allocate them`,
        value: pool.name, fix: 'place workloads with draGpuClaim() instead of the pool, or install the pool in a cluster without the DRA driver (draDriver.gpus: false)',
      });
    }
    // One owner per GPU: the device plugin stays off wherever the DRA driver hands out GPUs.
    values.devicePlugin = { ...((values.devicePlugin as object | undefined) ?? {}), enabled: false };
  }
  p.check(stack.delivery !== 'argocd', {
    field: 'draDriver', message: "cannot be delivered through Argo CD by gpuplane: the chart is published only to an OCI registry, which Argo CD reads through a repository Secret (enableOCI) gpuplane does not render", value: 'argocd',
    fix: "use delivery 'flux' or 'none' (then install the chart with helmRelease values), or install the driver with your own Argo CD Application",
  });
  const helmRelease = { name: NVIDIA_DRA_CHART.name, chart: NVIDIA_DRA_CHART.name, version: draDriver.chartVersion, repository: NVIDIA_DRA_CHART.repository, namespace: draDriver.namespace, values: draDriver.values };
  const objects: Record<string, unknown>[] = [];
  if (stack.delivery === 'flux') {
    objects.push(
      ...fluxHelmObjects({
        repositoryName: 'dra-driver-nvidia', repositoryUrl: NVIDIA_DRA_CHART.repository, oci: true, chart: NVIDIA_DRA_CHART.name, version: draDriver.chartVersion,
        releaseName: NVIDIA_DRA_CHART.name, targetNamespace: draDriver.namespace, fluxNamespace: stack.fluxNamespace, interval: stack.interval, labels: stack.labels, values: draDriver.values,
        // The driver's kubelet plugin needs the GPU Operator's driver and toolkit (CDI) first.
        dependsOn: ['gpu-operator'],
      }),
    );
  }
  return { draDriver, objects, helmRelease };
}
