import { GPU_IDS } from '../../../lib/core/catalog/gpus';
import { findModel, ModelArchitecture, MODEL_IDS } from '../../../lib/core/catalog/models';
import { GpuplaneValidationError } from '../../../lib/core/errors';
import { estimateVllmMemory, VllmMemoryEstimate, VllmMemoryInput } from '../../../lib/core/vllm/estimator';

/** Every number anywhere in the estimate, with its path. */
function numbers(value: unknown, path = 'estimate'): Array<[string, number]> {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
  return [];
}

function expectSane(e: VllmMemoryEstimate, label: string): void {
  for (const [path, n] of numbers(e)) {
    if (!Number.isFinite(n)) throw new Error(`${label}: ${path} is ${n}`);
  }
  expect(Number.isInteger(e.maxConcurrency)).toBe(true);
  expect(e.maxConcurrency).toBeGreaterThanOrEqual(0);
  expect(e.gpuBlocks).toBeGreaterThanOrEqual(0);
  for (const text of [...e.problems, ...e.warnings]) expect(text).not.toMatch(/NaN|Infinity|undefined/);
  if (!e.fits) expect(e.problems.length).toBeGreaterThan(0);
  if (e.fits) expect(e.maxConcurrency).toBeGreaterThanOrEqual(1);
}

/** Deterministic PRNG (mulberry32), so the property test is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('no NaN or Infinity anywhere in an estimate', () => {
  test.each(MODEL_IDS.map((id) => [id]))('%s on every catalog GPU, TP 1 and 8, two vLLM lines', (id) => {
    for (const gpu of GPU_IDS) {
      for (const tensorParallelSize of [1, 8]) {
        for (const vllmVersion of ['0.10.1', '0.26.0']) {
          const e = estimateVllmMemory({ model: id, gpu, tensorParallelSize, vllmVersion, maxModelLen: Math.min(32768, findModel(id)!.maxPositionEmbeddings ?? 32768) });
          expectSane(e, `${id} on ${gpu} TP${tensorParallelSize} ${vllmVersion}`);
        }
      }
    }
  });

  test('500 random architectures and settings', () => {
    const r = rng(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    for (let i = 0; i < 500; i++) {
      const layers = 1 + Math.floor(r() * 120);
      const kvHeads = pick([1, 2, 4, 8, 16, 32, 64, 128]);
      const headDim = pick([64, 80, 96, 128, 192, 256]);
      const hasParams = r() > 0.2;
      const model: ModelArchitecture = {
        layers, kvHeads, headDim,
        parameters: hasParams ? 1e8 + r() * 7e11 : (undefined as unknown as number),
        weightsGiB: hasParams && r() > 0.5 ? undefined : 0.1 + r() * 800,
        hiddenSize: r() > 0.3 ? pick([1024, 2048, 2880, 4096, 5120, 7168, 8192]) : undefined,
        attentionHeads: r() > 0.5 ? kvHeads * pick([1, 2, 4, 8]) : undefined,
        intermediateSize: r() > 0.5 ? pick([2048, 8192, 14336, 28672]) : undefined,
        vocabSize: r() > 0.3 ? pick([32000, 128256, 151936, 201088, 262208]) : undefined,
        maxPositionEmbeddings: pick([4096, 32768, 131072, 1048576]),
        attention: r() > 0.85 ? 'mla' : 'standard',
        kvLoraRank: 512, qkRopeHeadDim: 64,
        moe: r() > 0.6, expertsPerToken: r() > 0.5 ? pick([1, 2, 4, 8]) : undefined,
        slidingWindow: r() > 0.6 ? pick([128, 512, 1024, 4096, 8192]) : undefined,
        slidingWindowLayers: r() > 0.5 ? Math.floor(r() * layers) : undefined,
        multimodal: r() > 0.8,
      };
      const input: VllmMemoryInput = {
        model,
        gpu: r() > 0.3 ? pick(GPU_IDS) : { memoryGiB: 1 + r() * 200 },
        tensorParallelSize: pick([1, 2, 4, 8]),
        pipelineParallelSize: r() > 0.8 ? 2 : undefined,
        gpuMemoryUtilization: 0.05 + r() * 0.95,
        maxModelLen: 1 + Math.floor(r() * 262144),
        maxNumSeqs: r() > 0.5 ? 1 + Math.floor(r() * 2048) : undefined,
        maxNumBatchedTokens: r() > 0.5 ? 1 + Math.floor(r() * 32768) : undefined,
        kvCacheDtype: r() > 0.5 ? 'fp8' : 'auto',
        quantization: pick(['none', 'awq', 'gptq', 'fp8', 'int8', 'mxfp4', 'nvfp4'] as const),
        vllmVersion: pick(['0.6.4', '0.7.3', '0.8.5', '0.9.2', '0.10.1', '0.11.0', '0.19.0', '0.21.0', '0.26.0', '0.28.0']),
        enforceEager: r() > 0.7,
        speculativeDecoding: r() > 0.8 ? { method: pick(['ngram', 'eagle', 'eagle3', 'mtp'] as const), numSpeculativeTokens: 1 + Math.floor(r() * 7) } : undefined,
        lora: r() > 0.85 ? { maxLoras: 1 + Math.floor(r() * 8), maxLoraRank: pick([8, 16, 64]) } : undefined,
        cpuOffloadGiB: r() > 0.9 ? r() * 50 : undefined,
        kvOffloadingGiB: r() > 0.9 ? r() * 100 : undefined,
      };
      expectSane(estimateVllmMemory(input), `random #${i}`);
    }
  });

  test('a quantized checkpoint described by its weightsGiB alone gets finite numbers (was availableKvGiB NaN)', () => {
    const model = { layers: 32, kvHeads: 8, headDim: 128, weightsGiB: 5.2, maxPositionEmbeddings: 32768 } as unknown as ModelArchitecture;
    const e = estimateVllmMemory({ model, gpu: 'L4', maxModelLen: 8192 });
    expectSane(e, 'weightsGiB only');
    expect(e.fits).toBe(true);
    expect(e.problems.join(' ')).not.toMatch(/at most 0/);
  });

  test('an architecture with neither parameters nor weightsGiB is refused, naming the field', () => {
    const model = { layers: 32, kvHeads: 8, headDim: 128, maxPositionEmbeddings: 32768 } as unknown as ModelArchitecture;
    expect(() => estimateVllmMemory({ model, gpu: 'L4' })).toThrow(GpuplaneValidationError);
    expect(() => estimateVllmMemory({ model, gpu: 'L4' })).toThrow(/'model\.parameters' must be a positive number of parameters, or model\.weightsGiB must be given/);
  });

  test.each([
    [{ tensorParallelSize: 0 }, /'tensorParallelSize' must be a positive integer \(got 0\)/],
    [{ gpuMemoryUtilization: 1.5 }, /'gpuMemoryUtilization' must be a fraction in \(0, 1\] \(got 1\.5; allowed: 0 < value <= 1\)/],
    [{ maxModelLen: Number.NaN }, /'maxModelLen' must be a positive integer \(got NaN\)/],
    [{ maxNumSeqs: 2.5 }, /'maxNumSeqs' must be a positive integer \(got 2\.5\)/],
    [{ cudaGraphGiB: Number.POSITIVE_INFINITY }, /'cudaGraphGiB' must be a non-negative number of GiB/],
    [{ speculativeDecoding: { method: 'draft_model' } }, /'speculativeDecoding\.draftModel' is required with method 'draft_model'/],
  ] as const)('refuses %j with the field named', (extra, message) => {
    expect(() => estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', ...(extra as Partial<VllmMemoryInput>) })).toThrow(message);
  });
});
