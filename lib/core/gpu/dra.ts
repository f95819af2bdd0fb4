import { ProblemCollector } from '../errors';
import { GpuInput, GpuSpec, lookupGpu } from '../catalog/gpus';
import { KubeObject } from '../kube';
import { arr, bool, checkOptions, custom, num, obj, oneOf, opt, posInt, Schema, str } from '../options/schema';
import { GPU_INPUT } from '../options/shared-schemas';
import { labels as labelsSchema, labelKey, labelValue } from '../options/formats';
import { defaultDraFeatureGates, NVIDIA_DEVICE_CLASSES, NVIDIA_DRA_DRIVER_NAME, ResolvedNvidiaDraDriver } from '../operator/dra-driver';
import { migProfileMemoryGiB } from './mig-layout';
import type { GpuPlacement } from './placement';
import type { Toleration } from './pool';

/**
 * GPUs through Dynamic Resource Allocation (`resource.k8s.io/v1`, GA in Kubernetes 1.34): instead of an
 * `nvidia.com/gpu` count, each pod gets a ResourceClaim made from a ResourceClaimTemplate whose request selects
 * devices of the NVIDIA DRA driver by attribute (CEL), and the container names the claim in `resources.claims`.
 *
 * Attribute and capacity names are the driver's (kubernetes-sigs/dra-driver-nvidia-gpu, docs "ResourceSlice device
 * attributes", driver 0.4): CEL reads `device.attributes["gpu.nvidia.com"].<name>` and
 * `device.capacity["gpu.nvidia.com"].memory`; the memory capacity is NVML's total (an H100 80GB HBM3 publishes
 * 81559Mi, 79.6 GiB: a selector for "80Gi" matches no H100).
 */

/** Attributes the driver publishes on GPUs and MIG devices (bare names under the `gpu.nvidia.com` domain). */
export const NVIDIA_DRA_ATTRIBUTES: readonly string[] = [
  'addressingMode', 'architecture', 'brand', 'cudaComputeCapability', 'cudaDriverVersion', 'driverVersion', 'gpuModuleID',
  'parentUUID', 'productName', 'profile', 'type', 'uuid',
];
/** Capacities the driver publishes (`memory` on every device; engine counts on MIG devices). */
export const NVIDIA_DRA_CAPACITIES: readonly string[] = ['copyEngines', 'decoders', 'encoders', 'jpegEngines', 'memory', 'multiprocessors', 'ofaEngines'];

/** A MIG slice requested through the NVIDIA DRA driver's `mig.nvidia.com` device class. */
export interface DraMigOptions {
  /** MIG profile, e.g. '3g.40gb': the claim selects `mig.nvidia.com` devices with this `profile` attribute. */
  readonly profile: string;
  /**
   * The driver creates the instance when the pod is scheduled (the driver's alpha `DynamicMIG` gate), instead of
   * selecting instances a MIG layout created beforehand.
   * @default false - instances must exist on the nodes (mig-parted applied a layout)
   */
  readonly dynamic?: boolean;
}

