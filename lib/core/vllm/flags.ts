/**
 * vLLM's command line as gpuplane reads it: one model for the flags gpuplane renders, the flags users pass through
 * `extraArgs`, and the flags the production rules read from manifests gpuplane did not write. vLLM's argparse accepts
 * `--max-model-len` and `--max_model_len`, `--flag=value` and `--flag value`, and a few short aliases.
 */

/** A command-line word with a long flag's name spelled with dashes, as vLLM reads it (`--max_model_len=8` is `--max-model-len=8`). */
export function normalizeFlag(word: string): string {
  if (!word.startsWith('--')) return word;
  const eq = word.indexOf('=');
  return eq < 0 ? word.replace(/_/g, '-') : word.slice(0, eq).replace(/_/g, '-') + word.slice(eq);
}

/** Short aliases vLLM defines (`-tp 4` is `--tensor-parallel-size 4`). */
export const VLLM_FLAG_ALIASES: Readonly<Record<string, string>> = {
  '-tp': '--tensor-parallel-size',
  '-pp': '--pipeline-parallel-size',
  '-dp': '--data-parallel-size',
  '-q': '--quantization',
};

/** Flags that take no value: the word after them is not theirs. */
const BOOLEAN_FLAGS = new Set([
  '--enforce-eager', '--enable-lora', '--trust-remote-code', '--enable-prefix-caching', '--no-enable-prefix-caching',
  '--enable-chunked-prefill', '--no-enable-chunked-prefill', '--disable-log-stats', '--enable-expert-parallel', '--headless',
  '--disable-log-requests', '--enable-log-requests', '--no-enable-log-requests', '--disable-custom-all-reduce',
  '--enable-auto-tool-choice', '--enable-sleep-mode', '--disable-frontend-multiprocessing', '--enable-prompt-tokens-details',
]);

export interface VllmFlag {
  /** The long name with dashes (`--max-model-len`), aliases expanded. */
  readonly name: string;
  /** The value (`--x=v` or `--x v`); undefined for a flag without one. */
  readonly value?: string;
  /** The words as given. */
  readonly raw: string;
}

export interface ParsedVllmArgs {
  readonly flags: readonly VllmFlag[];
  /** Words that are not flags or flag values (the model, for `vllm serve <model>`). */
  readonly positional: readonly string[];
  /** Words argparse would not read as intended (a flag and its value in one word with a space). */
  readonly malformed: readonly string[];
}

/** Reads a vLLM argument list the way its argparse does. */
export function parseVllmArgs(words: readonly string[]): ParsedVllmArgs {
  const flags: VllmFlag[] = [];
  const positional: string[] = [];
  const malformed: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (/^-/.test(word) && /\s/.test(word.trim())) {
      malformed.push(word);
      continue;
    }
    const isFlag = word.startsWith('--') || VLLM_FLAG_ALIASES[word.split('=')[0]] !== undefined;
    if (!isFlag) {
      positional.push(word);
      continue;
    }
    const normalized = normalizeFlag(word);
    const eq = normalized.indexOf('=');
    const head = eq < 0 ? normalized : normalized.slice(0, eq);
    const name = VLLM_FLAG_ALIASES[head] ?? head;
    if (eq >= 0) {
      flags.push({ name, value: normalized.slice(eq + 1), raw: word });
      continue;
    }
    const next = words[i + 1];
    const takesNext = next !== undefined && !BOOLEAN_FLAGS.has(name) && (!next.startsWith('-') || /^-\d/.test(next));
    if (takesNext) {
      flags.push({ name, value: next, raw: `${word} ${next}` });
      i++;
    } else {
      flags.push({ name, raw: word });
    }
  }
  return { flags, positional, malformed };
}

/** The value of a flag (`true` for one without a value), the last occurrence winning as in argparse; undefined when absent. */
export function flagValue(parsed: ParsedVllmArgs, name: string): string | true | undefined {
  let found: string | true | undefined;
  for (const f of parsed.flags) if (f.name === name) found = f.value ?? true;
  return found;
}

/** How gpuplane treats a vLLM flag passed through `extraArgs`. */
export interface VllmFlagRule {
  /** `managed`: rendered from the typed option `prop`; `refused`: changes memory or GPU shape in a way gpuplane cannot size yet. */
  readonly kind: 'managed' | 'refused';
  /** The typed option to set instead. */
  readonly prop?: string;
  /** Why, in a sentence. */
  readonly reason: string;
}

