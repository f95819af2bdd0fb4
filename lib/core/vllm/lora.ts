/**
 * LoRA adapters on a VllmService: where each adapter comes from, how its files reach the pod, the `--enable-lora`
 * flags derived from the adapters, and the GPU memory they take in the fit check.
 *
 * Upstream facts (vllm-project/vllm, read at commit a78dc92f of main after 0.12, the pinned 0.26.0 was not readable
 * as a tag here):
 * - `vllm/config/lora.py`: `max_lora_rank` is one of `MaxLoRARanks = Literal[1, 8, 16, 32, 64, 128, 256, 320, 512]`
 *   (default 16), `max_loras >= 1` (default 1), `max_cpu_loras` defaults to `max_loras` and must be `>= max_loras`.
 * - `vllm/entrypoints/openai/cli_args.py` (`LoRAParserAction`, `nargs='+'`): every adapter follows one
 *   `--lora-modules`; an item with `=` and no `,` is the old `name=path` form, anything else is JSON
 *   (`{"name", "path", "base_model_name"}`). Both forms are read by every release since the JSON one was added, so
 *   gpuplane renders `name=path` and refuses names and paths with `=` or `,`.
 * - `vllm/lora/utils.py` (`get_adapter_absolute_path`): a path that is not local is passed to
 *   `huggingface_hub.snapshot_download(repo_id=...)` with no revision, i.e. whatever `main` is at start. A pinned
 *   revision therefore needs its own download: an init container does it before vLLM starts.
 * - `vllm/envs.py` `VLLM_ALLOW_RUNTIME_LORA_UPDATING`: opens `POST /v1/load_lora_adapter` and
 *   `/v1/unload_lora_adapter` (docs/features/lora.md).
 */
import { Problem, ProblemCollector } from '../errors';
import { dnsLabel, imageReference } from '../options/formats';
import { arr, bool, obj, oneOf, opt, posInt, Schema, str, variants } from '../options/schema';
import { objectName } from '../options/shared-schemas';
import { isPinnedImage } from '../kube';

/** The ranks vLLM accepts for `--max-lora-rank` (`MaxLoRARanks` in `vllm/config/lora.py`). */
export const VLLM_MAX_LORA_RANKS = [1, 8, 16, 32, 64, 128, 256, 320, 512] as const;
/** The ranks vLLM accepts for `--max-lora-rank`. */
export type MaxLoraRank = (typeof VLLM_MAX_LORA_RANKS)[number];

/**
 * The image that copies adapters from S3: the AWS CLI, pinned (`aws s3 sync` resumes and skips files already there).
 * Tag 2.32.8 of amazon/aws-cli, as used in public manifests.
 */
export const DEFAULT_S3_DOWNLOADER_IMAGE = 'amazon/aws-cli:2.32.8';

/** Where adapters from Hugging Face and S3 are written: under the model cache volume, so a shared cache keeps them. */
export const ADAPTER_CACHE_DIR = 'lora';
/** Where adapter claims are mounted, read-only. */
export const ADAPTER_CLAIM_ROOT = '/lora';

/** An adapter on the Hugging Face hub, at a pinned commit. */
export interface HuggingFaceAdapterSource {
  readonly type: 'huggingFace';
  /** Repository id, e.g. `"org/sql-lora"`. */
  readonly repository: string;
  /** The commit (40 hex characters): a branch or tag can move under a running service. */
  readonly revision: string;
}

/** An adapter under an S3 prefix, copied by an init container. */
export interface S3AdapterSource {
  readonly type: 's3';
  /** `s3://bucket/prefix` holding `adapter_config.json` and the weights. */
  readonly uri: string;
  /**
   * Secret with `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (and optionally `AWS_REGION`), loaded with envFrom.
   * @default - none: the pod's workload identity (IRSA, EKS Pod Identity) supplies credentials
   */
  readonly credentialsSecret?: string;
  /** S3-compatible endpoint (MinIO, R2). @default - AWS S3 */
  readonly endpointUrl?: string;
}

