import { findModel } from '../../../lib/core/catalog/models';
import { estimateVllmMemory, kvBytesPerToken, weightsGiB } from '../../../lib/core/vllm/estimator';
import { DEFAULT_VLLM_VERSION } from '../../../lib/core/vllm/version';
import { STARTUP_CASES } from './estimator-cases';

describe('kvBytesPerToken', () => {
  test('Llama-3.1-8B in bf16 takes 128 KiB per token (vLLM prints this for a real run)', () => {
    expect(kvBytesPerToken(findModel('llama-3.1-8b')!)).toBe(128 * 1024);
  });

  test.each([
    // [model, tp, dtype, bytes]: layers x 2 x max(1, floor(kvHeads / tp)) x headDim x bytes
    ['llama-3.1-70b', 1, 'auto', 80 * 2 * 8 * 128 * 2],
    ['llama-3.1-70b', 4, 'auto', 80 * 2 * 2 * 128 * 2],
    ['llama-3.1-70b', 8, 'fp8', 80 * 2 * 1 * 128 * 1],
    ['qwen2.5-7b', 8, 'auto', 28 * 2 * 1 * 128 * 2], // 4 KV heads on 8 ranks: each rank keeps a replica of one
  ] as const)('%s at TP=%d, kv dtype %s', (id, tp, dtype, bytes) => {
    expect(kvBytesPerToken(findModel(id)!, tp, dtype)).toBe(bytes);
  });

  test('MLA caches one latent of kv_lora_rank + qk_rope_head_dim per layer, not split by TP', () => {
    const ds = findModel('deepseek-v2-lite')!;
    expect(kvBytesPerToken(ds, 1)).toBe(27 * 576 * 2);
    expect(kvBytesPerToken(ds, 2)).toBe(27 * 576 * 2);
  });
});

describe('weightsGiB', () => {
  test('bf16 is parameters x 2 bytes', () => {
    expect(weightsGiB(findModel('llama-3.1-8b')!)).toBeCloseTo((8.03e9 * 2) / 2 ** 30, 6);
  });
  test('w8a8 keeps embeddings at 16 bits: Llama-3.1-70B lands on the 67.72 GiB vLLM logged', () => {
    expect(weightsGiB(findModel('llama-3.1-70b')!, 'int8')).toBeCloseTo(67.72, 0);
  });
  test('AWQ 4-bit Llama-3.1-70B is about 37 GiB (the published checkpoint is 39.9 GB)', () => {
    expect(weightsGiB(findModel('llama-3.1-70b-awq')!, 'awq')).toBeGreaterThan(36);
    expect(weightsGiB(findModel('llama-3.1-70b-awq')!, 'awq')).toBeLessThan(39);
  });
  test('a known weight size wins over the computed one', () => {
    expect(weightsGiB({ ...findModel('qwen2.5-7b')!, weightsGiB: 5.2 }, 'awq')).toBe(5.2);
  });
});

