import { App, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { existsSync } from 'fs';
import { checkSideFilePaths, saveSideFiles, SideFile } from '../core/side-files';

/**
 * Side files in a cdk8s app. A construct registers what it writes; the files are written into the app's output
 * directory at synth:
 *
 * - a `GpuplaneApp` writes them in its `synth()`, after the manifests (a synth that fails writes none);
 * - a plain cdk8s `App` has no hook after it writes its manifests, but it validates every construct after making the
 *   output directory (cdk8s 2.70 `App.synth()` in cdk8s/lib/app.js: `mkdirSync(outdir)`, then `validate`); a validation
 *   registered once on the app's root writes them then, when the output directory exists (`synthYaml()` validates
 *   too, so it writes them when the folder exists from an earlier synth, and so does `Testing.synth(chart)`, into
 *   `Testing.app()`'s temporary folder: cdk8s's `App._synthChart` validates the whole app). A
 *   validation error found after that hook stops the manifests but not the side files;
 * - `writeSideFiles(app)` writes them on demand, anywhere.
 */

const PRODUCERS = new WeakMap<IConstruct, () => readonly SideFile[]>();
const HOOKED = new WeakSet<IConstruct>();
const OWN_WRITER = new WeakSet<App>();

/** The top-level chart a construct is in (its id prefixes the side files, like the manifests file `<id>.k8s.yaml`). */
export function chartIdOf(construct: IConstruct): string {
  const root = construct.node.root;
  const top = construct.node.scopes.find((c) => c !== root && c.node.scope === root && Chart.isChart(c));
  return (top ?? Chart.of(construct)).node.id;
}

/**
 * Registers the side files a construct writes at synth; `files` is called at synth (so a file that can only be made
 * then, or that refuses, does so then).
 */
export function registerSideFiles(construct: Construct, files: () => readonly SideFile[]): void {
  PRODUCERS.set(construct, files);
  const root = construct.node.root;
  if (!(root instanceof App) || HOOKED.has(root)) return;
  HOOKED.add(root);
  root.node.addValidation({
    validate: () => {
      if (!OWN_WRITER.has(root) && existsSync(root.outdir)) writeSideFiles(root);
      return [];
    },
  });
}

/** Marks an App whose own `synth()` writes the side files (GpuplaneApp), so the validation hook leaves them alone. */
export function writesOwnSideFiles(app: App): void {
  OWN_WRITER.add(app);
}

/**
 * Every side file the app's constructs write, in construct order, with paths relative to the output directory.
 * Refuses two files at one path.
 */
export function sideFilesOf(scope: IConstruct): SideFile[] {
  return checkSideFilePaths(
    scope.node.findAll().flatMap((c) => {
      const files = PRODUCERS.get(c);
      return files ? [{ owner: c.node.path, files: files() }] : [];
    }),
  );
}

/**
 * Writes the side files of every gpuplane construct in the app (GPU Operator values, etcd kubeadm configurations,
 * hosts-mode member files and scripts, fleet SVGs) into `outdir`; returns the paths written. `GpuplaneApp.synth()`
 * and a plain `App`'s `synth()` already call it; call it yourself to write them elsewhere.
 * @param outdir the folder to write into; defaults to the app's output directory
 */
export function writeSideFiles(app: App, outdir: string = app.outdir): string[] {
  return saveSideFiles(outdir, sideFilesOf(app));
}
