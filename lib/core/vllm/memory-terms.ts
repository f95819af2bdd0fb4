import { GpuSpec } from '../catalog/gpus';
import { ModelArchitecture, Quantization } from '../catalog/models';
import { VersionTuple, versionAtLeast, VLLM_MILESTONES } from './version';

/**
 * The non-KV terms of vLLM's start-up accounting, one function per term, each naming the vLLM source it follows.
 *
 *   available KV = total_gpu_memory x gpu_memory_utilization
 *                  - weights - torch activation peak - non-torch memory - (CUDA graph estimate, from 0.21.0)
 *
 * (`vllm/v1/worker/gpu_worker.py`, `determine_available_memory`, with `vllm/utils/mem_utils.py`
 * `memory_profiling` / `MemorySnapshot` measuring `torch_peak_increase` and `non_torch_memory` since 0.9; in 0.8
 * the same terms came from `torch.cuda.memory_stats()` and `mem_get_info` inline.)
 */

const GIB = 2 ** 30;

/**
 * Bytes per weight of linear layers for each quantization (`vllm/model_executor/layers/quantization/*`):
 * AWQ/GPTQ int4 plus group-128 scales and zeros (~0.52), FP8/INT8 one byte plus per-channel or 128x128-block scales,
 * NVFP4 4 bits plus an fp8 scale per 16 values (0.5625). MXFP4 (`mxfp4.py`, gpt-oss) quantizes only the routed
 * experts: 4 bits plus an e8m0 scale per 32 values (0.53125); attention, router and embeddings stay bf16.
 */
export const QUANT_BYTES: Record<Quantization, number | undefined> = { none: undefined, awq: 0.52, gptq: 0.52, fp8: 1, int8: 1, mxfp4: 0.53125, nvfp4: 0.5625 };

/** See weightsGiB: the padding of MXFP4 expert tensors as loaded (3072 / 2880). */
export const MXFP4_EXPERT_PADDING = 3072 / 2880;

/** Parameters of an architecture, derived from `weightsGiB` when the count is missing (a hand-described checkpoint). */
export function parametersOf(model: ModelArchitecture, quantization: Quantization): number | undefined {
  if (typeof model.parameters === 'number' && Number.isFinite(model.parameters) && model.parameters > 0) return model.parameters;
  if (typeof model.weightsGiB === 'number' && Number.isFinite(model.weightsGiB) && model.weightsGiB > 0) {
    return (model.weightsGiB * GIB) / (QUANT_BYTES[quantization] ?? model.dtypeBytes ?? 2);
  }
  return undefined;
}

/**
 * Total weights in GiB (what vLLM logs as "Model loading took X GiB"): linear layers at the quantized width,
 * embeddings and the LM head at 16 bits; for MXFP4 only the routed experts are 4-bit.
 */
export function weightsGiB(model: ModelArchitecture, quantization: Quantization = 'none'): number {
  if (typeof model.weightsGiB === 'number' && Number.isFinite(model.weightsGiB)) return model.weightsGiB;
  const params = parametersOf(model, quantization) ?? 0;
  const dtype = model.dtypeBytes ?? 2;
  const linearBytes = QUANT_BYTES[quantization] ?? dtype;
  if (linearBytes === dtype) return (params * dtype) / GIB;
  const embeddings = model.hiddenSize && model.vocabSize ? model.vocabSize * model.hiddenSize * (model.tieWordEmbeddings ? 1 : 2) : 0;
  const wide = Math.max(dtype, 2);
  if (quantization === 'mxfp4' && model.expertParameters !== undefined) {
    // The loaded MXFP4 expert tensors are ~6.7% larger than 4.25 bits per weight: vLLM's MXFP4 MoE path pads the
    // expert width (2880 -> 3072 for gpt-oss). Checked against "Model loading took 64.38 GiB" (gpt-oss-120b, 0.14.1,
    // H100, Triton backend) and 13.72 GiB (gpt-oss-20b, 0.19.0, A100).
    const experts = Math.min(model.expertParameters, params);
    return (experts * linearBytes * MXFP4_EXPERT_PADDING + (params - experts) * wide) / GIB;
  }
  return ((params - embeddings) * linearBytes + embeddings * wide) / GIB;
}

