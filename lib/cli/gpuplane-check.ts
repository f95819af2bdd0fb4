#!/usr/bin/env node
/**
 * gpuplane-check: gpuplane's checks (production rules, semantic checks, upstream schemas) over manifests it did not
 * render, e.g. `helm template ... | npx gpuplane-check -`. Exit status 0 when clean, 1 with problems, 2 when the
 * input cannot be read.
 */
import { readFileSync } from 'fs';
import { checkManifests, ManifestParseError, ManifestSource } from '../core/validate';

const USAGE = `usage: gpuplane-check [--rules-only] [--closed] <manifest.yaml | -> ...
  Checks Kubernetes manifests with gpuplane's production rules, semantic checks and upstream schemas.
  -              read standard input
  --rules-only   run only the production rules (no schema or semantic checks)
  --closed       the manifests are the whole application: every Service, PDB and autoscaler must select a
                 workload among them
Exit status: 0 clean, 1 problems found, 2 unreadable input.`;

export interface CheckIo {
  readonly readFile: (path: string) => string;
  readonly readStdin: () => string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Runs the command; returns the exit status. */
export function main(argv: readonly string[], io: CheckIo): number {
  const rulesOnly = argv.includes('--rules-only');
  const closedWorld = argv.includes('--closed');
  const unknown = argv.filter((a) => a.startsWith('--') && !['--rules-only', '--closed', '--help'].includes(a));
  const inputs = argv.filter((a) => !a.startsWith('--'));
  if (argv.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  if (unknown.length > 0 || inputs.length === 0) {
    io.err(unknown.length > 0 ? `gpuplane-check: unknown option ${unknown[0]}\n${USAGE}` : `gpuplane-check: no manifest given\n${USAGE}`);
    return 2;
  }
  let sources: ManifestSource[];
  try {
    sources = inputs.map((name) => ({ name, text: name === '-' ? io.readStdin() : io.readFile(name) }));
  } catch (e) {
    io.err(`gpuplane-check: ${(e as Error).message}`);
    return 2;
  }
  try {
    const result = checkManifests(sources, { rulesOnly, closedWorld });
    for (const p of result.problems) io.out(p);
    const skipped = result.withoutSchema.length > 0 ? `; no schema known for ${result.withoutSchema.join(', ')} (other checks ran)` : '';
    io.err(`gpuplane-check: ${result.objects} object(s), ${result.problems.length} problem(s)${rulesOnly ? ' (production rules only)' : skipped}`);
    return result.problems.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof ManifestParseError) {
      io.err(`gpuplane-check: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    readFile: (path) => readFileSync(path, 'utf8'),
    readStdin: () => readFileSync(0, 'utf8'),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