describe('estimateVllmMemory', () => {
  test('follows vLLM accounting: budget minus weights and overheads, whole blocks of 16 tokens', () => {
    // 0.24: the V1 model runner, which budgets CUDA graphs (Model Runner V2 runs dense models from 0.25 and does not).
    const e = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.24.0', gpuMemoryUtilization: 0.9, maxModelLen: 8192, activationPeakGiB: 1, nonTorchGiB: 0.5, cudaGraphGiB: 0.5 });
    const available = 79.2 * 0.9 - (8.03e9 * 2) / 2 ** 30 - 2;
    expect(e.availableKvGiB).toBeCloseTo(available, 2);
    expect(e.gpuBlocks).toBe(Math.floor((available * 2 ** 30) / (131072 * 16)));
    expect(e.kvCacheTokens).toBe(e.gpuBlocks * 16);
    // Whole requests (the issue asks for them); vLLM's fractional "Maximum concurrency" figure is maxConcurrencyExact.
    expect(e.maxConcurrency).toBe(Math.floor(e.gpuBlocks / (8192 / 16)));
    expect(e.maxConcurrencyExact).toBeCloseTo(e.gpuBlocks / (8192 / 16), 2);
    expect(e.fits).toBe(true);
    expect(e.problems).toEqual([]);
  });

  test('a 70B in bf16 on one H100 does not fit, and says which fixes to try', () => {
    const e = estimateVllmMemory({ model: 'llama-3.1-70b', gpu: 'H100-80GB', maxModelLen: 8192 });
    expect(e.fits).toBe(false);
    expect(e.availableKvGiB).toBeLessThan(0);
    expect(e.problems[0]).toMatch(/131\.5\d* GiB per GPU at tensorParallelSize 1/);
    expect(e.problems[0]).toMatch(/Raise tensorParallelSize, quantize the weights \(awq, fp8\), or use a larger GPU/);
  });

  test('the same 70B at TP=4 fits with room for many full-length requests', () => {
    const e = estimateVllmMemory({ model: 'llama-3.1-70b', gpu: 'H100-80GB', tensorParallelSize: 4, maxModelLen: 8192 });
    expect(e.fits).toBe(true);
    expect(e.weightsGiBPerGpu).toBeCloseTo(32.87, 1);
    expect(e.maxConcurrency).toBeGreaterThan(20);
  });

  test('refuses a context the KV cache cannot hold, with the largest length that fits', () => {
    const e = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'L4', gpuMemoryUtilization: 0.9, maxModelLen: 131072 });
    expect(e.fits).toBe(false);
    const m = /Lower maxModelLen to at most (\d+)/.exec(e.problems[0]);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(e.kvCacheTokens);
    expect(estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'L4', gpuMemoryUtilization: 0.9, maxModelLen: Number(m![1]) }).fits).toBe(true);
  });

  test('refuses maxModelLen above the model context', () => {
    const e = estimateVllmMemory({ model: 'qwen2.5-7b', gpu: 'H100-80GB', maxModelLen: 65536 });
    expect(e.problems).toContain("maxModelLen 65536 is above the model's maximum context of 32768 tokens; vLLM refuses it. Lower maxModelLen to at most 32768.");
  });

  test('fp8 KV cache doubles the tokens', () => {
    const auto = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', maxModelLen: 8192 });
    const fp8 = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', maxModelLen: 8192, kvCacheDtype: 'fp8' });
    expect(fp8.gpuBlocks).toBeGreaterThanOrEqual(2 * auto.gpuBlocks - 1);
  });

  test('CUDA graph memory counts from vLLM 0.21 on, never with enforceEager', () => {
    // 0.35 GiB: the dense-model estimates vLLM logged ("Estimated CUDA graph memory: 0.17 / 0.36 GiB total").
    expect(estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.20.0' }).breakdown.cudaGraphGiB).toBe(0);
    expect(estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.21.0' }).breakdown.cudaGraphGiB).toBe(0.35);
    expect(estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.21.0', enforceEager: true }).breakdown.cudaGraphGiB).toBe(0);
  });

  test('Model Runner V2 (dense models from 0.25): lean sampler warm-up, no graph budget, a headroom warning instead', () => {
    const v24 = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.24.0', maxModelLen: 8192 });
    const v26 = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.26.0', maxModelLen: 8192 });
    expect(v24.breakdown.modelRunnerV2).toBe(false);
    expect(v26.breakdown.modelRunnerV2).toBe(true);
    const v11 = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.11.0', maxModelLen: 8192 });
    // The lean profiling sampler (no top-k/top-p): 14 bytes per logit from 0.12 and on Model Runner V2, 38 before.
    expect(v26.breakdown.samplerWarmupGiB).toBeLessThan(v11.breakdown.samplerWarmupGiB / 2);
    expect(v24.breakdown.samplerWarmupGiB).toBeCloseTo(v26.breakdown.samplerWarmupGiB, 2);
    expect(v24.breakdown.cudaGraphGiB).toBe(0.35);
    expect(v26.breakdown.cudaGraphGiB).toBe(0);
    const tight = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.26.0', maxModelLen: 8192, gpuMemoryUtilization: 0.995 });
    expect(tight.warnings.join(' ')).toMatch(/does not budget CUDA graphs.*Lower gpuMemoryUtilization to at most 0\.99/);
    // MoE models stay on the V1 runner.
    expect(estimateVllmMemory({ model: 'qwen3-30b-a3b', gpu: 'H100-80GB', vllmVersion: '0.26.0' }).breakdown.modelRunnerV2).toBe(false);
  });

  test('sampler warm-up on big GPUs: 1024 rows of full-vocabulary logits, growing with the vocabulary', () => {
    const llama = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.11.0', maxModelLen: 8192 }).breakdown;
    const qwen = estimateVllmMemory({ model: 'qwen3-8b', gpu: 'H100-80GB', vllmVersion: '0.11.0', maxModelLen: 8192 }).breakdown;
    const oss = estimateVllmMemory({ model: 'gpt-oss-120b', gpu: 'H100-80GB', vllmVersion: '0.11.0', maxModelLen: 8192 }).breakdown;
    expect(llama).toMatchObject({ maxNumSeqs: 1024, maxNumBatchedTokens: 8192, largestOverhead: 'weights' });
    // The logged H100 peaks: 4.8-7.4 GiB for Llama (128K vocab) to gpt-oss (201K).
    expect(llama.activationPeakGiB).toBeGreaterThan(4.5);
    expect(qwen.activationPeakGiB).toBeGreaterThan(llama.activationPeakGiB);
    expect(oss.activationPeakGiB).toBeGreaterThan(7);
    expect(oss.activationPeakGiB).toBeLessThan(7.6);
    // A100s keep the small defaults.
    expect(estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'A100-80GB', vllmVersion: '0.11.0', maxModelLen: 8192 }).breakdown).toMatchObject({ maxNumSeqs: 256, maxNumBatchedTokens: 2048 });
  });

  test('hybrid attention: only full-attention layers grow with the context (gpt-oss-120b, 131072 tokens)', () => {
    const hybrid = estimateVllmMemory({ model: 'gpt-oss-120b', gpu: 'H200', vllmVersion: '0.11.0', maxModelLen: 131072 });
    const before = estimateVllmMemory({ model: 'gpt-oss-120b', gpu: 'H200', vllmVersion: '0.9.2', maxModelLen: 131072 });
    expect(hybrid.breakdown).toMatchObject({ fullAttentionLayers: 18, slidingWindowLayers: 18, kvCacheGroups: 2 });
    // 18 full layers x 131072 tokens x 2 KiB + 18 sliding layers x (128 - 1 + 8192 batched tokens) window: 4.5 + 0.3 GiB.
    expect(hybrid.breakdown.kvGiBPerRequest).toBeCloseTo(4.82, 1);
    expect(before.breakdown.kvGiBPerRequest).toBeCloseTo(9, 1);
    expect(hybrid.maxConcurrencyExact).toBeGreaterThan(1.7 * before.maxConcurrencyExact);
  });

  test('the gpt-oss-120b TP=4 log: hybrid groups reproduce vLLM\'s 2,640,144 tokens and 284.25x from its 45.32 GiB', () => {
    const c = STARTUP_CASES.find((x) => x.name.includes('284x'))!;
    const e = estimateVllmMemory({ ...c.input, activationPeakGiB: 0, nonTorchGiB: 79.15 * 0.8 - 17.2217 - 45.32 });
    expect(e.kvCacheTokens).toBeGreaterThan(2_640_144 - 200);
    expect(e.kvCacheTokens).toBeLessThan(2_640_144 + 200);
    expect(e.maxConcurrencyExact).toBeCloseTo(284.25, 0);
    expect(e.maxConcurrency).toBe(284);
  });

  test('problems name the term that ran out and speak in whole requests', () => {
    const e = estimateVllmMemory({ model: 'gpt-oss-120b', gpu: 'H100-80GB', vllmVersion: '0.10.1' });
    expect(e.fits).toBe(false);
    expect(e.maxConcurrency).toBe(0);
    expect(e.problems[0]).toMatch(/0 whole requests\); the term that ran out is the KV cache, squeezed most by the weights \(64\.\d+ GiB\), then the sampler warm-up \(7\.\d+ GiB\)/);
    expect(e.problems[0]).toMatch(/lower maxNumSeqs \(the sampler warm-up takes 7\.\d+ GiB at 1024\)/);
  });

  test('MLA block size follows the attention backend: 64 on Hopper (FlashMLA), 128 on Blackwell (CUTLASS MLA), 16 on Ampere (Triton MLA)', () => {
    const bs = (gpu: string) => estimateVllmMemory({ model: 'deepseek-v2-lite', gpu, maxModelLen: 8192 }).breakdown.blockSize;
    expect(bs('H100-80GB')).toBe(64);
    expect(bs('B200')).toBe(128);
    expect(bs('A100-80GB')).toBe(16);
  });

  test('speculative decoding adds the draft weights and its own KV layer; ngram adds nothing', () => {
    const base = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', maxModelLen: 8192, vllmVersion: '0.24.0' });
    const eagle = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', maxModelLen: 8192, vllmVersion: '0.24.0', speculativeDecoding: { method: 'eagle3', numSpeculativeTokens: 3 } });
    const ngram = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', maxModelLen: 8192, vllmVersion: '0.24.0', speculativeDecoding: { method: 'ngram' } });
    const draft = estimateVllmMemory({ model: 'llama-3.1-70b', gpu: 'H100-80GB', tensorParallelSize: 4, maxModelLen: 8192, speculativeDecoding: { method: 'draft_model', draftModel: 'llama-3.2-1b' } });
    expect(eagle.breakdown.draftWeightsGiB).toBeGreaterThan(0.3);
    expect(eagle.kvBytesPerTokenPerGpu).toBe(base.kvBytesPerTokenPerGpu + 128 * 1024 / 32);
    expect(eagle.availableKvGiB).toBeLessThan(base.availableKvGiB);
    expect(ngram.availableKvGiB).toBe(base.availableKvGiB);
    expect(draft.breakdown.draftWeightsGiB).toBeCloseTo((1.24e9 * 2) / 2 ** 30 / 4, 2);
  });

  test('LoRA slots count as weights; CPU offload moves weights to the host; KV offload is host memory only', () => {
    const base = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'L4', maxModelLen: 8192 });
    const lora = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'L4', maxModelLen: 8192, lora: { maxLoras: 4, maxLoraRank: 64 } });
    expect(lora.breakdown.loraGiB).toBeGreaterThan(0.3);
    expect(lora.weightsGiBPerGpu).toBeCloseTo(base.weightsGiBPerGpu + lora.breakdown.loraGiB, 2);
    const offload = estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'L4', maxModelLen: 8192, cpuOffloadGiB: 4, kvOffloadingGiB: 32 });
    expect(offload.weightsGiBPerGpu).toBeCloseTo(base.weightsGiBPerGpu - 4, 2);
    expect(offload.hostMemoryGiB).toBe(36);
    expect(estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'L4', maxModelLen: 8192, kvOffloadingGiB: 32 }).availableKvGiB).toBe(base.availableKvGiB);
  });

  test('non-torch memory per version line, TP and nodes (logged ranges)', () => {
    const nt = (vllmVersion: string, tensorParallelSize: number, nodes?: number) => estimateVllmMemory({ model: 'llama-3.1-70b', gpu: 'H100-80GB', vllmVersion, tensorParallelSize, nodes, maxModelLen: 8192 }).breakdown.nonTorchGiB;
    // Before 0.12: 0.1 GiB on one GPU, 0.3 with TP or across Ray nodes (the 0.10.1 Ray logs leave 0.17-0.3 GiB).
    expect([nt('0.10.1', 4), nt('0.10.1', 8, 2)]).toEqual([0.3, 0.3]);
    expect(estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.10.1', maxModelLen: 8192 }).breakdown.nonTorchGiB).toBe(0.1);
    // From 0.12: 0.25 at TP=1, about 2.1 GiB of communication buffers per rank at TP>=2 (0.19.0 H100 measurements).
    expect([nt('0.19.0', 2), nt('0.26.0', 4)]).toEqual([2.1, 2.1]);
    expect(estimateVllmMemory({ model: 'llama-3.1-8b', gpu: 'H100-80GB', vllmVersion: '0.19.0', maxModelLen: 8192 }).breakdown.nonTorchGiB).toBe(0.25);
  });

  test('default batched tokens follow the version and the GPU size', () => {
    const t = (vllmVersion: string, gpu: string, maxModelLen: number) =>
      estimateVllmMemory({ model: 'llama-3.1-8b', gpu, vllmVersion, maxModelLen }).breakdown.maxNumBatchedTokens;
    expect(t('0.26.0', 'H100-80GB', 8192)).toBe(8192);
    expect(t('0.26.0', 'L4', 8192)).toBe(2048);
    // 0.28 adds a >= 160 GiB tier (B200, B300): 16384 tokens for the API server.
    expect(t('0.27.0', 'B200', 8192)).toBe(8192);
    expect(t('0.28.0', 'B200', 8192)).toBe(16384);
    expect(t('0.28.0', 'A100-80GB', 8192)).toBe(2048);
    expect(t('0.6.4', 'L4', 20000)).toBe(20000);
    expect(t('0.6.4', 'L4', 40000)).toBe(512);
    expect(t('0.7.3', 'L4', 40000)).toBe(2048);
  });

  test('MLA models get 64-token blocks', () => {
    expect(estimateVllmMemory({ model: 'deepseek-v2-lite', gpu: 'H100-80GB', maxModelLen: 8192 }).breakdown.blockSize).toBe(64);
  });

  test('fails if the model is unknown, naming the catalog', () => {
    expect(() => estimateVllmMemory({ model: 'llama-9', gpu: 'H100-80GB' })).toThrow(/'model' is not in the model catalog \(got "llama-9"; allowed: .*llama-3\.1-8b.*\)/);
  });

  test('fails if maxModelLen is missing and the model has no maximum context', () => {
    expect(() => estimateVllmMemory({ model: { layers: 2, kvHeads: 2, headDim: 64, parameters: 1e8 }, gpu: 'T4' })).toThrow(/'maxModelLen' is required/);
  });
});

