import { GpuplaneValidationError, ProblemCollector } from '../errors';

/**
 * Model catalog and the Hugging Face `config.json` parser. Everything the memory estimator needs to know about a
 * model: the attention geometry (KV cache per token), the parameter count (weights), the FFN width (activation peak)
 * and the maximum context.
 */

/** The architecture facts of a model, as vLLM sees them. */
export interface ModelArchitecture {
  /** Transformer layers (`num_hidden_layers`). */
  readonly layers: number;
  /** Key/value heads (`num_key_value_heads`; equals the attention heads for multi-head attention). */
  readonly kvHeads: number;
  /** Dimension of one attention head (`head_dim`, else `hidden_size / num_attention_heads`). */
  readonly headDim: number;
  /** Total parameters (all experts for MoE models). */
  readonly parameters: number;
  /**
   * Bytes per weight of the unquantized checkpoint.
   * @default 2 - bf16/fp16, what every catalog model ships
   */
  readonly dtypeBytes?: number;
  /** Query heads (`num_attention_heads`); tensor parallelism must divide it. @default - not checked */
  readonly attentionHeads?: number;
  /** Hidden size; sizes embeddings and the activation peak. @default - estimated from parameters and layers */
  readonly hiddenSize?: number;
  /**
   * FFN width one token passes through: `intermediate_size` for dense models, `moe_intermediate_size` times
   * the experts per token (plus shared experts) for MoE models.
   * @default - 3.5 x hiddenSize
   */
  readonly intermediateSize?: number;
  /** Vocabulary size; sizes embeddings and the sampler warm-up. @default 128256 */
  readonly vocabSize?: number;
  /** Whether input and output embeddings share weights. @default false */
  readonly tieWordEmbeddings?: boolean;
  /** Longest context the model supports (`max_position_embeddings`). @default - unknown, maxModelLen required */
  readonly maxPositionEmbeddings?: number;
  /**
   * Attention type. `mla` (DeepSeek V2/V3) caches one latent of `kvLoraRank + qkRopeHeadDim` per token per layer.
   * @default 'standard'
   */
  readonly attention?: 'standard' | 'mla';
  /** MLA latent rank (`kv_lora_rank`). Required with `attention: 'mla'`. */
  readonly kvLoraRank?: number;
  /** MLA rotary head dim (`qk_rope_head_dim`). Required with `attention: 'mla'`. */
  readonly qkRopeHeadDim?: number;
  /** Mixture-of-experts model. @default false */
  readonly moe?: boolean;
  /** Exact total weight size in GiB when known (quantized checkpoints). @default - computed from parameters */
  readonly weightsGiB?: number;
  /**
   * Routed-expert parameters (all experts, all layers) of a MoE model; MXFP4 checkpoints quantize only these.
   * @default - unknown: expert-only quantization then applies to all linear layers
   */
  readonly expertParameters?: number;
  /** Routed experts per layer (`num_experts`, `n_routed_experts`, `num_local_experts`). @default - not MoE */
  readonly experts?: number;
  /** Experts each token is routed to (`num_experts_per_tok`, `experts_per_token`). @default 2 for MoE models */
  readonly expertsPerToken?: number;
  /**
   * Sliding-window attention span in tokens (`sliding_window`), for the layers that use it.
   * vLLM's hybrid KV cache manager gives those layers a fixed window instead of the whole context.
   * @default - no sliding window
   */
  readonly slidingWindow?: number;
  /**
   * How many of the layers use the sliding window (from `layer_types` or `sliding_window_pattern`).
   * @default - all layers when slidingWindow is set (Mistral-7B-v0.1 style), none otherwise
   */
  readonly slidingWindowLayers?: number;
  /**
   * A vision-language model: vLLM profiles its encoder (dummy images) before it sizes the KV cache.
   * @default false
   */
  readonly multimodal?: boolean;
  /**
   * GPU memory the encoder profiling adds to the activation peak, in GiB, when known from a startup log.
   * @default - estimated by the estimator from the encoder budget (see estimator `encoderProfileGiB`)
   */
  readonly encoderProfileGiB?: number;
}

