import { GpuInput, GpuSpec, resolveGpu } from '../catalog/gpus';
import { ModelArchitecture, ModelSpec, Quantization, resolveModel } from '../catalog/models';
import { DEFAULT_VLLM_VERSION, parseVllmVersion, versionAtLeast, VersionTuple, VLLM_MILESTONES } from './version';

const GIB = 2 ** 30;

/** What the estimator needs: the same knobs `vllm serve` takes, plus the GPU. */
export interface VllmMemoryInput {
  /** A catalog model id or Hugging Face id, or an architecture. */
  readonly model: string | ModelArchitecture;
  /** A catalog GPU id or `{ memoryGiB }` (the memory the driver reports, or a MIG slice's memory). */
  readonly gpu: GpuInput;
  /** @default 1 */
  readonly tensorParallelSize?: number;
  /** @default 0.9 - vLLM's own default */
  readonly gpuMemoryUtilization?: number;
  /** @default - the model's maxPositionEmbeddings, as vLLM does */
  readonly maxModelLen?: number;
  /** @default 256 - vLLM's default */
  readonly maxNumSeqs?: number;
  /**
   * Tokens in one forward pass; sizes the activation peak that vLLM profiles.
   * @default - vLLM's default for the version: V1 8192 on GPUs of 70 GiB or more (from 0.9) else 2048;
   * V0 max(maxModelLen, 2048), or the chunked-prefill budget (512 before 0.7, 2048 after) above 32K context
   */
  readonly maxNumBatchedTokens?: number;
  /** @default 'auto' - the model dtype */
  readonly kvCacheDtype?: 'auto' | 'fp8';
  /** @default 16 - vLLM's CUDA default (64 is forced for MLA models) */
  readonly blockSize?: number;
  /** @default - the catalog entry's quantization, else 'none' */
  readonly quantization?: Quantization;
  /** @default DEFAULT_VLLM_VERSION */
  readonly vllmVersion?: string;
  /** `--enforce-eager`: no CUDA graphs, so no graph memory. @default false */
  readonly enforceEager?: boolean;
  /** Override the activation peak (GiB per GPU). @default - batched tokens x FFN-and-hidden width x 2 bytes, plus sampler warm-up */
  readonly activationPeakGiB?: number;
  /** Override non-torch memory (CUDA context, NCCL, cuBLAS workspaces). @default 0.35 at TP=1, 0.55 with TP>1 (observed ranges in FACTS) */
  readonly nonTorchGiB?: number;
  /** Override the CUDA graph memory. @default 0.5 from vLLM 0.21 (when vLLM starts counting it), else 0; 0 with enforceEager */
  readonly cudaGraphGiB?: number;
}

