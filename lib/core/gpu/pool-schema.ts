import { dnsLabel, labelKey, labels, labelValue } from '../options/formats';
import { alt, arr, bool, num, obj, oneOf, opt, posInt, record, Schema, str } from '../options/schema';
import type { GpuPoolRenderOptions, KarpenterOptions } from './pool-render';
import type { MigPoolOptions, MpsOptions, PoolWorkloadProfile, Taint, TimeSlicingOptions } from './pool';

/** Keys the device plugin parses but ignores: refused with the reason rather than rendered to do nothing. */
const IGNORED_BY_PLUGIN: Record<string, string> = {
  rename: 'the device plugin parses resources[].rename but ignores it',
  devices: 'the device plugin parses per-device replicas (resources[].devices) but ignores them; replicas apply to every GPU',
  resources: 'gpuplane renders the resources list from replicas; per-resource entries with rename or devices are ignored upstream',
};

/** Replica counts; their range (2 to 64, or the GPU's MPS limit) is checked with the GPU in hand. */
const replicas = () => num({ integer: true });

/** One MIG layout: profile -> instance count. */
const MIG_LAYOUT = record(num({ integer: true, min: 0, fix: 'give each profile a whole number of instances' }), str({ minLength: 1 }));

const MIG = obj<MigPoolOptions>({
  layout: alt({
    string: str({ minLength: 1, expected: "'balanced' or a profile name" }),
    object: MIG_LAYOUT,
    array: arr(MIG_LAYOUT, { minItems: 1 }),
  }),
  timeSlicingReplicas: opt(replicas()),
  strategy: opt(oneOf(['single', 'mixed'])),
});

const TIME_SLICING = obj<TimeSlicingOptions>({ replicas: replicas(), renameByDefault: opt(bool()), failRequestsGreaterThanOne: opt(bool()) }, { refusedKeys: IGNORED_BY_PLUGIN });
const MPS = obj<MpsOptions>({ replicas: replicas(), renameByDefault: opt(bool()) }, { refusedKeys: IGNORED_BY_PLUGIN });

const TAINT = obj<Taint>({ key: labelKey(), value: opt(labelValue()), effect: oneOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], 'use NoSchedule') });

/** Karpenter's duration grammar (its CRD pattern `^(([0-9]+(s|m|h))+|Never)$`): `0s` is valid, and so is `Never`. */
const karpenterDuration = (example: string) => str({ test: (s) => (/^(([0-9]+(s|m|h))+|Never)$/.test(s) ? undefined : "must be a duration in s, m and h, or 'Never'"), fix: `e.g. '${example}'` });

const KARPENTER = obj<KarpenterOptions>({
  nodeClassRef: obj<KarpenterOptions['nodeClassRef']>({ group: str({ minLength: 1 }), kind: str({ minLength: 1 }), name: str({ minLength: 1 }) }),
  instanceTypes: arr(str({ minLength: 1 }), { minItems: 1, unique: true, fix: "list the instance types with this GPU, e.g. ['p5.48xlarge'] for H100 on AWS" }),
  capacityTypes: opt(arr(oneOf(['on-demand', 'spot', 'reserved']), { minItems: 1, unique: true })),
  expireAfter: opt(karpenterDuration('720h')),
  consolidateAfter: opt(karpenterDuration('30m')),
});

/** Every option of a GPU pool (MigNodePool, GpuNodePool). */
export const GPU_POOL_OPTIONS: Schema<GpuPoolRenderOptions> = obj<GpuPoolRenderOptions>({
  name: dnsLabel(63, 'use lower-case letters, digits and "-" (it names configs and labels)'),
  gpu: str({ minLength: 1, expected: 'a catalog GPU id' }),
  gpusPerNode: opt(posInt('use the GPUs of one node, e.g. 8', 16)),
  nodes: opt(alt({ number: posInt('e.g. 2'), object: obj<{ readonly min: number; readonly max: number }>({ min: num({ integer: true, min: 0 }), max: posInt() }, { expected: '{ min, max }' }) })),
  mig: opt(MIG),
  timeSlicing: opt(TIME_SLICING),
  mps: opt(MPS),
  taints: opt(arr(TAINT)),
  labels: opt(labels()),
  workloads: opt(obj<PoolWorkloadProfile>({ productionInference: opt(bool()), teams: opt(posInt()) })),
  karpenter: opt(KARPENTER),
});
