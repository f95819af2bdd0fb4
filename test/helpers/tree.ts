import { mkdtempSync, readdirSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';

/** A fresh temporary folder. */
export const tmp = (prefix = 'gpuplane-yaml-') => mkdtempSync(join(tmpdir(), prefix));

/** Every file under a folder, by relative path, with its bytes (latin1, so any byte difference shows). */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}
