import { architectureFromHuggingFaceConfig, findModel, MODEL_IDS, resolveModel } from '../../../lib/core/catalog/models';
import { GpuplaneValidationError } from '../../../lib/core/errors';

/** Fields as they appear in the models' published config.json files. */
const LLAMA_31_8B = {
  architectures: ['LlamaForCausalLM'], hidden_size: 4096, intermediate_size: 14336, max_position_embeddings: 131072,
  num_attention_heads: 32, num_hidden_layers: 32, num_key_value_heads: 8, tie_word_embeddings: false, torch_dtype: 'bfloat16', vocab_size: 128256,
};
const QWEN25_7B = {
  architectures: ['Qwen2ForCausalLM'], hidden_size: 3584, intermediate_size: 18944, max_position_embeddings: 32768,
  num_attention_heads: 28, num_hidden_layers: 28, num_key_value_heads: 4, tie_word_embeddings: false, torch_dtype: 'bfloat16', vocab_size: 152064,
};
const QWEN3_8B = {
  architectures: ['Qwen3ForCausalLM'], head_dim: 128, hidden_size: 4096, intermediate_size: 12288, max_position_embeddings: 40960,
  num_attention_heads: 32, num_hidden_layers: 36, num_key_value_heads: 8, tie_word_embeddings: false, torch_dtype: 'bfloat16', vocab_size: 151936,
};
const DEEPSEEK_V2_LITE = {
  architectures: ['DeepseekV2ForCausalLM'], hidden_size: 2048, intermediate_size: 10944, moe_intermediate_size: 1408, kv_lora_rank: 512,
  q_lora_rank: null, qk_nope_head_dim: 128, qk_rope_head_dim: 64, v_head_dim: 128, n_routed_experts: 64, n_shared_experts: 2,
  num_experts_per_tok: 6, first_k_dense_replace: 1, max_position_embeddings: 163840, num_attention_heads: 16, num_hidden_layers: 27,
  num_key_value_heads: 16, tie_word_embeddings: false, torch_dtype: 'bfloat16', vocab_size: 102400,
};
/** openai/gpt-oss-20b config.json (the fields gpuplane reads; layer_types alternate sliding and full). */
const GPT_OSS_20B = {
  architectures: ['GptOssForCausalLM'], experts_per_token: 4, head_dim: 64, hidden_size: 2880, intermediate_size: 2880,
  layer_types: Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention')), max_position_embeddings: 131072,
  num_attention_heads: 64, num_hidden_layers: 24, num_key_value_heads: 8, num_local_experts: 32, sliding_window: 128, tie_word_embeddings: false,
  torch_dtype: 'bfloat16', vocab_size: 201088, quantization_config: { quant_method: 'mxfp4', modules_to_not_convert: ['model.layers.*.self_attn', 'model.layers.*.mlp.router', 'model.embed_tokens', 'lm_head'] },
};
/** google/gemma-3-27b-it config.json (text_config nested, sliding_window_pattern 6). */
const GEMMA3_27B = {
  architectures: ['Gemma3ForConditionalGeneration'], vision_config: { hidden_size: 1152 },
  text_config: { head_dim: 128, hidden_size: 5376, intermediate_size: 21504, max_position_embeddings: 131072, num_attention_heads: 32, num_hidden_layers: 62, num_key_value_heads: 16, sliding_window: 1024, sliding_window_pattern: 6, vocab_size: 262208 },
  tie_word_embeddings: true, torch_dtype: 'bfloat16',
};
/** Qwen/Qwen3-30B-A3B config.json. */
const QWEN3_30B_A3B = {
  architectures: ['Qwen3MoeForCausalLM'], decoder_sparse_step: 1, head_dim: 128, hidden_size: 2048, intermediate_size: 6144, max_position_embeddings: 40960,
  moe_intermediate_size: 768, num_attention_heads: 32, num_experts: 128, num_experts_per_tok: 8, num_hidden_layers: 48, num_key_value_heads: 4,
  sliding_window: null, use_sliding_window: false, tie_word_embeddings: false, torch_dtype: 'bfloat16', vocab_size: 151936,
};
const AWQ_70B = { ...LLAMA_31_8B, hidden_size: 8192, intermediate_size: 28672, num_attention_heads: 64, num_hidden_layers: 80, torch_dtype: 'float16', quantization_config: { quant_method: 'awq', bits: 4 } };