/** A catalog entry: an architecture plus the Hugging Face repository vLLM serves it from. */
export interface ModelSpec extends ModelArchitecture {
  /** Catalog id, e.g. `llama-3.1-8b`. */
  readonly id: string;
  /** Hugging Face repository id passed to `--model`. */
  readonly huggingFaceId: string;
  /** Quantization of the checkpoint, when it is a quantized one. @default 'none' */
  readonly quantization?: Quantization;
}

/**
 * Weight quantization methods the estimator knows the size of. `mxfp4` (gpt-oss) quantizes the routed experts
 * only (4-bit values plus one 8-bit scale per 32, 4.25 bits); `nvfp4` quantizes all linear layers (4 bits plus one
 * 8-bit scale per 16, 4.5 bits).
 */
export type Quantization = 'none' | 'awq' | 'gptq' | 'fp8' | 'int8' | 'mxfp4' | 'nvfp4';

/** The weight quantizations the estimator knows. */
export const QUANTIZATIONS: readonly Quantization[] = ['none', 'awq', 'gptq', 'fp8', 'int8', 'mxfp4', 'nvfp4'];

function llama(id: string, hf: string, p: Omit<ModelSpec, 'id' | 'huggingFaceId'>): ModelSpec {
  return { id, huggingFaceId: hf, vocabSize: 128256, maxPositionEmbeddings: 131072, ...p };
}

/** Qwen2.5 and Qwen3 dense models all use 128-dimensional heads. */
function qwen(id: string, hf: string, p: Omit<ModelSpec, 'id' | 'huggingFaceId' | 'headDim'>): ModelSpec {
  return { id, huggingFaceId: hf, vocabSize: 151936, headDim: 128, ...p };
}