const managed = (prop: string, reason = `gpuplane renders it from '${prop}', which also feeds the fit check`): VllmFlagRule => ({ kind: 'managed', prop, reason });
const refused = (reason: string, prop?: string): VllmFlagRule => ({ kind: 'refused', reason, prop });
const LORA = managed('adapters', "gpuplane renders the LoRA flags from 'adapters' and 'lora', which also feed the fit check");
const SPECULATIVE = refused("a speculative-decoding draft model adds its own weights and KV cache, which the fit check does not size yet");
const KV_OFFLOAD = refused('KV offloading moves cache to host memory that the pod memory request does not include yet');
const MULTI_NODE = managed('pipelineParallelSize', 'gpuplane renders the multi-node launch (Ray or --nnodes/--node-rank/--master-addr/--headless, per vLLM version) from tensorParallelSize x pipelineParallelSize and gpusPerNode');
const REQUEST_LOGGING = managed('(request logging is always off)', 'gpuplane keeps request payloads out of the logs in the spelling the pinned version accepts');

/**
 * Every vLLM flag that changes memory, GPU count or shape, or that gpuplane renders itself. Flags not listed pass
 * through unchanged (vLLM checks them when it starts).
 */
export const VLLM_FLAG_RULES: Readonly<Record<string, VllmFlagRule>> = {
  '--model': managed('model'),
  '--revision': managed('modelRevision', "gpuplane renders it from 'modelRevision', which the loader Job fetches into the cache"),
  '--served-model-name': managed('servedModelName', "gpuplane renders it from 'servedModelName', which the KEDA query and the routing use"),
  '--port': managed('(fixed at 8000)', 'the Service, probes and monitors use port 8000'),
  '--tensor-parallel-size': managed('tensorParallelSize', "gpuplane renders it from 'tensorParallelSize', which sets the GPUs the pod requests and /dev/shm"),
  '--gpu-memory-utilization': managed('gpuMemoryUtilization'),
  '--max-model-len': managed('maxModelLen'),
  '--max-num-seqs': managed('maxNumSeqs'),
  '--max-num-batched-tokens': managed('maxNumBatchedTokens', "gpuplane renders it from 'maxNumBatchedTokens', which sizes the activation peak in the fit check"),
  '--block-size': managed('blockSize', "gpuplane renders it from 'blockSize', which the fit check rounds the KV cache by"),
  '--enforce-eager': managed('enforceEager'),
  '--kv-cache-dtype': managed('kvCacheDtype'),
  '--quantization': managed('quantization'),
  '--shutdown-timeout': managed('terminationGracePeriodSeconds', "gpuplane derives it from 'terminationGracePeriodSeconds' so streams drain before the kubelet kills the pod"),
  '--disable-log-requests': REQUEST_LOGGING,
  '--enable-log-requests': REQUEST_LOGGING,
  '--no-enable-log-requests': REQUEST_LOGGING,
  '--pipeline-parallel-size': managed('pipelineParallelSize', "gpuplane renders it from 'pipelineParallelSize', which sets the GPUs per replica, the nodes it spans and the fit check per rank"),
  '--distributed-executor-backend': MULTI_NODE,
  '--nnodes': MULTI_NODE,
  '--node-rank': MULTI_NODE,
  '--master-addr': MULTI_NODE,
  '--master-port': managed('multiNode.masterPort', "gpuplane renders it from 'multiNode.masterPort' on multi-node services"),
  '--headless': MULTI_NODE,
  '--data-parallel-size': refused('data parallelism runs several engines in one pod, each with its own GPUs and KV cache', 'replicas'),
  '--data-parallel-size-local': refused('data parallelism runs several engines in one pod, each with its own GPUs and KV cache', 'replicas'),
  '--enable-lora': LORA,
  '--max-loras': LORA,
  '--max-lora-rank': LORA,
  '--max-cpu-loras': LORA,
  '--lora-modules': LORA,
  '--speculative-config': SPECULATIVE,
  '--speculative-model': SPECULATIVE,
  '--num-speculative-tokens': SPECULATIVE,
  '--cpu-offload-gb': refused('CPU weight offloading moves weights into host memory that the pod memory request does not include, and changes the GPU fit'),
  '--kv-offloading-size': KV_OFFLOAD,
  '--kv-offloading-backend': KV_OFFLOAD,
  '--kv-transfer-config': KV_OFFLOAD,
  '--kv-cache-memory': refused('it sizes the KV cache directly, bypassing gpuMemoryUtilization and the fit check', 'gpuMemoryUtilization'),
  '--kv-cache-memory-bytes': refused('it sizes the KV cache directly, bypassing gpuMemoryUtilization and the fit check', 'gpuMemoryUtilization'),
  '--num-gpu-blocks-override': refused('it overrides the KV cache size the fit check computed', 'gpuMemoryUtilization'),
  '--config': refused('flags read from a file gpuplane cannot see escape every check; pass them as typed options or extraArgs'),
  '--api-key': refused('the key would be written into the rendered manifest in clear text; keep secrets out of arguments'),
};

/** `--dtype` values that keep the checkpoint's 2-byte weights the fit check assumes. */
export const TWO_BYTE_DTYPES: readonly string[] = ['auto', 'bfloat16', 'float16', 'half'];
