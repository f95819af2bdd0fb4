import { findModel, ModelArchitecture } from '../../../lib/core/catalog/models';
import { VllmMemoryInput } from '../../../lib/core/vllm/estimator';

/**
 * Real vLLM startups from public threads. Each case records the inputs the log or the command shows, whether vLLM
 * started or refused, and the KV cache memory it reported (where it printed one). Numbers are copied from the
 * logs; where a log prints its weights (quantized checkpoints), the case passes them as `weightsGiB` like a user
 * with the checkpoint would.
 */
export interface StartupCase {
  readonly name: string;
  readonly source: string;
  readonly input: VllmMemoryInput;
  readonly started: boolean;
  /** KV cache GiB per GPU from the log, when it printed one. */
  readonly observedKvGiB?: number;
  readonly note?: string;
  /** The estimator misses this KV figure by more than the tolerance; the reason is in `note`. */
  readonly knownKvMiss?: boolean;
  /** The log lines the numbers come from, verbatim (trimmed to the relevant lines). */
  readonly log?: string;
  /** Per-term figures the log printed (GiB per GPU), for the per-term comparison. */
  readonly logged?: { readonly weightsGiB?: number; readonly activationGiB?: number; readonly nonTorchGiB?: number; readonly cudaGraphGiB?: number };
}

const catalog = (id: string, extra: Partial<ModelArchitecture> = {}): ModelArchitecture => ({ ...findModel(id)!, ...extra });

/** RTX 3090 as the driver reports it in these logs. */
const RTX3090 = { id: 'RTX-3090', memoryGiB: 23.58 };

