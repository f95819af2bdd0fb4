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
}

const catalog: Record<string, GpuSpec> = {
  H200: { id: 'H200', memoryGiB: 139.8, nominalMemoryGB: 141, productLabel: 'NVIDIA-H200', computeCapability: 9.0, migCapable: true },
  'H100-94GB': { id: 'H100-94GB', memoryGiB: 93.1, nominalMemoryGB: 94, productLabel: 'NVIDIA-H100-NVL', computeCapability: 9.0, migCapable: true },
  'H100-80GB': { id: 'H100-80GB', memoryGiB: 79.2, nominalMemoryGB: 80, productLabel: 'NVIDIA-H100-80GB-HBM3', computeCapability: 9.0, migCapable: true },
  'A100-80GB': { id: 'A100-80GB', memoryGiB: 79.15, nominalMemoryGB: 80, productLabel: 'NVIDIA-A100-SXM4-80GB', computeCapability: 8.0, migCapable: true },
  'A100-40GB': { id: 'A100-40GB', memoryGiB: 39.4, nominalMemoryGB: 40, productLabel: 'NVIDIA-A100-SXM4-40GB', computeCapability: 8.0, migCapable: true },
  L40S: { id: 'L40S', memoryGiB: 44.4, nominalMemoryGB: 48, productLabel: 'NVIDIA-L40S', computeCapability: 8.9, migCapable: false },
  L4: { id: 'L4', memoryGiB: 22.0, nominalMemoryGB: 24, productLabel: 'NVIDIA-L4', computeCapability: 8.9, migCapable: false },
  A10G: { id: 'A10G', memoryGiB: 22.0, nominalMemoryGB: 24, productLabel: 'NVIDIA-A10G', computeCapability: 8.6, migCapable: false },
  T4: { id: 'T4', memoryGiB: 14.6, nominalMemoryGB: 16, productLabel: 'Tesla-T4', computeCapability: 7.5, migCapable: false },
};

/** Ids of every catalog GPU, sorted. */
export const GPU_IDS: readonly string[] = Object.keys(catalog).sort();

/** Looks a GPU up by catalog id; returns undefined when unknown. */
export function findGpu(id: string): GpuSpec | undefined {
  return catalog[id];
}

/** A GPU given by catalog id or as a spec of the user's own (only `memoryGiB` is required). */
export type GpuInput = string | (Partial<GpuSpec> & { readonly memoryGiB: number });

/** Resolves a GPU input to a spec. Throws with the list of known ids when the id is unknown. */
export function resolveGpu(input: GpuInput, field = 'gpu'): GpuSpec {
  if (typeof input === 'string') {
    const spec = findGpu(input);
    if (!spec) {
      throw new Error(
        `'${field}' names an unknown GPU (got ${JSON.stringify(input)}; allowed: ${GPU_IDS.join(', ')}). ` +
          `Fix: use a catalog id, or pass { memoryGiB } with the memory the driver reports.`,
      );
    }
    return spec;
  }
  if (!(input.memoryGiB > 0)) {
    throw new Error(`'${field}.memoryGiB' must be a positive number of GiB (got ${JSON.stringify(input.memoryGiB)}). Fix: pass the device memory the driver reports, e.g. 79.2 for an H100 80GB.`);
  }
  return { id: input.id ?? `custom-${input.memoryGiB}GiB`, ...input };
}
