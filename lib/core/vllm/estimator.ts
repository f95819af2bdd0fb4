import { GpuInput, GpuSpec, resolveGpu } from '../catalog/gpus';
import { ModelArchitecture, ModelSpec, Quantization, QUANTIZATIONS, resolveModel } from '../catalog/models';
import { GpuplaneValidationError, ProblemCollector } from '../errors';
import { problemsOf } from '../options/schema';
import { VLLM_MEMORY_INPUT } from './estimator-schema';
import { kvBytesPerTokenPerLayer, KvLayout, kvLayout, mlaBlockSize } from './memory-kv';
import {
  activationTerms, CUDA_GRAPH_DEFAULT_GIB, encoderProfileGiB, hiddenOf, loraGiB, nonTorchGiB, parametersOf, schedulerDefaults, weightsGiB,
} from './memory-terms';
import { DEFAULT_VLLM_VERSION, parseVllmVersion, versionAtLeast, VersionTuple, VLLM_MILESTONES } from './version';

export { weightsGiB } from './memory-terms';

const GIB = 2 ** 30;

/** Speculative decoding (`--speculative-config`). */
export interface SpeculativeDecodingInput {
  /**
   * `ngram` / `suffix` need no GPU memory; `eagle`, `eagle3` and `mtp` add one draft decoder layer (its weights and
   * its own KV layer); `draft_model` adds a whole draft model.
   */
  readonly method: 'ngram' | 'suffix' | 'eagle' | 'eagle3' | 'mtp' | 'draft_model';
  /** `num_speculative_tokens`. @default 3 - a common setting; sizes the rejection sampler's warm-up */
  readonly numSpeculativeTokens?: number;
  /** The draft model for `draft_model` (catalog id or architecture). @default - none; required with `draft_model` */
  readonly draftModel?: string | ModelArchitecture;
}

/** LoRA serving (`--enable-lora`). */
export interface LoraInput {
  /** `--max-loras`. @default 1 - vLLM's default */
  readonly maxLoras?: number;
  /** `--max-lora-rank`. @default 16 - vLLM's default */
  readonly maxLoraRank?: number;
}