/** The hidden size, from the architecture, the attention geometry, or estimated from parameters (~12 x layers x hidden^2). */
export function hiddenOf(model: ModelArchitecture, parameters: number | undefined): number {
  if (model.hiddenSize !== undefined && model.hiddenSize > 0) return model.hiddenSize;
  if (model.attentionHeads !== undefined && model.attentionHeads > 0) return model.attentionHeads * model.headDim;
  if (parameters !== undefined) return Math.sqrt(parameters / (12 * model.layers));
  return model.kvHeads * model.headDim;
}

/** The scheduler defaults vLLM picks when the user sets none. */
export interface SchedulerDefaults {
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens: number;
}

/**
 * `vllm/engine/arg_utils.py` per version line, OpenAI API server usage context (what `vllm serve` uses):
 * - V1 from 0.9.0 (`_set_default_args_v1`, later `get_batch_defaults`): device memory >= 70 GiB and "a100" not in
 *   the device name -> 1024 sequences, 8192 tokens; otherwise 256 and 2048. From 0.28.0 devices of >= 160 GiB get
 *   16384 tokens (sequences stay 1024).
 * - V1 0.8.x: 256 sequences, 2048 tokens (chunked prefill always on).
 * - V0 (< 0.8): 256 sequences; `max(max_model_len, 2048)` tokens, or the chunked-prefill budget (512 before 0.7, 2048
 *   after) when the context is above 32K and chunked prefill switches on.
 * The offline `LLM` class uses other token defaults (16384 / 8192); pass maxNumBatchedTokens for it.
 */
export function schedulerDefaults(version: VersionTuple, gpu: GpuSpec, maxModelLen: number): SchedulerDefaults {
  const v1 = versionAtLeast(version, VLLM_MILESTONES.v1Default);
  if (!v1) {
    const tokens = maxModelLen > 32768 ? (versionAtLeast(version, VLLM_MILESTONES.v0ChunkBudget2048) ? 2048 : 512) : Math.max(maxModelLen, 2048);
    return { maxNumSeqs: 256, maxNumBatchedTokens: tokens };
  }
  const name = `${gpu.id} ${gpu.productLabel ?? ''}`.toLowerCase();
  const big = versionAtLeast(version, VLLM_MILESTONES.bigGpuBatch8192) && gpu.memoryGiB >= 70 && !name.includes('a100');
  if (!big) return { maxNumSeqs: 256, maxNumBatchedTokens: 2048 };
  const huge = versionAtLeast(version, VLLM_MILESTONES.hugeGpuBatch16384) && gpu.memoryGiB >= 160;
  return { maxNumSeqs: 1024, maxNumBatchedTokens: huge ? 16384 : 8192 };
}

/**
 * Bytes the V1 sampler warm-up holds per logit (`vllm/v1/worker/gpu_model_runner.py`, `profile_run` ->
 * `_dummy_sampler_run` over `min(max_num_seqs, max_num_batched_tokens)` rows of full-vocabulary logits, with dummy
 * temperature, top-k and top-p so every sampling path runs; `vllm/v1/sample/sampler.py` and
 * `vllm/v1/sample/ops/topk_topp_sampler.py`): bf16 logits (2) + fp32 copy (4) + temperature-scaled copy (4) +
 * sorted values (4) + int64 sort indices (8) + softmax (4) + cumulative sum (4) + scattered-back logits (4) +
 * probabilities sampled from (4) = 38 bytes. Checked against logs: gpt-oss-120b on an H100 at 1024 rows x 201088
 * vocab predicts 7.28 GiB where vLLM 0.10.1 spent 7.4 (weights 65.97, KV -2.14 GiB at 0.9).
 */
export const SAMPLER_BYTES_PER_LOGIT = 38;

/**
 * Bytes per logit of a profiling sampler that skips top-k, top-p and logprobs (Model Runner V2,
 * `vllm/v1/worker/gpu/model_runner.py` `_dummy_sampler_run`: "the sampler may skip top_k, top_p, and logprobs"):
 * bf16 logits (2) + fp32 copy (4) + temperature-scaled copy (4) + the probabilities it samples from (4) = 14 bytes.
 * The V1 runner's profile shows the same figure by 0.19.0 (1.89 GiB for Llama-3.1-8B at 1024 rows on an H100, llm-d's
 * measurements), so it applies from VLLM_MILESTONES.leanSamplerAndCommBuffers on both runners.
 */
export const SAMPLER_BYTES_PER_LOGIT_MRV2 = 14;

