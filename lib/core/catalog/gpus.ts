import { GpuplaneValidationError, ProblemCollector } from '../errors';
import { a30Geometry, eightSliceGeometry, MigGeometry } from './mig-geometry';

/**
 * GPU catalog: the device memory the driver reports (what vLLM's profiler starts from), the node label value GPU
 * Feature Discovery publishes (`nvidia.com/gpu.product`), compute capability and whether the GPU supports MIG.
 * MIG geometry (profiles and placements) is attached by the GPU layer; `migCapable` is the switch it keys on.
 */
export interface GpuSpec {
  /** Catalog id, e.g. `H100-80GB`. */
  readonly id: string;
  /** Device memory as the driver and `torch.cuda.mem_get_info` report it, in GiB (e.g. 79.2 for an H100 80GB). */
  readonly memoryGiB: number;
  /** The marketing capacity in GB, for messages. */
  readonly nominalMemoryGB?: number;
  /** Value of the `nvidia.com/gpu.product` node label set by GPU Feature Discovery. */
  readonly productLabel?: string;
  /** CUDA compute capability, e.g. 9.0. */
  readonly computeCapability?: number;
  /** Whether the GPU supports Multi-Instance GPU. */
  readonly migCapable?: boolean;
  /** MIG profiles and placements (MIG-capable GPUs only). */
  readonly mig?: MigGeometry;
  /** PCI device ids (`0x233010DE`), as mig-parted's `device-filter` matches them. */
  readonly pciDeviceIds?: readonly string[];
  /** GPU Feature Discovery's `nvidia.com/gpu.family`. */
  readonly family?: string;
}

// Reported memory: measured values where FACTS.md has them (H100 80GB, A100, L40S, T4); elsewhere 99% of the
// nominal capacity, the ratio the H100 80GB shows (79.2 of 80).
const catalog: Record<string, GpuSpec> = {
  GB200: { id: 'GB200', memoryGiB: 184.1, nominalMemoryGB: 186, computeCapability: 10.0, family: 'blackwell', migCapable: true, mig: eightSliceGeometry([23, 47, 93, 186]), pciDeviceIds: ['0x294110DE'] },
  // B200: torch reports 178.35 GiB (unslothai/unsloth#3411: "NVIDIA B200 ... Total VRAM: 178.35 GB").
  B200: { id: 'B200', memoryGiB: 178.35, nominalMemoryGB: 180, productLabel: 'NVIDIA-B200', computeCapability: 10.0, family: 'blackwell', migCapable: true, mig: eightSliceGeometry([23, 45, 90, 180]), pciDeviceIds: ['0x290110DE'] },
  'GH200-144GB': { id: 'GH200-144GB', memoryGiB: 142.5, nominalMemoryGB: 144, computeCapability: 9.0, family: 'hopper', migCapable: true, mig: eightSliceGeometry([18, 36, 72, 144]), pciDeviceIds: ['0x234810DE'] },
  H200: { id: 'H200', memoryGiB: 139.8, nominalMemoryGB: 141, productLabel: 'NVIDIA-H200', computeCapability: 9.0, family: 'hopper', migCapable: true, mig: eightSliceGeometry([18, 35, 71, 141]), pciDeviceIds: ['0x233510DE', '0x233B10DE'] },
  'H100-96GB': { id: 'H100-96GB', memoryGiB: 95.0, nominalMemoryGB: 96, computeCapability: 9.0, family: 'hopper', migCapable: true, mig: eightSliceGeometry([12, 24, 48, 96]), pciDeviceIds: ['0x234210DE', '0x233D10DE', '0x20B610DE', '0x232910DE'] },
  'H100-94GB': { id: 'H100-94GB', memoryGiB: 93.1, nominalMemoryGB: 94, productLabel: 'NVIDIA-H100-NVL', computeCapability: 9.0, family: 'hopper', migCapable: true, mig: eightSliceGeometry([12, 24, 47, 94]), pciDeviceIds: ['0x232110DE', '0x233A10DE'] },
  'H100-80GB': { id: 'H100-80GB', memoryGiB: 79.2, nominalMemoryGB: 80, productLabel: 'NVIDIA-H100-80GB-HBM3', computeCapability: 9.0, family: 'hopper', migCapable: true, mig: eightSliceGeometry([10, 20, 40, 80]), pciDeviceIds: ['0x233010DE', '0x233110DE', '0x232210DE', '0x232410DE'] },
  'A100-80GB': { id: 'A100-80GB', memoryGiB: 79.15, nominalMemoryGB: 80, productLabel: 'NVIDIA-A100-SXM4-80GB', computeCapability: 8.0, family: 'ampere', migCapable: true, mig: eightSliceGeometry([10, 20, 40, 80]), pciDeviceIds: ['0x20B210DE', '0x20B510DE', '0x20F310DE', '0x20F510DE'] },
  'A100-40GB': { id: 'A100-40GB', memoryGiB: 39.4, nominalMemoryGB: 40, productLabel: 'NVIDIA-A100-SXM4-40GB', computeCapability: 8.0, family: 'ampere', migCapable: true, mig: eightSliceGeometry([5, 10, 20, 40]), pciDeviceIds: ['0x20B010DE', '0x20B110DE', '0x20F110DE', '0x20F610DE'] },
  A30: { id: 'A30', memoryGiB: 23.5, nominalMemoryGB: 24, productLabel: 'NVIDIA-A30', computeCapability: 8.0, family: 'ampere', migCapable: true, mig: a30Geometry(), pciDeviceIds: ['0x20B710DE'] },
  L40S: { id: 'L40S', memoryGiB: 44.4, nominalMemoryGB: 48, productLabel: 'NVIDIA-L40S', computeCapability: 8.9, family: 'ada-lovelace', migCapable: false },
  L4: { id: 'L4', memoryGiB: 22.0, nominalMemoryGB: 24, productLabel: 'NVIDIA-L4', computeCapability: 8.9, family: 'ada-lovelace', migCapable: false },
  A10G: { id: 'A10G', memoryGiB: 22.0, nominalMemoryGB: 24, productLabel: 'NVIDIA-A10G', computeCapability: 8.6, family: 'ampere', migCapable: false },
  T4: { id: 'T4', memoryGiB: 14.6, nominalMemoryGB: 16, productLabel: 'Tesla-T4', computeCapability: 7.5, family: 'turing', migCapable: false },
  // H200 NVL (PCIe): the same 141 GB of HBM3e as the SXM part, so the same reported memory. The hardware supports
  // MIG, but the reference mig-profiles.json the GPU layer places from has no H200 NVL entry: whole GPUs only here.
  'H200-NVL': { id: 'H200-NVL', memoryGiB: 139.8, nominalMemoryGB: 141, productLabel: 'NVIDIA-H200-NVL', computeCapability: 9.0, family: 'hopper', migCapable: false },
  // RTX PRO 6000 Blackwell: 96 GB GDDR7 (nvidia-smi 97887 MiB = 95.6 GiB); reported memory by the 99% rule above.
  // It offers up to 4 MIG instances, but its profiles are not in the MIG geometry gpuplane ships, so whole GPUs only.
  'RTX-PRO-6000': { id: 'RTX-PRO-6000', memoryGiB: 94.97, nominalMemoryGB: 96, productLabel: 'NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition', computeCapability: 12.0, family: 'blackwell', migCapable: false },
  // RTX 4090: torch reports 23.55 GiB (vllm-project/vllm#13061 log: "23.08 GiB" usable at 0.98).
  'RTX-4090': { id: 'RTX-4090', memoryGiB: 23.55, nominalMemoryGB: 24, productLabel: 'NVIDIA-GeForce-RTX-4090', computeCapability: 8.9, family: 'ada-lovelace', migCapable: false },
  // RTX 5090: nvidia-smi 32607 MiB (vllm-project/vllm#34076); torch reports about 31.36 GiB.
  'RTX-5090': { id: 'RTX-5090', memoryGiB: 31.36, nominalMemoryGB: 32, productLabel: 'NVIDIA-GeForce-RTX-5090', computeCapability: 12.0, family: 'blackwell', migCapable: false },
  // A10 (the non-G data-center part): 24 GB GDDR6 like the A10G, same reported memory.
  A10: { id: 'A10', memoryGiB: 22.0, nominalMemoryGB: 24, productLabel: 'NVIDIA-A10', computeCapability: 8.6, family: 'ampere', migCapable: false },
  // AMD MI300X: 192 GB HBM3; ROCm reports about 191.5 GiB. vLLM's ROCm platform runs the same V1 GPU worker
  // (`vllm/v1/worker/gpu_worker.py`) and the same >= 70 GiB scheduler defaults ("For GPUs like H100 and MI300x");
  // non-torch memory (RCCL) differs, so pass nonTorchGiB from a log when the margin is thin.
  MI300X: { id: 'MI300X', memoryGiB: 191.5, nominalMemoryGB: 192, computeCapability: 9.4, family: 'cdna3', migCapable: false },
};