describe('architectureFromHuggingFaceConfig', () => {
  test.each([
    ['Llama-3.1-8B', LLAMA_31_8B, 8.03e9],
    ['Qwen2.5-7B', QWEN25_7B, 7.62e9],
    ['Qwen3-8B', QWEN3_8B, 8.19e9],
    ['DeepSeek-V2-Lite (MLA, MoE)', DEEPSEEK_V2_LITE, 15.7e9],
  ])('%s: counts parameters within 2%% of the published size', (_name, config, published) => {
    const a = architectureFromHuggingFaceConfig(config);
    expect(Math.abs(a.parameters - published) / published).toBeLessThan(0.02);
  });

  test('reads the attention geometry and context', () => {
    expect(architectureFromHuggingFaceConfig(LLAMA_31_8B)).toMatchObject({ layers: 32, kvHeads: 8, headDim: 128, attentionHeads: 32, maxPositionEmbeddings: 131072, attention: 'standard', moe: false, quantization: 'none' });
    expect(architectureFromHuggingFaceConfig(QWEN3_8B).headDim).toBe(128);
  });

  test('MLA models keep their latent geometry and the active FFN width', () => {
    const a = architectureFromHuggingFaceConfig(DEEPSEEK_V2_LITE);
    expect(a).toMatchObject({ attention: 'mla', kvLoraRank: 512, qkRopeHeadDim: 64, moe: true, intermediateSize: 8 * 1408 });
  });

  test('gpt-oss: MoE routing, MXFP4 experts, sliding window on every other layer', () => {
    const a = architectureFromHuggingFaceConfig(GPT_OSS_20B);
    expect(a).toMatchObject({ moe: true, experts: 32, expertsPerToken: 4, quantization: 'mxfp4', slidingWindow: 128, slidingWindowLayers: 12, intermediateSize: 4 * 2880 });
    expect(Math.abs(a.parameters - 20.9e9) / 20.9e9).toBeLessThan(0.03);
    expect(a.expertParameters! / a.parameters).toBeGreaterThan(0.9);
  });

  test('Gemma 3: sliding_window_pattern 6 leaves 10 of 62 layers global; multimodal from the nested text_config', () => {
    const a = architectureFromHuggingFaceConfig(GEMMA3_27B);
    expect(a).toMatchObject({ layers: 62, slidingWindow: 1024, slidingWindowLayers: 52, multimodal: true, tieWordEmbeddings: true });
  });

  test('Qwen3 MoE: experts counted, unused sliding_window ignored', () => {
    const a = architectureFromHuggingFaceConfig(QWEN3_30B_A3B);
    expect(a).toMatchObject({ moe: true, experts: 128, expertsPerToken: 8, intermediateSize: 8 * 768 });
    expect(a.slidingWindow).toBeUndefined();
    expect(Math.abs(a.parameters - 30.5e9) / 30.5e9).toBeLessThan(0.03);
    expect(architectureFromHuggingFaceConfig({ ...QWEN25_7B, sliding_window: 131072, use_sliding_window: false }).slidingWindow).toBeUndefined();
  });

  test.each([
    [{ quant_method: 'fp8', weight_block_size: [128, 128] }, 'fp8'],
    [{ quant_method: 'gptq', bits: 4 }, 'gptq'],
    [{ quant_method: 'gptq', bits: 8 }, 'int8'],
    [{ quant_method: 'modelopt', quant_algo: 'NVFP4' }, 'nvfp4'],
    [{ quant_method: 'compressed-tensors', config_groups: { group_0: { weights: { num_bits: 8, type: 'float' } } } }, 'fp8'],
    [{ quant_method: 'compressed-tensors', config_groups: { group_0: { weights: { num_bits: 4, type: 'int' } } } }, 'gptq'],
    [{ quant_method: 'compressed-tensors', config_groups: { group_0: { weights: { num_bits: 8, type: 'int' } } } }, 'int8'],
  ] as const)('quantization_config %j reads as %s', (qc, expected) => {
    expect(architectureFromHuggingFaceConfig({ ...LLAMA_31_8B, quantization_config: qc }).quantization).toBe(expected);
  });

  test('reads the quantization method', () => {
    expect(architectureFromHuggingFaceConfig(AWQ_70B).quantization).toBe('awq');
  });

  test('matches the catalog for the same model', () => {
    const parsed = architectureFromHuggingFaceConfig(LLAMA_31_8B);
    const catalog = findModel('llama-3.1-8b')!;
    expect(parsed).toMatchObject({ layers: catalog.layers, kvHeads: catalog.kvHeads, headDim: catalog.headDim, hiddenSize: catalog.hiddenSize, intermediateSize: catalog.intermediateSize });
  });

  test('reads the language model of a multimodal config', () => {
    expect(architectureFromHuggingFaceConfig({ text_config: QWEN25_7B, vision_config: {} }).layers).toBe(28);
  });

  test('fails if a required field is missing, naming it', () => {
    // A GpuplaneValidationError naming every missing field (was a plain Error naming the first).
    expect(() => architectureFromHuggingFaceConfig({ hidden_size: 4096 })).toThrow("'num_hidden_layers' must be a positive number in config.json (got nothing)");
    expect(() => architectureFromHuggingFaceConfig({ hidden_size: 4096 })).toThrow(GpuplaneValidationError);
  });
});

