#!/usr/bin/env node
/**
 * gpuplane-check: gpuplane's checks (production rules, semantic checks, upstream schemas) over manifests it did not
 * render, e.g. `helm template ... | npx gpuplane-check -`. Exit status 0 when clean, 1 with problems, 2 when the
 * input cannot be read.
 *
 * `--post-render` makes it a Helm post-renderer: manifests on standard input, the same bytes on standard output when
 * they are clean, problems on standard error and a non-zero exit otherwise. Helm 4 takes post-renderers only as
 * plugins (`--post-renderer <plugin name>`), so `--helm-plugin DIR` writes a `postrenderer/v1` plugin that runs this
 * command; `helm plugin install DIR` installs it under the name `gpuplane`.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { refuse } from '../core/errors';
import { checkManifests, ManifestParseError, ManifestSource } from '../core/validate';

const USAGE = `usage: gpuplane-check [--rules-only] [--closed] <manifest.yaml | -> ...
       gpuplane-check --post-render [--rules-only] [--closed]
       gpuplane-check --helm-plugin <dir>
  Checks Kubernetes manifests with gpuplane's production rules, semantic checks and upstream schemas.
  -              read standard input
  --rules-only   run only the production rules (no schema or semantic checks)
  --closed       the manifests are the whole application: every Service, PDB and autoscaler must select a
                 workload among them
  --post-render  Helm post-renderer: read standard input, write it unchanged to standard output when clean,
                 problems to standard error (nothing to standard output) and exit 1 otherwise
  --helm-plugin  write a Helm 4 postrenderer/v1 plugin into <dir>/gpuplane that runs --post-render; then
                 'helm plugin install <dir>/gpuplane' and 'helm install|template ... --post-renderer gpuplane'
Exit status: 0 clean, 1 problems found, 2 unreadable input.`;

/** The name `helm plugin install` gives the plugin writeHelmPlugin writes; pass it to `--post-renderer`. */
export const HELM_PLUGIN_NAME = 'gpuplane';

/**
 * Writes a Helm 4 `postrenderer/v1` plugin (subprocess runtime) into `parent/gpuplane` whose command is `command`
 * followed by `--post-render` and `extraArgs` (Helm appends the `--post-renderer-args` values). `command` is the
 * program and its leading arguments, e.g. `[process.execPath, '/path/to/build/cli/gpuplane-check.js']`. Returns the
 * plugin directory. Helm 4.1 installs a local plugin under its directory's name, hence the fixed `gpuplane` folder.
 */
export function writeHelmPlugin(parent: string, command: readonly string[], extraArgs: readonly string[] = []): string {
  if (command.length === 0) refuse('writeHelmPlugin', { field: 'command', message: 'must name the program that runs gpuplane-check', value: command, fix: 'e.g. [process.execPath, "/path/to/build/cli/gpuplane-check.js"]' });
  const dir = join(parent, HELM_PLUGIN_NAME);
  mkdirSync(dir, { recursive: true });
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  // Helm 4.1 captures a post-renderer plugin's stderr and shows only "plugin exited with error", so the script keeps
  // the problems in a report file (GPUPLANE_POST_RENDER_REPORT, default $TMPDIR/gpuplane-post-render.txt), copies
  // them to stderr anyway, and to the terminal when there is one.
  const script = [
    '#!/bin/sh',
    "# Written by gpuplane-check --helm-plugin: Helm pipes the rendered manifests through gpuplane's checks.",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion, not a template
    'report="${GPUPLANE_POST_RENDER_REPORT:-${TMPDIR:-/tmp}/gpuplane-post-render.txt}"',
    `${[...command, '--post-render', ...extraArgs].map(quote).join(' ')} "$@" 2>"$report"`,
    'status=$?',
    'cat "$report" >&2',
    'if [ "$status" -ne 0 ]; then',
    '  { cat "$report" > /dev/tty; } 2>/dev/null',
    '  echo "gpuplane-check: the problems are in $report" >&2',
    'fi',
    'exit "$status"',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'post-render.sh'), script);
  chmodSync(join(dir, 'post-render.sh'), 0o755);
  writeFileSync(
    join(dir, 'plugin.yaml'),
    [
      'apiVersion: v1',
      'type: postrenderer/v1',
      `name: ${HELM_PLUGIN_NAME}`,
      'version: 0.1.0',
      'runtime: subprocess',
      'runtimeConfig:',
      '  platformCommand:',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Helm expands it in plugin.yaml
      '    - command: ${HELM_PLUGIN_DIR}/post-render.sh',
      '',
    ].join('\n'),
  );
  return dir;
}

export interface CheckIo {
  readonly readFile: (path: string) => string;
  readonly readStdin: () => string;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Writes text to standard output as is (the post-renderer's manifests). Defaults to `out` without a newline. */
  readonly write?: (text: string) => void;
}

/** Runs the command; returns the exit status. */
export function main(argv: readonly string[], io: CheckIo): number {
  const rulesOnly = argv.includes('--rules-only');
  const closedWorld = argv.includes('--closed');
  const postRender = argv.includes('--post-render');
  const unknown = argv.filter((a) => a.startsWith('--') && !['--rules-only', '--closed', '--help', '--post-render', '--helm-plugin'].includes(a));
  const inputs = argv.filter((a) => !a.startsWith('--'));
  if (argv.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  if (argv.includes('--helm-plugin')) {
    if (inputs.length !== 1 || argv.length !== 2) {
      io.err(`gpuplane-check: --helm-plugin takes one directory and no other option (got ${JSON.stringify(argv)})\n${USAGE}`);
      return 2;
    }
    const dir = writeHelmPlugin(resolve(inputs[0]), [process.execPath, __filename]);
    io.err(`gpuplane-check: wrote the Helm post-renderer plugin to ${dir}; install it with 'helm plugin install ${dir}' and pass '--post-renderer ${HELM_PLUGIN_NAME}' to helm install, upgrade or template`);
    return 0;
  }
  if (postRender) return postRenderMain(argv, io);
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

/**
 * The post-renderer: Helm writes the rendered manifests to standard input and reads the (possibly changed) manifests
 * from standard output; a non-zero exit fails the install, upgrade or template. Standard output carries only the
 * manifests, so everything else goes to standard error.
 */
function postRenderMain(argv: readonly string[], io: CheckIo): number {
  const rulesOnly = argv.includes('--rules-only');
  const closedWorld = argv.includes('--closed');
  // Helm appends --post-renderer-args; file names make no sense here (the input is what Helm rendered).
  const inputs = argv.filter((a) => !a.startsWith('--'));
  if (inputs.length > 0) {
    io.err(`gpuplane-check --post-render: unexpected argument ${JSON.stringify(inputs[0])}; the post-renderer reads only standard input (allowed options: --rules-only, --closed)`);
    return 2;
  }
  let text: string;
  try {
    text = io.readStdin();
  } catch (e) {
    io.err(`gpuplane-check --post-render: ${(e as Error).message}`);
    return 2;
  }
  try {
    const result = checkManifests([{ name: 'helm post-render input', text }], { rulesOnly, closedWorld });
    if (result.problems.length === 0) {
      (io.write ?? io.out)(text);
      return 0;
    }
    for (const p of result.problems) io.err(p);
    io.err(`gpuplane-check --post-render: ${result.objects} object(s), ${result.problems.length} problem(s)${rulesOnly ? " (production rules only)" : ""}: the release is refused; fix the chart or its values`);
    return 1;
  } catch (e) {
    if (e instanceof ManifestParseError) {
      io.err(`gpuplane-check --post-render: ${e.message}`);
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
    write: (text) => process.stdout.write(text),
  });
}
