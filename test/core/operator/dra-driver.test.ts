import { renderGpuPool } from '../../../lib/core/gpu/pool-render';
import { NVIDIA_DRA_CHART, NVIDIA_DRA_FEATURE_GATES } from '../../../lib/core/operator/dra-driver';
import { renderGpuOperatorStack } from '../../../lib/core/operator/stack';
import { problemsOf } from '../../helpers/problems';

/* eslint-disable @typescript-eslint/no-explicit-any */
describe('GpuOperatorStack draDriver (dra-driver-nvidia-gpu 0.4.1)', () => {
  test('renders the chart values, switches the device plugin off, and delivers the OCI chart through Flux', () => {
    const r = renderGpuOperatorStack({ draDriver: {} });
    expect(r.draHelmRelease).toEqual({
      name: 'dra-driver-nvidia-gpu', chart: 'dra-driver-nvidia-gpu', version: '0.4.1', repository: 'oci://registry.k8s.io/dra-driver-nvidia/charts', namespace: 'gpu-operator',
      values: { gpuResourcesEnabledOverride: true, nvidiaDriverRoot: '/run/nvidia/driver', resources: { computeDomains: { enabled: false }, gpus: { enabled: true } } },
    });
    expect((r.values.devicePlugin as any).enabled).toBe(false);
    const repo = r.objects.find((o) => o.kind === 'HelmRepository' && o.metadata.name === 'dra-driver-nvidia') as any;
    expect(repo.spec).toEqual({ type: 'oci', url: NVIDIA_DRA_CHART.repository, interval: '1h' });
    const release = r.objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'dra-driver-nvidia-gpu') as any;
    expect(release.spec.values).toEqual(r.draHelmRelease!.values);
    expect(release.spec.dependsOn).toEqual([{ name: 'gpu-operator', namespace: 'flux-system' }]);
    // The driver shares the operator's namespace, which enforces the privileged level its kubelet plugin needs.
    expect(r.objects.filter((o) => o.kind === 'Namespace').map((o) => [o.metadata.name, o.metadata.labels!['pod-security.kubernetes.io/enforce']])).toEqual([['gpu-operator', 'privileged']]);
    expect(r.draDriver!.featureGates.DynamicMIG).toBe(false);
  });

  test('the driver root follows who installs the NVIDIA driver', () => {
    expect((renderGpuOperatorStack({ platform: 'eks', draDriver: {} }).draHelmRelease!.values as any).nvidiaDriverRoot).toBe('/');
    expect((renderGpuOperatorStack({ platform: 'gke', draDriver: {} }).draHelmRelease!.values as any).nvidiaDriverRoot).toBe('/home/kubernetes/bin/nvidia');
  });

  test('feature gates are passed through; alpha gates are off by default', () => {
    expect(Object.entries(NVIDIA_DRA_FEATURE_GATES).filter(([, g]) => g.stage === 'alpha').every(([, g]) => !g.default)).toBe(true);
    expect((renderGpuOperatorStack({ draDriver: { featureGates: { MPSSupport: true, TimeSlicingSettings: true } } }).draHelmRelease!.values as any).featureGates).toEqual({ MPSSupport: true, TimeSlicingSettings: true });
  });

  test('ComputeDomains bring the conversion webhook the chart requires', () => {
    expect((renderGpuOperatorStack({ draDriver: { computeDomains: true } }).draHelmRelease!.values as any).webhook).toEqual({ enabled: true, tls: { mode: 'cert-manager' } });
  });

  test('fails if a device-plugin pool shares the stack with DRA GPUs', () => {
    const pool = renderGpuPool({ name: 'h100', gpu: 'H100-80GB' }).resolved;
    expect(problemsOf(() => renderGpuOperatorStack({ pools: [pool], draDriver: {} }))).toContain("'pools' must not include 'h100': its GPUs are handed out by the device plugin (exclusive), and with draDriver.gpus the DRA driver advertises the same GPUs on every GPU node");
    expect(renderGpuOperatorStack({ pools: [pool], draDriver: { gpus: false, computeDomains: true } }).draDriver!.gpus).toBe(false);
  });

  test('fails if gates the driver refuses at start are combined', () => {
    expect(problemsOf(() => renderGpuOperatorStack({ draDriver: { featureGates: { DynamicMIG: true, MPSSupport: true } } }))).toContain("'draDriver.featureGates.DynamicMIG' cannot be on together with MPSSupport");
    expect(problemsOf(() => renderGpuOperatorStack({ draDriver: { featureGates: { DeviceMetadata: true } } }))).toContain("'draDriver.featureGates.DeviceMetadata' requires PassthroughSupport");
  });

  test('fails on an unknown gate, Argo CD delivery, or a digest image', () => {
    expect(problemsOf(() => renderGpuOperatorStack({ draDriver: { featureGates: { DynamicMig: true } } }))).toContain("did you mean 'DynamicMIG'?");
    expect(problemsOf(() => renderGpuOperatorStack({ delivery: 'argocd', draDriver: {} }))).toContain("'draDriver' cannot be delivered through Argo CD by gpuplane");
    expect(problemsOf(() => renderGpuOperatorStack({ draDriver: { image: 'registry.k8s.io/dra-driver-nvidia/dra-driver-nvidia-gpu@sha256:0000000000000000000000000000000000000000000000000000000000000000' } }))).toContain("'draDriver.image' must name a tag");
  });
});