/** A GPU requested through Dynamic Resource Allocation: which GPU (pinned by attribute), how many, and the driver. */
export interface DraGpuClaimOptions {
  /**
   * The GPU model the claim selects. A catalog id pins the driver's `productName` and the memory capacity, and sizes
   * the fit check; `{ memoryGiB }` sizes the fit check and pins the memory only.
   * @default - none: then minMemoryGiB is required and the fit check assumes a GPU with just that memory
   */
  readonly gpu?: GpuInput;
  /**
   * The least device memory (the driver's `memory` capacity, NVML's total) the selector requires, in GiB.
   * @default - the GPU's reported memory rounded down to whole GiB (79 for an H100 80GB, whose devices publish 79.6Gi)
   */
  readonly minMemoryGiB?: number;
  /**
   * The NVML product name to select (`device.attributes["gpu.nvidia.com"].productName`), e.g. "NVIDIA H100 80GB HBM3".
   * @default - the catalog GPU's GPU Feature Discovery label with spaces for its dashes (GFD derives the label from
   *   the same NVML name); none for a GPU given by memory
   */
  readonly productName?: string;
  /** A MIG instance through `mig.nvidia.com` instead of whole GPUs. @default - whole GPUs through `gpu.nvidia.com` */
  readonly mig?: DraMigOptions;
  /** More CEL selectors, all of which must hold. @default [] */
  readonly selectors?: readonly string[];
  /** The driver the claim is served by: its feature gates decide what the claim may ask for. @default - the chart's defaults */
  readonly driver?: ResolvedNvidiaDraDriver | { readonly draDriver?: ResolvedNvidiaDraDriver };
  /** GPUs on one node, bounding tensor parallelism. @default 8 */
  readonly gpusPerNode?: number;
  /** Node selection for the pods (DRA finds the devices; this keeps pods on a node group). @default {} */
  readonly nodeSelector?: Record<string, string>;
  /** Tolerations for the GPU nodes' taints. @default [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] */
  readonly tolerations?: readonly Toleration[];
}

/** What a DRA placement carries to the workload: the request of its ResourceClaimTemplate. */
export interface DraClaimRequest {
  /** `requests[].name`, and the pod's claim name. */
  readonly requestName: string;
  readonly deviceClassName: string;
  /** CEL expressions, in order. */
  readonly selectors: readonly string[];
}

const TOLERATION = obj<Toleration>({
  key: labelKey(), operator: oneOf(['Equal', 'Exists']), value: opt(labelValue()), effect: str(),
});

