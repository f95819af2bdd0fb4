import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import { parse, parseAllDocuments } from 'yaml';

/** `../shared/reference` beside the repository (CI clones the repo with shared/ next to it). */
export const REFERENCE_DIR = resolve(__dirname, '..', '..', '..', 'shared', 'reference');

export function referencePath(...parts: string[]): string {
  const p = join(REFERENCE_DIR, ...parts);
  if (!existsSync(p)) throw new Error(`reference file ${p} is missing: the tests read NVIDIA's and etcd's upstream files from ../shared/reference`);
  return p;
}

export function readReferenceJson<T = any>(...parts: string[]): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(readFileSync(referencePath(...parts), 'utf8'));
}

export function readReferenceYaml<T = any>(...parts: string[]): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return parse(readFileSync(referencePath(...parts), 'utf8'));
}

export function readReferenceYamlDocuments(...parts: string[]): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return parseAllDocuments(readFileSync(referencePath(...parts), 'utf8')).map((d) => d.toJSON());
}

/** Reference GPU keys (mig-profiles.json) -> gpuplane catalog ids. */
export const REFERENCE_GPU_IDS: Record<string, string> = {
  'A100-SXM4-40GB': 'A100-40GB',
  'A100-80GB': 'A100-80GB',
  'H100-80GB': 'H100-80GB',
  'H100-94GB': 'H100-94GB',
  'H100-96GB-GH200': 'H100-96GB',
  'GH200-144GB-HBM3e': 'GH200-144GB',
  'H200-141GB': 'H200',
  'B200-180GB': 'B200',
  'GB200-186GB': 'GB200',
  'A30-24GB': 'A30',
};