/** What the estimator needs: the same knobs `vllm serve` takes, plus the GPU. */
export interface VllmMemoryInput {
  /** A catalog model id or Hugging Face id, or an architecture. */
  readonly model: string | ModelArchitecture;
  /** A catalog GPU id or `{ memoryGiB }` (the memory the driver reports, or a MIG slice's memory). */
  readonly gpu: GpuInput;
  /** @default 1 - one GPU, vLLM's default */
  readonly tensorParallelSize?: number;
  /** `--pipeline-parallel-size`; each stage holds its share of the layers. @default 1 - vLLM's default, no pipeline */
  readonly pipelineParallelSize?: number;
  /** Nodes the replica spans (multi-node TP/PP through Ray or `--nnodes`); sizes non-torch memory. @default 1 - one node */
  readonly nodes?: number;
  /** @default 0.9 - vLLM's own default */
  readonly gpuMemoryUtilization?: number;
  /** @default - the model's maxPositionEmbeddings, as vLLM does */
  readonly maxModelLen?: number;
  /**
   * `--max-num-seqs`; also the rows of the sampler warm-up.
   * @default - vLLM's default for the version and GPU: 1024 on GPUs of 70 GiB or more that are not A100s (from 0.9),
   * else 256
   */
  readonly maxNumSeqs?: number;
  /**
   * Tokens in one forward pass; sizes the activation peak that vLLM profiles.
   * @default - vLLM's API-server default for the version: V1 8192 on GPUs of 70 GiB or more that are not A100s (from
   * 0.9; 16384 on 160 GiB and more from 0.28) else 2048; V0 max(maxModelLen, 2048), or the chunked-prefill budget
   * (512 before 0.7, 2048 after) above 32K context
   */
  readonly maxNumBatchedTokens?: number;
  /** @default 'auto' - the model dtype */
  readonly kvCacheDtype?: 'auto' | 'fp8';
  /** @default 16 - vLLM's CUDA default; MLA models get their attention backend's block size (64 Hopper, 128 Blackwell) */
  readonly blockSize?: number;
  /** @default - the catalog entry's quantization, else 'none' */
  readonly quantization?: Quantization;
  /** @default DEFAULT_VLLM_VERSION - the release gpuplane renders */
  readonly vllmVersion?: string;
  /** `--enforce-eager`: no CUDA graphs, so no graph memory. @default false - vLLM captures graphs by default */
  readonly enforceEager?: boolean;
  /**
   * Whether vLLM samples top-k/top-p with FlashInfer (its log says "Using FlashInfer for top-p & top-k sampling."):
   * the profiling sampler then holds 10 bytes per logit instead of the PyTorch-native sort path's 38.
   * @default false - the PyTorch-native path: what the vllm/vllm-openai:v0.11.0 image profiled on H100s (7.4 GiB for
   * gpt-oss, llm-d's measurements), and the larger (safer) figure for a fit check
   */
  readonly flashInferSampler?: boolean;
  /** Override the activation peak (GiB per GPU). @default - the larger of the forward pass, the sampler warm-up and the encoder profiling */
  readonly activationPeakGiB?: number;
  /** Override non-torch memory (CUDA context, NCCL, cuBLAS workspaces). @default - logged ranges: V1 from 0.12 0.25 GiB at TP=1 and 2.1 at TP>1; V1 before 0.12 0.1 / 0.3 (TP>1 or across nodes); V0 0.35 / 0.55 */
  readonly nonTorchGiB?: number;
  /** Override the CUDA graph memory. @default 0.35 from vLLM 0.21 (when vLLM starts counting it), else 0; 0 with enforceEager */
  readonly cudaGraphGiB?: number;
  /** Override the multimodal encoder profiling peak (GiB per GPU). @default - the model's encoderProfileGiB, else estimated for multimodal models, 0 for text models */
  readonly encoderProfileGiB?: number;
  /** Speculative decoding. @default - none */
  readonly speculativeDecoding?: SpeculativeDecodingInput;
  /** LoRA adapters. @default - none (no `--enable-lora`) */
  readonly lora?: LoraInput;
  /** `--cpu-offload-gb`: GiB of weights per GPU kept in host memory. @default 0 - vLLM's default, no offload */
  readonly cpuOffloadGiB?: number;
  /** `--kv-offloading-size`: GiB of host memory for offloaded KV blocks, over all ranks (no GPU memory). @default 0 - no KV offload */
  readonly kvOffloadingGiB?: number;
}