/** The option schema of draGpuClaim (every field checked, unknown keys refused with a did-you-mean). */
export const DRA_GPU_CLAIM_OPTIONS: Schema<DraGpuClaimOptions> = obj<DraGpuClaimOptions>({
  gpu: opt(GPU_INPUT),
  minMemoryGiB: opt(num({ gt: 0, fix: 'give the GiB the GPU reports, e.g. 79 for an H100 80GB' })),
  productName: opt(str({ minLength: 1, test: (s) => (/["\\]/.test(s) ? 'must not contain quotes or backslashes (it is placed in a CEL string)' : undefined) })),
  mig: opt(obj<DraMigOptions>({ profile: str({ test: (s) => (/^\d+g\.\d+gb(\+me)?$/.test(s) ? undefined : 'must be a MIG profile such as 3g.40gb') }), dynamic: opt(bool()) })),
  selectors: opt(arr(str({ minLength: 1 }))),
  driver: opt(custom<NonNullable<DraGpuClaimOptions['driver']>>('a DRA driver', (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? undefined : 'must be the draDriver of a rendered GpuOperatorStack'), 'pass stack.render.draDriver')),
  gpusPerNode: opt(posInt('e.g. 8', 16)),
  nodeSelector: opt(labelsSchema()),
  tolerations: opt(arr(TOLERATION)),
});

const attr = (name: string) => `device.attributes["${NVIDIA_DRA_DRIVER_NAME}"].${name}`;
const capacity = (name: string) => `device.capacity["${NVIDIA_DRA_DRIVER_NAME}"].${name}`;

/** Attribute and capacity names a CEL expression reads from the driver's domain that the driver does not publish. */
function unknownNames(expression: string): string[] {
  const out: string[] = [];
  const re = /device\.(attributes|capacity)\[\s*["']gpu\.nvidia\.com["']\s*\]\.([A-Za-z_][A-Za-z0-9_]*)/g;
  for (let m = re.exec(expression); m; m = re.exec(expression)) {
    const known = m[1] === 'attributes' ? NVIDIA_DRA_ATTRIBUTES.includes(m[2]) || /^partition\d+$/.test(m[2]) : NVIDIA_DRA_CAPACITIES.includes(m[2]);
    if (!known) out.push(`${m[1]} ${m[2]}`);
  }
  return out;
}

/** The NVML product name behind a GFD `nvidia.com/gpu.product` label (GFD replaces the name's spaces with dashes). */
export function productNameFromLabel(label: string): string {
  return label.replace(/-/g, ' ');
}

/**
 * A placement on GPUs the NVIDIA DRA driver hands out: VllmService renders a ResourceClaimTemplate with one request
 * of the pod's GPUs (tensorParallelSize x pipelineParallelSize) matching these selectors, and references it from the pod. The fit check uses the
 * GPU the selectors pin.
 */
export function draGpuClaim(o: DraGpuClaimOptions): GpuPlacement {
  const subject = 'draGpuClaim';
  checkOptions(subject, DRA_GPU_CLAIM_OPTIONS, o);
  const driverInput = o.driver;
  const p = new ProblemCollector();
  const driver = driverInput && 'featureGates' in driverInput ? driverInput : (driverInput as { draDriver?: ResolvedNvidiaDraDriver } | undefined)?.draDriver;
  if (driverInput !== undefined && driver === undefined) {
    p.add({ field: 'driver', message: 'must be the DRA driver of a GpuOperatorStack with draDriver set', value: driverInput, fix: 'pass stack.render.draDriver, or a stack rendered with draDriver' });
  }
  const gates = driver?.featureGates ?? defaultDraFeatureGates();
  if (driver && !driver.gpus) {
    p.add({ field: 'driver', message: 'hands out no GPUs (draDriver.gpus is false), so the claim is never allocated', value: false, fix: 'set draDriver.gpus: true (the default)' });
  }
  const gpu = o.gpu !== undefined ? lookupGpu(o.gpu, 'gpu', p) : undefined;
  if (o.gpu === undefined && o.minMemoryGiB === undefined && o.mig === undefined) {
    p.add({
      field: 'minMemoryGiB', message: 'is required without gpu: a claim that pins no memory can be given any GPU, and the fit check has no numbers', value: undefined,
      fix: "state the GPU (gpu: 'H100-80GB') or the least memory the selector requires (minMemoryGiB: 79)",
    });
  }
  if (o.mig && !gpu) p.add({ field: 'gpu', message: 'is required with mig: the profile is sized by its GPU', value: undefined, fix: "set gpu, e.g. 'A100-80GB'" });
  p.throwIfAny(subject);

  const selectors: string[] = [];
  let memoryGiB: number;
  let spec: GpuSpec;
  const productName = o.productName ?? (gpu?.productLabel ? productNameFromLabel(gpu.productLabel) : undefined);
  if (productName) selectors.push(`${attr('productName')} == "${productName}"`);
  let deviceClassName: string = NVIDIA_DEVICE_CLASSES.gpu;
  if (o.mig) {
    deviceClassName = NVIDIA_DEVICE_CLASSES.mig;
    if (!gpu!.migCapable) p.add({ field: 'mig', message: `needs a MIG-capable GPU, and the ${gpu!.id} has no MIG`, value: o.mig.profile, fix: 'drop mig, or pick a MIG-capable GPU (A100, H100, H200, B200)' });
    else if (!gpu!.mig?.profiles[o.mig.profile]) p.add({ field: 'mig.profile', message: `is not a MIG profile of the ${gpu!.id}`, value: o.mig.profile, allowed: Object.keys(gpu!.mig?.profiles ?? {}).join(', '), fix: 'pick one of its profiles' });
    if (o.mig.dynamic && !gates.DynamicMIG) {
      p.add({
        field: 'mig.dynamic', message: "needs the DRA driver's DynamicMIG feature gate, which is alpha and off: the driver would never create the instance and the pod stays Pending", value: true,
        fix: 'set draDriver.featureGates.DynamicMIG: true on the GpuOperatorStack and pass its draDriver as driver, or use instances a MIG layout creates (dynamic: false)',
      });
    }
    p.check(o.minMemoryGiB === undefined, { field: 'minMemoryGiB', message: 'does not apply to MIG: the profile fixes the memory', value: o.minMemoryGiB, fix: 'drop minMemoryGiB' });
    p.throwIfAny(subject);
    selectors.push(`${attr('profile')} == "${o.mig.profile}"`);
    memoryGiB = migProfileMemoryGiB(gpu!, o.mig.profile);
    spec = { ...gpu!, id: `${gpu!.id} MIG ${o.mig.profile}`, memoryGiB };
  } else {
    const floor = gpu ? Math.floor(gpu.memoryGiB) : undefined;
    const min = o.minMemoryGiB ?? floor!;
    if (gpu && o.minMemoryGiB !== undefined) {
      p.check(o.minMemoryGiB <= floor!, {
        field: 'minMemoryGiB', message: `is more than the ${gpu.id} has: its devices publish about ${gpu.memoryGiB} GiB (NVML's total, below the marketing ${gpu.nominalMemoryGB ?? '?'} GB), so the selector matches none and the pod stays Pending`,
        value: o.minMemoryGiB, allowed: `at most ${floor}`, fix: `omit it for ${floor}`,
      });
    }
    selectors.push(`${capacity('memory')}.compareTo(quantity("${min}Gi")) >= 0`);
    // Without a catalog GPU the fit check assumes the least GPU the selector admits; CUDA sees about 1% less than NVML.
    memoryGiB = gpu ? gpu.memoryGiB : Math.floor(min * 0.99 * 100) / 100;
    spec = gpu ?? { id: `DRA GPU >= ${min}Gi`, memoryGiB };
  }
  for (const [i, s] of (o.selectors ?? []).entries()) {
    for (const name of unknownNames(s)) {
      p.add({
        field: `selectors[${i}]`, message: `reads ${name}, which the NVIDIA DRA driver does not publish: the expression fails on every device and the claim is never allocated`, value: s,
        allowed: `attributes ${NVIDIA_DRA_ATTRIBUTES.join(', ')}, partitionN; capacity ${NVIDIA_DRA_CAPACITIES.join(', ')}`, fix: 'use one of the driver\'s names (they are case-sensitive)',
      });
    }
    selectors.push(s);
  }
  p.throwIfAny(subject);
  const mig = o.mig !== undefined;
  const dra: DraClaimRequest = { requestName: mig ? 'mig' : 'gpu', deviceClassName, selectors };
  return {
    poolName: 'dra',
    gpu: spec,
    profile: o.mig?.profile,
    resourceName: deviceClassName,
    memoryGiB,
    shared: mig,
    memoryShared: false,
    podsPerUnit: 1,
    nodeSelector: o.nodeSelector ?? {},
    tolerations: o.tolerations ?? [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    gpusPerNode: o.gpusPerNode ?? 8,
    poolProfiles: o.mig ? [o.mig.profile] : [],
    dra,
  };
}

/** The ResourceClaimTemplate of a workload on a DRA placement: one request of `count` devices (ExactCount). */
export function renderResourceClaimTemplate(name: string, namespace: string, labels: Record<string, string>, dra: DraClaimRequest, count: number): KubeObject {
  return {
    apiVersion: 'resource.k8s.io/v1',
    kind: 'ResourceClaimTemplate',
    metadata: { name, namespace, labels },
    spec: {
      spec: {
        devices: {
          requests: [{
            name: dra.requestName,
            exactly: {
              deviceClassName: dra.deviceClassName,
              allocationMode: 'ExactCount',
              count,
              selectors: dra.selectors.map((expression) => ({ cel: { expression } })),
            },
          }],
        },
      },
    },
  };
}

/** The claim name in the pod's `resourceClaims` and the container's `resources.claims`. */
export const DRA_POD_CLAIM = 'gpus';