const entries: ModelSpec[] = [
  llama('llama-3.2-1b', 'meta-llama/Llama-3.2-1B-Instruct', { layers: 16, attentionHeads: 32, kvHeads: 8, headDim: 64, hiddenSize: 2048, intermediateSize: 8192, parameters: 1.24e9, tieWordEmbeddings: true }),
  llama('llama-3.2-3b', 'meta-llama/Llama-3.2-3B-Instruct', { layers: 28, attentionHeads: 24, kvHeads: 8, headDim: 128, hiddenSize: 3072, intermediateSize: 8192, parameters: 3.21e9, tieWordEmbeddings: true }),
  llama('llama-3.1-8b', 'meta-llama/Llama-3.1-8B-Instruct', { layers: 32, attentionHeads: 32, kvHeads: 8, headDim: 128, hiddenSize: 4096, intermediateSize: 14336, parameters: 8.03e9 }),
  llama('llama-3.1-70b', 'meta-llama/Llama-3.1-70B-Instruct', { layers: 80, attentionHeads: 64, kvHeads: 8, headDim: 128, hiddenSize: 8192, intermediateSize: 28672, parameters: 70.6e9 }),
  llama('llama-3.3-70b', 'meta-llama/Llama-3.3-70B-Instruct', { layers: 80, attentionHeads: 64, kvHeads: 8, headDim: 128, hiddenSize: 8192, intermediateSize: 28672, parameters: 70.6e9 }),
  llama('llama-3.1-70b-awq', 'hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4', { layers: 80, attentionHeads: 64, kvHeads: 8, headDim: 128, hiddenSize: 8192, intermediateSize: 28672, parameters: 70.6e9, quantization: 'awq' }),
  llama('llama-3.1-405b', 'meta-llama/Llama-3.1-405B-Instruct', { layers: 126, attentionHeads: 128, kvHeads: 8, headDim: 128, hiddenSize: 16384, intermediateSize: 53248, parameters: 405.9e9 }),
  llama('llama-3.1-405b-fp8', 'meta-llama/Llama-3.1-405B-Instruct-FP8', { layers: 126, attentionHeads: 128, kvHeads: 8, headDim: 128, hiddenSize: 16384, intermediateSize: 53248, parameters: 405.9e9, quantization: 'fp8' }),
  qwen('qwen2.5-7b', 'Qwen/Qwen2.5-7B-Instruct', { layers: 28, attentionHeads: 28, kvHeads: 4, hiddenSize: 3584, intermediateSize: 18944, parameters: 7.62e9, vocabSize: 152064, maxPositionEmbeddings: 32768 }),
  qwen('qwen2.5-14b', 'Qwen/Qwen2.5-14B-Instruct', { layers: 48, attentionHeads: 40, kvHeads: 8, hiddenSize: 5120, intermediateSize: 13824, parameters: 14.7e9, vocabSize: 152064, maxPositionEmbeddings: 32768 }),
  qwen('qwen2.5-32b', 'Qwen/Qwen2.5-32B-Instruct', { layers: 64, attentionHeads: 40, kvHeads: 8, hiddenSize: 5120, intermediateSize: 27648, parameters: 32.8e9, vocabSize: 152064, maxPositionEmbeddings: 32768 }),
  qwen('qwen2.5-72b', 'Qwen/Qwen2.5-72B-Instruct', { layers: 80, attentionHeads: 64, kvHeads: 8, hiddenSize: 8192, intermediateSize: 29568, parameters: 72.7e9, vocabSize: 152064, maxPositionEmbeddings: 32768 }),
  qwen('qwen3-0.6b', 'Qwen/Qwen3-0.6B', { layers: 28, attentionHeads: 16, kvHeads: 8, hiddenSize: 1024, intermediateSize: 3072, parameters: 0.75e9, maxPositionEmbeddings: 40960, tieWordEmbeddings: true }),
  qwen('qwen3-1.7b', 'Qwen/Qwen3-1.7B', { layers: 28, attentionHeads: 16, kvHeads: 8, hiddenSize: 2048, intermediateSize: 6144, parameters: 2.03e9, maxPositionEmbeddings: 40960, tieWordEmbeddings: true }),
  qwen('qwen3-4b', 'Qwen/Qwen3-4B', { layers: 36, attentionHeads: 32, kvHeads: 8, hiddenSize: 2560, intermediateSize: 9728, parameters: 4.02e9, maxPositionEmbeddings: 40960, tieWordEmbeddings: true }),
  qwen('qwen3-8b', 'Qwen/Qwen3-8B', { layers: 36, attentionHeads: 32, kvHeads: 8, hiddenSize: 4096, intermediateSize: 12288, parameters: 8.19e9, maxPositionEmbeddings: 40960 }),
  qwen('qwen3-14b', 'Qwen/Qwen3-14B', { layers: 40, attentionHeads: 40, kvHeads: 8, hiddenSize: 5120, intermediateSize: 17408, parameters: 14.8e9, maxPositionEmbeddings: 40960 }),
  qwen('qwen3-32b', 'Qwen/Qwen3-32B', { layers: 64, attentionHeads: 64, kvHeads: 8, hiddenSize: 5120, intermediateSize: 25600, parameters: 32.8e9, maxPositionEmbeddings: 40960 }),
  { id: 'mistral-7b', huggingFaceId: 'mistralai/Mistral-7B-Instruct-v0.3', layers: 32, attentionHeads: 32, kvHeads: 8, headDim: 128, hiddenSize: 4096, intermediateSize: 14336, parameters: 7.25e9, vocabSize: 32768, maxPositionEmbeddings: 32768 },
  { id: 'mistral-small-24b', huggingFaceId: 'mistralai/Mistral-Small-24B-Instruct-2501', layers: 40, attentionHeads: 32, kvHeads: 8, headDim: 128, hiddenSize: 5120, intermediateSize: 32768, parameters: 23.6e9, vocabSize: 131072, maxPositionEmbeddings: 32768 },
  // MLA: one latent of kv_lora_rank + qk_rope_head_dim per token per layer. FFN width: 6 routed + 2 shared experts of 1408.
  { id: 'deepseek-v2-lite', huggingFaceId: 'deepseek-ai/DeepSeek-V2-Lite-Chat', layers: 27, attentionHeads: 16, kvHeads: 16, headDim: 192, hiddenSize: 2048, intermediateSize: 11264, parameters: 15.7e9, vocabSize: 102400, maxPositionEmbeddings: 163840, attention: 'mla', kvLoraRank: 512, qkRopeHeadDim: 64, moe: true },
  { id: 'deepseek-v3', huggingFaceId: 'deepseek-ai/DeepSeek-V3', layers: 61, attentionHeads: 128, kvHeads: 128, headDim: 192, hiddenSize: 7168, intermediateSize: 18432, parameters: 671e9, dtypeBytes: 1, vocabSize: 129280, maxPositionEmbeddings: 163840, attention: 'mla', kvLoraRank: 512, qkRopeHeadDim: 64, moe: true, quantization: 'fp8' },
  // --- Models people deploy in 2026. Geometry from each repository's config.json on Hugging Face (cited per entry);
  // parameters are what the model card states, expertParameters = MoE layers x 3 x hidden x experts x expert width.

  // openai/gpt-oss-20b config.json: 24 layers, hidden 2880, 64 heads of 64, 8 KV heads, num_local_experts 32,
  // experts_per_token 4, intermediate_size 2880, vocab 201088, sliding_window 128 on the layer_types
  // "sliding_attention" layers (every other layer), max_position_embeddings 131072; MXFP4 experts.
  { id: 'gpt-oss-20b', huggingFaceId: 'openai/gpt-oss-20b', layers: 24, attentionHeads: 64, kvHeads: 8, headDim: 64, hiddenSize: 2880, intermediateSize: 4 * 2880, parameters: 20.9e9, expertParameters: 24 * 3 * 2880 * 32 * 2880, experts: 32, expertsPerToken: 4, vocabSize: 201088, maxPositionEmbeddings: 131072, slidingWindow: 128, slidingWindowLayers: 12, moe: true, quantization: 'mxfp4' },
  // openai/gpt-oss-120b config.json: as 20b with 36 layers and num_local_experts 128.
  { id: 'gpt-oss-120b', huggingFaceId: 'openai/gpt-oss-120b', layers: 36, attentionHeads: 64, kvHeads: 8, headDim: 64, hiddenSize: 2880, intermediateSize: 4 * 2880, parameters: 116.8e9, expertParameters: 36 * 3 * 2880 * 128 * 2880, experts: 128, expertsPerToken: 4, vocabSize: 201088, maxPositionEmbeddings: 131072, slidingWindow: 128, slidingWindowLayers: 18, moe: true, quantization: 'mxfp4' },
  // Qwen/Qwen3-30B-A3B config.json: 48 layers, hidden 2048, 32 heads, 4 KV heads, head_dim 128, 128 experts of
  // moe_intermediate_size 768, num_experts_per_tok 8, vocab 151936, max_position_embeddings 40960.
  qwen('qwen3-30b-a3b', 'Qwen/Qwen3-30B-A3B', { layers: 48, attentionHeads: 32, kvHeads: 4, hiddenSize: 2048, intermediateSize: 8 * 768, parameters: 30.5e9, expertParameters: 48 * 3 * 2048 * 128 * 768, experts: 128, expertsPerToken: 8, maxPositionEmbeddings: 40960, moe: true }),
  // Qwen/Qwen3-Coder-30B-A3B-Instruct config.json: the 30B-A3B geometry with max_position_embeddings 262144.
  qwen('qwen3-coder-30b-a3b', 'Qwen/Qwen3-Coder-30B-A3B-Instruct', { layers: 48, attentionHeads: 32, kvHeads: 4, hiddenSize: 2048, intermediateSize: 8 * 768, parameters: 30.5e9, expertParameters: 48 * 3 * 2048 * 128 * 768, experts: 128, expertsPerToken: 8, maxPositionEmbeddings: 262144, moe: true }),
  // Qwen/Qwen3-235B-A22B config.json: 94 layers, hidden 4096, 64 heads, 4 KV heads, head_dim 128, 128 experts of
  // 1536, num_experts_per_tok 8, max_position_embeddings 40960. The -FP8 repository: fp8 128x128 block quantization.
  qwen('qwen3-235b-a22b', 'Qwen/Qwen3-235B-A22B', { layers: 94, attentionHeads: 64, kvHeads: 4, hiddenSize: 4096, intermediateSize: 8 * 1536, parameters: 235e9, expertParameters: 94 * 3 * 4096 * 128 * 1536, experts: 128, expertsPerToken: 8, maxPositionEmbeddings: 40960, moe: true }),
  qwen('qwen3-235b-a22b-fp8', 'Qwen/Qwen3-235B-A22B-FP8', { layers: 94, attentionHeads: 64, kvHeads: 4, hiddenSize: 4096, intermediateSize: 8 * 1536, parameters: 235e9, expertParameters: 94 * 3 * 4096 * 128 * 1536, experts: 128, expertsPerToken: 8, maxPositionEmbeddings: 40960, moe: true, quantization: 'fp8' }),
  // meta-llama/Llama-4-Scout-17B-16E-Instruct config.json (text_config): 48 layers, hidden 5120, 40 heads, 8 KV heads,
  // head_dim 128, 16 experts of 8192 plus a shared expert, 1 per token, vocab 202048, attention_chunk_size 8192 on
  // 3 of 4 layers (chunked local attention, sized here as a sliding window), multimodal. 109B total parameters.
  { id: 'llama-4-scout', huggingFaceId: 'meta-llama/Llama-4-Scout-17B-16E-Instruct', layers: 48, attentionHeads: 40, kvHeads: 8, headDim: 128, hiddenSize: 5120, intermediateSize: 2 * 8192, parameters: 109e9, expertParameters: 48 * 3 * 5120 * 16 * 8192, experts: 16, expertsPerToken: 1, vocabSize: 202048, maxPositionEmbeddings: 10485760, slidingWindow: 8192, slidingWindowLayers: 36, moe: true, multimodal: true },
  // deepseek-ai/DeepSeek-R1 config.json: the DeepSeek-V3 geometry (61 layers, MLA kv_lora_rank 512 + rope 64,
  // 256 experts of 2048, 8 per token plus one shared, first_k_dense_replace 3), fp8 weights.
  { id: 'deepseek-r1', huggingFaceId: 'deepseek-ai/DeepSeek-R1', layers: 61, attentionHeads: 128, kvHeads: 128, headDim: 192, hiddenSize: 7168, intermediateSize: 18432, parameters: 671e9, dtypeBytes: 1, vocabSize: 129280, maxPositionEmbeddings: 163840, attention: 'mla', kvLoraRank: 512, qkRopeHeadDim: 64, moe: true, experts: 256, expertsPerToken: 8, quantization: 'fp8' },
  // deepseek-ai/DeepSeek-V3.1 config.json: same geometry as V3.
  { id: 'deepseek-v3.1', huggingFaceId: 'deepseek-ai/DeepSeek-V3.1', layers: 61, attentionHeads: 128, kvHeads: 128, headDim: 192, hiddenSize: 7168, intermediateSize: 18432, parameters: 671e9, dtypeBytes: 1, vocabSize: 129280, maxPositionEmbeddings: 163840, attention: 'mla', kvLoraRank: 512, qkRopeHeadDim: 64, moe: true, experts: 256, expertsPerToken: 8, quantization: 'fp8' },
  // google/gemma-3-27b-it config.json (text_config): 62 layers, hidden 5376, 32 heads, 16 KV heads, head_dim 128,
  // intermediate 21504, vocab 262208, sliding_window 1024 with sliding_window_pattern 6 (52 sliding, 10 global),
  // max_position_embeddings 131072, tied embeddings, SigLIP vision tower.
  { id: 'gemma-3-27b', huggingFaceId: 'google/gemma-3-27b-it', layers: 62, attentionHeads: 32, kvHeads: 16, headDim: 128, hiddenSize: 5376, intermediateSize: 21504, parameters: 27.4e9, vocabSize: 262208, tieWordEmbeddings: true, maxPositionEmbeddings: 131072, slidingWindow: 1024, slidingWindowLayers: 52, multimodal: true },
  // mistralai/Mistral-Small-3.2-24B-Instruct-2506 config.json (text_config): 40 layers, hidden 5120, 32 heads,
  // 8 KV heads, head_dim 128, intermediate 32768, vocab 131072, max_position_embeddings 131072, Pixtral vision tower.
  { id: 'mistral-small-3.2-24b', huggingFaceId: 'mistralai/Mistral-Small-3.2-24B-Instruct-2506', layers: 40, attentionHeads: 32, kvHeads: 8, headDim: 128, hiddenSize: 5120, intermediateSize: 32768, parameters: 24.0e9, vocabSize: 131072, maxPositionEmbeddings: 131072, multimodal: true },
  // Qwen/Qwen2.5-VL-7B-Instruct config.json: 28 layers, hidden 3584, 28 heads, 4 KV heads, intermediate 18944,
  // vocab 152064, max_position_embeddings 128000; 0.67B-parameter vision tower.
  qwen('qwen2.5-vl-7b', 'Qwen/Qwen2.5-VL-7B-Instruct', { layers: 28, attentionHeads: 28, kvHeads: 4, hiddenSize: 3584, intermediateSize: 18944, parameters: 8.29e9, vocabSize: 152064, maxPositionEmbeddings: 128000, multimodal: true }),
  // meta-llama/Llama-3.2-11B-Vision-Instruct config.json (text_config): 40 layers (8 of them cross-attention),
  // hidden 4096, 32 heads, 8 KV heads, intermediate 14336, vocab 128256, max_position_embeddings 131072.
  llama('llama-3.2-11b-vision', 'meta-llama/Llama-3.2-11B-Vision-Instruct', { layers: 40, attentionHeads: 32, kvHeads: 8, headDim: 128, hiddenSize: 4096, intermediateSize: 14336, parameters: 10.6e9, multimodal: true }),
];

