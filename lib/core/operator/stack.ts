import { stringify } from 'yaml';
import { fluxHelmObjects } from './flux';
import { ProblemCollector } from '../errors';
import { canonicalize, isDns1123Label, KubeObject } from '../kube';
import { ResolvedGpuPool } from '../gpu/pool';
import { assertValidObjects } from '../validate';
import { DCGM_COUNTERS, dcgmMetricsCsv, gpuHealthRules } from './dcgm';
import { buildMigPartedConfig } from './mig-config';
import { OPERATOR_PLATFORMS, OperatorPlatform, PLATFORM_PRESETS } from './platforms';
import { checkOptions } from '../options/schema';
import { GPU_OPERATOR_STACK_OPTIONS } from './stack-schema';
import { draDriverInStack, NvidiaDraDriverOptions, ResolvedNvidiaDraDriver } from './dra-driver';

/** The chart gpuplane installs. */
export const GPU_OPERATOR_CHART = { name: 'gpu-operator', repository: 'https://helm.ngc.nvidia.com/nvidia', version: 'v26.7.0' } as const;

/** Name of the ConfigMap with the pools' device-plugin configs. */
export const DEVICE_PLUGIN_CONFIGMAP = 'gpuplane-device-plugin-configs';
/** Name of the ConfigMap with the custom mig-parted config. */
export const MIG_PARTED_CONFIGMAP = 'gpuplane-mig-parted-config';
/** Name of the ConfigMap with the DCGM exporter's metrics list. */
export const DCGM_METRICS_CONFIGMAP = 'gpuplane-dcgm-metrics';

/** The NVIDIA GPU Operator: platform, delivery (Flux, Argo CD or none), pools, monitoring and values. */
export interface GpuOperatorStackOptions {
  /** @default 'gpu-operator' */
  readonly namespace?: string;
  /** Sets driver, toolkit, host paths and MIG reboot the way the platform needs. @default 'generic' */
  readonly platform?: OperatorPlatform;
  /** Chart version. @default 'v26.7.0' */
  readonly chartVersion?: string;
  /** The pools of the app (MigNodePool, GpuNodePool, or their resolved form). @default [] */
  readonly pools?: readonly (ResolvedGpuPool | { readonly resolved: ResolvedGpuPool })[];
  /** @default - the platform's choice: off where the platform preinstalls the driver */
  readonly driver?: { readonly enabled?: boolean; readonly version?: string };
  /** @default - the platform's choice */
  readonly toolkit?: { readonly enabled?: boolean };
  /**
   * What the GPU nodes' image ships, when it differs from the platform's usual image (an EKS custom AMI without the
   * driver, a GKE image with the toolkit).
   * @default - the platform preset: EKS and AKS ship driver and toolkit, GKE the driver, generic and OpenShift neither
   */
  readonly nodeImage?: { readonly driverPreinstalled?: boolean; readonly toolkitPreinstalled?: boolean };
  /** @default true */
  readonly migManager?: { readonly enabled?: boolean };
  /** GitOps form of the release: Flux HelmRepository + HelmRelease, an Argo CD Application, or none (values only). @default 'flux' */
  readonly delivery?: 'flux' | 'argocd' | 'none';
  /** @default { namespace: 'flux-system', interval: '1h' } */
  readonly flux?: { readonly namespace?: string; readonly interval?: string };
  /** @default { namespace: 'argocd', project: 'default', server: 'https://kubernetes.default.svc' } */
  readonly argocd?: { readonly namespace?: string; readonly project?: string; readonly server?: string };
  /** @default { enabled: true } */
  readonly monitoring?: {
    readonly enabled?: boolean;
    readonly labels?: Record<string, string>;
    /** @default 83 - where throttling starts */
    readonly temperatureCelsius?: number;
    /** @default 5 */
    readonly idleUtilizationPercent?: number;
    /** Single-bit ECC errors a day that raise the accumulation alert. @default 10 */
    readonly singleBitEccPerDay?: number;
    /** Retired pages that raise the alert (the table holds 64). @default 48 */
    readonly retiredPages?: number;
  };
  /**
   * The NVIDIA DRA driver (chart dra-driver-nvidia-gpu): GPUs handed out through ResourceClaims (`draGpuClaim`). With
   * its GPUs on, the operator's device plugin is switched off and device-plugin pools are refused.
   * @default - no DRA driver: GPUs are extended resources of the device plugin
   */
  readonly draDriver?: NvidiaDraDriverOptions;
}

