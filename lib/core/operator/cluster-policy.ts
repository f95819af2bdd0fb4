/**
 * The ClusterPolicy the GPU Operator chart renders from gpuplane's values: the chart copies each values section
 * into the matching `spec` section and fills the rest from its own defaults. Modelled for the sections gpuplane
 * sets and the ones the CRD requires, so the result can be checked against the ClusterPolicy CRD schema.
 */
export function clusterPolicyFromValues(values: Record<string, any>): Record<string, unknown> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const section = (key: string, extra: Record<string, unknown> = {}) => ({ ...extra, ...(values[key] ?? {}) });
  const { create: _dpCreate, ...devicePluginConfig } = values.devicePlugin?.config ?? {}; // eslint-disable-line @typescript-eslint/no-unused-vars
  const { create: _migCreate, ...migConfig } = values.migManager?.config ?? {}; // eslint-disable-line @typescript-eslint/no-unused-vars
  const { create: _dcgmCreate, ...dcgmConfig } = values.dcgmExporter?.config ?? {}; // eslint-disable-line @typescript-eslint/no-unused-vars
  return {
    apiVersion: 'nvidia.com/v1',
    kind: 'ClusterPolicy',
    metadata: { name: 'cluster-policy' },
    spec: {
      operator: { defaultRuntime: 'containerd', runtimeClass: 'nvidia' },
      daemonsets: {
        priorityClassName: 'system-node-critical',
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        updateStrategy: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '1' },
      },
      driver: section('driver'),
      toolkit: section('toolkit'),
      devicePlugin: { enabled: true, config: devicePluginConfig },
      dcgm: { enabled: false },
      dcgmExporter: { enabled: values.dcgmExporter?.enabled ?? true, config: dcgmConfig, serviceMonitor: values.dcgmExporter?.serviceMonitor },
      gfd: { enabled: true },
      mig: section('mig'),
      migManager: { enabled: values.migManager?.enabled ?? true, env: values.migManager?.env ?? [], config: migConfig },
      nodeStatusExporter: { enabled: false },
      validator: { plugin: { env: [{ name: 'WITH_WORKLOAD', value: 'false' }] } },
      cdi: section('cdi'),
      ...(values.hostPaths ? { hostPaths: values.hostPaths } : {}),
    },
  };
}
