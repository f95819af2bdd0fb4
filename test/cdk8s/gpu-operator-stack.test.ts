import { Testing } from 'cdk8s';
import { GpuNodePool, GpuOperatorStack, MigNodePool } from '../../lib/cdk8s';
import { renderGpuOperatorStack } from '../../lib/core/operator/stack';
import { validateObjects } from '../../lib/core/validate';

describe('GpuOperatorStack (cdk8s)', () => {
  test('collects the pools of the app (snapshot)', () => {
    const chart = Testing.chart();
    const pool = new MigNodePool(chart, 'H100Mig', { gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 } } });
    const stack = new GpuOperatorStack(chart, 'Operator', { platform: 'eks', pools: [pool] });
    const manifests = Testing.synth(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests).toEqual(renderGpuOperatorStack({ platform: 'eks', pools: [pool.resolved] }).objects);
    expect(validateObjects(manifests)).toEqual([]);
    expect(stack.valuesYaml).toContain('name: gpuplane-mig-parted-config');
    expect(Object.keys(stack.apiObjects)).toEqual([
      'Namespace', 'ConfigMap-device-plugin-configs', 'ConfigMap-mig-parted-config', 'ConfigMap-dcgm-metrics', 'PrometheusRule-gpu-health', 'HelmRepository-nvidia', 'HelmRelease-gpu-operator',
    ]);
  });

  test('collects every pool already in the app when none are named', () => {
    const chart = Testing.chart();
    new MigNodePool(chart, 'A', { gpu: 'A100-80GB', mig: { layout: 'balanced' } });
    new GpuNodePool(chart, 'T4', { gpu: 'T4', timeSlicing: { replicas: 2 } });
    const stack = new GpuOperatorStack(chart, 'Operator', { platform: 'aks' });
    expect(stack.render.pools.map((p) => p.name)).toEqual(['a', 't4']);
  });

  test('fails at construction when the driver is enabled on GKE', () => {
    expect(() => new GpuOperatorStack(Testing.chart(), 'Op', { platform: 'gke', driver: { enabled: true } })).toThrow("'driver.enabled' must be false on gke");
  });
});
