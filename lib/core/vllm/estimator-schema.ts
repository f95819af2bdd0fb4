import type { ModelArchitecture } from '../catalog/models';
import { alt, bool, isPlainObject, num, obj, oneOf, opt, pathOf, posInt, problemsOf, Schema, str } from '../options/schema';
import { GPU_INPUT, MODEL_ARCHITECTURE, QUANTIZATION } from '../options/shared-schemas';
import type { LoraInput, SpeculativeDecodingInput, VllmMemoryInput } from './estimator';
import { parseVllmVersion } from './version';

/**
 * An architecture for the estimator: the same fields as a custom model's, except that `parameters` may be left out
 * when `weightsGiB` is given (a quantized checkpoint described by its size); the estimator refuses one with neither.
 */
const ARCHITECTURE: Schema<ModelArchitecture> = {
  expected: 'a model architecture',
  check(value, path, out) {
    if (!isPlainObject(value)) return MODEL_ARCHITECTURE.check(value, path, out);
    // A missing parameter count is the estimator's to refuse (weightsGiB may stand in for it).
    // A catalog entry (ModelSpec) is an architecture too: its id, repository and quantization are allowed.
    const { id: _id, huggingFaceId: _hf, quantization: _q, ...architecture } = value; // eslint-disable-line @typescript-eslint/no-unused-vars
    const found = problemsOf(MODEL_ARCHITECTURE, architecture, path).filter((p) => !(p.field === pathOf(path, 'parameters') && p.value === undefined));
    out.push(...found);
    return found.length === 0;
  },
};

const gib = (fix: string) => num({ min: 0, fix });

const SPECULATIVE = obj<SpeculativeDecodingInput>({
  method: oneOf(['ngram', 'suffix', 'eagle', 'eagle3', 'mtp', 'draft_model']),
  numSpeculativeTokens: opt(posInt('e.g. 3')),
  draftModel: opt(alt({ string: str({ minLength: 1 }), object: ARCHITECTURE })),
});

const LORA = obj<LoraInput>({ maxLoras: opt(posInt('use 1')), maxLoraRank: opt(posInt('use 16')) });

/** Every input of estimateVllmMemory. */
export const VLLM_MEMORY_INPUT: Schema<VllmMemoryInput> = obj<VllmMemoryInput>({
  model: alt({ string: str({ minLength: 1, expected: 'a catalog model id' }), object: ARCHITECTURE }),
  gpu: GPU_INPUT,
  tensorParallelSize: opt(posInt('use 1, 2, 4 or 8')),
  pipelineParallelSize: opt(posInt('use 1')),
  nodes: opt(posInt('use 1')),
  gpuMemoryUtilization: opt(num({ gt: 0, max: 1, fix: 'use 0.9, vLLM\'s default' })),
  maxModelLen: opt(num({ fix: "omit maxModelLen for vLLM's default" })),
  maxNumSeqs: opt(num({ fix: "omit maxNumSeqs for vLLM's default" })),
  maxNumBatchedTokens: opt(posInt('e.g. 8192')),
  kvCacheDtype: opt(oneOf(['auto', 'fp8'])),
  blockSize: opt(posInt('use 16')),
  quantization: opt(QUANTIZATION),
  vllmVersion: opt(str({ test: (s) => (parseVllmVersion(s) ? undefined : 'must be a vLLM release number'), fix: 'e.g. "0.26.0"' })),
  enforceEager: opt(bool()),
  flashInferSampler: opt(bool()),
  activationPeakGiB: opt(gib('the activation peak a startup log reports')),
  nonTorchGiB: opt(gib('the non-torch memory a startup log reports')),
  cudaGraphGiB: opt(num({ fix: 'the CUDA graph memory a startup log reports' })),
  encoderProfileGiB: opt(gib('the encoder cache a startup log reports')),
  speculativeDecoding: opt(SPECULATIVE),
  lora: opt(LORA),
  cpuOffloadGiB: opt(gib('use 0')),
  kvOffloadingGiB: opt(gib('use 0')),
});