export const STARTUP_CASES: readonly StartupCase[] = [
  {
    name: 'Llama-3.1-8B, RTX 3090, max len 20000 (V0, vLLM 0.6.x)',
    source: 'https://github.com/vllm-project/vllm/issues/10517 (kaspersiminski, 2024-12-02: "20k - OK", kv_cache_size=3.81GiB, 1952 blocks)',
    input: { model: 'llama-3.1-8b', gpu: RTX3090, gpuMemoryUtilization: 0.9, maxModelLen: 20000, vllmVersion: '0.6.4' },
    started: true,
    observedKvGiB: 3.81,
    logged: { weightsGiB: 14.99, nonTorchGiB: 0.35 },
    log: `Loading model weights took 14.9888 GB
Memory profiling results: total_gpu_memory=23.58GiB initial_memory_usage=15.34GiB peak_torch_memory=17.06GiB memory_usage_post_profile=15.35GiB non_torch_memory=0.35GiB kv_cache_size=3.81GiB gpu_memory_utilization=0.90`,
  },
  {
    name: 'Llama-3.1-8B, RTX 3090, max len 29000 refused',
    source: 'https://github.com/vllm-project/vllm/issues/10517 ("29k - BAD": kv_cache_size=2.89GiB, 23648 tokens < 29000)',
    input: { model: 'llama-3.1-8b', gpu: RTX3090, gpuMemoryUtilization: 0.9, maxModelLen: 29000, vllmVersion: '0.6.4' },
    started: false,
    observedKvGiB: 2.89,
    note: 'Refused although 29k < 35k works: without chunked prefill the profiling batch is the whole 29k context.',
  },
  {
    name: 'Llama-3.1-8B, RTX 3090, max len 35000 (chunked prefill above 32K)',
    source: 'https://github.com/vllm-project/vllm/issues/10517 ("35k - OK": peak_torch_memory=15.05GiB, non_torch 0.35GiB -> 23.58*0.9-15.05-0.35 = 5.82 GiB)',
    input: { model: 'llama-3.1-8b', gpu: RTX3090, gpuMemoryUtilization: 0.9, maxModelLen: 35000, vllmVersion: '0.6.4' },
    started: true,
    observedKvGiB: 5.82,
  },
  {
    name: 'Llama-3.1-8B, RTX 3090, max len 45000',
    source: 'https://github.com/vllm-project/vllm/issues/10517 ("I can run 20k, 35k, or 45k")',
    input: { model: 'llama-3.1-8b', gpu: RTX3090, gpuMemoryUtilization: 0.9, maxModelLen: 45000, vllmVersion: '0.6.4' },
    started: true,
  },
  {
    name: 'DeepSeek-R1-Distill-Qwen-14B (Qwen2.5-14B architecture), 2x RTX 4090, TP=2, 131072 refused',
    source: 'https://github.com/vllm-project/vllm/issues/13061 (vLLM 0.7.x: 23.08 GiB usable per GPU at 0.98, KV 8.69 GiB, 81536 tokens < 131072)',
    input: { model: 'qwen2.5-14b', gpu: { id: 'RTX-4090', memoryGiB: 23.55 }, tensorParallelSize: 2, gpuMemoryUtilization: 0.98, maxModelLen: 131072, vllmVersion: '0.7.2' },
    started: false,
    observedKvGiB: 8.69,
    note: 'The distilled model keeps Qwen2.5-14B geometry with a 131072 context; maxModelLen is what the log printed.',
  },
  {
    name: 'Llama-3.1-70B w8a8 (67.72 GiB weights), H100 80GB, 0.98, max len 2048',
    source: 'https://github.com/vllm-project/vllm/pull/12569 (mgoin, 2025-01-30: 1381 GPU blocks x 16 tokens x 320 KiB = 6.74 GiB)',
    input: { model: catalog('llama-3.1-70b', { weightsGiB: 67.72 }), gpu: 'H100-80GB', gpuMemoryUtilization: 0.98, maxModelLen: 2048, vllmVersion: '0.7.1' },
    started: true,
    observedKvGiB: 6.74,
    logged: { weightsGiB: 67.72 },
    log: `INFO 01-30 03:18:12 gpu_model_runner.py:848] Loading model weights took 67.7229 GB
INFO 01-30 03:19:14 kv_cache_utils.py:395] # GPU blocks: 1381
INFO 01-30 03:19:14 kv_cache_utils.py:398] Maximum concurrency for 2048 tokens per request: 10.79x`,
    knownKvMiss: true,
    note: 'Early V1 engine (VLLM_USE_V1=1 on 0.7.1): its profiling held about 2 GiB more than gpuplane models for 0.7.x.',
  },
  {
    name: 'Qwen2.5-7B AWQ (5.20 GiB weights), 8 GiB GPU, 0.70, 4096 refused',
    source: 'https://github.com/vllm-project/vllm/issues/13882 (vLLM 0.7.x: "the rest of the memory reserved for KV Cache is -1.05GiB", 0 blocks)',
    input: { model: catalog('qwen2.5-7b', { weightsGiB: 5.2 }), gpu: { id: 'RTX-4060', memoryGiB: 8.0 }, gpuMemoryUtilization: 0.7, maxModelLen: 4096, vllmVersion: '0.7.3' },
    started: false,
    observedKvGiB: -1.05,
    logged: { weightsGiB: 5.2, activationGiB: 1.42, nonTorchGiB: 0.03 },
    log: `INFO 02-26 09:54:05 worker.py:267] the current vLLM instance can use total_gpu_memory (8.00GiB) x gpu_memory_utilization (0.70) = 5.60GiB
INFO 02-26 09:54:05 worker.py:267] model weights take 5.20GiB; non_torch_memory takes 0.03GiB; PyTorch activation peak memory takes 1.42GiB; the rest of the memory reserved for KV Cache is -1.05GiB.`,
  },
  {
    name: 'gpt-oss-20b (MXFP4, 13.72 GiB), A100 80GB, 0.65, 131072',
    source: 'https://myoceane.fr/index.php/ai-vllm-a100-gemma-4/ (vLLM 0.19.0: "Model loading took 13.72 GiB", "Available KV cache memory: 36.56 GiB")',
    input: {
      model: { layers: 24, kvHeads: 8, headDim: 64, attentionHeads: 64, hiddenSize: 2880, intermediateSize: 4 * 2880, parameters: 20.9e9, vocabSize: 201088, maxPositionEmbeddings: 131072, moe: true, weightsGiB: 13.72 },
      gpu: 'A100-80GB', gpuMemoryUtilization: 0.65, maxModelLen: 131072, vllmVersion: '0.19.0',
    },
    started: true,
    observedKvGiB: 36.56,
    logged: { weightsGiB: 13.72 },
    log: `Model loading took 13.72 GiB memory and 62.336108 seconds
Available KV cache memory: 36.56 GiB`,
    note: 'Architecture from the gpt-oss-20b config: 24 layers, 8 KV heads of 64, hidden 2880, 4 of 32 experts of 2880 per token.',
  },
  {
    name: 'Llama-3.1-8B, A100 40GB, eager, full 131072 context (V1, vLLM 0.15.1, offline LLM class)',
    source: 'https://github.com/ilseokoh/vllm-gce (README, test.py output on a2-highgpu-1g: "Available KV cache memory: 19.28 GiB", "GPU KV cache size: 157,936 tokens", 1.20x for 131,072 tokens)',
    input: { model: 'llama-3.1-8b', gpu: 'A100-40GB', gpuMemoryUtilization: 0.9, maxModelLen: 131072, maxNumBatchedTokens: 8192, vllmVersion: '0.15.1', enforceEager: true },
    started: true,
    observedKvGiB: 19.28,
    log: `Available KV cache memory: 19.28 GiB
GPU KV cache size: 157,936 tokens`,
    note: 'The log prints "Chunked prefill is enabled with max_num_batched_tokens=8192" (the offline LLM class default), passed as given.',
  },
  {
    name: 'Mistral-7B architecture AWQ (Vistral-7B), T4, eager, 0.1 refused',
    source: 'https://github.com/vllm-project/vllm/issues/7028 (gpu_memory_utilization=0.1: "No available memory for the cache blocks")',
    input: { model: 'mistral-7b', quantization: 'awq', gpu: 'T4', gpuMemoryUtilization: 0.1, maxModelLen: 32768, vllmVersion: '0.5.3', enforceEager: true },
    started: false,
  },
  {
    name: 'Mistral-7B architecture AWQ (Vistral-7B), T4, eager, default 0.9',
    source: 'https://github.com/vllm-project/vllm/issues/7028 ("When I load model with default gpu_memory_utilization (which is 0.9), it loads ok")',
    input: { model: 'mistral-7b', quantization: 'awq', gpu: 'T4', gpuMemoryUtilization: 0.9, maxModelLen: 32768, vllmVersion: '0.5.3', enforceEager: true },
    started: true,
  },

  // --- Cases added for issue 11 (vLLM 0.8 and later unless marked). `log` holds the lines the numbers come from.
  {
    name: 'gpt-oss-120b (MXFP4, 65.97 GiB), H100 80GB, vLLM 0.10.1 defaults, refused',
    source: 'https://github.com/vllm-project/vllm/issues/23278 (QichangZheng, 2025-08-20: "gpt-oss 120b does not work while gpt-oss 20b works on H100")',
    input: { model: catalog('gpt-oss-120b', { weightsGiB: 65.97 }), gpu: 'H100-80GB', vllmVersion: '0.10.1' },
    started: false,
    observedKvGiB: -2.14,
    logged: { weightsGiB: 65.97 },
    note: 'The excerpt does not show the command; vLLM defaults (0.9, 1024 sequences, 8192 tokens) are assumed. The 7.4 GiB overhead is the sampler warm-up over 1024 x 201088 logits.',
    log: `(EngineCore_0 pid=5839) WARNING 08-20 18:04:08 [marlin_utils_fp4.py:196] Your GPU does not have native support for FP4 computation but FP4 quantization is being used. Weight-only FP4 compression will be used leveraging the Marlin kernel.
(EngineCore_0 pid=5839) INFO 08-20 18:04:10 [gpu_model_runner.py:2007] Model loading took 65.9651 GiB and 12.799889 seconds
(EngineCore_0 pid=5839) INFO 08-20 18:04:22 [gpu_worker.py:276] Available KV cache memory: -2.14 GiB
(EngineCore_0 pid=5839) ERROR 08-20 18:04:22 [core.py:700] EngineCore failed to start.`,
  },
  {
    name: 'gpt-oss-120b, H100 80GB, 0.95, max_num_batched_tokens 1024, 131072 refused (vLLM 0.11, hybrid KV)',
    source: 'https://github.com/vllm-project/vllm/issues/27508 (matheusfvesco, 2025-10-31: `vllm serve openai/gpt-oss-120b --gpu-memory-utilization 0.95 --max-num-batched-tokens 1024`)',
    input: { model: catalog('gpt-oss-120b', { weightsGiB: 65.97 }), gpu: 'H100-80GB', gpuMemoryUtilization: 0.95, maxNumBatchedTokens: 1024, vllmVersion: '0.11.0' },
    started: false,
    observedKvGiB: 1.71,
    note: 'The 4.54 GiB one request needs is 18 full layers x 131072 tokens plus 18 sliding layers x (127 + 1024)-token windows: only the hybrid layout gives it. The weights are not in the excerpt: 65.97 GiB is assumed, what the Marlin MXFP4 path loaded on an H100 in 0.10.1 (#23278); the Triton path (64.38 GiB) first shows up in a 0.14.1 log (#33155). With 64.4 GiB the KV would be 3.35 GiB and the verdict the same.',
    log: `(EngineCore_DP0 pid=6880) INFO 10-31 15:07:49 [gpu_worker.py:298] Available KV cache memory: 1.71 GiB
(EngineCore_DP0 pid=6880) ERROR 10-31 15:07:50 [core.py:708] EngineCore failed to start.
(EngineCore_DP0 pid=6880) ValueError: To serve at least one request with the models's max seq len (131072), (4.54 GiB KV cache is needed, which is larger than the available KV cache memory (1.71 GiB).`,
  },
  {
    name: 'Qwen3-235B-A22B-FP8, 4x H100 80GB, TP=4, defaults, LMCache connector (vLLM 0.9.2)',
    source: 'https://github.com/vllm-project/vllm/issues/21348 (MMuzzammil1, 2025-07-22: `vllm serve Qwen3-235B-A22B-FP8 --tensor-parallel-size 4 --kv-transfer-config LMCacheConnectorV1`)',
    input: { model: 'qwen3-235b-a22b-fp8', gpu: 'H100-80GB', tensorParallelSize: 4, vllmVersion: '0.9.2' },
    started: true,
    observedKvGiB: 8.11,
    knownKvMiss: true,
    note: 'gpuplane predicts about 2.3 GiB more KV memory. Unexplained; the LMCache connector (its GPU staging buffers are not modelled) is the likeliest reason. 178,880 tokens x 48 KiB = 8.19 GiB confirms the KV geometry (94 layers, 1 KV head per rank).',
    log: `Available KV cache memory: 8.11 GiB
GPU KV cache size: 178,880 tokens`,
  },
  {
    name: 'Llama-3.1-8B, L40S, max len 32768 (vLLM 0.8.5 dev, V1)',
    source: 'https://github.com/vllm-project/vllm/pull/17122 (Datta0, 2025-04-24: "meta-llama/Llama-3.1-8B-Instruct on 1xL40S GPU")',
    input: { model: 'llama-3.1-8b', gpu: 'L40S', maxModelLen: 32768, vllmVersion: '0.8.5' },
    started: true,
    observedKvGiB: 19.37,
    knownKvMiss: true,
    logged: { weightsGiB: 14.99 },
    note: 'KV from 158,656 tokens x 128 KiB. The log implies 5.6 GiB of overhead at 0.9; gpuplane predicts 1.3 GiB (256 sampler rows). Unexplained: a 1024-row sampler warm-up would account for it, but the 0.8.x default for a 44 GiB GPU is 256 sequences.',
    log: `INFO 04-24 16:33:00 [gpu_model_runner.py:1316] Model loading took 14.9889 GiB and 3.652170 seconds
INFO 04-24 16:33:13 [kv_cache_utils.py:634] GPU KV cache size: 158,656 tokens
INFO 04-24 16:33:13 [kv_cache_utils.py:637] Maximum concurrency for 32,768 tokens per request: 4.84x`,
  },
  {
    name: 'Llama-3-8B, H100 80GB, defaults (V0, vLLM 0.6.5 dev, memory profiling overhaul)',
    source: 'https://github.com/vllm-project/vllm/pull/10511 (youkaichao, 2024-12-14: `vllm serve meta-llama/Meta-Llama-3-8B`)',
    input: { model: 'llama-3.1-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.22 }, vllmVersion: '0.6.5', maxModelLen: 8192 },
    started: true,
    observedKvGiB: 53.29,
    logged: { weightsGiB: 14.96, activationGiB: 1.26, nonTorchGiB: 1.79 },
    note: 'Llama-3-8B has the Llama-3.1-8B geometry with an 8192 context. Pre-0.8 (V0); kept for the per-term comparison.',
    log: `INFO 12-13 19:54:18 worker.py:243] total_gpu_memory     79.22GiB
INFO 12-13 19:54:18 worker.py:243] gpu_memory_utilization       0.90
INFO 12-13 19:54:18 worker.py:243] model weights take   14.96GiB
INFO 12-13 19:54:18 worker.py:243] non_torch_memory     1.79GiB
INFO 12-13 19:54:18 worker.py:243] PyTorch activation peak memory       1.26GiB
INFO 12-13 19:54:18 worker.py:243] available_kv_cache_memory    53.29GiB`,
  },
  {
    name: 'Llama-3.2-11B-Vision, H100 80GB, max len 65536, 128 seqs, eager (V0 0.6.6: 36.6 GiB encoder profiling)',
    source: 'https://github.com/vllm-project/vllm/pull/12126 (youkaichao, 2025-01-16: `vllm serve meta-llama/Llama-3.2-11B-Vision --load-format dummy --max-model-len 65536 --max-num-seqs 128 --enforce-eager`)',
    input: { model: 'llama-3.2-11b-vision', gpu: { id: 'H100-80GB', memoryGiB: 79.22 }, maxModelLen: 65536, maxNumSeqs: 128, enforceEager: true, vllmVersion: '0.6.6' },
    started: true,
    observedKvGiB: 14.65,
    knownKvMiss: true,
    logged: { weightsGiB: 19.86, activationGiB: 36.63, nonTorchGiB: 0.16 },
    note: 'The V0 mllama profile runs 128 dummy sequences with images and cross-attention states; gpuplane does not model that phase for V0 (pass encoderProfileGiB from a log). Weights 19.86 vs 19.7 predicted.',
    log: `INFO 01-16 09:40:00 worker.py:238] the current vLLM instance can use total_gpu_memory (79.22GiB) x gpu_memory_utilization (0.90) = 71.29GiB
INFO 01-16 09:40:00 worker.py:238] model weights take 19.86GiB; non_torch_memory takes 0.16GiB; PyTorch activation peak memory takes 36.63GiB; the rest of the memory reserved for KV Cache is 14.65GiB.
INFO 01-16 09:40:00 executor_base.py:95] # CUDA blocks: 6001, # CPU blocks: 1638`,
  },
  // Verdict-only cases: published serving commands that started (no KV figure in the source).
  {
    name: 'gpt-oss-120b, 2x H100 80GB, TP=2, defaults (vLLM 0.10.2) started',
    source: 'https://docs.gpustack.ai/latest/performance-lab/gpt-oss-120b/h100 (GPUStack performance lab: "vllm serve openai/gpt-oss-120b --async-scheduling -tp 2", vLLM v0.10.2)',
    input: { model: 'gpt-oss-120b', gpu: 'H100-80GB', tensorParallelSize: 2, vllmVersion: '0.10.2' },
    started: true,
    log: 'Serving Command: vllm serve openai/gpt-oss-120b --async-scheduling -tp 2 (Engine Version vLLM: v0.10.2)',
  },
  {
    name: 'gpt-oss-120b, A100 80GB, max len 32768, 4096 batched tokens (vLLM 0.11.0) started',
    source: 'https://docs.gpustack.ai/2.0/performance-lab/gpt-oss-120b/a100 (GPUStack performance lab: "vllm serve openai/gpt-oss-120b --max-model-len 32768 --async-scheduling --max-num-batched-tokens 4096", vLLM v0.11.0)',
    input: { model: 'gpt-oss-120b', gpu: 'A100-80GB', maxModelLen: 32768, maxNumBatchedTokens: 4096, vllmVersion: '0.11.0' },
    started: true,
    note: 'On an A100 the defaults stay at 256 sequences, so the sampler warm-up is 1.8 GiB, not the 7.3 GiB an H100 pays.',
    log: 'Serving Command: vllm serve openai/gpt-oss-120b --max-model-len 32768 --async-scheduling --max-num-batched-tokens 4096 (Engine Version vLLM: v0.11.0)',
  },
  {
    name: 'gpt-oss-20b, A100 80GB, defaults (vLLM 0.11.0) started',
    source: 'https://docs.gpustack.ai/2.0/performance-lab/gpt-oss-20b/a100 (GPUStack performance lab: "vllm serve openai/gpt-oss-20b --async-scheduling", vLLM v0.11.0)',
    input: { model: 'gpt-oss-20b', gpu: 'A100-80GB', vllmVersion: '0.11.0' },
    started: true,
    log: 'Serving Command: vllm serve openai/gpt-oss-20b --async-scheduling (Engine Version vLLM: v0.11.0)',
  },
  // dennislee22/vLLM-benchmarking: complete vLLM 0.10.1.1 startup logs on A100s (Cloudera AI pods), Qwen2-7B-Instruct
  // (the Qwen2.5-7B geometry) and gpt-oss-120b. The same model and version with and without FlashInfer pins the
  // sampler warm-up: 0.5 GiB of overhead with FlashInfer's sampler, 1.55 GiB with the PyTorch-native sort.
  {
    name: 'Qwen2-7B, A100 80GB, 0.25, max len 16384, FlashInfer sampler (vLLM 0.10.1.1)',
    source: 'https://github.com/dennislee22/vLLM-benchmarking/blob/main/log/vllm-7B-1gpuA10080GB-0.25GRAM.log',
    input: { model: catalog('qwen2.5-7b'), gpu: 'A100-80GB', gpuMemoryUtilization: 0.25, maxModelLen: 16384, vllmVersion: '0.10.1', flashInferSampler: true },
    started: true,
    observedKvGiB: 5.01,
    logged: { weightsGiB: 14.25 },
    log: `(APIServer pid=1671) INFO 09-04 01:02:21 [utils.py:326] non-default args: {'model_tag': 'Qwen2-7B-Instruct', 'port': 8081, 'model': 'Qwen2-7B-Instruct', 'max_model_len': 16384, 'gpu_memory_utilization': 0.25}
(EngineCore_0 pid=1812) INFO 09-04 01:02:57 [topk_topp_sampler.py:50] Using FlashInfer for top-p & top-k sampling.
(EngineCore_0 pid=1812) INFO 09-04 01:03:03 [gpu_model_runner.py:2007] Model loading took 14.2488 GiB and 4.422213 seconds
(EngineCore_0 pid=1812) INFO 09-04 01:04:29 [gpu_worker.py:276] Available KV cache memory: 5.01 GiB
(EngineCore_0 pid=1812) INFO 09-04 01:04:29 [kv_cache_utils.py:849] GPU KV cache size: 93,872 tokens
(EngineCore_0 pid=1812) INFO 09-04 01:04:29 [kv_cache_utils.py:853] Maximum concurrency for 16,384 tokens per request: 5.73x`,
  },
  {
    name: 'Qwen2-7B, A100 80GB, 0.5, max len 16384, FlashInfer sampler (vLLM 0.10.1.1)',
    source: 'https://github.com/dennislee22/vLLM-benchmarking/blob/main/log/vllm-7B-1gpuA10080GB-0.5GRAM.log',
    input: { model: catalog('qwen2.5-7b'), gpu: 'A100-80GB', gpuMemoryUtilization: 0.5, maxModelLen: 16384, vllmVersion: '0.10.1', flashInferSampler: true },
    started: true,
    observedKvGiB: 24.83,
    logged: { weightsGiB: 14.25 },
    log: `(APIServer pid=2739) INFO 09-04 01:28:28 [utils.py:326] non-default args: {'model_tag': 'Qwen2-7B-Instruct', 'port': 8081, 'model': 'Qwen2-7B-Instruct', 'max_model_len': 16384, 'gpu_memory_utilization': 0.5}
(EngineCore_0 pid=2881) INFO 09-04 01:29:05 [gpu_model_runner.py:2007] Model loading took 14.2488 GiB and 2.993822 seconds
(EngineCore_0 pid=2881) INFO 09-04 01:29:25 [gpu_worker.py:276] Available KV cache memory: 24.83 GiB
(EngineCore_0 pid=2881) INFO 09-04 01:29:26 [kv_cache_utils.py:849] GPU KV cache size: 464,848 tokens
(EngineCore_0 pid=2881) INFO 09-04 01:29:26 [kv_cache_utils.py:853] Maximum concurrency for 16,384 tokens per request: 28.37x`,
  },
  {
    name: 'Qwen2-7B, 2x A100 80GB, TP=2 on one node, 0.5, FlashInfer sampler (vLLM 0.10.1.1)',
    source: 'https://github.com/dennislee22/vLLM-benchmarking/blob/main/log/vllm-7B-2gpuA10080GB-0.5GRAM-same-node.log',
    input: { model: catalog('qwen2.5-7b'), gpu: 'A100-80GB', tensorParallelSize: 2, gpuMemoryUtilization: 0.5, maxModelLen: 16384, vllmVersion: '0.10.1', flashInferSampler: true },
    started: true,
    observedKvGiB: 31.83,
    logged: { weightsGiB: 7.12 },
    log: `(APIServer pid=3761) INFO 09-03 02:11:14 [utils.py:326] non-default args: {'model_tag': 'Qwen2-7B-Instruct', 'port': 8081, 'model': 'Qwen2-7B-Instruct', 'max_model_len': 16384, 'tensor_parallel_size': 2, 'gpu_memory_utilization': 0.5}
(VllmWorker TP0 pid=3974) INFO 09-03 02:12:04 [gpu_model_runner.py:2007] Model loading took 7.1217 GiB and 2.887189 seconds
(VllmWorker TP0 pid=3974) INFO 09-03 02:12:25 [gpu_worker.py:276] Available KV cache memory: 31.83 GiB
(EngineCore_0 pid=3902) INFO 09-03 02:12:26 [kv_cache_utils.py:849] GPU KV cache size: 1,192,160 tokens
(EngineCore_0 pid=3902) INFO 09-03 02:12:26 [kv_cache_utils.py:853] Maximum concurrency for 16,384 tokens per request: 72.76x`,
  },
  {
    name: 'Qwen2-7B, 2x A100 40GB on two nodes (Ray), TP=2, 0.5, PyTorch-native sampler (vLLM 0.10.1.1)',
    source: 'https://github.com/dennislee22/vLLM-benchmarking/blob/main/log/vllm-7B-2gpuA10040GB-0.5GRAM-diff-nodes.log',
    input: { model: catalog('qwen2.5-7b'), gpu: 'A100-40GB', tensorParallelSize: 2, nodes: 2, gpuMemoryUtilization: 0.5, maxModelLen: 16384, vllmVersion: '0.10.1' },
    started: true,
    observedKvGiB: 11.03,
    logged: { weightsGiB: 7.12 },
    note: 'No FlashInfer in this pod ("Falling back to the PyTorch-native implementation"): the 1.38 GiB sort-path warm-up plus 0.17 GiB non-torch is the whole overhead, across two nodes.',
    log: `(APIServer pid=121) INFO 09-03 04:36:09 [utils.py:326] non-default args: {'model_tag': 'Qwen2-7B-Instruct', 'port': 8081, 'model': 'Qwen2-7B-Instruct', 'max_model_len': 16384, 'tensor_parallel_size': 2, 'gpu_memory_utilization': 0.5}
(EngineCore_0 pid=1257) (RayWorkerWrapper pid=1384) WARNING 09-03 04:38:28 [topk_topp_sampler.py:61] FlashInfer is not available. Falling back to the PyTorch-native implementation of top-p & top-k sampling. For the best performance, please install FlashInfer.
(EngineCore_0 pid=1257) (RayWorkerWrapper pid=1384) INFO 09-03 04:41:48 [gpu_model_runner.py:2007] Model loading took 7.1217 GiB and 198.942282 seconds
(EngineCore_0 pid=1257) (RayWorkerWrapper pid=1384) INFO 09-03 04:42:46 [gpu_worker.py:276] Available KV cache memory: 11.03 GiB
(EngineCore_0 pid=1257) INFO 09-03 04:42:46 [kv_cache_utils.py:849] GPU KV cache size: 412,944 tokens
(EngineCore_0 pid=1257) INFO 09-03 04:42:46 [kv_cache_utils.py:853] Maximum concurrency for 16,384 tokens per request: 25.20x`,
  },
  {
    name: 'gpt-oss-120b (MXFP4 via Marlin), 4x A100 80GB on four nodes (Ray), TP=4, 0.8, max len 16384: the 284x hybrid concurrency',
    source: 'https://github.com/dennislee22/vLLM-benchmarking/blob/main/log/vllm-120B-4gpuA10080GB-0.8GRAM-diff-nodes.log',
    input: { model: catalog('gpt-oss-120b', { weightsGiB: 4 * 17.2217 }), gpu: 'A100-80GB', tensorParallelSize: 4, nodes: 4, gpuMemoryUtilization: 0.8, maxModelLen: 16384, vllmVersion: '0.10.1', flashInferSampler: true },
    started: true,
    observedKvGiB: 45.32,
    logged: { weightsGiB: 17.22 },
    note: 'An all-layers formula gives 161x; the hybrid layout (18 full + 18 sliding layers, 2 groups, 1024 + 137 blocks per request) gives the logged 284.25x and 2,640,144 tokens exactly.',
    log: `(APIServer pid=1009) INFO 09-10 23:26:12 [utils.py:326] non-default args: {'model_tag': 'gpt-oss-120b', 'port': 8081, 'model': 'gpt-oss-120b', 'max_model_len': 16384, 'tensor_parallel_size': 4, 'gpu_memory_utilization': 0.8}
(EngineCore_0 pid=1159) (RayWorkerWrapper pid=1273) INFO 09-10 23:27:29 [topk_topp_sampler.py:50] Using FlashInfer for top-p & top-k sampling. [repeated 3x across cluster]
(EngineCore_0 pid=1159) (RayWorkerWrapper pid=345, ip=10.42.11.243) INFO 09-10 23:47:50 [gpu_model_runner.py:2007] Model loading took 17.2217 GiB and 1219.491504 seconds
(EngineCore_0 pid=1159) (RayWorkerWrapper pid=345, ip=10.42.9.225) INFO 09-10 23:48:38 [gpu_worker.py:276] Available KV cache memory: 45.32 GiB
(EngineCore_0 pid=1159) INFO 09-10 23:48:39 [kv_cache_utils.py:1013] GPU KV cache size: 2,640,144 tokens
(EngineCore_0 pid=1159) INFO 09-10 23:48:39 [kv_cache_utils.py:1017] Maximum concurrency for 16,384 tokens per request: 284.25x`,
  },
  {
    name: 'Llama-3.1-8B, H100 80GB, 0.95, max len 8192 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/docs/accuracy/vllm-v0.19.0-accuracy-report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'llama-3.1-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 8192, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 58.11,
    logged: { weightsGiB: 14.99, activationGiB: 1.89, nonTorchGiB: 0.25 },
    note: 'KV and tokens from the report (58.11 GiB, 476,000 tokens); 1.89 GiB activation is the lean 0.19 sampler over 1024 rows.',
    log: '| Llama-3.1-8B-Instruct | 1 | 14.99 | -0.22% | 1.89 | +153.97% | 0.25 | -40.00% | -3.47% |\n| Llama-3.1-8B-Instruct | 8,192 | 58.11 | -3.47% | 476,000 | 459,509 | -3.46% |',
  },
  {
    name: 'Qwen2.5-7B, H100 80GB, 0.95, max len 8192 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/docs/accuracy/vllm-v0.19.0-accuracy-report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'qwen2.5-7b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 8192, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 58.53,
    logged: { weightsGiB: 14.25, activationGiB: 2.21, nonTorchGiB: 0.24 },
    note: 'KV and tokens from the report (58.53 GiB, 1,096,000 tokens).',
    log: '| Qwen2.5-7B-Instruct | 1 | 14.25 | -0.45% | 2.21 | +153.39% | 0.24 | -37.50% | -4.21% |\n| Qwen2.5-7B-Instruct | 8,192 | 58.53 | -4.21% | 1,096,000 | 1,049,789 | -4.22% |',
  },
  {
    name: 'Llama-3.1-8B, 2x H100 80GB, TP=2, 0.95, max len 8192 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/docs/accuracy/vllm-v0.19.0-accuracy-report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'llama-3.1-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, tensorParallelSize: 2, gpuMemoryUtilization: 0.95, maxModelLen: 8192, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 63.76,
    logged: { weightsGiB: 7.51, activationGiB: 1.89, nonTorchGiB: 2.07 },
    note: "The report gives the per-rank terms; KV = 79.19 x 0.95 - weights - activation - non-torch = 63.76 GiB (vLLM's own formula). Non-torch is the ~2.1 GiB of TP communication buffers.",
    log: '| Llama-3.1-8B-Instruct | 2 | 7.51 | ... | 1.89 | ... | 2.07 | ... |',
  },
  {
    name: 'Llama-3.1-8B, 4x H100 80GB, TP=4, 0.95, max len 8192 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/docs/accuracy/vllm-v0.19.0-accuracy-report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'llama-3.1-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, tensorParallelSize: 4, gpuMemoryUtilization: 0.95, maxModelLen: 8192, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 67.44,
    logged: { weightsGiB: 3.77, activationGiB: 1.89, nonTorchGiB: 2.13 },
    note: "The report gives the per-rank terms; KV = 79.19 x 0.95 - weights - activation - non-torch = 67.44 GiB (vLLM's own formula). Non-torch is the ~2.1 GiB of TP communication buffers.",
    log: '| Llama-3.1-8B-Instruct | 4 | 3.77 | ... | 1.89 | ... | 2.13 | ... |',
  },
  {
    name: 'Qwen2.5-7B, 2x H100 80GB, TP=2, 0.95, max len 8192 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/docs/accuracy/vllm-v0.19.0-accuracy-report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'qwen2.5-7b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, tensorParallelSize: 2, gpuMemoryUtilization: 0.95, maxModelLen: 8192, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 63.84,
    logged: { weightsGiB: 7.12, activationGiB: 2.21, nonTorchGiB: 2.06 },
    note: "The report gives the per-rank terms; KV = 79.19 x 0.95 - weights - activation - non-torch = 63.84 GiB (vLLM's own formula). Non-torch is the ~2.1 GiB of TP communication buffers.",
    log: '| Qwen2.5-7B-Instruct | 2 | 7.12 | ... | 2.21 | ... | 2.06 | ... |',
  },
  {
    name: 'Qwen2.5-7B, 4x H100 80GB, TP=4, 0.95, max len 8192 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/docs/accuracy/vllm-v0.19.0-accuracy-report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'qwen2.5-7b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, tensorParallelSize: 4, gpuMemoryUtilization: 0.95, maxModelLen: 8192, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 67.34,
    logged: { weightsGiB: 3.55, activationGiB: 2.21, nonTorchGiB: 2.13 },
    note: "The report gives the per-rank terms; KV = 79.19 x 0.95 - weights - activation - non-torch = 67.34 GiB (vLLM's own formula). Non-torch is the ~2.1 GiB of TP communication buffers.",
    log: '| Qwen2.5-7B-Instruct | 4 | 3.55 | ... | 2.21 | ... | 2.13 | ... |',
  },
  {
    name: 'Qwen3-8B, H100 80GB, 0.95, max len 8192 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/docs/accuracy/vllm-v0.19.0-accuracy-report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'qwen3-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 8192, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 57.5,
    logged: { weightsGiB: 15.27, activationGiB: 2.21, nonTorchGiB: 0.25 },
    note: 'KV = 79.19 x 0.95 - the logged terms.',
    log: '| 1 | 15.27 | -0.09% | 2.21 | +153.39% | 0.25 | -40.00% | -4.36% |',
  },
  {
    name: 'gpt-oss-120b, H100 80GB, defaults, --async-scheduling (vLLM 0.11.0) refused',
    source: 'https://github.com/vllm-project/vllm/issues/27508 (matheusfvesco, 2025-10-25: "installed version 0.11 of vllm instead of 0.10.2 ... vllm serve openai/gpt-oss-120b --async-scheduling")',
    input: { model: catalog('gpt-oss-120b', { weightsGiB: 65.97 }), gpu: 'H100-80GB', vllmVersion: '0.11.0' },
    started: false,
    observedKvGiB: -2.28,
    note: 'Weights assumed at the 65.97 GiB the Marlin MXFP4 path loads on Hopper in 0.10-0.11 (see the 0.95 case of the same issue).',
    log: '(Worker pid=224024) INFO 10-25 13:08:43 [gpu_worker.py:298] Available KV cache memory: -2.28 GiB\n(EngineCore_DP0 pid=223840) ERROR 10-25 13:08:43 [core.py:708] EngineCore failed to start.',
  },
  {
    name: 'Llama-3.1-8B, H100 80GB, 0.95, kv-cache-dtype fp8 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/accuracy/results/v0.19.0/accuracy_report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'llama-3.1-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 8192, kvCacheDtype: 'fp8', vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 58.11,
    note: 'Same pool as bf16 KV, twice the tokens (952,032).',
    log: '| Llama-3.1-8B-Instruct | fp8 | 58.11 | -3.47% | 952,032 | 459,509 | -51.73% |',
  },
  {
    name: 'Qwen2.5-7B, H100 80GB, 0.95, kv-cache-dtype fp8 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/accuracy/results/v0.19.0/accuracy_report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'qwen2.5-7b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 8192, kvCacheDtype: 'fp8', vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 58.53,
    note: 'Same pool as bf16 KV, twice the tokens (2,192,000).',
    log: '| Qwen2.5-7B-Instruct | fp8 | 58.53 | -4.21% | 2,192,000 | 1,049,789 | -52.11% |',
  },
  {
    name: 'Llama-3.1-8B, H100 80GB, 0.95, runtime --quantization fp8 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/accuracy/results/v0.19.0/accuracy_report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'llama-3.1-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 8192, quantization: 'fp8', vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 64.61,
    logged: { weightsGiB: 8.49 },
    note: 'Runtime fp8 keeps embeddings and the LM head at 16 bits: 8.46 GiB predicted, 8.49 logged.',
    log: '| Llama-3.1-8B-Instruct | 8.49 | +76.18% | 64.61 | -13.18% |',
  },
  {
    name: 'Llama-3.1-8B, H100 80GB, 0.95, --dtype float32 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/accuracy/results/v0.19.0/accuracy_report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: catalog('llama-3.1-8b', { dtypeBytes: 4 }), gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 8192, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 42.8,
    logged: { weightsGiB: 29.98 },
    note: 'float32 doubles the weights and the KV bytes per token.',
    log: '| float32 | 29.98 | -50.11% | 42.80 | +31.06% |',
  },
  {
    name: 'Llama-3.1-8B, H100 80GB, 0.95, max len 32768 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/accuracy/results/v0.19.0/accuracy_report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'llama-3.1-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 32768, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 58.11,
    note: 'The pool does not depend on max_model_len (476,016 tokens at 2048 to 32768).',
    log: '| Llama-3.1-8B-Instruct | 32,768 | 58.11 | -3.47% | 476,016 | 459,509 | -3.47% |',
  },
  {
    name: 'Qwen2.5-7B, H100 80GB, 0.95, max len 32768 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/accuracy/results/v0.19.0/accuracy_report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'qwen2.5-7b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 32768, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 58.53,
    note: 'The pool does not depend on max_model_len.',
    log: '| Qwen2.5-7B-Instruct | 32,768 | 58.53 | -4.21% | 1,096,000 | 1,049,789 | -4.22% |',
  },
  {
    name: 'Qwen2.5-7B, H100 80GB, 0.95, max len 2048 (vLLM 0.19.0, llm-d measurements)',
    source: 'https://github.com/llm-d-incubation/llm-d-planner/blob/main/accuracy/results/v0.19.0/accuracy_report.md (llm-d capacity-planner measurements, vLLM v0.19.0, H100-80GB, gpu_memory_utilization 0.95)',
    input: { model: 'qwen2.5-7b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 2048, vllmVersion: '0.19.0' },
    started: true,
    observedKvGiB: 58.53,
    note: 'The pool does not depend on max_model_len.',
    log: '| Qwen2.5-7B-Instruct | 2,048 | 58.53 | -4.21% | 1,096,000 | 1,049,789 | -4.22% |',
  },
  // --- llm-d's H100 measurements (vLLM 0.11.0, `--block-size=128 --enable-prefix-caching --max-model-len=16000`, 0.9
  // unless noted). The report prints each startup's "Model loading took", "Available KV cache memory" and the
  // "Free memory on device ... Actual usage is X GiB for weight, Y GiB for peak activation, Z GiB for non-torch memory"
  // terms; the rows quoted in `log` are the report's, copied as printed.
  {
    name: 'gpt-oss-20b (MXFP4, 13.47 GiB), H100 80GB, max len 16000, block size 128 (vLLM 0.11.0, llm-d)',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: catalog('gpt-oss-20b', { weightsGiB: 13.47 }), gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, maxModelLen: 16000, blockSize: 128, vllmVersion: '0.11.0' },
    started: true,
    observedKvGiB: 50.28,
    logged: { weightsGiB: 13.47, activationGiB: 7.38, nonTorchGiB: 0.13, cudaGraphGiB: 0.39 },
    note: 'The 7.38 GiB activation is the sort-path sampler warm-up over 1024 x 201088 logits; the hybrid layout (12 full + 12 sliding layers) shapes only the token count, not the pool.',
    log: `- **Model loading took:** 13.47 GiB memory and 31.68 seconds
- **Available KV cache memory:** 50.28 GiB
- **Free memory on device:** 78.57/79.18 GiB on startup
- **Peak activation memory:** 7.38 GiB
- **Non-torch memory:** 0.13 GiB
- **CUDAGraph memory:** 0.39 GiB`,
  },
  {
    name: 'Llama-3.1-8B, H100 80GB, max len 16000, block size 128 (vLLM 0.11.0, llm-d)',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'llama-3.1-8b', gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, maxModelLen: 16000, blockSize: 128, vllmVersion: '0.11.0' },
    started: true,
    observedKvGiB: 51.38,
    logged: { weightsGiB: 14.99, activationGiB: 4.76, nonTorchGiB: 0.13, cudaGraphGiB: -0.45 },
    log: `- **Model loading took:** 14.99 GiB memory and 31.46 seconds
- **Available KV cache memory:** 51.38 GiB
- **Peak activation memory:** 4.76 GiB
- **Non-torch memory:** 0.13 GiB
- **CUDAGraph memory:** -0.45 GiB`,
  },
  {
    name: 'Qwen3-0.6B, H100 80GB, max len 16000, block size 128 (vLLM 0.11.0, llm-d): the sampler warm-up is 5 times the weights',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'qwen3-0.6b', gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, maxModelLen: 16000, blockSize: 128, vllmVersion: '0.11.0' },
    started: true,
    observedKvGiB: 64.45,
    logged: { weightsGiB: 1.12, activationGiB: 5.56, nonTorchGiB: 0.13, cudaGraphGiB: 0.1 },
    log: `- **Model loading took:** 1.12 GiB memory and 16.54 seconds
- **Available KV cache memory:** 64.45 GiB
- **Peak activation memory:** 5.56 GiB
- **Non-torch memory:** 0.13 GiB`,
  },
  {
    name: 'Qwen3-0.6B, H100 80GB, max len 32000, block size 128 (vLLM 0.11.0, llm-d): the pool does not depend on the context',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'qwen3-0.6b', gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, maxModelLen: 32000, blockSize: 128, vllmVersion: '0.11.0' },
    started: true,
    observedKvGiB: 64.45,
    logged: { weightsGiB: 1.12, activationGiB: 5.56, nonTorchGiB: 0.13, cudaGraphGiB: 0.1 },
    log: `- **max-model-len:** 32000
- **Model loading took:** 1.12 GiB memory and 16.45 seconds
- **Available KV cache memory:** 64.45 GiB
- **Peak activation memory:** 5.56 GiB`,
  },
  {
    name: 'Qwen3-32B, H100 80GB, max len 16000, block size 128 (vLLM 0.11.0, llm-d): 4.45 GiB left',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'qwen3-32b', gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, maxModelLen: 16000, blockSize: 128, vllmVersion: '0.11.0' },
    started: true,
    observedKvGiB: 4.45,
    logged: { weightsGiB: 61.03, activationGiB: 5.64, nonTorchGiB: 0.14, cudaGraphGiB: -0.88 },
    note: 'Summary-table row only (the report has no per-run section for Qwen3-32B).',
    log: '| Qwen3-32B | 61.03 | 5.64 | 0.14 | -0.88 | 4.45 | 1 | 0.9 | 16000 |',
  },
  {
    name: 'Qwen3-32B, H100 80GB, max len 32000 refused: one request needs 7.8 GiB of the 4.45 (vLLM 0.11.0, llm-d)',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'qwen3-32b', gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, maxModelLen: 32000, blockSize: 128, vllmVersion: '0.11.0' },
    started: false,
    logged: { weightsGiB: 61.03, activationGiB: 5.64, nonTorchGiB: 0.14 },
    note: '32000 tokens x 256 KiB (64 layers x 8 KV heads x 128 x 2 x 2 bytes) = 7.8 GiB for one request; the pool is the same 4.45 GiB as at 16000.',
    log: `| Qwen3-32B                | FAILED  | 61.03              | 5.64                  | 0.14                   | N/A                    | N/A                      | 1       | 32000         |
| Qwen3-32B | 1 | No KV cache room | 61.03 GiB weights at max-model-len=32000; use TP=2 or reduce context |`,
  },
  {
    name: 'Qwen3-32B, 2x H100 80GB, TP=2, max len 16000, block size 128 (vLLM 0.11.0, llm-d)',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'qwen3-32b', gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, tensorParallelSize: 2, maxModelLen: 16000, blockSize: 128, vllmVersion: '0.11.0' },
    started: true,
    observedKvGiB: 34.49,
    logged: { weightsGiB: 30.59, activationGiB: 5.64, nonTorchGiB: 0.54, cudaGraphGiB: -0.33 },
    note: 'Summary-table row only.',
    log: '| Qwen3-32B | 30.59 | 5.64 | 0.54 | -0.33 | 34.49 | 2 | 0.9 | 16000 |',
  },
  {
    name: 'Llama-3.3-70B FP8-dynamic, 2x H100 80GB, TP=2, max len 16000, block size 128 (vLLM 0.11.0, llm-d)',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'llama-3.3-70b', quantization: 'fp8', gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, tensorParallelSize: 2, maxModelLen: 16000, blockSize: 128, vllmVersion: '0.11.0' },
    started: true,
    observedKvGiB: 32.0,
    logged: { weightsGiB: 33.88, activationGiB: 4.84, nonTorchGiB: 0.55, cudaGraphGiB: -0.42 },
    note: 'RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic (compressed-tensors fp8): the weights come from the catalog geometry at 1 byte per linear weight.',
    log: `- **Model name:** RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic
- **tensor-parallel-size:** 2
- **Model loading took:** 33.88 GiB memory and 116.61 seconds
- **Available KV cache memory:** 32.0 GiB
- **Free memory on device:** 77.64/79.18 GiB on startup
- **Peak activation memory:** 4.84 GiB
- **Non-torch memory:** 0.55 GiB`,
  },
  {
    name: 'Llama-3.3-70B FP8-dynamic, H100 80GB, TP=1 refused: "No available memory for the cache blocks" (vLLM 0.11.0, llm-d)',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'llama-3.3-70b', quantization: 'fp8', gpu: { id: 'H100-80GB', memoryGiB: 79.18 }, maxModelLen: 16000, blockSize: 128, vllmVersion: '0.11.0' },
    started: false,
    observedKvGiB: -1.44,
    logged: { weightsGiB: 67.72, activationGiB: 4.84, nonTorchGiB: 0.14 },
    log: `- **Model loading took:** 67.72 GiB memory and 45.09 seconds
- **Available KV cache memory:** -1.44 GiB (NEGATIVE - INSUFFICIENT)
Error: \`ValueError: No available memory for the cache blocks. Try increasing gpu_memory_utilization when initializing the engine.\``,
  },
  {
    name: 'Mistral-Small-3.2-24B (vision), H100 80GB, 0.95, max len 16000, block size 128 (vLLM 0.11.0, llm-d)',
    source: 'https://github.com/llm-d/llm-d-benchmark/blob/87ab01bebc78107815ea3bc2eccad3eb168003b0/config_explorer/empirical-vllm-memory-results.md (Jing Chen, llm-d capacity-planner measurements, 2026-02-26: vllm/vllm-openai:v0.11.0 pods on H100, --block-size=128 --enable-prefix-caching, VLLM_LOGGING_LEVEL=DEBUG)',
    input: { model: 'mistral-small-3.2-24b', gpu: { id: 'H100-80GB', memoryGiB: 79.19 }, gpuMemoryUtilization: 0.95, maxModelLen: 16000, blockSize: 128, vllmVersion: '0.11.0' },
    started: true,
    observedKvGiB: 28.2,
    logged: { weightsGiB: 44.76, activationGiB: 2.12, nonTorchGiB: 0.14, cudaGraphGiB: -0.76 },
    knownKvMiss: true,
    note: "184,832 tokens x 160 KiB = 28.20 GiB confirms the geometry (40 layers x 8 KV heads x 128). gpuplane predicts 2.6 GiB less KV: it charges the sort-path sampler warm-up (1024 rows x 131072 logits x 38 bytes = 4.75 GiB) that the text models of the same report show, but this multimodal startup logged a 2.12 GiB activation peak. Unexplained: vLLM 0.11's profile_run runs the same dummy sampler pass for multimodal models; the Mistral-format loading (--tokenizer-mode/--config-format/--load-format mistral) is the likeliest difference. Kept as a documented miss until a log with the sampler lines is found.",
    log: `- **vLLM:** v0.11.0 (V1 engine), \`--gpu-memory-utilization=0.95\`, \`--tokenizer-mode=mistral --config-format=mistral --load-format=mistral\`
- **Model loading took:** 44.76 GiB memory and 45.07 seconds
- **Available KV cache memory:** 28.20 GiB
- **Free memory on device:** 78.59/79.19 GiB on startup
- **Peak activation memory:** 2.12 GiB
- **Non-torch memory:** 0.14 GiB
vLLM empirical: 28.20 GiB / 184,832 tokens = 163,840 bytes/token  (exact match)`,
  },
  {
    name: 'Qwen2-7B, 2x A100 80GB, TP=2 on one node, 0.25, FlashInfer sampler (vLLM 0.10.1.1)',
    source: 'https://github.com/dennislee22/vLLM-benchmarking/blob/main/vllm-7B-2gpuA10080GB-same-node.log (dennislee22, 2025-09-03; README "Test 2: 2 GPU pods host 7B model in the same node (Available KV cache memory in each GPU: 12.02 GiB)")',
    input: { model: catalog('qwen2.5-7b'), gpu: 'A100-80GB', tensorParallelSize: 2, gpuMemoryUtilization: 0.25, maxModelLen: 16384, vllmVersion: '0.10.1', flashInferSampler: true },
    started: true,
    observedKvGiB: 12.02,
    logged: { weightsGiB: 7.12 },
    log: `(APIServer pid=1217) INFO 09-03 00:35:55 [api_server.py:1805] vLLM API server version 0.10.1.1
(APIServer pid=1217) INFO 09-03 00:35:55 [utils.py:326] non-default args: {'model_tag': 'Qwen2-7B-Instruct', 'port': 8081, 'model': 'Qwen2-7B-Instruct', 'max_model_len': 16384, 'tensor_parallel_size': 2, 'gpu_memory_utilization': 0.25}
(VllmWorker TP0 pid=1430) INFO 09-03 00:36:44 [topk_topp_sampler.py:50] Using FlashInfer for top-p & top-k sampling.
(VllmWorker TP0 pid=1430) INFO 09-03 00:39:33 [gpu_model_runner.py:2007] Model loading took 7.1217 GiB and 168.264821 seconds
(VllmWorker TP0 pid=1430) INFO 09-03 00:40:53 [gpu_worker.py:276] Available KV cache memory: 12.02 GiB
(EngineCore_0 pid=1358) INFO 09-03 00:40:55 [kv_cache_utils.py:849] GPU KV cache size: 450,192 tokens
(EngineCore_0 pid=1358) INFO 09-03 00:40:55 [kv_cache_utils.py:853] Maximum concurrency for 16,384 tokens per request: 27.48x`,
  },
  {
    name: 'Qwen2.5-1.5B, RTX 2000 Ada 16GB, 0.6, max len 32768 (vLLM 0.11.2): the 256-row sampler warm-up on a small GPU',
    source: 'https://github.com/ozgurgulerx/inference-journal/blob/main/days/day-002-GPU-node-bring-up/LOG_tier03.md (Ozgur Guler, 2025-12-02: `vllm serve Qwen/Qwen2.5-1.5B-Instruct --port 8000 --gpu-memory-utilization 0.6`, "Sample output (16GB GPU, RTX 2000 Ada)")',
    input: {
      // Qwen/Qwen2.5-1.5B-Instruct config.json: 28 layers, hidden 1536, 12 heads, 2 KV heads of 128, intermediate 8960,
      // vocab 151936, tied embeddings, max_position_embeddings 32768.
      model: { layers: 28, attentionHeads: 12, kvHeads: 2, headDim: 128, hiddenSize: 1536, intermediateSize: 8960, parameters: 1.54e9, vocabSize: 151936, tieWordEmbeddings: true, maxPositionEmbeddings: 32768, weightsGiB: 2.8871 },
      gpu: { id: 'RTX-2000-Ada', memoryGiB: 15.69 }, gpuMemoryUtilization: 0.6, vllmVersion: '0.11.2',
    },
    started: true,
    observedKvGiB: 5.03,
    logged: { weightsGiB: 2.89 },
    note: 'The log does not print the device memory: 15.69 GiB is assumed, what torch reports for 16 GB (16376 MiB) Ada cards. 188,512 tokens x 28 KiB (28 layers x 2 KV heads x 128 x 2 x 2 bytes) = 5.03 GiB confirms the geometry. Below 70 GiB the defaults stay at 256 sequences and 2048 tokens ("Chunked prefill is enabled with max_num_batched_tokens=2048").',
    log: `INFO [...] Chunked prefill is enabled with max_num_batched_tokens=2048.
INFO [...] vLLM API server version 0.11.2
INFO [...] Using max model len 32768
INFO [...] Model loading took 2.8871 GiB memory and 6.44 seconds
INFO [...] Available KV cache memory: 5.03 GiB
INFO [...] GPU KV cache size: 188,512 tokens
INFO [...] Maximum concurrency for 32,768 tokens per request: 5.75x
INFO [...] Graph capturing finished in 4 secs, took 0.49 GiB`,
  },
];
