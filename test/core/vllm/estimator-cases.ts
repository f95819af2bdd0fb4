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
    knownKvMiss: true,
    note: 'Early V1 engine (VLLM_USE_V1=1 on 0.7.1): its profiling held about 2 GiB more than gpuplane models for 0.7.x.',
  },
  {
    name: 'Qwen2.5-7B AWQ (5.20 GiB weights), 8 GiB GPU, 0.70, 4096 refused',
    source: 'https://github.com/vllm-project/vllm/issues/13882 (vLLM 0.7.x: "the rest of the memory reserved for KV Cache is -1.05GiB", 0 blocks)',
    input: { model: catalog('qwen2.5-7b', { weightsGiB: 5.2 }), gpu: { id: 'RTX-4060', memoryGiB: 8.0 }, gpuMemoryUtilization: 0.7, maxModelLen: 4096, vllmVersion: '0.7.3' },
    started: false,
    observedKvGiB: -1.05,
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
    note: 'Architecture from the gpt-oss-20b config: 24 layers, 8 KV heads of 64, hidden 2880, 4 of 32 experts of 2880 per token.',
  },
  {
    name: 'Llama-3.1-8B, A100 40GB, eager, full 131072 context (V1, vLLM 0.15.1, offline LLM class)',
    source: 'https://github.com/ilseokoh/vllm-gce (README, test.py output on a2-highgpu-1g: "Available KV cache memory: 19.28 GiB", "GPU KV cache size: 157,936 tokens", 1.20x for 131,072 tokens)',
    input: { model: 'llama-3.1-8b', gpu: 'A100-40GB', gpuMemoryUtilization: 0.9, maxModelLen: 131072, maxNumBatchedTokens: 8192, vllmVersion: '0.15.1', enforceEager: true },
    started: true,
    observedKvGiB: 19.28,
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
];