/** An adapter already on a PersistentVolumeClaim, mounted read-only. */
export interface PvcAdapterSource {
  readonly type: 'pvc';
  readonly claimName: string;
  /** Directory inside the claim holding `adapter_config.json`, relative (e.g. `"adapters/sql"`). */
  readonly path: string;
}

/** Where a LoRA adapter comes from: a Hugging Face repository at a pinned revision, an S3 URI, or a path on a claim. */
export type LoraAdapterSource = HuggingFaceAdapterSource | S3AdapterSource | PvcAdapterSource;

/** One LoRA adapter, served under its own model name. */
export interface LoraAdapter {
  /** The model name clients send (`"model"` in the request) and the gateway routes; a DNS label. */
  readonly name: string;
  readonly source: LoraAdapterSource;
  /**
   * The adapter's rank (`r` in its adapter_config.json). Required: gpuplane cannot read the file at synth time, and
   * vLLM refuses an adapter whose rank exceeds `--max-lora-rank` only when a request first uses it.
   */
  readonly rank: number;
}

/** LoRA settings; each is derived from the adapters unless given. */
export interface LoraOptions {
  /** `--max-loras`: adapters in one batch (each slot is preallocated GPU memory). @default - the number of adapters (all can run at once), at least 1 */
  readonly maxLoras?: number;
  /** `--max-lora-rank`. @default - the smallest rank vLLM accepts that holds the largest adapter's rank (16 without adapters, vLLM's default) */
  readonly maxLoraRank?: MaxLoraRank;
  /** `--max-cpu-loras`: adapters kept in host memory. @default - the larger of maxLoras and the number of adapters (none evicted) */
  readonly maxCpuLoras?: number;
  /**
   * Load and unload adapters at run time through `POST /v1/load_lora_adapter` (`VLLM_ALLOW_RUNTIME_LORA_UPDATING`).
   * Any caller that reaches the API can then load weights from any path or hub repository the pod can read, so it
   * is off by default and warned about when on; restrict callers with the NetworkPolicy.
   * @default false - adapters are loaded once, at start, from the sources above
   */
  readonly runtimeLoading?: boolean;
  /** Image of the S3 init containers. @default DEFAULT_S3_DOWNLOADER_IMAGE (pinned) */
  readonly s3DownloaderImage?: string;
}

export interface ResolvedLoraAdapter extends LoraAdapter {
  /** The path vLLM loads the adapter from. */
  readonly path: string;
}

/** LoRA settings with every default resolved: the adapters and the flags derived from them. */
export interface ResolvedLora {
  readonly adapters: readonly ResolvedLoraAdapter[];
  readonly maxLoras: number;
  readonly maxLoraRank: MaxLoraRank;
  readonly maxCpuLoras: number;
  readonly runtimeLoading: boolean;
  readonly s3DownloaderImage: string;
}

const SHA = /^[0-9a-f]{40}$/;

const HF_SOURCE = obj<HuggingFaceAdapterSource>({
  type: oneOf(['huggingFace']),
  repository: str({ minLength: 1, test: (s) => (/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(s) ? undefined : 'must be a Hugging Face repository id ("org/name")'), fix: 'e.g. "org/sql-lora"' }),
  revision: str({ test: (s) => (SHA.test(s) ? undefined : 'must be a commit hash (40 lower-case hex characters); a branch or tag can change under a running service'), fix: 'copy the commit from the repository\'s "Files and versions" history' }),
});

