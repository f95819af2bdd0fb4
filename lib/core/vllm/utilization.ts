/**
 * The `--gpu-memory-utilization` defaults, owned once: VllmService renders them and the fleet planner packs with them,
 * so a plan's fit is the construct's fit.
 */
export const GPU_MEMORY_UTILIZATION_DEFAULTS = {
  /** A whole GPU: the articles' 0.85, headroom for fragmentation and CUDA graphs below vLLM's own 0.9. */
  wholeGpu: 0.85,
  /** A MIG instance: the articles' 0.70-0.80 for shared GPUs. */
  migInstance: 0.75,
  /** What the pods sharing one time-sliced or MPS unit may take together (each takes its share of it). */
  sharedDevice: 0.9,
} as const;

/** The default share of one of `pods` pods on a time-sliced or MPS unit, rounded down to 0.01. */
export function sharedUtilization(pods: number): number {
  return Math.floor((GPU_MEMORY_UTILIZATION_DEFAULTS.sharedDevice / pods) * 100) / 100;
}