/**
 * Bytes per logit when vLLM samples top-k/top-p with FlashInfer (`topk_topp_sampler.py` logs "Using FlashInfer for
 * top-p & top-k sampling."): bf16 logits (2) + fp32 copy (4) + probabilities (4) = 10; FlashInfer's kernels do not
 * sort. Measured: Qwen2-7B on A100 80GB, vLLM 0.10.1.1, 256 rows x 152064: 0.5 GiB of overhead with FlashInfer,
 * 1.55 GiB with the PyTorch-native sort path on the same model and version (dennislee22/vLLM-benchmarking logs).
 */
export const SAMPLER_BYTES_PER_LOGIT_FLASHINFER = 10;

/** The activation terms of the profiling run, in GiB per GPU. */
export interface ActivationTerms {
  /** The forward pass over maxNumBatchedTokens dummy tokens. */
  readonly forwardGiB: number;
  /** The sampler warm-up (V1) or the V0 sampler over max_num_seqs last tokens. */
  readonly samplerGiB: number;
  /** The multimodal encoder profiling (V1 `profile_run` encoder-cache pass). */
  readonly encoderGiB: number;
  /** What the torch peak rises by: the largest phase plus the hidden states kept across phases. */
  readonly peakGiB: number;
  /** Which phase sets the peak. */
  readonly dominant: 'forward' | 'sampler' | 'encoder';
}

/**
 * The torch activation peak of the profiling run.
 * - Forward pass: about 3 hidden-wide and 3 FFN-wide (split by TP) bf16 tensors per token are alive at the peak
 *   (residual, norm output, attention output; gate/up output and activation); fused MoE adds the
 *   `tokens x top_k x hidden` output cache (`vllm/model_executor/layers/fused_moe/fused_moe.py`).
 * - V1 sampler warm-up: rows x vocab x bytes per logit (38 with top-k/top-p sorting before 0.12, 14 from 0.12 and on
 *   Model Runner V2, 10 with FlashInfer's sampler); with speculative decoding the rejection sampler adds
 *   fp32 target and draft probabilities for rows x k tokens (an approximation: 12 bytes per logit).
 * - V0 (`vllm/worker/model_runner.py`, `profile_run`): one fp32 logit row per sequence, inside the forward peak.
 * - Phases run one after another and free their transients, so the peak is the largest phase plus the last hidden
 *   states, not the sum.
 */
export function activationTerms(args: {
  readonly model: ModelArchitecture;
  readonly parameters: number | undefined;
  readonly engine: 'v0' | 'v1';
  readonly tensorParallelSize: number;
  readonly maxNumBatchedTokens: number;
  readonly maxNumSeqs: number;
  readonly speculativeTokens: number;
  readonly encoderGiB: number;
  /** Model Runner V2 (dense models from 0.25.0): a leaner profiling sampler. */
  readonly modelRunnerV2?: boolean;
  /** FlashInfer top-k/top-p sampling (no sort). */
  readonly flashInferSampler?: boolean;
  /** The profiling sampler skips top-k/top-p (from 0.12.0, see VLLM_MILESTONES.leanSamplerAndCommBuffers). */
  readonly leanSampler?: boolean;
}): ActivationTerms {
  const { model, tensorParallelSize: tp, maxNumBatchedTokens: tokens } = args;
  const hidden = hiddenOf(model, args.parameters);
  const inter = model.intermediateSize ?? 3.5 * hidden;
  const vocab = model.vocabSize ?? 128256;
  const moeOut = model.moe ? (model.expertsPerToken ?? 2) * hidden : 0;
  const forward = (tokens * (3 * hidden + (3 * inter) / tp + moeOut) * 2) / GIB;
  const hiddenStates = (tokens * hidden * 2) / GIB;
  if (args.engine === 'v0') {
    const sampler = (args.maxNumSeqs * vocab * 4) / GIB;
    return { forwardGiB: forward, samplerGiB: sampler, encoderGiB: args.encoderGiB, peakGiB: Math.max(forward + sampler, args.encoderGiB), dominant: forward + sampler >= args.encoderGiB ? 'forward' : 'encoder' };
  }
  const rows = Math.min(args.maxNumSeqs, tokens);
  const perLogit = args.flashInferSampler ? SAMPLER_BYTES_PER_LOGIT_FLASHINFER : args.modelRunnerV2 || args.leanSampler ? SAMPLER_BYTES_PER_LOGIT_MRV2 : SAMPLER_BYTES_PER_LOGIT;
  const sampler = (rows * vocab * perLogit + rows * args.speculativeTokens * vocab * 12) / GIB;
  const largest = Math.max(forward, sampler, args.encoderGiB);
  const dominant = largest === sampler ? 'sampler' : largest === forward ? 'forward' : 'encoder';
  return { forwardGiB: forward, samplerGiB: sampler, encoderGiB: args.encoderGiB, peakGiB: largest + hiddenStates, dominant };
}

