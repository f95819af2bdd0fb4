/**
 * vLLM versions: the one gpuplane pins, and the points where vLLM changed behaviour that gpuplane renders or
 * estimates around.
 */

/** The vLLM release gpuplane renders by default (image tag `v<version>`). */
export const DEFAULT_VLLM_VERSION = '0.26.0';

export type VersionTuple = readonly [number, number, number];

/** Parses `0.11.0`, `v0.11.0` or `0.11.0-cu129`; returns undefined for anything else. */
export function parseVllmVersion(v: string): VersionTuple | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+.].*)?$/.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function versionAtLeast(v: VersionTuple, min: string): boolean {
  const m = parseVllmVersion(min)!;
  for (let i = 0; i < 3; i++) {
    if (v[i] !== m[i]) return v[i] > m[i];
  }
  return true;
}

/** Milestones, each with what changed. */
export const VLLM_MILESTONES = {
  /** Chunked prefill budget in the V0 engine went from 512 to 2048 tokens. */
  v0ChunkBudget2048: '0.7.0',
  /** The V1 engine became the default (chunked prefill always on, sampler warm-up on max_num_seqs rows). */
  v1Default: '0.8.0',
  /** Default max_num_batched_tokens for the API server became 8192 on GPUs with at least 70 GiB. */
  bigGpuBatch8192: '0.9.0',
  /** `--disable-log-requests` deprecated; request logging off by default, `--enable-log-requests` opts in. */
  enableLogRequests: '0.10.1',
  /** KV cache usage metric renamed from `vllm:gpu_cache_usage_perc` to `vllm:kv_cache_usage_perc`. */
  kvCacheUsageMetric: '0.10.0',
  /**
   * `vllm:inter_token_latency_seconds` replaced `vllm:time_per_output_token_seconds` (vllm-project/vllm#24110:
   * deprecated from 0.11, hidden in 0.12, removed by #32661); the pinned 0.26 exports only the new name, and every
   * release before 0.11 has the old one.
   */
  interTokenLatencyMetric: '0.11.0',
  /** CUDA graph memory is estimated and subtracted before the KV cache is sized. */
  cudaGraphProfiling: '0.21.0',
} as const;

/** The flag that keeps request payloads out of the logs, in the spelling the given version accepts. */
export function requestLoggingOffFlag(v: VersionTuple): string {
  return versionAtLeast(v, VLLM_MILESTONES.enableLogRequests) ? '--no-enable-log-requests' : '--disable-log-requests';
}

/** The KV cache usage gauge as the given version exports it. */
export function kvCacheUsageMetric(v: VersionTuple): string {
  return versionAtLeast(v, VLLM_MILESTONES.kvCacheUsageMetric) ? 'vllm:kv_cache_usage_perc' : 'vllm:gpu_cache_usage_perc';
}

/** The inter-token latency histogram as the given version exports it. */
export function interTokenLatencyMetric(v: VersionTuple): string {
  return versionAtLeast(v, VLLM_MILESTONES.interTokenLatencyMetric) ? 'vllm:inter_token_latency_seconds' : 'vllm:time_per_output_token_seconds';
}
