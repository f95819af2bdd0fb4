import { ModelArchitecture } from '../catalog/models';

/**
 * The KV cache layout vLLM builds, per version line. Every term names the vLLM file it follows.
 *
 * - Page size of one layer (`vllm/v1/kv_cache_interface.py`, `AttentionSpec.page_size_bytes`, 0.8 to 0.28):
 *   `2 * block_size * num_kv_heads_per_rank * head_size * dtype_bytes`; MLA (`MLAAttentionSpec`): one latent of
 *   `kv_lora_rank + qk_rope_head_dim` per token, no factor 2, replicated on every tensor-parallel rank.
 * - Hybrid models (`vllm/v1/core/kv_cache_utils.py`, `_get_kv_cache_groups_uniform_page_size`, from 0.10.0, the
 *   hybrid KV cache manager): layers of one attention type are cut into groups of `group_size` layers (the smallest
 *   type's layer count, or the largest when that is within 25% of it, so gpt-oss gets 2 groups of N/2, Gemma 3
 *   1 full + 6 sliding groups of 10 with 8 padding layers). All groups share one pool of blocks; one block costs
 *   `page_size * group_size`.
 * - Blocks one request needs (`kv_cache_interface.py`, `max_memory_usage_bytes`): full attention
 *   `cdiv(max_model_len, block_size)`; sliding window `min(cdiv(sliding_window - 1 + max_num_batched_tokens,
 *   block_size) + 1, cdiv(max_model_len, block_size))`.
 * - Whether vLLM starts (`kv_cache_utils.py`, `check_enough_kv_cache_memory`): the memory of one max_model_len
 *   request, summed over the real layers, must not exceed the available KV memory (and the memory must be > 0).
 * - Logged figures (`kv_cache_utils.py`, `_report_kv_cache_config`): "GPU KV cache size" = `num_blocks //
 *   len(groups) * block_size` tokens; "Maximum concurrency" = `num_blocks / blocks one request needs across groups`.
 * - Before 0.10 (and with `--disable-hybrid-kv-cache-manager`), vLLM's V1 turned sliding-window layers into full
 *   attention (`unify_hybrid_kv_cache_specs`), so every layer grows with the context.
 */
export interface KvLayout {
  /** Bytes of one token in one layer on one rank. */
  readonly bytesPerTokenPerLayer: number;
  /** Layers that keep the whole context on this rank. */
  readonly fullLayers: number;
  /** Layers that keep a sliding window on this rank. */
  readonly slidingLayers: number;
  /** Layers per KV cache group (one block costs `page x groupSize`). */
  readonly groupSize: number;
  /** Groups of full-attention layers. */
  readonly fullGroups: number;
  /** Groups of sliding-window layers. */
  readonly slidingGroups: number;
  /** Tokens per block. */
  readonly blockSize: number;
  /** Bytes one block of the shared pool costs. */
  readonly bytesPerBlock: number;
  /** Blocks one request of maxModelLen takes from the pool, over every group. */
  readonly blocksPerRequest: number;
  /** KV bytes one maxModelLen request needs over the real (unpadded) layers: vLLM's start-up check. */
  readonly bytesPerRequest: number;
  /** Bytes of one token of context over all layers (the per-token cost without sliding windows). */
  readonly bytesPerToken: number;
  /** Bytes one more block of context costs a request (its full-attention layers). */
  readonly contextBytesPerBlock: number;
  /** Bytes a request costs whatever its length (its sliding-window layers' window). */
  readonly fixedBytesPerRequest: number;
  /** Sliding window in tokens, when some layers slide. */
  readonly slidingWindow?: number;
}

const cdiv = (a: number, b: number): number => Math.ceil(a / b);

/** KV cache bytes of one token in one layer on one tensor-parallel rank. */
export function kvBytesPerTokenPerLayer(model: ModelArchitecture, tensorParallelSize = 1, kvCacheDtype: 'auto' | 'fp8' = 'auto'): number {
  const kvBytes = kvCacheDtype === 'fp8' ? 1 : Math.max(model.dtypeBytes ?? 2, 2);
  if (model.attention === 'mla') {
    // The latent is replicated on every rank, not split.
    return ((model.kvLoraRank ?? 512) + (model.qkRopeHeadDim ?? 64)) * kvBytes;
  }
  const headsPerRank = Math.max(1, Math.floor(model.kvHeads / tensorParallelSize));
  return 2 * headsPerRank * model.headDim * kvBytes;
}