/** Ids of every catalog GPU, sorted. */
export const GPU_IDS: readonly string[] = Object.keys(catalog).sort();

/** Looks a GPU up by catalog id; returns undefined when unknown. */
export function findGpu(id: string): GpuSpec | undefined {
  return catalog[id];
}

/** A GPU given by catalog id or as a spec of the user's own (only `memoryGiB` is required). */
export type GpuInput = string | (Partial<GpuSpec> & { readonly memoryGiB: number });

/** Looks a GPU input up, adding a problem (unknown id, no memory) to the collector instead of throwing. */
export function lookupGpu(input: GpuInput, field: string, p: ProblemCollector): GpuSpec | undefined {
  if (typeof input === 'string') {
    const spec = findGpu(input);
    if (!spec) p.add({ field, message: 'names an unknown GPU', value: input, allowed: GPU_IDS.join(', '), fix: 'use a catalog id, or pass { memoryGiB } with the memory the driver reports' });
    return spec;
  }
  if (!(typeof input?.memoryGiB === 'number' && input.memoryGiB > 0)) {
    p.add({ field: `${field}.memoryGiB`, message: 'must be a positive number of GiB', value: input?.memoryGiB, fix: 'pass the device memory the driver reports, e.g. 79.2 for an H100 80GB' });
    return undefined;
  }
  return { id: input.id ?? `custom-${input.memoryGiB}GiB`, ...input };
}

/** Resolves a GPU input to a spec; throws the problem when the id is unknown or the memory missing. */
export function resolveGpu(input: GpuInput, field = 'gpu'): GpuSpec {
  const p = new ProblemCollector();
  const spec = lookupGpu(input, field, p);
  if (!spec) throw new GpuplaneValidationError('GPU catalog', p.problems);
  return spec;
}
