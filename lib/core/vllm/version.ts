/**
 * vLLM versions: the one gpuplane pins, and the points where vLLM changed behaviour that gpuplane renders or
 * estimates around.
 */

/** The vLLM release gpuplane renders by default (image tag `v<version>`). */
export const DEFAULT_VLLM_VERSION = '0.26.0';

/** A version as major, minor and patch numbers. */
export type VersionTuple = readonly [number, number, number];

/** Parses `0.11.0`, `v0.11.0` or `0.11.0-cu129`; returns undefined for anything else. */
export function parseVllmVersion(v: string): VersionTuple | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+.].*)?$/.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Whether a parsed vLLM version is `min` or later. */
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
  /**
   * Defaults for the API server on GPUs with at least 70 GiB whose name does not contain "a100"
   * (`vllm/engine/arg_utils.py`, `_set_default_args_v1` / `get_batch_defaults`, PR #17885 added the A100 carve-out):
   * `max_num_batched_tokens` 8192 and `max_num_seqs` 1024; other GPUs 2048 and 256.
   */
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
  /**
   * CUDA graph memory is estimated and subtracted before the KV cache is sized (`vllm/v1/worker/gpu_worker.py`,
   * `VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS`, on by default; startup logs say "CUDA graph memory profiling is
   * enabled (default since v0.21.0)").
   */
  cudaGraphProfiling: '0.21.0',
  /**
   * `--shutdown-timeout`: on SIGTERM the server stops taking requests and drains in-flight ones for up to this many
   * seconds (KServe's LLMInferenceService config gates it on vLLM 0.18, FACTS.md).
   */
  shutdownTimeout: '0.18.0',
  /**
   * The V1 hybrid KV cache manager (`vllm/v1/core/kv_cache_utils.py`, `_get_kv_cache_groups_uniform_page_size`):
   * sliding-window layers keep a fixed window instead of the whole context. Before it, V1 turned them into full
   * attention (`unify_hybrid_kv_cache_specs`).
   */
  hybridKvCache: '0.10.0',
  /**
   * `vllm/engine/arg_utils.py` (`get_batch_defaults`) adds a tier for devices of at least 160 GiB: the API server's
   * default `max_num_batched_tokens` becomes 16384 ("for GPUs like B200/B300 with >= 160GB memory").
   */
  hugeGpuBatch16384: '0.28.0',
  /**
   * Model Runner V2 (`vllm/v1/worker/gpu/model_runner.py`) became the default for all dense models (PR #44443,
   * merged 2026-07-02, released with the PagedAttention removal #47361). Its profiling sampler skips top-k, top-p and
   * logprobs ("NOTE(woosuk): During the initial memory profiling, the sampler may skip top_k, top_p, and logprobs"),
   * and its `profile_cudagraph_memory()` returns 0 (vllm-project/vllm#49224), so graphs land in the headroom again.
   * MoE and hybrid models stay on the V1 runner (PR #46646 to switch them was closed unmerged).
   */
  modelRunnerV2Dense: '0.25.0',
  /**
   * The profiling sampler stops running top-k/top-p (about 14 bytes per logit instead of 38) and TP>1 ranks start
   * holding about 2.1 GiB of communication buffers outside torch. Both are observed, not read in source: H100 logs of
   * 0.11.0 (llm-d capacity-planner measurements: 4.8-7.4 GiB activation, 0.55 GiB non-torch at TP=2) against 0.19.0
   * (llm-d-incubation/llm-d-planner `docs/accuracy/vllm-v0.19.0-accuracy-report.md`: 1.9-2.9 GiB activation,
   * 2.1 GiB non-torch at TP>=2, 0.25 GiB at TP=1). No log in between was found; 0.12.0 is the assumed boundary.
   */
  leanSamplerAndCommBuffers: '0.12.0',
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
