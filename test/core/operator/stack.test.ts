import { readFileSync } from 'fs';
import { parse } from 'yaml';
import { findGpu } from '../../../lib/core/catalog/gpus';
import { checkMigLayout } from '../../../lib/core/gpu/mig-layout';
import { resolveGpuPool } from '../../../lib/core/gpu/pool';
import { clusterPolicyFromValues } from '../../../lib/core/operator/cluster-policy';
import { DCGM_COUNTERS } from '../../../lib/core/operator/dcgm';
import { OPERATOR_PLATFORMS } from '../../../lib/core/operator/platforms';
import { renderGpuOperatorStack } from '../../../lib/core/operator/stack';
import { validateObjects } from '../../../lib/core/validate';
import { compileJsonSchema } from '../../../lib/core/validate/schema';
import { find } from '../../helpers/find';
import { compile2020 } from '../../helpers/json-schema';
import { readReferenceJson, readReferenceYaml, referencePath, REFERENCE_GPU_IDS } from '../../helpers/reference';

const crd = readReferenceYaml('gpu-operator', 'nvidia.com_clusterpolicies.yaml');
const clusterPolicySchema = compileJsonSchema(crd.spec.versions[0].schema.openAPIV3Schema);
const devicePluginSchema = compile2020(readReferenceJson('device-plugin', 'device-plugin-config.schema.json'));
const migPartedSchema = compile2020(readReferenceJson('device-plugin', 'mig-parted-config.schema.json'));

const h100Mig = resolveGpuPool({ name: 'h100-mig', gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 } } });
const a100Hybrid = resolveGpuPool({ name: 'a100-hybrid', gpu: 'A100-80GB', mig: { layout: { '3g.40gb': 2 }, timeSlicingReplicas: 2 } });
const t4 = resolveGpuPool({ name: 't4-shared', gpu: 'T4', gpusPerNode: 1, timeSlicing: { replicas: 4 } });

