import type { GpuInput, GpuSpec } from '../catalog/gpus';
import { ModelArchitecture, QUANTIZATIONS } from '../catalog/models';
import type { GpuPlacement } from '../gpu/placement';
import type { MigGeometry } from '../catalog/mig-geometry';
import { dnsSubdomain, labelValue } from './formats';
import { alt, arr, bool, custom, isPlainObject, num, obj, oneOf, opt, posInt, Schema, str } from './schema';

/** Option schemas used by more than one construct: GPUs, model architectures, placements. */

const migGeometry = custom<MigGeometry>('MIG geometry', (v) => (isPlainObject(v) && isPlainObject(v.profiles) ? undefined : 'must be a MIG geometry (take it from a catalog GPU)'));

/** A GPU of the user's own: only the memory the driver reports is required. */
export const CUSTOM_GPU: Schema<Partial<GpuSpec> & { readonly memoryGiB: number }> = obj<Partial<GpuSpec> & { readonly memoryGiB: number }>({
  id: opt(str({ minLength: 1 })),
  memoryGiB: num({ gt: 0, max: 4096, fix: 'pass the device memory the driver reports in GiB, e.g. 79.2 for an H100 80GB' }),
  nominalMemoryGB: opt(num({ gt: 0 })),
  productLabel: opt(labelValue()),
  computeCapability: opt(num({ gt: 0 })),
  migCapable: opt(bool()),
  mig: opt(migGeometry),
  pciDeviceIds: opt(arr(str({ test: (s) => (/^0x[0-9A-Fa-f]{8}$/.test(s) ? undefined : 'must be a PCI device id like 0x233010DE') }))),
  family: opt(str({ minLength: 1 })),
}, { expected: 'a GPU: a catalog id or { memoryGiB }' });

/** A catalog GPU id or `{ memoryGiB, ... }`; unknown ids are refused where the catalog is consulted. */
export const GPU_INPUT: Schema<GpuInput> = alt({ string: str({ minLength: 1, expected: 'a catalog GPU id' }), object: CUSTOM_GPU });

const positive = (fix: string) => num({ gt: 0, fix });
const count = (fix: string) => posInt(fix);

/** Architecture facts (from config.json) for a model outside the catalog. */
export const MODEL_ARCHITECTURE: Schema<ModelArchitecture> = obj<ModelArchitecture>({
  layers: count('num_hidden_layers from config.json'),
  kvHeads: count('num_key_value_heads from config.json'),
  headDim: count('head_dim from config.json, else hidden_size / num_attention_heads'),
  parameters: positive('the total parameter count, e.g. 8.03e9'),
  dtypeBytes: opt(num({ gt: 0, max: 4, fix: 'use 2 for bf16/fp16 checkpoints, 1 for fp8' })),
  attentionHeads: opt(count('num_attention_heads from config.json')),
  hiddenSize: opt(count('hidden_size from config.json')),
  intermediateSize: opt(count('intermediate_size from config.json')),
  vocabSize: opt(count('vocab_size from config.json')),
  tieWordEmbeddings: opt(bool()),
  maxPositionEmbeddings: opt(count('max_position_embeddings from config.json')),
  attention: opt(oneOf(['standard', 'mla'])),
  kvLoraRank: opt(count('kv_lora_rank from config.json')),
  qkRopeHeadDim: opt(count('qk_rope_head_dim from config.json')),
  moe: opt(bool()),
  weightsGiB: opt(positive('the checkpoint size in GiB')),
  expertParameters: opt(positive('the parameters in routed experts, e.g. 113e9')),
  experts: opt(count('num_local_experts or n_routed_experts from config.json')),
  expertsPerToken: opt(count('num_experts_per_tok from config.json')),
  slidingWindow: opt(count('sliding_window from config.json')),
  slidingWindowLayers: opt(num({ integer: true, min: 0, fix: 'count the sliding-window layers in layer_types' })),
  multimodal: opt(bool()),
  encoderProfileGiB: opt(num({ min: 0, fix: 'the encoder cache the startup log reports, in GiB' })),
}, { expected: 'a model architecture', fix: 'build it with architectureFromHuggingFaceConfig(config.json)' });

export const QUANTIZATION = oneOf(QUANTIZATIONS);

/** A placement handle from `pool.slice(...)`. */
export const PLACEMENT = custom<GpuPlacement>('a placement from pool.slice()', (v) => {
  if (!isPlainObject(v)) return 'must be a placement from pool.slice(profile)';
  const ok = typeof v.poolName === 'string' && typeof v.resourceName === 'string' && typeof v.memoryGiB === 'number' && Number.isFinite(v.memoryGiB)
    && isPlainObject(v.gpu) && Array.isArray(v.tolerations) && isPlainObject(v.nodeSelector) && typeof v.gpusPerNode === 'number';
  return ok ? undefined : 'must be a placement from pool.slice(profile), not an object built by hand';
}, 'take it from pool.slice(profile) of a MigNodePool or GpuNodePool');

/** Names of Kubernetes objects a construct references (claims, Secrets, storage classes). */
export const objectName = (fix: string): Schema<string> => dnsSubdomain(fix);