/**
 * MLA block size per attention backend (`vllm/platforms/cuda.py` backend choice, `vllm/v1/attention/backends/mla/*`):
 * FlashMLA on Hopper needs 64-token blocks, CUTLASS MLA on Blackwell (compute capability 10.x) 128, and the Triton
 * MLA backend that Ampere and Ada get takes the default 16. An explicit blockSize wins where the backend accepts it.
 */
export function mlaBlockSize(computeCapability: number | undefined, requested: number | undefined): number {
  if (computeCapability !== undefined && computeCapability >= 10 && computeCapability < 12) return 128;
  if (computeCapability !== undefined && computeCapability < 9) return requested ?? 16;
  return 64;
}

/** The KV layout of a model for one rank, following the vLLM version's grouping rules. */
export function kvLayout(args: {
  readonly model: ModelArchitecture;
  /** Layers this rank holds (all layers, or one pipeline stage's share). */
  readonly layers: number;
  readonly tensorParallelSize: number;
  readonly kvCacheDtype: 'auto' | 'fp8';
  readonly blockSize: number;
  readonly maxModelLen: number;
  readonly maxNumBatchedTokens: number;
  /** Whether the version has the hybrid KV cache manager (0.10.0 on). */
  readonly hybrid: boolean;
  /** Extra full-attention layers on this rank: a speculative draft model's or an EAGLE/MTP head's KV. */
  readonly extraFullLayers?: number;
  /** Bytes per token per layer of the extra layers (a draft model's own geometry). */
  readonly extraBytesPerTokenPerLayer?: number;
}): KvLayout {
  const { model, layers, blockSize, maxModelLen } = args;
  const perLayer = kvBytesPerTokenPerLayer(model, args.tensorParallelSize, args.kvCacheDtype);
  const window = model.slidingWindow;
  const slidingShare = window !== undefined && window > 0 ? Math.min(model.layers, model.slidingWindowLayers ?? model.layers) / model.layers : 0;
  let sliding = args.hybrid && window !== undefined && window < maxModelLen ? Math.round(layers * slidingShare) : 0;
  let full = layers - sliding;
  const extra = args.extraFullLayers ?? 0;
  const extraPerLayer = args.extraBytesPerTokenPerLayer ?? perLayer;
  const fullBlocks = cdiv(maxModelLen, blockSize);
  const slidingBlocks = window === undefined ? fullBlocks : Math.min(cdiv(window - 1 + args.maxNumBatchedTokens, blockSize) + 1, fullBlocks);

  if (sliding === 0 || full === 0) {
    // One group holds every layer (a uniform model, or a model whose layers all slide).
    const allSliding = full === 0 && sliding > 0;
    full = allSliding ? 0 : layers;
    sliding = allSliding ? layers : 0;
    const blocks = allSliding ? slidingBlocks : fullBlocks;
    const bytesPerBlock = blockSize * (perLayer * layers + extraPerLayer * extra);
    return {
      bytesPerTokenPerLayer: perLayer, fullLayers: full, slidingLayers: sliding, groupSize: layers, fullGroups: allSliding ? 0 : 1, slidingGroups: allSliding ? 1 : 0,
      blockSize, bytesPerBlock, blocksPerRequest: blocks, bytesPerRequest: blocks * bytesPerBlock,
      bytesPerToken: perLayer * layers + extraPerLayer * extra, slidingWindow: allSliding ? window : undefined,
      contextBytesPerBlock: allSliding ? 0 : bytesPerBlock, fixedBytesPerRequest: allSliding ? blocks * bytesPerBlock : 0,
    };
  }

  const fullCount = full + extra;
  const min = Math.min(fullCount, sliding);
  const max = Math.max(fullCount, sliding);
  const groupSize = max < min * 1.25 ? max : min;
  const fullGroups = cdiv(fullCount, groupSize);
  const slidingGroups = cdiv(sliding, groupSize);
  const bytesPerBlock = blockSize * perLayer * groupSize;
  const blocksPerRequest = fullGroups * fullBlocks + slidingGroups * slidingBlocks;
  const bytesPerRequest = blockSize * (fullBlocks * (perLayer * full + extraPerLayer * extra) + slidingBlocks * perLayer * sliding);
  return {
    bytesPerTokenPerLayer: perLayer, fullLayers: full, slidingLayers: sliding, groupSize, fullGroups, slidingGroups,
    blockSize, bytesPerBlock, blocksPerRequest, bytesPerRequest,
    bytesPerToken: perLayer * layers + extraPerLayer * extra, slidingWindow: window,
    contextBytesPerBlock: blockSize * (perLayer * full + extraPerLayer * extra), fixedBytesPerRequest: blockSize * slidingBlocks * perLayer * sliding,
  };
}