describe('model catalog', () => {
  test('has the models issue 11 asks for (2026 deployments)', () => {
    for (const id of ['gpt-oss-20b', 'gpt-oss-120b', 'qwen3-30b-a3b', 'qwen3-235b-a22b', 'qwen3-235b-a22b-fp8', 'qwen3-coder-30b-a3b', 'llama-4-scout', 'deepseek-r1', 'deepseek-v3.1', 'gemma-3-27b', 'mistral-small-3.2-24b', 'qwen2.5-vl-7b', 'llama-3.2-11b-vision']) {
      expect(MODEL_IDS).toContain(id);
    }
  });

  test('catalog MoE entries agree with their own geometry (experts x 3 x hidden x width per MoE layer)', () => {
    const oss = findModel('gpt-oss-120b')!;
    expect(oss.expertParameters).toBe(36 * 3 * 2880 * 128 * 2880);
    expect(oss.expertParameters! / oss.parameters).toBeGreaterThan(0.95);
  });

  test('has the models the issue asks for', () => {
    for (const id of ['llama-3.1-8b', 'llama-3.2-1b', 'llama-3.2-3b', 'llama-3.1-70b', 'llama-3.3-70b', 'llama-3.1-405b', 'qwen2.5-7b', 'qwen2.5-14b', 'qwen2.5-32b', 'qwen2.5-72b', 'qwen3-8b', 'qwen3-32b', 'mistral-7b', 'mistral-small-24b', 'deepseek-v2-lite']) {
      expect(MODEL_IDS).toContain(id);
    }
  });

  test.each(MODEL_IDS.map((id) => [id]))('%s: consistent geometry', (id) => {
    const m = findModel(id)!;
    expect(m.huggingFaceId).toMatch(/^[\w.-]+\/[\w.-]+$/);
    if (m.attentionHeads !== undefined) expect(m.attentionHeads % m.kvHeads).toBe(0);
    if (m.hiddenSize && m.attentionHeads && m.attention !== 'mla') expect(m.headDim * m.attentionHeads).toBeGreaterThanOrEqual(m.hiddenSize * 0.5);
    expect(m.maxPositionEmbeddings).toBeGreaterThanOrEqual(32768);
    if (m.attention === 'mla') expect(m.kvLoraRank).toBeGreaterThan(0);
  });

  test('finds by Hugging Face id, case-insensitively', () => {
    expect(findModel('META-LLAMA/Llama-3.1-8B-Instruct')?.id).toBe('llama-3.1-8b');
  });

  test('fails if the id is unknown, listing the catalog', () => {
    // The catalog grew (deepseek-r1 now sorts first); the list is still sorted and complete.
    expect(() => resolveModel('gpt-5')).toThrow(/'model' is not in the model catalog \(got "gpt-5"; allowed: deepseek-r1, deepseek-v2-lite, /);
    expect(() => resolveModel('gpt-5')).toThrow(GpuplaneValidationError);
  });
});
