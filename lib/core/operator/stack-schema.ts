import type { ResolvedGpuPool } from '../gpu/pool';
import { dnsLabel, dnsSubdomain, goDuration, labels, url } from '../options/formats';
import { arr, bool, custom, num, obj, oneOf, opt, Schema, str } from '../options/schema';
import { OPERATOR_PLATFORMS } from './platforms';
import { NVIDIA_DRA_DRIVER_OPTIONS } from './dra-driver';
import type { GpuOperatorStackOptions } from './stack';

type PoolInput = ResolvedGpuPool | { readonly resolved: ResolvedGpuPool };

const isResolvedPool = (v: unknown): boolean => {
  const r = v as Partial<ResolvedGpuPool> | undefined;
  return r !== null && typeof r === 'object' && typeof r.name === 'string' && typeof r.kind === 'string' && r.devicePluginConfig !== undefined;
};

const POOL = custom<PoolInput>('a GPU pool', (v) => {
  if (v !== null && typeof v === 'object' && ('resolved' in v ? isResolvedPool((v as { resolved: unknown }).resolved) : isResolvedPool(v))) return undefined;
  return 'must be a MigNodePool or GpuNodePool (or its resolved form)';
}, 'pass the pool constructs (or resolveGpuPool results)');

/** Every option of the GPU Operator stack. */
export const GPU_OPERATOR_STACK_OPTIONS: Schema<GpuOperatorStackOptions> = obj<GpuOperatorStackOptions>({
  namespace: opt(dnsLabel(63, "use 'gpu-operator'")),
  platform: opt(oneOf(OPERATOR_PLATFORMS, 'pick the platform the cluster runs on')),
  chartVersion: opt(str({ test: (s) => (/^v?\d+\.\d+\.\d+$/.test(s) ? undefined : 'must be a pinned chart version'), fix: 'e.g. "v26.7.0"' })),
  pools: opt(arr(POOL)),
  driver: opt(obj<NonNullable<GpuOperatorStackOptions['driver']>>({ enabled: opt(bool()), version: opt(str({ test: (s) => (/^[\w.-]+$/.test(s) ? undefined : 'must be a driver version such as 580.95.05') })) })),
  toolkit: opt(obj<NonNullable<GpuOperatorStackOptions['toolkit']>>({ enabled: opt(bool()) })),
  nodeImage: opt(obj<NonNullable<GpuOperatorStackOptions['nodeImage']>>({ driverPreinstalled: opt(bool()), toolkitPreinstalled: opt(bool()) })),
  migManager: opt(obj<NonNullable<GpuOperatorStackOptions['migManager']>>({ enabled: opt(bool()) })),
  delivery: opt(oneOf(['flux', 'argocd', 'none'], "use 'flux'")),
  flux: opt(obj<NonNullable<GpuOperatorStackOptions['flux']>>({ namespace: opt(dnsLabel(63)), interval: opt(goDuration('1h', ['s', 'm', 'h'])) })),
  argocd: opt(obj<NonNullable<GpuOperatorStackOptions['argocd']>>({ namespace: opt(dnsLabel(63)), project: opt(dnsSubdomain()), server: opt(url('https://kubernetes.default.svc', ['https'])) })),
  monitoring: opt(obj<NonNullable<GpuOperatorStackOptions['monitoring']>>({
    enabled: opt(bool()),
    labels: opt(labels()),
    temperatureCelsius: opt(num({ gt: 0, max: 120, fix: 'use 83, where throttling starts' })),
    idleUtilizationPercent: opt(num({ gt: 0, lt: 100, fix: 'use 5' })),
    singleBitEccPerDay: opt(num({ gt: 0, fix: 'use 10' })),
    retiredPages: opt(num({ integer: true, min: 1, max: 64, fix: 'use 48 (the retirement table holds 64)' })),
  })),
  draDriver: opt(NVIDIA_DRA_DRIVER_OPTIONS),
});