/** What renderGpuOperatorStack returns: the objects, the chart values and the plain values file. */
export interface GpuOperatorRender {
  readonly namespace: string;
  readonly platform: OperatorPlatform;
  readonly chartVersion: string;
  /** The chart values (also `valuesYaml`). */
  readonly values: Record<string, unknown>;
  readonly valuesYaml: string;
  /** What `k8s.helm.v3.Release` (Pulumi) needs. */
  readonly helmRelease: { readonly name: string; readonly chart: string; readonly version: string; readonly repository: string; readonly namespace: string; readonly values: Record<string, unknown> };
  readonly objects: readonly KubeObject[];
  readonly pools: readonly ResolvedGpuPool[];
  /** The DRA driver, when installed: pass it to `draGpuClaim({ driver })` so claims are checked against its gates. */
  readonly draDriver?: ResolvedNvidiaDraDriver;
  /** The DRA driver's chart, for `k8s.helm.v3.Release` (Pulumi) or `helm install`. */
  readonly draHelmRelease?: { readonly name: string; readonly chart: string; readonly version: string; readonly repository: string; readonly namespace: string; readonly values: Record<string, unknown> };
  /** Advice about the configuration, printed at synth (errors in strict mode). */
  readonly warnings: readonly string[];
}

/** Resolves the stack, collects the pools' configs, and renders the objects and the chart values. */
export function renderGpuOperatorStack(o: GpuOperatorStackOptions = {}): GpuOperatorRender {
  const subject = 'GpuOperatorStack';
  checkOptions(subject, GPU_OPERATOR_STACK_OPTIONS, o);
  const p = new ProblemCollector();
  const warnings: string[] = [];
  const namespace = o.namespace ?? 'gpu-operator';
  p.check(isDns1123Label(namespace), { field: 'namespace', message: 'must be a DNS-1123 label', value: namespace, fix: "use 'gpu-operator'" });
  const platform = o.platform ?? 'generic';
  p.check(OPERATOR_PLATFORMS.includes(platform), { field: 'platform', message: 'is not a known platform', value: platform, allowed: OPERATOR_PLATFORMS.join(', '), fix: 'pick the platform the cluster runs on' });
  p.throwIfAny(subject);
  const preset = PLATFORM_PRESETS[platform];
  const chartVersion = o.chartVersion ?? GPU_OPERATOR_CHART.version;
  p.check(/^v?\d+\.\d+\.\d+$/.test(chartVersion), { field: 'chartVersion', message: 'must be a pinned chart version', value: chartVersion, fix: `use ${GPU_OPERATOR_CHART.version}` });

  // What the nodes ship is a property of their image; the platform's usual image is the default.
  const driverPreinstalled = o.nodeImage?.driverPreinstalled ?? preset.driverPreinstalled;
  const toolkitPreinstalled = o.nodeImage?.toolkitPreinstalled ?? preset.toolkitPreinstalled;
  const driverEnabled = o.driver?.enabled ?? !driverPreinstalled;
  p.check(!(driverEnabled && driverPreinstalled), {
    field: 'driver.enabled', message: `must be false on ${platform}: ${o.nodeImage?.driverPreinstalled !== undefined ? 'the node image ships the NVIDIA driver (nodeImage.driverPreinstalled)' : preset.note}, and a second driver install breaks the node`, value: true,
    fix: 'omit driver.enabled, or set nodeImage.driverPreinstalled: false for an image without a driver (an EKS custom AMI)',
  });
  const toolkitEnabled = o.toolkit?.enabled ?? !toolkitPreinstalled;
  p.check(!(o.toolkit?.enabled === true && toolkitPreinstalled), {
    field: 'toolkit.enabled', message: `must be false on ${platform}: ${o.nodeImage?.toolkitPreinstalled !== undefined ? 'the node image ships the container toolkit' : preset.note}, and a second toolkit rewrites the node's container runtime config`, value: true,
    fix: 'omit toolkit.enabled, or set nodeImage.toolkitPreinstalled: false for an image without it',
  });
  const migManagerEnabled = o.migManager?.enabled ?? true;
  const pools = (o.pools ?? []).map((x) => ('resolved' in x ? x.resolved : x));
  const names = new Set<string>();
  for (const pool of pools) {
    p.check(!names.has(pool.name), { field: 'pools', message: 'must have distinct names (each names a config key and a node label value)', value: pool.name, fix: 'rename one pool' });
    names.add(pool.name);
    p.check(pool.name !== 'default', { field: 'pools', message: "must not be named 'default', the device-plugin config of unlabelled nodes", value: pool.name, fix: 'rename the pool' });
    if (pool.gpu.migCapable && !migManagerEnabled) {
      p.add({
        field: 'migManager.enabled', message: `must be true: pool '${pool.name}' runs ${pool.gpu.id}, a MIG-capable GPU, and without the MIG manager ${pool.kind === 'mig' ? 'its layout is never applied' : 'a MIG mode left on by a previous config is never cleared'}`,
        value: false, fix: 'enable the MIG manager (the default)',
      });
    }
  }
  const delivery = o.delivery ?? 'flux';
  p.check(['flux', 'argocd', 'none'].includes(delivery), { field: 'delivery', message: 'must be flux, argocd or none', value: delivery, fix: "use 'flux'" });
  p.throwIfAny(subject);

  const migPools = pools.filter((x) => x.kind === 'mig');
  const strategies = [...new Set(migPools.map((x) => x.migStrategy))];
  p.check(strategies.length <= 1, {
    field: 'pools',
    message: `mix MIG strategies (${migPools.map((x) => `'${x.name}' ${x.migStrategy}`).join(', ')}): the operator sets one MIG_STRATEGY for every node's device plugin, which overrides the per-pool config, so the nodes of a 'single' pool would advertise nvidia.com/mig-<profile> while its workloads request nvidia.com/gpu and stay Pending`,
    value: strategies, fix: "set mig.strategy: 'mixed' on every MIG pool of this operator (workloads then request nvidia.com/mig-<profile>), or give the pools operators of their own clusters",
  });
  p.throwIfAny(subject);
  const migStrategy = strategies[0] === 'mixed' ? 'mixed' : 'single';
  const monitoring = { enabled: o.monitoring?.enabled ?? true, labels: o.monitoring?.labels ?? {} };
  const labels = { 'app.kubernetes.io/managed-by': 'gpuplane', 'app.kubernetes.io/part-of': 'gpu-operator' };

  const values: Record<string, unknown> = {
    platform: { openshift: preset.openshift },
    nfd: { enabled: !preset.nfdProvided },
    cdi: { enabled: true },
    driver: { enabled: driverEnabled, ...(o.driver?.version ? { version: o.driver.version } : {}) },
    toolkit: {
      enabled: toolkitEnabled, ...(preset.toolkitInstallDir ? { installDir: preset.toolkitInstallDir } : {}),
      ...(toolkitEnabled && preset.toolkitEnv ? { env: preset.toolkitEnv.map((e) => ({ ...e })) } : {}),
    },
    ...(preset.driverInstallDir ? { hostPaths: { driverInstallDir: preset.driverInstallDir } } : {}),
    mig: { strategy: migStrategy },
    migManager: {
      enabled: migManagerEnabled,
      env: preset.migNeedsReboot ? [{ name: 'WITH_REBOOT', value: 'true' }] : [],
      // Only keys that change the chart's behaviour: create: false and empty names are its defaults.
      config: { default: 'all-disabled', ...(migPools.length > 0 ? { name: MIG_PARTED_CONFIGMAP } : {}) },
    },
    ...(pools.length > 0 ? { devicePlugin: { config: { name: DEVICE_PLUGIN_CONFIGMAP, default: 'default' } } } : {}),
    dcgmExporter: {
      enabled: true,
      config: { name: DCGM_METRICS_CONFIGMAP },
      serviceMonitor: { enabled: monitoring.enabled, interval: '15s', honorLabels: true, additionalLabels: monitoring.labels },
    },
  };

  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'privileged' } } },
  ];
  if (platform === 'gke') {
    // GKE admits pods of the system-node-critical and system-cluster-critical priority classes (the operator's
    // DaemonSets use them) only in namespaces with a quota scoped to those classes (NVIDIA's GKE installation guide).
    objects.push({
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'gpu-operator-quota', namespace, labels },
      spec: { hard: { pods: '100' }, scopeSelector: { matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: ['system-node-critical', 'system-cluster-critical'] }] } },
    });
  }
  if (pools.length > 0) {
    const data: Record<string, string> = { default: stringify({ version: 'v1', flags: { migStrategy: 'none' } }) };
    for (const pool of [...pools].sort((a, b) => a.name.localeCompare(b.name))) data[pool.name] = stringify(canonicalize(pool.devicePluginConfig));
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: DEVICE_PLUGIN_CONFIGMAP, namespace, labels }, data });
  }
  if (migPools.length > 0) {
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: MIG_PARTED_CONFIGMAP, namespace, labels }, data: { 'config.yaml': stringify(buildMigPartedConfig(pools)) } });
  }
  objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: DCGM_METRICS_CONFIGMAP, namespace, labels }, data: { 'dcgm-metrics.csv': dcgmMetricsCsv(DCGM_COUNTERS) } });
  if (monitoring.enabled) {
    objects.push({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'gpuplane-gpu-health', namespace, labels: { ...labels, ...monitoring.labels } },
      spec: { groups: [{ name: 'gpuplane.gpu-health', rules: gpuHealthRules({ operatorNamespace: namespace, temperatureCelsius: o.monitoring?.temperatureCelsius, idleUtilizationPercent: o.monitoring?.idleUtilizationPercent, singleBitEccPerDay: o.monitoring?.singleBitEccPerDay, retiredPages: o.monitoring?.retiredPages }) }] },
    });
  }
  const dra = draDriverInStack(o.draDriver, { namespace, platform, driverEnabled, delivery, pools, fluxNamespace: fluxNamespaceOf(o), interval: fluxIntervalOf(o), labels }, values, p);
  p.throwIfAny(subject);
  objects.push(...deliveryObjects(o, delivery, namespace, chartVersion, values, labels), ...(dra.objects as KubeObject[]));
  const canonical = objects.map((x) => canonicalize(x));
  assertValidObjects(subject, canonical);
  const cleanValues = canonicalize(values);
  return {
    namespace, platform, chartVersion, values: cleanValues, valuesYaml: stringify(cleanValues), pools, objects: canonical, warnings,
    draDriver: dra.draDriver, draHelmRelease: dra.helmRelease ? canonicalize(dra.helmRelease) : undefined,
    helmRelease: { name: 'gpu-operator', chart: GPU_OPERATOR_CHART.name, version: chartVersion, repository: GPU_OPERATOR_CHART.repository, namespace, values: cleanValues },
  };
}