describe('GpuOperatorStack: values and platforms', () => {
  test('generic: the operator installs driver and toolkit, pins the chart, delivers through Flux', () => {
    const r = renderGpuOperatorStack();
    expect(r.values).toMatchObject({ driver: { enabled: true }, toolkit: { enabled: true }, nfd: { enabled: true }, migManager: { enabled: true, config: { default: 'all-disabled' } } });
    // Keys that would change nothing in the chart are not rendered (create: false, empty names).
    expect((r.values.migManager as Record<string, Record<string, unknown>>).config).not.toHaveProperty('name');
    expect(r.values).not.toHaveProperty('devicePlugin');
    expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/gpu-operator', 'ConfigMap/gpuplane-dcgm-metrics', 'PrometheusRule/gpuplane-gpu-health', 'HelmRepository/nvidia', 'HelmRelease/gpu-operator',
    ]);
    const hr = find(r.objects, 'HelmRelease');
    expect(hr.spec.chart.spec).toMatchObject({ chart: 'gpu-operator', version: 'v26.7.0' });
    expect(find(r.objects, 'HelmRepository').spec.url).toBe('https://helm.ngc.nvidia.com/nvidia');
    expect(hr.spec.values).toEqual(r.values);
    expect(parse(r.valuesYaml)).toEqual(r.values);
    expect(validateObjects(r.objects)).toEqual([]);
  });

  test.each([
    ['eks', { driver: { enabled: false }, toolkit: { enabled: false } }],
    ['aks', { driver: { enabled: false }, toolkit: { enabled: false } }],
    ['gke', { driver: { enabled: false }, toolkit: { enabled: true, installDir: '/home/kubernetes/bin/nvidia' }, hostPaths: { driverInstallDir: '/home/kubernetes/bin/nvidia' }, migManager: { env: [{ name: 'WITH_REBOOT', value: 'true' }] } }],
    ['openshift', { platform: { openshift: true }, nfd: { enabled: false }, driver: { enabled: true } }],
  ] as const)('%s preset', (platform, expected) => {
    expect(renderGpuOperatorStack({ platform }).values).toMatchObject(expected);
  });

  test.each(['eks', 'gke', 'aks'] as const)('fails if the driver is enabled on %s, which preinstalls it', (platform) => {
    expect(() => renderGpuOperatorStack({ platform, driver: { enabled: true } })).toThrow(`'driver.enabled' must be false on ${platform}:`);
  });

  test('fails if a MIG-capable pool meets a disabled MIG manager', () => {
    expect(() => renderGpuOperatorStack({ pools: [h100Mig], migManager: { enabled: false } })).toThrow(
      "'migManager.enabled' must be true: pool 'h100-mig' runs H100-80GB, a MIG-capable GPU, and without the MIG manager its layout is never applied (got false). Fix: enable the MIG manager (the default)",
    );
  });

  test('fails on two pools of one name', () => {
    expect(() => renderGpuOperatorStack({ pools: [t4, t4] })).toThrow("'pools' must have distinct names");
  });

  test.each(OPERATOR_PLATFORMS)('%s: the ClusterPolicy the chart renders from these values validates against the CRD', (platform) => {
    const r = renderGpuOperatorStack({ platform, pools: [h100Mig, a100Hybrid, t4] });
    expect(clusterPolicySchema(clusterPolicyFromValues(r.values))).toEqual([]);
  });

  test('the CRD schema catches a wrong MIG default (only all-disabled or "")', () => {
    const r = renderGpuOperatorStack({ pools: [h100Mig] });
    const cp = clusterPolicyFromValues(r.values) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    cp.spec.migManager.config.default = 'all-balanced';
    expect(clusterPolicySchema(cp).join()).toContain('/spec/migManager/config/default must be equal to one of the allowed values');
  });

  test('Argo CD Application carries the same values and validates', () => {
    const r = renderGpuOperatorStack({ delivery: 'argocd', pools: [t4] });
    const app = find(r.objects, 'Application');
    expect(app.spec.source).toMatchObject({ repoURL: 'https://helm.ngc.nvidia.com/nvidia', chart: 'gpu-operator', targetRevision: 'v26.7.0' });
    expect(app.spec.source.helm.valuesObject).toEqual(r.values);
    expect(validateObjects(r.objects)).toEqual([]);
  });
});

describe('GpuOperatorStack: collected pool configs', () => {
  const r = renderGpuOperatorStack({ platform: 'eks', pools: [h100Mig, a100Hybrid, t4] });

  test('one device-plugin ConfigMap with a key per pool plus the default, each a valid plugin config', () => {
    const cm = find(r.objects, 'ConfigMap', 'gpuplane-device-plugin-configs');
    expect(Object.keys(cm.data).sort()).toEqual(['a100-hybrid', 'default', 'h100-mig', 't4-shared']);
    for (const key of Object.keys(cm.data)) expect(devicePluginSchema(parse(cm.data[key]))).toEqual([]);
    expect(parse(cm.data['a100-hybrid'])).toEqual(a100Hybrid.devicePluginConfig);
    expect(r.values.devicePlugin).toEqual({ config: { default: 'default', name: 'gpuplane-device-plugin-configs' } });
  });

  test("the custom mig-parted config keeps NVIDIA's standard names for the GPUs present, plus the pools'", () => {
    const cm = find(r.objects, 'ConfigMap', 'gpuplane-mig-parted-config');
    const config = parse(cm.data['config.yaml']);
    expect(migPartedSchema(config)).toEqual([]);
    const names = Object.keys(config['mig-configs']);
    const profiles = readReferenceJson('mig', 'mig-profiles.json');
    for (const ref of ['H100-80GB', 'A100-80GB']) {
      for (const standard of profiles[ref].validConfigs) expect(names).toContain(standard);
    }
    expect(names).toEqual(expect.arrayContaining(['h100-mig', 'a100-hybrid']));
    expect(names).not.toContain('t4-shared');
    expect(r.values.migManager).toMatchObject({ config: { name: 'gpuplane-mig-parted-config', default: 'all-disabled' } });
  });

  test('every entry of the custom config checks out on the GPUs its device-filter names', () => {
    const config = parse(find(r.objects, 'ConfigMap', 'gpuplane-mig-parted-config').data['config.yaml']);
    const byPci = (ids: string[]) => Object.values(REFERENCE_GPU_IDS).map((id) => findGpu(id)!).filter((g) => g.pciDeviceIds!.some((p) => ids.includes(p)));
    for (const [name, entries] of Object.entries<any[]>(config['mig-configs'])) { // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const e of entries) {
        if (!e['mig-enabled'] || Object.keys(e['mig-devices'] ?? {}).length === 0) continue;
        const gpus = e['device-filter'] ? byPci(e['device-filter']) : [name === 'h100-mig' ? findGpu('H100-80GB')! : findGpu('A100-80GB')!];
        expect(gpus.length).toBeGreaterThan(0);
        for (const g of gpus) expect(checkMigLayout(g, e['mig-devices']).problems).toEqual([]);
      }
    }
  });

  test('every object validates', () => {
    expect(validateObjects(r.objects)).toEqual([]);
  });
});