export interface VllmMemoryEstimate {
  readonly weightsGiBPerGpu: number;
  readonly kvBytesPerTokenPerGpu: number;
  /** GPU memory left for the KV cache on each rank (negative when nothing is left). */
  readonly availableKvGiB: number;
  readonly gpuBlocks: number;
  readonly kvCacheTokens: number;
  /** How many requests of full `maxModelLen` fit in the KV cache at once. */
  readonly maxConcurrency: number;
  /** Whether vLLM would start: KV memory is positive and holds one `maxModelLen` request. */
  readonly fits: boolean;
  /** Sentences with numbers and fixes; empty when it fits. */
  readonly problems: readonly string[];
  /** The terms behind the numbers. */
  readonly breakdown: {
    readonly deviceMemoryGiB: number;
    readonly budgetGiB: number;
    readonly activationPeakGiB: number;
    readonly nonTorchGiB: number;
    readonly cudaGraphGiB: number;
    readonly maxModelLen: number;
    readonly maxNumBatchedTokens: number;
    readonly blockSize: number;
    readonly tensorParallelSize: number;
    readonly gpuMemoryUtilization: number;
    readonly engine: 'v0' | 'v1';
  };
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Bytes per weight of linear layers and of embeddings for each quantization. */
const QUANT_BYTES: Record<Quantization, number | undefined> = { none: undefined, awq: 0.52, gptq: 0.52, fp8: 1, int8: 1 };

/** Total weights in GiB: linear layers at the quantized width, embeddings at 16 bits. */
export function weightsGiB(model: ModelArchitecture, quantization: Quantization = 'none'): number {
  if (model.weightsGiB !== undefined) return model.weightsGiB;
  const dtype = model.dtypeBytes ?? 2;
  const linearBytes = QUANT_BYTES[quantization] ?? dtype;
  if (linearBytes === dtype) return (model.parameters * dtype) / GIB;
  const embeddings = model.hiddenSize && model.vocabSize ? model.vocabSize * model.hiddenSize * (model.tieWordEmbeddings ? 1 : 2) : 0;
  return ((model.parameters - embeddings) * linearBytes + embeddings * Math.max(dtype, 2)) / GIB;
}

/** KV cache bytes one token takes on one tensor-parallel rank (vLLM's `page_size_bytes / block_size`). */
export function kvBytesPerToken(model: ModelArchitecture, tensorParallelSize = 1, kvCacheDtype: 'auto' | 'fp8' = 'auto'): number {
  const kvBytes = kvCacheDtype === 'fp8' ? 1 : Math.max(model.dtypeBytes ?? 2, 2);
  if (model.attention === 'mla') {
    // The latent is replicated on every rank, not split.
    return model.layers * ((model.kvLoraRank ?? 512) + (model.qkRopeHeadDim ?? 64)) * kvBytes;
  }
  const headsPerRank = Math.max(1, Math.floor(model.kvHeads / tensorParallelSize));
  return model.layers * 2 * headsPerRank * model.headDim * kvBytes;
}

function resolveArchitecture(model: string | ModelArchitecture): ModelArchitecture & Partial<Pick<ModelSpec, 'quantization'>> {
  return typeof model === 'string' ? resolveModel(model) : model;
}

/** The hidden size, from the architecture or estimated from parameters (params ~ 12 x layers x hidden^2). */
function hiddenOf(model: ModelArchitecture): number {
  return model.hiddenSize ?? Math.sqrt(model.parameters / (12 * model.layers));
}

/**
 * Predicts what vLLM does at startup: weights, the profiled overheads, the KV cache it allocates, and whether it
 * refuses to start. Follows vLLM's own accounting: `device memory x utilization - (weights + activation peak +
 * non-torch + CUDA graphs)`, blocks of `blockSize` tokens, the minimum over tensor-parallel ranks (all equal here).
 */
export function estimateVllmMemory(input: VllmMemoryInput): VllmMemoryEstimate {
  const model = resolveArchitecture(input.model);
  const gpu: GpuSpec = resolveGpu(input.gpu);
  const version: VersionTuple = parseVllmVersion(input.vllmVersion ?? DEFAULT_VLLM_VERSION) ?? parseVllmVersion(DEFAULT_VLLM_VERSION)!;
  const tp = input.tensorParallelSize ?? 1;
  const util = input.gpuMemoryUtilization ?? 0.9;
  const maxNumSeqs = input.maxNumSeqs ?? 256;
  const quantization = input.quantization ?? model.quantization ?? 'none';
  const maxModelLen = input.maxModelLen ?? model.maxPositionEmbeddings;
  if (maxModelLen === undefined) {
    throw new Error(`'maxModelLen' is required when the model has no maxPositionEmbeddings (got nothing). Fix: set maxModelLen to the longest context your application sends.`);
  }
  const mla = model.attention === 'mla';
  const blockSize = mla ? 64 : input.blockSize ?? 16;
  const engine: 'v0' | 'v1' = versionAtLeast(version, VLLM_MILESTONES.v1Default) ? 'v1' : 'v0';

  let batched = input.maxNumBatchedTokens;
  if (batched === undefined) {
    if (engine === 'v1') {
      batched = versionAtLeast(version, VLLM_MILESTONES.bigGpuBatch8192) && gpu.memoryGiB >= 70 ? 8192 : 2048;
    } else if (maxModelLen > 32768) {
      batched = versionAtLeast(version, VLLM_MILESTONES.v0ChunkBudget2048) ? 2048 : 512;
    } else {
      batched = Math.max(maxModelLen, 2048);
    }
  }

  const weightsPerGpu = weightsGiB(model, quantization) / tp;
  const hidden = hiddenOf(model);
  const inter = model.intermediateSize ?? 3.5 * hidden;
  const vocab = model.vocabSize ?? 128256;
  // Activation peak: the profiling forward pass holds roughly 3 hidden-wide and 3 FFN-wide (split by TP) bf16
  // tensors per token; the sampler warm-up materializes fp32 logits for max_num_seqs rows.
  const activation =
    input.activationPeakGiB ?? (batched * (3 * hidden + (3 * inter) / tp) * 2 + maxNumSeqs * vocab * 4) / GIB;
  const nonTorch = input.nonTorchGiB ?? (tp > 1 ? 0.55 : 0.35);
  const graphsCounted = versionAtLeast(version, VLLM_MILESTONES.cudaGraphProfiling) && !input.enforceEager;
  const cudaGraph = input.enforceEager ? 0 : input.cudaGraphGiB ?? (graphsCounted ? 0.5 : 0);

  const budget = gpu.memoryGiB * util;
  const available = budget - weightsPerGpu - activation - nonTorch - cudaGraph;
  const perToken = kvBytesPerToken(model, tp, input.kvCacheDtype ?? 'auto');
  const blocks = available > 0 ? Math.floor((available * GIB) / (perToken * blockSize)) : 0;
  const tokens = blocks * blockSize;
  const blocksPerRequest = Math.ceil(maxModelLen / blockSize);
  const maxConcurrency = blocks / blocksPerRequest;

  const problems: string[] = [];
  const where = `${gpu.id} (${round(gpu.memoryGiB, 1)} GiB) at gpuMemoryUtilization ${util}`;
  if (model.maxPositionEmbeddings !== undefined && maxModelLen > model.maxPositionEmbeddings) {
    problems.push(`maxModelLen ${maxModelLen} is above the model's maximum context of ${model.maxPositionEmbeddings} tokens; vLLM refuses it. Lower maxModelLen to at most ${model.maxPositionEmbeddings}.`);
  }
  if (available <= 0) {
    problems.push(
      `The weights (${round(weightsPerGpu)} GiB per GPU at tensorParallelSize ${tp}) plus overheads (${round(activation + nonTorch + cudaGraph)} GiB) ` +
        `exceed the ${round(budget)} GiB vLLM may use on ${where}, leaving no memory for the KV cache. ` +
        `Raise tensorParallelSize, quantize the weights (awq, fp8), or use a larger GPU.`,
    );
  } else if (tokens < maxModelLen) {
    const fitLen = Math.floor(tokens / blockSize) * blockSize;
    problems.push(
      `The KV cache holds ${tokens} tokens (${round(available)} GiB per GPU on ${where}), fewer than one maxModelLen request of ${maxModelLen}. ` +
        `Lower maxModelLen to at most ${fitLen}, use kvCacheDtype 'fp8', raise tensorParallelSize, quantize, or use a larger GPU.`,
    );
  }

  return {
    weightsGiBPerGpu: round(weightsPerGpu, 3),
    kvBytesPerTokenPerGpu: perToken,
    availableKvGiB: round(available, 3),
    gpuBlocks: blocks,
    kvCacheTokens: tokens,
    maxConcurrency: round(maxConcurrency, 2),
    fits: problems.length === 0,
    problems,
    breakdown: {
      deviceMemoryGiB: gpu.memoryGiB,
      budgetGiB: round(budget, 3),
      activationPeakGiB: round(activation, 3),
      nonTorchGiB: nonTorch,
      cudaGraphGiB: cudaGraph,
      maxModelLen,
      maxNumBatchedTokens: batched,
      blockSize,
      tensorParallelSize: tp,
      gpuMemoryUtilization: util,
      engine,
    },
  };
}