const byKey = new Map<string, ModelSpec>();
for (const e of entries) {
  byKey.set(e.id, e);
  byKey.set(e.huggingFaceId.toLowerCase(), e);
}

/** Ids of every catalog model, sorted. */
export const MODEL_IDS: readonly string[] = entries.map((e) => e.id).sort();

/** Finds a catalog model by id (`llama-3.1-8b`) or Hugging Face id (case-insensitive). */
export function findModel(key: string): ModelSpec | undefined {
  return byKey.get(key) ?? byKey.get(key.toLowerCase());
}

/** Looks a catalog model up, adding a problem that lists the catalog to the collector when it is unknown. */
export function lookupModel(key: string, field: string, p: ProblemCollector): ModelSpec | undefined {
  const spec = findModel(key);
  if (!spec) {
    p.add({ field, message: 'is not in the model catalog', value: key, allowed: MODEL_IDS.join(', '), fix: 'use a catalog id, or pass { huggingFaceId, architecture } (architectureFromHuggingFaceConfig builds one from config.json)' });
  }
  return spec;
}

/** Looks a model up; throws a GpuplaneValidationError that lists the catalog when it is unknown. */
export function resolveModel(key: string, field = 'model'): ModelSpec {
  const p = new ProblemCollector();
  const spec = lookupModel(key, field, p);
  if (!spec) throw new GpuplaneValidationError('model catalog', p.problems);
  return spec;
}