/**
 * Multimodal encoder profiling (`gpu_model_runner.py`, `profile_run`: "Encoder cache will be initialized with a
 * budget of N tokens, and profiled with K <modality> items of the maximum feature size"). The budget is
 * `max(max_num_batched_tokens, the largest item's tokens)`; the encoder outputs held for it are `budget x hidden x 2`
 * bytes, and the vision tower's own activations come on top. Without a logged figure gpuplane takes four times the
 * cached embeddings (the vision tower's attention and MLP transients), a rough figure: pass encoderProfileGiB when a
 * startup log shows the real peak.
 */
export function encoderProfileGiB(model: ModelArchitecture, parameters: number | undefined, maxNumBatchedTokens: number): number {
  if (!model.multimodal) return 0;
  if (model.encoderProfileGiB !== undefined) return model.encoderProfileGiB;
  const budget = Math.max(maxNumBatchedTokens, 16384);
  return (4 * budget * hiddenOf(model, parameters) * 2) / GIB;
}

/**
 * Memory outside torch's allocator (CUDA context, cuBLAS/NCCL workspaces, custom all-reduce buffers), per GPU.
 * Before 0.12:
 * vLLM measures it (`mem_utils.py`, `non_torch_memory`); recent single-node V1 logs show 0.05-0.15 GiB at TP=1 and
 * a few hundred MiB with NCCL at TP>1. Multi-node Ray logs (vLLM 0.10.1.1: Qwen2-7B TP=2 and gpt-oss-120b TP=4 across
 * nodes) leave 0.17-0.3 GiB after the sampler warm-up, so multi-node gets the TP>1 figure, not the 1.5 GiB that
 * earlier notes attributed to Ray (that figure included the sampler). V0 (0.6-0.7) logged 0.35 GiB at TP=1.
 * V0 took the minimum KV memory over tensor-parallel ranks; with equal ranks that is the same figure.
 */
export function nonTorchGiB(engine: 'v0' | 'v1', tensorParallelSize: number, nodes: number, commBuffers = false): number {
  if (engine === 'v0') return tensorParallelSize > 1 || nodes > 1 ? 0.55 : 0.35;
  // From 0.12 (VLLM_MILESTONES.leanSamplerAndCommBuffers): 0.25 GiB at TP=1, about 2.1 GiB of NCCL/all-reduce
  // buffers per rank at TP>=2 (llm-d's 0.19.0 H100 measurements: 2.06-2.17 GiB at TP=2 and 4).
  if (commBuffers) return tensorParallelSize > 1 ? 2.1 : 0.25;
  return tensorParallelSize > 1 || nodes > 1 ? 0.3 : 0.1;
}

/**
 * CUDA graph memory. From 0.21.0 vLLM profiles graph capture before sizing the KV cache and subtracts the estimate
 * ("Estimated CUDA graph memory: X GiB total"; off with VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=0). Dense models in
 * public logs show 0.17-0.36 GiB; FULL graphs of hybrid or speculative models several GiB (pass cudaGraphGiB then).
 * Before 0.21.0 graphs are captured after the KV cache into the `1 - gpu_memory_utilization` headroom.
 */
export const CUDA_GRAPH_DEFAULT_GIB = 0.35;

/**
 * LoRA buffers (`vllm/lora/models.py`, `LoRAModelManager` preallocates `max_loras` slots of `max_lora_rank` A and B
 * matrices for every supported linear layer at load time, so they show up in "Model loading took"): per layer and
 * slot `rank x (in + out)` for q, k, v, o, gate, up and down projections, in the model dtype, split by TP.
 */
export function loraGiB(model: ModelArchitecture, parameters: number | undefined, maxLoras: number, maxLoraRank: number, tensorParallelSize: number): number {
  if (maxLoras <= 0 || maxLoraRank <= 0) return 0;
  const h = hiddenOf(model, parameters);
  const q = (model.attentionHeads ?? h / model.headDim) * model.headDim;
  const kv = model.kvHeads * model.headDim;
  const inter = model.intermediateSize ?? 3.5 * h;
  const perLayer = 4 * h + 2 * q + 2 * kv + 3 * h + 3 * inter;
  return (model.layers * maxLoras * maxLoraRank * perLayer * Math.max(model.dtypeBytes ?? 2, 2)) / tensorParallelSize / GIB;
}