describe('accuracy against real vLLM startup logs', () => {
  /** Issue 11's tolerance: 5% or 0.5 GiB, whichever is larger. */
  const tolerance = (observed: number): number => Math.max(Math.abs(observed) * 0.05, 0.5);
  const results = STARTUP_CASES.map((c) => {
    const e = estimateVllmMemory(c.input);
    const kvOk = c.observedKvGiB === undefined ? undefined : Math.abs(e.availableKvGiB - c.observedKvGiB) <= tolerance(c.observedKvGiB);
    return { c, e, verdictOk: e.fits === c.started, kvOk };
  });

  test.each(results.map((r) => [r.c.name, r] as const))('%s', (_name, r) => {
    expect(r.c.source).toMatch(/^https:\/\//);
    expect(r.e.fits).toBe(r.c.started);
    // A case the estimator is known to miss records why; it must stay a miss until the model learns it.
    if (r.kvOk !== undefined) expect(r.kvOk).toBe(!r.c.knownKvMiss);
    if (r.c.knownKvMiss) expect(r.c.note).toBeTruthy();
  });

  test('the collection covers refusals, hybrid attention, MoE, quantized and tensor-parallel startups', () => {
    expect(STARTUP_CASES.length).toBeGreaterThanOrEqual(40);
    expect(STARTUP_CASES.filter((c) => !c.started).length).toBeGreaterThanOrEqual(5);
    expect(STARTUP_CASES.some((c) => (c.input.tensorParallelSize ?? 1) > 1)).toBe(true);
    expect(STARTUP_CASES.some((c) => typeof c.input.model !== 'string' ? c.input.model.slidingWindow : findModel(c.input.model)?.slidingWindow)).toBe(true);
  });

  test('says correctly whether vLLM started or refused in at least 95% of the cases', () => {
    const right = results.filter((r) => r.verdictOk).length;
    expect(right / results.length).toBeGreaterThanOrEqual(0.95);
  });

  test('where vLLM started, the KV cache is within 5% or 0.5 GiB in at least 85% of all cases, documented misses included', () => {
    const started = results.filter((r) => r.c.started && r.kvOk !== undefined);
    expect(started.filter((r) => r.kvOk).length / started.length).toBeGreaterThanOrEqual(0.85);
  });

  test('where vLLM started, the KV cache is within 5% or 0.5 GiB in at least 85% of the cases without a documented miss', () => {
    const started = results.filter((r) => r.c.started && r.kvOk !== undefined && !r.c.knownKvMiss);
    expect(started.length).toBeGreaterThanOrEqual(4);
    expect(started.filter((r) => r.kvOk).length / started.length).toBeGreaterThanOrEqual(0.85);
  });

  afterAll(() => {
    const f = (x: number | undefined): string => (x === undefined ? '     -' : x.toFixed(2).padStart(6));
    const rows = results.map((r) => {
      const b = r.e.breakdown;
      const l = r.c.logged ?? {};
      return [
        r.verdictOk ? 'ok  ' : 'MISS',
        r.kvOk === undefined ? '    ' : r.kvOk ? 'ok  ' : 'MISS',
        `w ${f(r.e.weightsGiBPerGpu)}/${f(l.weightsGiB)}`,
        `act ${f(b.activationPeakGiB)}/${f(l.activationGiB)}`,
        `nt ${f(b.nonTorchGiB)}/${f(l.nonTorchGiB)}`,
        `cg ${f(b.cudaGraphGiB)}/${f(l.cudaGraphGiB)}`,
        `kv ${f(r.e.availableKvGiB)}/${f(r.c.observedKvGiB)}`,
        r.c.name,
      ].join('  ');
    });
    const started = results.filter((r) => r.c.started && r.kvOk !== undefined);
    // Per vLLM version band, with the acceptance tolerance (5% / 0.5 GiB) and the looser miss threshold (10% / 1 GiB).
    const band = (v: string | undefined): string => {
      const [, minor] = (v ?? DEFAULT_VLLM_VERSION).split('.').map(Number);
      return minor < 8 ? 'V0 (< 0.8)' : minor < 12 ? '0.8-0.11' : '0.12+';
    };
    const within10 = (r: (typeof results)[number]): boolean => Math.abs(r.e.availableKvGiB - r.c.observedKvGiB!) <= Math.max(Math.abs(r.c.observedKvGiB!) * 0.1, 1);
    const bands = ['V0 (< 0.8)', '0.8-0.11', '0.12+'].map((b) => {
      const all = results.filter((r) => band(r.c.input.vllmVersion) === b);
      const kv = all.filter((r) => r.c.started && r.kvOk !== undefined);
      return `${b}: verdict ${all.filter((r) => r.verdictOk).length}/${all.length}, KV 5%/0.5 GiB ${kv.filter((r) => r.kvOk).length}/${kv.length}, KV 10%/1 GiB ${kv.filter(within10).length}/${kv.length}`;
    });
    // eslint-disable-next-line no-console
    console.log(
      `estimator vs real startups (verdict, KV; each term predicted/logged GiB per GPU):\n${rows.join('\n')}\n` +
        `verdict right ${results.filter((r) => r.verdictOk).length}/${results.length}; KV within 5%/0.5 GiB where started ${started.filter((r) => r.kvOk).length}/${started.length} (all cases, documented misses included)\n` +
        bands.join('\n'),
    );
  });
});