function num(config: Record<string, unknown>, key: string): number | undefined {
  const v = config[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, float16: 2, bfloat16: 2, float8_e4m3fn: 1 };

/**
 * The sliding-window facts of a config: the window and how many layers use it. Reads `layer_types`
 * (gpt-oss, Qwen3-Next, Gemma 3 in transformers >= 4.53: `sliding_attention` / `full_attention`),
 * `sliding_window_pattern` (Gemma 3: every Nth layer is global, the others slide), `use_sliding_window: false`
 * (Qwen2.5 ships a `sliding_window` it does not use) and a bare `sliding_window` (all layers slide, Mistral-7B-v0.1).
 */
function slidingWindowOf(text: Record<string, unknown>, layers: number): { slidingWindow?: number; slidingWindowLayers?: number } {
  const window = num(text, 'sliding_window') ?? num(text, 'attention_chunk_size');
  if (window === undefined || window <= 0 || text.use_sliding_window === false) return {};
  const types = text.layer_types;
  if (Array.isArray(types) && types.length > 0) {
    const sliding = types.filter((t) => typeof t === 'string' && /sliding|chunked/.test(t)).length;
    return sliding > 0 ? { slidingWindow: window, slidingWindowLayers: Math.min(layers, sliding) } : {};
  }
  const pattern = num(text, 'sliding_window_pattern');
  if (pattern !== undefined && pattern > 1) {
    // Gemma 3: layer i is global when (i + 1) % pattern == 0.
    return { slidingWindow: window, slidingWindowLayers: layers - Math.floor(layers / pattern) };
  }
  if (num(text, 'attention_chunk_size') !== undefined && num(text, 'sliding_window') === undefined) {
    // Llama 4: chunked local attention on 3 of every 4 layers (no_rope_layers every 4th).
    return { slidingWindow: window, slidingWindowLayers: layers - Math.floor(layers / 4) };
  }
  return { slidingWindow: window, slidingWindowLayers: layers };
}

/** The quantization method of `quantization_config`, mapped to what the estimator can size. */
function quantizationOf(config: Record<string, unknown>, text: Record<string, unknown>): Quantization {
  const qc = (config.quantization_config ?? text.quantization_config ?? {}) as Record<string, unknown>;
  const method = String(qc.quant_method ?? '').toLowerCase();
  const bits = Number(qc.bits ?? qc.w_bit ?? 4);
  if (method === 'awq') return 'awq';
  if (method === 'gptq' || method === 'auto-round' || method === 'auto_round') return bits >= 8 ? 'int8' : 'gptq';
  if (method === 'fp8' || method === 'fbgemm_fp8') return 'fp8';
  if (method === 'mxfp4') return 'mxfp4';
  if (method === 'modelopt' || method === 'modelopt_fp4') {
    const algo = String(qc.quant_algo ?? (qc.quantization as Record<string, unknown> | undefined)?.quant_algo ?? '').toUpperCase();
    return algo.includes('FP4') || method === 'modelopt_fp4' ? 'nvfp4' : 'fp8';
  }
  if (method === 'compressed-tensors') {
    // config_groups.<g>.weights: { num_bits, type: 'int' | 'float' }
    const groups = Object.values((qc.config_groups ?? {}) as Record<string, Record<string, unknown>>);
    const weights = (groups[0]?.weights ?? {}) as Record<string, unknown>;
    const wbits = Number(weights.num_bits ?? 8);
    if (wbits <= 4) return String(weights.type ?? 'int') === 'float' ? 'nvfp4' : 'gptq';
    return String(weights.type ?? 'int') === 'float' ? 'fp8' : 'int8';
  }
  if (method === 'bitsandbytes') return qc.load_in_4bit === true ? 'gptq' : 'int8';
  return 'none';
}

/**
 * Builds an architecture from a Hugging Face `config.json` object the user already has (gpuplane never downloads).
 * Counts parameters from the geometry: embeddings, attention (standard or MLA), dense or MoE FFN per layer.
 * Multimodal configs that nest the language model under `text_config` (or `llm_config`) are read from there and
 * marked `multimodal`. Reads sliding-window layout, MoE routing, MLA latent and quantization fields.
 * Throws a GpuplaneValidationError naming the field when a required one is missing.
 */
export function architectureFromHuggingFaceConfig(config: Record<string, unknown>): ModelArchitecture & { quantization: Quantization } {
  const nested = [config.text_config, config.llm_config, config.language_config].find((c) => c && typeof c === 'object');
  const text = (nested ?? config) as Record<string, unknown>;
  const p = new ProblemCollector();
  const need = (key: string): number => {
    const v = num(text, key);
    p.check(v !== undefined && v > 0, {
      field: key, message: 'must be a positive number in config.json', value: text[key],
      fix: "pass the model's own config.json; gpuplane reads num_hidden_layers, hidden_size and num_attention_heads",
    });
    return v ?? 1;
  };
  const layers = need('num_hidden_layers');
  const hidden = need('hidden_size');
  const heads = need('num_attention_heads');
  p.throwIfAny('config.json');
  const kvHeads = num(text, 'num_key_value_heads') ?? heads;
  const headDim = num(text, 'head_dim') ?? hidden / heads;
  const vocab = num(text, 'vocab_size') ?? 32000;
  const tied = text.tie_word_embeddings === true || (text.tie_word_embeddings === undefined && config.tie_word_embeddings === true);
  const kvLoraRank = num(text, 'kv_lora_rank');
  const mla = kvLoraRank !== undefined;
  const qkRope = num(text, 'qk_rope_head_dim') ?? 0;

  let attention: number;
  if (mla) {
    const qLora = num(text, 'q_lora_rank');
    const qkNope = num(text, 'qk_nope_head_dim') ?? 0;
    const vHead = num(text, 'v_head_dim') ?? qkNope;
    const qHead = qkNope + qkRope;
    const q = qLora ? hidden * qLora + qLora * heads * qHead : hidden * heads * qHead;
    attention = q + hidden * (kvLoraRank + qkRope) + kvLoraRank * heads * (qkNope + vHead) + heads * vHead * hidden;
  } else {
    attention = 2 * hidden * heads * headDim + 2 * hidden * kvHeads * headDim;
  }

  const denseInter = num(text, 'intermediate_size_mlp') ?? num(text, 'intermediate_size') ?? 4 * hidden;
  const experts = num(text, 'n_routed_experts') ?? num(text, 'num_local_experts') ?? num(text, 'num_experts');
  const moe = experts !== undefined && experts > 1;
  let ffnParams: number;
  let activeInter: number;
  let expertParameters: number | undefined;
  let perToken: number | undefined;
  if (moe) {
    const expertInter = num(text, 'moe_intermediate_size') ?? num(text, 'intermediate_size') ?? denseInter;
    perToken = num(text, 'num_experts_per_tok') ?? num(text, 'num_experts_per_token') ?? num(text, 'experts_per_token') ?? 2;
    const sharedCount = num(text, 'n_shared_experts') ?? (num(text, 'shared_expert_intermediate_size') === undefined && text.model_type === 'llama4_text' ? 1 : 0);
    const shared = sharedCount * expertInter + (num(text, 'shared_expert_intermediate_size') ?? 0);
    const denseLayers = Math.min(layers, num(text, 'first_k_dense_replace') ?? 0);
    const step = Math.max(1, num(text, 'interleave_moe_layer_step') ?? num(text, 'decoder_sparse_step') ?? 1);
    const moeLayers = Math.floor((layers - denseLayers) / step);
    const otherDense = layers - moeLayers;
    expertParameters = moeLayers * 3 * hidden * experts * expertInter;
    ffnParams = otherDense * 3 * hidden * denseInter + expertParameters + moeLayers * (3 * hidden * shared + hidden * experts);
    activeInter = perToken * expertInter + shared;
  } else {
    ffnParams = layers * 3 * hidden * denseInter;
    activeInter = denseInter;
  }
  const embeddings = vocab * hidden * (tied ? 1 : 2);
  const parameters = embeddings + layers * attention + ffnParams + layers * 2 * hidden;

  const dtype = String(text.torch_dtype ?? config.torch_dtype ?? text.dtype ?? config.dtype ?? 'bfloat16');
  const sliding = slidingWindowOf(text, layers);

  return {
    layers,
    kvHeads,
    headDim,
    parameters,
    dtypeBytes: DTYPE_BYTES[dtype] ?? 2,
    attentionHeads: heads,
    hiddenSize: hidden,
    intermediateSize: activeInter,
    vocabSize: vocab,
    tieWordEmbeddings: tied,
    maxPositionEmbeddings: num(text, 'max_position_embeddings'),
    attention: mla ? 'mla' : 'standard',
    kvLoraRank: mla ? kvLoraRank : undefined,
    qkRopeHeadDim: mla ? qkRope : undefined,
    moe,
    experts: moe ? experts : undefined,
    expertsPerToken: perToken,
    expertParameters,
    ...sliding,
    multimodal: nested !== undefined || config.vision_config !== undefined ? true : undefined,
    quantization: quantizationOf(config, text),
  };
}