describe('DCGM metrics ConfigMap', () => {
  const referenceCounters = new Map<string, string>();
  for (const file of ['default-counters.csv', 'dcp-metrics-included.csv']) {
    for (const line of readFileSync(referencePath('dcgm', file), 'utf8').split('\n')) {
      const m = /^#?\s*(DCGM_[A-Z0-9_]+)\s*,\s*(\w+)/.exec(line);
      if (m) referenceCounters.set(m[1], m[2]);
    }
  }

  test('every counter is one dcgm-exporter knows, with its type', () => {
    for (const c of DCGM_COUNTERS) expect([c.field, referenceCounters.get(c.field)]).toEqual([c.field, c.type]);
  });

  test('turns on what the default CSV leaves off: ECC, the XID count window, throttling, retired pages', () => {
    const defaults = readFileSync(referencePath('dcgm', 'default-counters.csv'), 'utf8');
    const offByDefault = ['DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', 'DCGM_EXP_XID_ERRORS_COUNT', 'DCGM_FI_DEV_THERMAL_VIOLATION', 'DCGM_FI_DEV_POWER_VIOLATION', 'DCGM_FI_DEV_RETIRED_DBE'];
    for (const field of offByDefault) {
      expect(defaults).toMatch(new RegExp(`^# ${field},`, 'm'));
      expect(DCGM_COUNTERS.map((c) => c.field)).toContain(field);
    }
    const csv = find(renderGpuOperatorStack().objects, 'ConfigMap', 'gpuplane-dcgm-metrics').data['dcgm-metrics.csv'];
    expect(csv).toContain('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL, counter, Total number of double-bit volatile ECC errors.');
    expect(csv).toContain('DCGM_FI_DEV_ROW_REMAP_FAILURE, gauge, Whether remapping of rows has failed');
  });

  test('every DCGM metric a GPU alert reads is one the exporter knows and one gpuplane turns on', () => {
    const rules = find(renderGpuOperatorStack().objects, 'PrometheusRule', 'gpuplane-gpu-health').spec.groups[0].rules as { expr: string }[];
    const used = [...new Set(rules.flatMap((x) => [...x.expr.matchAll(/\b(DCGM_[A-Z0-9_]+)/g)].map((m) => m[1])))].sort();
    expect(used).toEqual(expect.arrayContaining(['DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', 'DCGM_FI_DEV_RETIRED_PENDING', 'DCGM_FI_DEV_RETIRED_SBE', 'DCGM_FI_PROF_GR_ENGINE_ACTIVE']));
    for (const field of used) {
      expect([field, referenceCounters.has(field)]).toEqual([field, true]);
      expect(DCGM_COUNTERS.map((c) => c.field)).toContain(field);
    }
    // MIG instances report the profiling metrics, not DCGM_FI_DEV_GPU_UTIL: the idle alert must not depend on it.
    expect(used).not.toContain('DCGM_FI_DEV_GPU_UTIL');
  });
});