/** What estimateVllmMemory found: per-GPU weights, activations, KV cache and how many full-length requests fit. */
export interface VllmMemoryEstimate {
  readonly weightsGiBPerGpu: number;
  /** KV cache bytes one token of context takes on one rank, over all layers (sliding-window layers included). */
  readonly kvBytesPerTokenPerGpu: number;
  /** GPU memory left for the KV cache on each rank (negative when nothing is left). */
  readonly availableKvGiB: number;
  readonly gpuBlocks: number;
  /** Tokens the KV cache holds, as vLLM logs "GPU KV cache size" (blocks per group x block size). */
  readonly kvCacheTokens: number;
  /** How many whole requests of full `maxModelLen` fit in the KV cache at once. */
  readonly maxConcurrency: number;
  /** vLLM's own "Maximum concurrency for N tokens per request: X" figure (fractional). */
  readonly maxConcurrencyExact: number;
  /** Whether vLLM would start: KV memory is positive and holds one `maxModelLen` request. */
  readonly fits: boolean;
  /** Sentences with numbers and fixes; empty when it fits. */
  readonly problems: readonly string[];
  /** Risks that do not stop vLLM from starting (e.g. CUDA graphs that may not fit the headroom). */
  readonly warnings: readonly string[];
  /** Host memory the offloads need (cpuOffloadGiB x GPUs + kvOffloadingGiB). */
  readonly hostMemoryGiB: number;
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
    /** Whether vLLM runs this model on Model Runner V2 (dense models from 0.25.0). */
    readonly modelRunnerV2: boolean;
    readonly maxNumSeqs: number;
    readonly forwardActivationGiB: number;
    readonly samplerWarmupGiB: number;
    readonly encoderProfileGiB: number;
    readonly loraGiB: number;
    readonly draftWeightsGiB: number;
    /** Which overhead is the largest: what to shrink first. */
    readonly largestOverhead: 'weights' | 'sampler warm-up' | 'forward activations' | 'encoder profiling' | 'non-torch memory' | 'CUDA graphs';
    /** KV GiB one maxModelLen request needs on each rank. */
    readonly kvGiBPerRequest: number;
    readonly fullAttentionLayers: number;
    readonly slidingWindowLayers: number;
    readonly kvCacheGroups: number;
    readonly blocksPerRequest: number;
  };
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** KV cache bytes one token takes on one tensor-parallel rank over all layers (vLLM's `page_size_bytes / block_size` summed). */
export function kvBytesPerToken(model: ModelArchitecture, tensorParallelSize = 1, kvCacheDtype: 'auto' | 'fp8' = 'auto'): number {
  return model.layers * kvBytesPerTokenPerLayer(model, tensorParallelSize, kvCacheDtype);
}

function resolveArchitecture(model: string | ModelArchitecture): ModelArchitecture & Partial<Pick<ModelSpec, 'quantization' | 'id'>> {
  return typeof model === 'string' ? resolveModel(model) : model;
}

const positiveInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v > 0;
const finiteNonNegative = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Checks the input's shape; every problem names its field. */
/**
 * Unknown keys and values of the wrong kind, with the option schema every entry point uses; the numeric rules that
 * depend on the model and the GPU follow in validate().
 */
function rejectUnknownInputs(input: VllmMemoryInput): void {
  // Numbers (NaN included) and their ranges are validate()'s, with the model's numbers in the message.
  const problems = problemsOf(VLLM_MEMORY_INPUT, input).filter((p) => p.kind !== undefined && !(p.kind === 'type' && typeof p.value === 'number'));
  if (problems.length > 0) throw new GpuplaneValidationError('vLLM memory estimate', problems);
}

function validate(input: VllmMemoryInput, model: ModelArchitecture, quantization: Quantization): void {
  const p = new ProblemCollector();
  for (const key of ['layers', 'kvHeads'] as const) {
    p.check(positiveInt(model[key]), { field: `model.${key}`, message: 'must be a positive integer', value: model[key], fix: "take it from the model's config.json (architectureFromHuggingFaceConfig does)" });
  }
  p.check(typeof model.headDim === 'number' && Number.isFinite(model.headDim) && model.headDim > 0, { field: 'model.headDim', message: 'must be a positive number', value: model.headDim, fix: "take head_dim from config.json, else hidden_size / num_attention_heads" });
  const params = parametersOf(model, quantization);
  p.check(params !== undefined, {
    field: 'model.parameters', message: 'must be a positive number of parameters, or model.weightsGiB must be given', value: model.parameters,
    fix: 'pass the parameter count (all experts for MoE models) or the checkpoint size as weightsGiB',
  });
  if (model.weightsGiB !== undefined) p.check(typeof model.weightsGiB === 'number' && Number.isFinite(model.weightsGiB) && model.weightsGiB > 0, { field: 'model.weightsGiB', message: 'must be a positive number of GiB', value: model.weightsGiB, fix: 'use the size vLLM logs as "Model loading took X GiB", times the tensor-parallel size' });
  if (model.attention === 'mla') p.check(positiveInt(model.kvLoraRank), { field: 'model.kvLoraRank', message: "must be a positive integer with attention 'mla'", value: model.kvLoraRank, fix: 'take kv_lora_rank from config.json (512 for DeepSeek V2/V3)' });
  if (model.slidingWindow !== undefined) p.check(positiveInt(model.slidingWindow), { field: 'model.slidingWindow', message: 'must be a positive integer number of tokens', value: model.slidingWindow, fix: 'take sliding_window from config.json' });
  for (const key of ['tensorParallelSize', 'pipelineParallelSize', 'nodes', 'maxModelLen', 'maxNumSeqs', 'maxNumBatchedTokens', 'blockSize'] as const) {
    if (input[key] !== undefined) p.check(positiveInt(input[key]), { field: key, message: 'must be a positive integer', value: input[key], fix: `omit ${key} for vLLM's default` });
  }
  const util = input.gpuMemoryUtilization;
  if (util !== undefined) p.check(typeof util === 'number' && util > 0 && util <= 1, { field: 'gpuMemoryUtilization', message: 'must be a fraction in (0, 1]', value: util, allowed: '0 < value <= 1', fix: 'use 0.9, vLLM\'s default' });
  for (const key of ['activationPeakGiB', 'nonTorchGiB', 'cudaGraphGiB', 'encoderProfileGiB', 'cpuOffloadGiB', 'kvOffloadingGiB'] as const) {
    if (input[key] !== undefined) p.check(finiteNonNegative(input[key]), { field: key, message: 'must be a non-negative number of GiB', value: input[key], fix: `omit ${key} for the estimate` });
  }
  p.check(QUANTIZATIONS.includes(quantization), { field: 'quantization', message: 'is not a quantization gpuplane can size', value: quantization, allowed: QUANTIZATIONS.join(', '), fix: 'pick one of them' });
  if (input.maxModelLen === undefined) {
    p.check(model.maxPositionEmbeddings !== undefined, { field: 'maxModelLen', message: 'is required when the model has no maxPositionEmbeddings', value: undefined, fix: 'set maxModelLen to the longest context your application sends' });
  }
  const spec = input.speculativeDecoding;
  if (spec !== undefined) {
    p.check(spec.method !== 'draft_model' || spec.draftModel !== undefined, { field: 'speculativeDecoding.draftModel', message: "is required with method 'draft_model'", value: undefined, fix: 'name the draft model (catalog id or architecture)' });
    if (spec.numSpeculativeTokens !== undefined) p.check(positiveInt(spec.numSpeculativeTokens), { field: 'speculativeDecoding.numSpeculativeTokens', message: 'must be a positive integer', value: spec.numSpeculativeTokens, fix: 'use 3' });
  }
  if (input.lora !== undefined) {
    for (const key of ['maxLoras', 'maxLoraRank'] as const) {
      if (input.lora[key] !== undefined) p.check(positiveInt(input.lora[key]), { field: `lora.${key}`, message: 'must be a positive integer', value: input.lora[key], fix: `omit it for vLLM's default` });
    }
  }
  p.throwIfAny('vLLM memory estimate');
}

/** The draft model's share of weights and KV, per GPU. */
function draftTerms(input: VllmMemoryInput, model: ModelArchitecture, params: number, tp: number, kvCacheDtype: 'auto' | 'fp8'): { weightsGiB: number; layers: number; bytesPerLayer: number; tokens: number } {
  const spec = input.speculativeDecoding;
  if (spec === undefined || spec.method === 'ngram' || spec.method === 'suffix') return { weightsGiB: 0, layers: 0, bytesPerLayer: 0, tokens: 0 };
  const k = spec.numSpeculativeTokens ?? 3;
  if (spec.method === 'draft_model') {
    const draft = resolveArchitecture(spec.draftModel!);
    const draftQuant = (draft as { quantization?: Quantization }).quantization ?? 'none';
    return { weightsGiB: weightsGiB(draft, draftQuant) / tp, layers: draft.layers, bytesPerLayer: kvBytesPerTokenPerLayer(draft, tp, kvCacheDtype), tokens: k };
  }
  // EAGLE / EAGLE-3 / MTP: one decoder layer of the target's width plus the fc that fuses hidden states
  // (vllm/model_executor/models/llama_eagle*.py, deepseek_mtp.py); EAGLE-3 heads add a 32K-token draft LM head.
  const hidden = hiddenOf(model, params);
  const embeddings = model.vocabSize ? model.vocabSize * hidden * (model.tieWordEmbeddings ? 1 : 2) : 0;
  const layer = Math.max(0, params - embeddings) / model.layers;
  const extra = 2 * hidden * hidden + (spec.method === 'eagle3' ? 32000 * hidden : 0);
  return { weightsGiB: ((layer + extra) * Math.max(model.dtypeBytes ?? 2, 2)) / tp / GIB, layers: 1, bytesPerLayer: kvBytesPerTokenPerLayer(model, tp, kvCacheDtype), tokens: k };
}

/**
 * Predicts what vLLM does at startup: weights, the profiled overheads, the KV cache it allocates, and whether it
 * refuses to start. Follows vLLM's own accounting per version line (see memory-terms.ts and memory-kv.ts for every
 * term and the vLLM file it follows): `device memory x utilization - (weights + activation peak + non-torch +
 * CUDA graphs from 0.21)`, a shared pool of blocks over the KV cache groups, the minimum over tensor-parallel ranks
 * (all equal here). Throws a GpuplaneValidationError naming the field when the input is malformed.
 */
export function estimateVllmMemory(input: VllmMemoryInput): VllmMemoryEstimate {
  rejectUnknownInputs(input);
  const model = resolveArchitecture(input.model);
  const gpu: GpuSpec = resolveGpu(input.gpu);
  const quantization = input.quantization ?? model.quantization ?? 'none';
  validate(input, model, quantization);
  const version: VersionTuple = parseVllmVersion(input.vllmVersion ?? DEFAULT_VLLM_VERSION) ?? parseVllmVersion(DEFAULT_VLLM_VERSION)!;
  const tp = input.tensorParallelSize ?? 1;
  const pp = input.pipelineParallelSize ?? 1;
  const nodes = input.nodes ?? 1;
  const util = input.gpuMemoryUtilization ?? 0.9;
  const maxModelLen = input.maxModelLen ?? model.maxPositionEmbeddings!;
  const engine: 'v0' | 'v1' = versionAtLeast(version, VLLM_MILESTONES.v1Default) ? 'v1' : 'v0';
  const defaults = schedulerDefaults(version, gpu, maxModelLen);
  const maxNumSeqs = input.maxNumSeqs ?? defaults.maxNumSeqs;
  const batched = input.maxNumBatchedTokens ?? defaults.maxNumBatchedTokens;
  const mla = model.attention === 'mla';
  const blockSize = mla ? mlaBlockSize(gpu.computeCapability, input.blockSize) : input.blockSize ?? 16;
  const kvCacheDtype = input.kvCacheDtype ?? 'auto';
  const params = parametersOf(model, quantization)!;

  // Weights per GPU (`gpu_model_runner.py` "Model loading took"): split over TP and PP ranks, minus CPU offload,
  // plus LoRA slots and the speculative draft.
  const draft = draftTerms(input, model, params, tp, kvCacheDtype);
  const lora = input.lora ? loraGiB(model, params, input.lora.maxLoras ?? 1, input.lora.maxLoraRank ?? 16, tp) : 0;
  const cpuOffload = input.cpuOffloadGiB ?? 0;
  const baseWeights = weightsGiB(model, quantization) / (tp * pp);
  const weightsPerGpu = Math.max(0, baseWeights - cpuOffload) + lora + draft.weightsGiB;

  // Model Runner V2 runs dense models from 0.25.0 (MoE and hybrid Mamba-style models stay on the V1 runner).
  const modelRunnerV2 = engine === 'v1' && versionAtLeast(version, VLLM_MILESTONES.modelRunnerV2Dense) && !model.moe;
  const encoder = input.encoderProfileGiB ?? (engine === 'v1' ? encoderProfileGiB(model, params, batched) : model.encoderProfileGiB ?? 0);
  const lean = engine === 'v1' && versionAtLeast(version, VLLM_MILESTONES.leanSamplerAndCommBuffers);
  const act = activationTerms({ model, parameters: params, engine, tensorParallelSize: tp, maxNumBatchedTokens: batched, maxNumSeqs, speculativeTokens: draft.tokens, encoderGiB: encoder, modelRunnerV2, flashInferSampler: input.flashInferSampler, leanSampler: lean });
  const activation = input.activationPeakGiB ?? act.peakGiB;
  const nonTorch = input.nonTorchGiB ?? nonTorchGiB(engine, tp, nodes, lean);
  // Graph memory is budgeted from 0.21.0, except on Model Runner V2, whose estimate is 0 (vllm-project/vllm#49224).
  const graphsCounted = versionAtLeast(version, VLLM_MILESTONES.cudaGraphProfiling) && !input.enforceEager && !modelRunnerV2;
  const cudaGraph = input.enforceEager ? 0 : input.cudaGraphGiB ?? (graphsCounted ? CUDA_GRAPH_DEFAULT_GIB : 0);

  const budget = gpu.memoryGiB * util;
  const available = budget - weightsPerGpu - activation - nonTorch - (graphsCounted ? cudaGraph : 0);
  const layersPerRank = Math.ceil(model.layers / pp);
  const layout: KvLayout = kvLayout({
    model, layers: layersPerRank, tensorParallelSize: tp, kvCacheDtype, blockSize, maxModelLen, maxNumBatchedTokens: batched,
    hybrid: engine === 'v1' && versionAtLeast(version, VLLM_MILESTONES.hybridKvCache),
    extraFullLayers: draft.layers, extraBytesPerTokenPerLayer: draft.bytesPerLayer || undefined,
  });
  const blocks = available > 0 ? Math.floor((available * GIB) / layout.bytesPerBlock) : 0;
  const groups = layout.fullGroups + layout.slidingGroups;
  const tokens = Math.floor(blocks / Math.max(1, groups)) * blockSize;
  const concurrencyExact = blocks / layout.blocksPerRequest;
  const wholeRequests = Math.floor(concurrencyExact + 1e-9);
  const kvPerRequestGiB = layout.bytesPerRequest / GIB;

  const overheads: Array<[VllmMemoryEstimate['breakdown']['largestOverhead'], number]> = [
    ['weights', weightsPerGpu],
    [act.dominant === 'sampler' ? 'sampler warm-up' : act.dominant === 'encoder' ? 'encoder profiling' : 'forward activations', activation],
    ['non-torch memory', nonTorch],
    ['CUDA graphs', graphsCounted ? cudaGraph : 0],
  ];
  const largest = overheads.reduce((a, b) => (b[1] > a[1] ? b : a));
  const largestNonWeight = overheads.slice(1).reduce((a, b) => (b[1] > a[1] ? b : a));

  const problems: string[] = [];
  const warnings: string[] = [];
  const where = `${gpu.id} (${round(gpu.memoryGiB, 1)} GiB) at gpuMemoryUtilization ${util}`;
  const overheadText = `activation peak ${round(activation)} GiB (${largestNonWeight[0] === 'sampler warm-up' ? `sampler warm-up over ${Math.min(maxNumSeqs, batched)} rows of the ${model.vocabSize ?? 128256}-token vocabulary` : largestNonWeight[0]}), non-torch ${round(nonTorch)} GiB${graphsCounted ? `, CUDA graphs ${round(cudaGraph)} GiB` : ''}`;
  const shrink =
    largestNonWeight[0] === 'sampler warm-up' ? `lower maxNumSeqs (the sampler warm-up takes ${round(act.samplerGiB)} GiB at ${maxNumSeqs})`
      : largestNonWeight[0] === 'forward activations' ? `lower maxNumBatchedTokens (${batched} tokens take ${round(act.forwardGiB)} GiB)`
        : largestNonWeight[0] === 'encoder profiling' ? 'limit the images per prompt (--limit-mm-per-prompt) or lower maxNumBatchedTokens'
          : 'quantize the weights';
  if (model.maxPositionEmbeddings !== undefined && maxModelLen > model.maxPositionEmbeddings) {
    problems.push(`maxModelLen ${maxModelLen} is above the model's maximum context of ${model.maxPositionEmbeddings} tokens; vLLM refuses it. Lower maxModelLen to at most ${model.maxPositionEmbeddings}.`);
  }
  const refuseV1 = engine === 'v1' && available > 0 && layout.bytesPerRequest > available * GIB;
  const refuseV0 = engine === 'v0' && available > 0 && blocks * blockSize < maxModelLen;
  if (available <= 0) {
    problems.push(
      `The weights (${round(weightsPerGpu)} GiB per GPU at tensorParallelSize ${tp}) plus overheads (${round(activation + nonTorch + (graphsCounted ? cudaGraph : 0))} GiB: ${overheadText}) ` +
        `exceed the ${round(budget)} GiB vLLM may use on ${where}, leaving no memory for the KV cache (0 whole requests); the term that ran out is the KV cache, ` +
        `squeezed most by the ${largest[0]} (${round(largest[1])} GiB)${largest[0] === 'weights' ? `, then the ${largestNonWeight[0]} (${round(largestNonWeight[1])} GiB)` : ''}. ` +
        `Raise tensorParallelSize, quantize the weights (awq, fp8), or use a larger GPU${largestNonWeight[1] >= 1 ? `; or ${shrink}` : ''}.`,
    );
  } else if (refuseV1 || refuseV0) {
    const fitBlocks = layout.contextBytesPerBlock > 0 ? Math.floor((available * GIB - layout.fixedBytesPerRequest) / layout.contextBytesPerBlock) : 0;
    const fitLen = Math.max(0, fitBlocks) * blockSize;
    problems.push(
      `The KV cache holds ${tokens} tokens (${round(available)} GiB per GPU on ${where}), fewer than one maxModelLen request of ${maxModelLen}. ` +
        `Lower maxModelLen to at most ${engine === 'v0' ? blocks * blockSize : fitLen}, use kvCacheDtype 'fp8', ${shrink}, raise tensorParallelSize, quantize, or use a larger GPU. ` +
        `One request needs ${round(kvPerRequestGiB)} GiB of KV cache, so 0 whole requests fit; the term that ran out is the KV cache, squeezed by ` +
        `${largestNonWeight[0] === 'weights' ? 'the weights' : `the weights (${round(weightsPerGpu)} GiB) and the ${largestNonWeight[0]} (${round(largestNonWeight[1])} GiB)`}.`,
    );
  }
  if (!graphsCounted && !input.enforceEager && engine === 'v1') {
    const headroom = gpu.memoryGiB * (1 - util);
    const graphs = input.cudaGraphGiB ?? CUDA_GRAPH_DEFAULT_GIB;
    if (headroom < graphs + nonTorch) {
      warnings.push(`vLLM ${version.join('.')}${modelRunnerV2 ? ' (Model Runner V2, which does not budget CUDA graphs)' : ''} captures CUDA graphs after the KV cache into the ${round(headroom)} GiB that gpuMemoryUtilization ${util} leaves; graphs take about ${round(graphs)} GiB, so capture may fail with out-of-memory after the fit check passed. Lower gpuMemoryUtilization to at most ${round(1 - (graphs + nonTorch) / gpu.memoryGiB, 3)} or set enforceEager.`);
    }
  }
  if (model.multimodal && model.encoderProfileGiB === undefined && input.encoderProfileGiB === undefined && engine === 'v1') {
    warnings.push(`The encoder profiling of this multimodal model is estimated (${round(encoder)} GiB), not measured; pass encoderProfileGiB from a startup log for a firmer figure.`);
  }

  return {
    weightsGiBPerGpu: round(weightsPerGpu, 3),
    kvBytesPerTokenPerGpu: layout.bytesPerToken,
    availableKvGiB: round(available, 3),
    gpuBlocks: blocks,
    kvCacheTokens: tokens,
    maxConcurrency: wholeRequests,
    maxConcurrencyExact: round(concurrencyExact, 2),
    fits: problems.length === 0,
    problems,
    warnings,
    hostMemoryGiB: round(cpuOffload * tp * pp + (input.kvOffloadingGiB ?? 0), 3),
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
      modelRunnerV2,
      maxNumSeqs,
      forwardActivationGiB: round(act.forwardGiB, 3),
      samplerWarmupGiB: round(act.samplerGiB, 3),
      encoderProfileGiB: round(encoder, 3),
      loraGiB: round(lora, 3),
      draftWeightsGiB: round(draft.weightsGiB, 3),
      largestOverhead: largest[0],
      kvGiBPerRequest: round(kvPerRequestGiB, 3),
      fullAttentionLayers: layout.fullLayers,
      slidingWindowLayers: layout.slidingLayers,
      kvCacheGroups: groups,
      blocksPerRequest: layout.blocksPerRequest,
    },
  };
}
