import { renderVllmService } from '../../../lib/core/vllm/render';
import { DEFAULT_S3_DOWNLOADER_IMAGE, LoraAdapter, loraRankFor, VLLM_MAX_LORA_RANKS } from '../../../lib/core/vllm/lora';
import type { VllmServiceOptions } from '../../../lib/core/vllm/options';
import { MANAGED_ENV, MANAGED_FLAGS } from '../../../lib/core/vllm/options';
import { validateProductionRules } from '../../../lib/core/validate/production';
import { findWorkload, flag, vllmContainer } from '../../helpers/find';
import { problemsOf } from '../../helpers/problems';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const sql: LoraAdapter = { name: 'sql-lora', rank: 16, source: { type: 'huggingFace', repository: 'org/sql-lora', revision: SHA } };
const chat: LoraAdapter = { name: 'chat-lora', rank: 64, source: { type: 's3', uri: 's3://adapters/chat/', credentialsSecret: 'adapter-s3' } };
const legal: LoraAdapter = { name: 'legal-lora', rank: 8, source: { type: 'pvc', claimName: 'adapters', path: 'legal/v3' } };
const base: VllmServiceOptions = { name: 'llama', namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' };
const render = (o: Partial<VllmServiceOptions>) => renderVllmService({ ...base, ...o } as VllmServiceOptions);
const deployment = (o: Partial<VllmServiceOptions>) => findWorkload(render(o).objects);
const refused = (o: Record<string, unknown>) => problemsOf(() => renderVllmService({ ...base, ...o } as unknown as VllmServiceOptions));

describe('LoRA adapters on a VllmService', () => {
  test('snapshot of the default LoRA render (one adapter from the hub)', () => {
    expect(render({ adapters: [sql] }).objects).toMatchSnapshot();
  });

  test('the flags are derived from the adapters: max-loras = count, max-lora-rank = the smallest vLLM rank that holds the largest, cpu loras = count', () => {
    const args = vllmContainer(deployment({ adapters: [sql, chat, legal] })).args as string[];
    expect(args).toContain('--enable-lora');
    expect(flag(args, '--max-loras')).toBe('3');
    expect(flag(args, '--max-lora-rank')).toBe('64');
    expect(flag(args, '--max-cpu-loras')).toBe('3');
    const i = args.indexOf('--lora-modules');
    // One --lora-modules followed by every adapter (nargs='+'; a second flag would replace the first list).
    expect(args.slice(i + 1, i + 4)).toEqual([
      `sql-lora=/root/.cache/huggingface/lora/sql-lora/${SHA}`,
      'chat-lora=/root/.cache/huggingface/lora/chat-lora/s3',
      'legal-lora=/lora/adapters/legal/v3',
    ]);
    expect(args.filter((a) => a === '--lora-modules')).toHaveLength(1);
  });

  test('overrides win over the derived values', () => {
    const args = vllmContainer(deployment({ adapters: [sql, chat], lora: { maxLoras: 1, maxLoraRank: 128, maxCpuLoras: 4 } })).args as string[];
    expect([flag(args, '--max-loras'), flag(args, '--max-lora-rank'), flag(args, '--max-cpu-loras')]).toEqual(['1', '128', '4']);
  });

  test.each([[1, 1], [2, 8], [16, 16], [17, 32], [300, 320], [512, 512], [513, undefined]])('rank %d needs max-lora-rank %s (vLLM MaxLoRARanks)', (rank, expected) => {
    expect(loraRankFor(rank)).toBe(expected);
  });

  test("the ranks are vLLM's MaxLoRARanks, pinned: a change to the list must be a change upstream", () => {
    expect(VLLM_MAX_LORA_RANKS).toEqual([1, 8, 16, 32, 64, 128, 256, 320, 512]);
  });

  test('hub adapters are downloaded at the pinned revision by an init container on the cache volume, with the token', () => {
    const init = deployment({ adapters: [sql] }).spec.template.spec.initContainers;
    expect(init).toHaveLength(1);
    expect(init[0].name).toBe('lora-sql-lora');
    expect(init[0].image).toBe('vllm/vllm-openai:v0.26.0');
    expect(init[0].command[2]).toContain(`snapshot_download(repo_id="org/sql-lora", revision="${SHA}", local_dir="/root/.cache/huggingface/lora/sql-lora/${SHA}")`);
    expect(init[0].env).toEqual([{ name: 'HF_HOME', value: '/root/.cache/huggingface' }, { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } }]);
    expect(init[0].volumeMounts).toEqual([{ name: 'model-cache', mountPath: '/root/.cache/huggingface' }]);
  });

  test('S3 adapters are synced by the pinned AWS CLI with the credentials Secret', () => {
    const init = deployment({ adapters: [{ ...chat, source: { type: 's3', uri: 's3://adapters/chat/', credentialsSecret: 'adapter-s3', endpointUrl: 'https://minio.storage.svc:9000' } }] }).spec.template.spec.initContainers[0];
    expect(init.image).toBe(DEFAULT_S3_DOWNLOADER_IMAGE);
    expect(init.command).toEqual(['aws']);
    expect(init.args).toEqual(['s3', 'sync', 's3://adapters/chat/', '/root/.cache/huggingface/lora/chat-lora/s3', '--no-progress', '--endpoint-url', 'https://minio.storage.svc:9000']);
    expect(init.envFrom).toEqual([{ secretRef: { name: 'adapter-s3' } }]);
  });

  test('claim adapters are mounted read-only and need no init container', () => {
    const d = deployment({ adapters: [legal, { ...legal, name: 'legal-v2', source: { type: 'pvc', claimName: 'adapters', path: 'legal/v2' } }] });
    expect(d.spec.template.spec.initContainers).toBeUndefined();
    expect(d.spec.template.spec.volumes).toContainEqual({ name: 'lora-claim-0', persistentVolumeClaim: { claimName: 'adapters', readOnly: true } });
    expect(d.spec.template.spec.volumes.filter((v: { name: string }) => v.name.startsWith('lora-claim'))).toHaveLength(1);
    expect(vllmContainer(d).volumeMounts).toContainEqual({ name: 'lora-claim-0', mountPath: '/lora/adapters', readOnly: true });
  });

  test('runtime loading sets VLLM_ALLOW_RUNTIME_LORA_UPDATING and warns about who can load weights', () => {
    const r = render({ lora: { runtimeLoading: true } });
    expect(vllmContainer(findWorkload(r.objects)).env).toContainEqual({ name: 'VLLM_ALLOW_RUNTIME_LORA_UPDATING', value: 'True' });
    expect(r.resolved.warnings.join('\n')).toContain('any caller that reaches the API can load an adapter from any path or hub repository the pod can read');
    expect(flag(vllmContainer(findWorkload(r.objects)).args, '--max-lora-rank')).toBe('16');
    expect(render({ adapters: [sql] }).resolved.warnings.join('\n')).not.toContain('runtime LoRA');
  });

  test('the LoRA flags and the runtime-loading variable belong to the typed options now', () => {
    for (const f of ['--enable-lora', '--max-loras', '--max-lora-rank', '--max-cpu-loras', '--lora-modules']) expect(MANAGED_FLAGS[f]).toBe('adapters');
    expect(MANAGED_ENV.VLLM_ALLOW_RUNTIME_LORA_UPDATING).toContain("'lora.runtimeLoading'");
    expect(refused({ env: { VLLM_ALLOW_RUNTIME_LORA_UPDATING: 'True' } })).toContain("'env.VLLM_ALLOW_RUNTIME_LORA_UPDATING' must not be set: gpuplane sets it from 'lora.runtimeLoading'");
  });

  test('the adapters take GPU memory in the fit check', () => {
    const without = render({}).resolved.memory;
    const withLora = render({ adapters: [sql, chat] }).resolved.memory;
    expect(withLora.breakdown.loraGiB).toBeGreaterThan(0);
    expect(withLora.availableKvGiB).toBeCloseTo(without.availableKvGiB - withLora.breakdown.loraGiB, 1);
  });

  test('the render passes the production rules', () => {
    expect(validateProductionRules(render({ adapters: [sql, chat, legal] }).objects)).toEqual([]);
  });

  describe('refusals', () => {
    test('fails if the adapters no longer fit the GPU, with the numbers', () => {
      const text = refused({ gpu: 'L4', adapters: [{ ...sql, rank: 256 }], lora: { maxLoras: 8 } });
      expect(text).toMatch(/'lora' reserves \d+\.\d\d GiB per GPU for LoRA \(maxLoras 8 x maxLoraRank 256\), and the model no longer fits: -?\d+\.\d\d GiB would be left for the KV cache \(-?\d+(\.\d+)? GiB without the adapters\)/);
      expect(text).toContain("Fix: lower lora.maxLoras (fewer adapters per batch) or the adapters' rank");
      // The same service without the adapters fits.
      expect(() => render({ gpu: 'L4' })).not.toThrow();
    });

    test('fails if an adapter rank exceeds maxLoraRank', () => {
      expect(refused({ adapters: [chat], lora: { maxLoraRank: 32 } })).toContain("'adapters[0].rank' must not exceed lora.maxLoraRank (32): vLLM refuses the adapter when the first request uses it (got 64; allowed: <= 32). Fix: omit lora.maxLoraRank for 64, or set it to 64");
    });

    test('fails if maxLoraRank is not a rank vLLM accepts', () => {
      expect(refused({ adapters: [sql], lora: { maxLoraRank: 24 } })).toContain("'lora.maxLoraRank' must be 1, 8, 16, 32, 64, 128, 256, 320 or 512 (got 24");
    });

    test('fails if maxCpuLoras is below maxLoras', () => {
      expect(refused({ adapters: [sql], lora: { maxLoras: 4, maxCpuLoras: 2 } })).toContain("'lora.maxCpuLoras' must be at least lora.maxLoras (4); vLLM refuses to start otherwise (vllm/config/lora.py) (got 2; allowed: >= 4)");
    });

    test('fails if a hub revision is not a commit', () => {
      expect(refused({ adapters: [{ ...sql, source: { type: 'huggingFace', repository: 'org/sql-lora', revision: 'main' } }] })).toContain("'adapters[0].source.revision' must be a commit hash (40 lower-case hex characters); a branch or tag can change under a running service (got \"main\")");
    });

    test('fails if the rank is missing', () => {
      expect(refused({ adapters: [{ name: 'x', source: sql.source }] })).toContain("'adapters[0].rank' is required");
    });

    test('fails if two adapters share a name, or one takes the base model name', () => {
      expect(refused({ adapters: [sql, { ...legal, name: 'sql-lora' }] })).toContain("'adapters[1].name' must be unique: two adapters would answer to one model name");
      expect(refused({ servedModelName: 'sql-lora', adapters: [sql] })).toContain("'adapters[0].name' must differ from the base model's served name ('sql-lora')");
    });

    test('fails if a hub or S3 adapter must be downloaded while egress is closed', () => {
      const text = refused({ downloadModel: false, modelCache: { mode: 'shared', existingClaimName: 'models' }, autoscaling: false, replicas: 1, adapters: [sql] });
      expect(text).toContain("'adapters[0].source' fetches from the Hugging Face hub, but downloadModel is false and the NetworkPolicy closes egress: the init container could never download it (got \"huggingFace\"; allowed: a 'pvc' source, or downloadModel: true)");
    });

    test('fails if a claim path leaves the claim', () => {
      expect(refused({ adapters: [{ ...legal, source: { type: 'pvc', claimName: 'adapters', path: '../etc' } }] })).toContain("'adapters[0].source.path' must be a relative path inside the claim");
    });

    test('fails if lora is set with no adapters and no runtime loading', () => {
      expect(refused({ lora: { maxLoras: 2 } })).toContain("'lora' enables LoRA without adapters and without runtime loading");
    });

    test('fails if the source type is unknown', () => {
      expect(refused({ adapters: [{ ...sql, source: { type: 'gcs', uri: 'gs://x' } }] })).toContain("'adapters[0].source.type' must be 'huggingFace' or 's3' or 'pvc'");
    });
  });
});