/** Flux's namespace: flux-system, where `flux bootstrap` installs it. */
const fluxNamespaceOf = (o: GpuOperatorStackOptions) => o.flux?.namespace ?? 'flux-system';
/** How often Flux reconciles the releases. */
const fluxIntervalOf = (o: GpuOperatorStackOptions) => o.flux?.interval ?? '1h';

/** The chart as GitOps delivers it: a Flux HelmRepository and HelmRelease, an Argo CD Application, or nothing. */
function deliveryObjects(o: GpuOperatorStackOptions, delivery: string, namespace: string, chartVersion: string, values: Record<string, unknown>, labels: Record<string, string>): KubeObject[] {
  const objects: KubeObject[] = [];
  if (delivery === 'flux') {
    objects.push(
      ...(fluxHelmObjects({
        repositoryName: 'nvidia', repositoryUrl: GPU_OPERATOR_CHART.repository, chart: GPU_OPERATOR_CHART.name, version: chartVersion, releaseName: 'gpu-operator',
        targetNamespace: namespace, fluxNamespace: fluxNamespaceOf(o), interval: fluxIntervalOf(o), labels, values,
      }) as KubeObject[]),
    );
  } else if (delivery === 'argocd') {
    const a = { namespace: o.argocd?.namespace ?? 'argocd', project: o.argocd?.project ?? 'default', server: o.argocd?.server ?? 'https://kubernetes.default.svc' };
    objects.push({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'gpu-operator', namespace: a.namespace, labels },
      spec: {
        project: a.project,
        source: { repoURL: GPU_OPERATOR_CHART.repository, chart: GPU_OPERATOR_CHART.name, targetRevision: chartVersion, helm: { releaseName: 'gpu-operator', valuesObject: values } },
        destination: { server: a.server, namespace },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
      },
    });
  }
  return objects;
}