const S3_SOURCE = obj<S3AdapterSource>({
  type: oneOf(['s3']),
  uri: str({ test: (s) => (/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[^\s'"`$\\;&|<>]*)?$/.test(s) ? undefined : 'must be an s3://bucket/prefix URI without spaces, quotes or shell syntax'), fix: 'e.g. "s3://adapters/sql-lora/"' }),
  credentialsSecret: opt(objectName('name a Secret with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')),
  endpointUrl: opt(str({ test: (s) => (/^https?:\/\/[^\s'"`$\\;&|<>]+$/.test(s) ? undefined : 'must be an http(s) URL'), fix: 'e.g. "https://minio.storage.svc:9000"' })),
});

const PVC_SOURCE = obj<PvcAdapterSource>({
  type: oneOf(['pvc']),
  claimName: objectName('name an existing PersistentVolumeClaim'),
  path: str({
    minLength: 1,
    test: (s) => (s.startsWith('/') || s.split('/').includes('..') || /[\s'"`$\\;&|<>=,]/.test(s) ? 'must be a relative path inside the claim, without "..", spaces, quotes, "=" or ","' : undefined),
    fix: 'e.g. "adapters/sql-lora"',
  }),
});

const ADAPTER = obj<LoraAdapter>({
  // Container names add "lora-" and must stay within 63 characters.
  name: dnsLabel(50, 'use lower-case letters, digits and "-", e.g. "sql-lora" (at most 50 characters)'),
  source: variants('type', { huggingFace: HF_SOURCE, s3: S3_SOURCE, pvc: PVC_SOURCE }),
  rank: posInt('take r from the adapter\'s adapter_config.json', 512),
}, { expected: 'an adapter { name, source, rank }' });

/** The option schema of VllmService `adapters`. */
export const LORA_ADAPTERS: Schema<readonly LoraAdapter[]> = arr(ADAPTER, { minItems: 1 });

/** The option schema of VllmService `lora`. */
export const LORA_OPTIONS: Schema<LoraOptions> = obj<LoraOptions>({
  maxLoras: opt(posInt('omit it for the number of adapters')),
  maxLoraRank: opt(oneOf(VLLM_MAX_LORA_RANKS, 'omit it for the smallest rank that holds every adapter')),
  maxCpuLoras: opt(posInt('omit it to keep every adapter in host memory')),
  runtimeLoading: opt(bool()),
  s3DownloaderImage: opt(imageReference(`e.g. "${DEFAULT_S3_DOWNLOADER_IMAGE}"`)),
});

/** The smallest rank vLLM accepts that holds `rank`, or undefined above 512. */
export function loraRankFor(rank: number): MaxLoraRank | undefined {
  return VLLM_MAX_LORA_RANKS.find((r) => r >= rank);
}

function adapterPath(a: LoraAdapter, cacheMount: string): string {
  switch (a.source.type) {
    case 'huggingFace': return `${cacheMount}/${ADAPTER_CACHE_DIR}/${a.name}/${a.source.revision}`;
    case 's3': return `${cacheMount}/${ADAPTER_CACHE_DIR}/${a.name}/s3`;
    case 'pvc': return `${ADAPTER_CLAIM_ROOT}/${a.source.claimName}/${a.source.path.replace(/\/+$/, '')}`;
  }
}

/** What resolveLora needs from the rest of the service. */
export interface LoraContext {
  readonly servedModelName: string;
  /** Where the model cache volume is mounted (adapters from the hub and S3 are written under it). */
  readonly cacheMount: string;
  /** Whether the pod may reach addresses outside the cluster (the NetworkPolicy opens HTTPS only when downloading). */
  readonly egress: boolean;
}

/** Resolves the adapters and the LoRA settings; undefined when LoRA is off. */
export function resolveLora(adapters: readonly LoraAdapter[] | undefined, lora: LoraOptions | undefined, ctx: LoraContext, p: ProblemCollector, warnings: string[], subject: string): ResolvedLora | undefined {
  if (adapters === undefined && lora === undefined) return undefined;
  const list = adapters ?? [];
  const seen = new Set<string>();
  list.forEach((a, i) => {
    p.check(!seen.has(a.name), { field: `adapters[${i}].name`, message: 'must be unique: two adapters would answer to one model name', value: a.name, fix: 'rename one of them' });
    seen.add(a.name);
    p.check(a.name !== ctx.servedModelName, { field: `adapters[${i}].name`, message: `must differ from the base model's served name ('${ctx.servedModelName}'): requests could not choose between them`, value: a.name, fix: 'rename the adapter' });
    if (a.source.type !== 'pvc') {
      p.check(ctx.egress, {
        field: `adapters[${i}].source`, message: `fetches from ${a.source.type === 's3' ? 'S3' : 'the Hugging Face hub'}, but downloadModel is false and the NetworkPolicy closes egress: the init container could never download it`,
        value: a.source.type, allowed: "a 'pvc' source, or downloadModel: true", fix: "put the adapter on a claim (source { type: 'pvc', claimName, path }) or set networkPolicy: false",
      });
    }
  });
  const o = lora ?? {};
  const largest = Math.max(0, ...list.map((a) => a.rank));
  const derivedRank = loraRankFor(Math.max(largest, 1)) ?? 512;
  const maxLoraRank = o.maxLoraRank ?? (list.length > 0 ? derivedRank : 16);
  list.forEach((a, i) => {
    p.check(a.rank <= maxLoraRank, {
      field: `adapters[${i}].rank`, message: `must not exceed lora.maxLoraRank (${maxLoraRank}): vLLM refuses the adapter when the first request uses it`, value: a.rank,
      allowed: `<= ${maxLoraRank}`, fix: `omit lora.maxLoraRank for ${derivedRank}, or set it to ${loraRankFor(a.rank) ?? 512}`,
    });
  });
  const maxLoras = o.maxLoras ?? Math.max(1, list.length);
  const maxCpuLoras = o.maxCpuLoras ?? Math.max(maxLoras, list.length);
  p.check(maxCpuLoras >= maxLoras, {
    field: 'lora.maxCpuLoras', message: `must be at least lora.maxLoras (${maxLoras}); vLLM refuses to start otherwise (vllm/config/lora.py)`, value: maxCpuLoras,
    allowed: `>= ${maxLoras}`, fix: 'omit it, or raise it',
  });
  const runtimeLoading = o.runtimeLoading ?? false;
  p.check(list.length > 0 || runtimeLoading, {
    field: 'lora', message: 'enables LoRA without adapters and without runtime loading: the GPU memory is reserved for nothing', value: lora,
    fix: "list adapters, or set lora.runtimeLoading: true to load them through the API",
  });
  const s3DownloaderImage = o.s3DownloaderImage ?? DEFAULT_S3_DOWNLOADER_IMAGE;
  if (list.some((a) => a.source.type === 's3')) {
    p.check(isPinnedImage(s3DownloaderImage), { field: 'lora.s3DownloaderImage', message: 'must be pinned to a release tag or digest', value: s3DownloaderImage, fix: `use e.g. "${DEFAULT_S3_DOWNLOADER_IMAGE}"` });
  }
  if (runtimeLoading) {
    warnings.push(
      `${subject} allows runtime LoRA loading (VLLM_ALLOW_RUNTIME_LORA_UPDATING=True): any caller that reaches the API can load an adapter from any path or hub repository the pod can read, ` +
        'and replace what a model name serves; vLLM has no authorization on /v1/load_lora_adapter. Keep the NetworkPolicy to trusted callers, and prefer static adapters in production.',
    );
  }
  return {
    adapters: list.map((a) => ({ ...a, path: adapterPath(a, ctx.cacheMount) })),
    maxLoras, maxLoraRank, maxCpuLoras, runtimeLoading, s3DownloaderImage,
  };
}

/** `vllm serve` flags for LoRA, in a fixed order. */
export function loraArgs(l: ResolvedLora | undefined): string[] {
  if (!l) return [];
  const args = ['--enable-lora', '--max-loras', String(l.maxLoras), '--max-lora-rank', String(l.maxLoraRank), '--max-cpu-loras', String(l.maxCpuLoras)];
  if (l.adapters.length > 0) args.push('--lora-modules', ...l.adapters.map((a) => `${a.name}=${a.path}`));
  return args;
}

/** Environment of the vLLM container for LoRA. */
export function loraEnv(l: ResolvedLora | undefined): Record<string, unknown>[] {
  return l?.runtimeLoading ? [{ name: 'VLLM_ALLOW_RUNTIME_LORA_UPDATING', value: 'True' }] : [];
}

const CLAIM_VOLUME = (i: number) => `lora-claim-${i}`;

function claims(l: ResolvedLora): string[] {
  return [...new Set(l.adapters.flatMap((a) => (a.source.type === 'pvc' ? [a.source.claimName] : [])))];
}

/** Read-only volumes of the adapter claims. */
export function loraVolumes(l: ResolvedLora | undefined): Record<string, unknown>[] {
  if (!l) return [];
  return claims(l).map((claimName, i) => ({ name: CLAIM_VOLUME(i), persistentVolumeClaim: { claimName, readOnly: true } }));
}

/** Mounts of the adapter claims in the vLLM container. */
export function loraMounts(l: ResolvedLora | undefined): Record<string, unknown>[] {
  if (!l) return [];
  return claims(l).map((claimName, i) => ({ name: CLAIM_VOLUME(i), mountPath: `${ADAPTER_CLAIM_ROOT}/${claimName}`, readOnly: true }));
}

const INIT_SECURITY = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
const INIT_RESOURCES = { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } };

/**
 * Init containers that put hub and S3 adapters on the cache volume before vLLM starts: the vLLM image's own
 * huggingface_hub at the pinned revision, and `aws s3 sync` for S3. Both skip files already there, so a shared
 * cache downloads an adapter once.
 */
export function loraInitContainers(l: ResolvedLora | undefined, ctx: { vllmImage: string; cacheVolume: string; cacheMount: string; hfEnv: readonly Record<string, unknown>[] }): Record<string, unknown>[] {
  if (!l) return [];
  const mounts = [{ name: ctx.cacheVolume, mountPath: ctx.cacheMount }];
  return l.adapters.flatMap((a): Record<string, unknown>[] => {
    const s = a.source;
    if (s.type === 'huggingFace') {
      const script = `from huggingface_hub import snapshot_download\nsnapshot_download(repo_id=${JSON.stringify(s.repository)}, revision=${JSON.stringify(s.revision)}, local_dir=${JSON.stringify(a.path)})`;
      return [{
        name: `lora-${a.name}`, image: ctx.vllmImage, imagePullPolicy: 'IfNotPresent', command: ['python3', '-c', script],
        env: ctx.hfEnv, resources: INIT_RESOURCES, volumeMounts: mounts, securityContext: INIT_SECURITY,
      }];
    }
    if (s.type === 's3') {
      const args = ['s3', 'sync', s.uri, a.path, '--no-progress'];
      if (s.endpointUrl) args.push('--endpoint-url', s.endpointUrl);
      return [{
        name: `lora-${a.name}`, image: l.s3DownloaderImage, imagePullPolicy: 'IfNotPresent', command: ['aws'], args,
        env: [{ name: 'HOME', value: '/tmp' }],
        envFrom: s.credentialsSecret ? [{ secretRef: { name: s.credentialsSecret } }] : undefined,
        resources: INIT_RESOURCES, volumeMounts: mounts, securityContext: INIT_SECURITY,
      }];
    }
    return [];
  });
}

/** The adapters' share of a fit-check failure, with the numbers and the fix; undefined when LoRA is off. */
export function loraFitProblem(l: ResolvedLora | undefined, loraGiBPerGpu: number, availableKvGiB: number): Problem | undefined {
  if (!l || loraGiBPerGpu <= 0) return undefined;
  const withoutLora = Math.round((availableKvGiB + loraGiBPerGpu) * 100) / 100;
  return {
    field: 'lora',
    message: `reserves ${loraGiBPerGpu.toFixed(2)} GiB per GPU for LoRA (maxLoras ${l.maxLoras} x maxLoraRank ${l.maxLoraRank}), and the model no longer fits: ${availableKvGiB.toFixed(2)} GiB would be left for the KV cache (${withoutLora} GiB without the adapters)`,
    value: { maxLoras: l.maxLoras, maxLoraRank: l.maxLoraRank, adapters: l.adapters.length },
    fix: 'lower lora.maxLoras (fewer adapters per batch) or the adapters\' rank, lower maxModelLen, or use a larger GPU or more tensor parallelism',
  };
}