describe('GpuOperatorStack: one MIG strategy, node images, GKE', () => {
  const single = resolveGpuPool({ name: 'single', gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 } } });
  const mixed = resolveGpuPool({ name: 'mixed', gpu: 'H100-80GB', mig: { layout: 'balanced' } });

  test('fails if MIG pools need different strategies (the operator sets one for every node)', () => {
    expect(() => renderGpuOperatorStack({ pools: [single, mixed] })).toThrow("'pools' mix MIG strategies ('single' single, 'mixed' mixed): the operator sets one MIG_STRATEGY");
  });

  test('a pool can take the mixed strategy so one operator serves both', () => {
    const singleAsMixed = resolveGpuPool({ name: 'single', gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 }, strategy: 'mixed' } });
    expect(singleAsMixed.resources[0].resourceName).toBe('nvidia.com/mig-3g.40gb');
    expect(renderGpuOperatorStack({ pools: [singleAsMixed, mixed] }).values.mig).toEqual({ strategy: 'mixed' });
  });

  test("fails if a layout of several profiles asks for 'single'", () => {
    expect(() => resolveGpuPool({ name: 'x', gpu: 'H100-80GB', mig: { layout: 'balanced', strategy: 'single' } })).toThrow("'mig.strategy' is 'single', which needs one profile on every GPU");
  });

  test('an EKS custom AMI without a driver lets the operator install it', () => {
    const r = renderGpuOperatorStack({ platform: 'eks', nodeImage: { driverPreinstalled: false } });
    expect(r.values.driver).toEqual({ enabled: true });
  });

  test('GKE: the container toolkit reads the runtime config from the file (RUNTIME_CONFIG_SOURCE=file, NVIDIA\'s GKE guide for GKE 1.33+), through a chart key that exists and reaches the ClusterPolicy', () => {
    // Source: NVIDIA/cloud-native-docs PR 312 (gpu-operator/google-gke.rst); the chart copies toolkit.env into
    // spec.toolkit.env (NVIDIA/gpu-operator deployments/gpu-operator/templates/clusterpolicy.yaml).
    const r = renderGpuOperatorStack({ platform: 'gke' });
    expect((r.values.toolkit as Record<string, unknown>).env).toEqual([{ name: 'RUNTIME_CONFIG_SOURCE', value: 'file' }]);
    const chartValues = readReferenceYaml('gpu-operator', 'values.yaml');
    expect(Array.isArray(chartValues.toolkit.env)).toBe(true); // the real chart's key, an env list
    const cp = clusterPolicyFromValues(r.values) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(cp.spec.toolkit.env).toEqual([{ name: 'RUNTIME_CONFIG_SOURCE', value: 'file' }]);
    expect(clusterPolicySchema(cp)).toEqual([]);
    // Only where the operator installs the toolkit; nowhere else.
    expect(renderGpuOperatorStack({ platform: 'gke', nodeImage: { toolkitPreinstalled: true } }).values.toolkit).toEqual({ enabled: false, installDir: '/home/kubernetes/bin/nvidia' });
    for (const platform of OPERATOR_PLATFORMS.filter((x) => x !== 'gke')) expect(renderGpuOperatorStack({ platform }).values.toolkit).not.toHaveProperty('env');
  });

  test('GKE gets the quota that admits the operator\'s system-critical priority classes', () => {
    const q = find(renderGpuOperatorStack({ platform: 'gke' }).objects, 'ResourceQuota');
    expect(q.spec.scopeSelector.matchExpressions[0]).toEqual({ operator: 'In', scopeName: 'PriorityClass', values: ['system-node-critical', 'system-cluster-critical'] });
    expect(renderGpuOperatorStack({ platform: 'eks' }).objects.map((o) => o.kind)).not.toContain('ResourceQuota');
  });
});
