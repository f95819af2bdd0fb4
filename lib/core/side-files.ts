import { mkdirSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { GpuplaneValidationError, Problem, refuse } from './errors';
import { EtcdHostsRender } from './etcd/hosts';
import { alt, obj, off, opt, Schema, str } from './options/schema';

/**
 * Side files: what a construct renders that is not a Kubernetes manifest and is written beside the manifests (the GPU
 * Operator's plain Helm values, an etcd cluster's kubeadm ClusterConfiguration, a hosts-mode cluster's member files
 * and scripts, a fleet's SVG picture). Paths are relative to the output directory and use `/`.
 */
export interface SideFile {
  /** Where the file goes, relative to the output directory (`gpu-operator.values.yaml`, `etcd/etcd-1/etcd.env`). */
  readonly path: string;
  /** The file's content. */
  readonly content: string;
}

/** File names for a GpuOperatorStack's side file. */
export interface GpuOperatorSideFileNames {
  /**
   * The plain Helm values file, for `helm install gpu-operator nvidia/gpu-operator -f <file>`.
   * @default `<prefix>.values.yaml` - beside `<prefix>.k8s.yaml`, the prefix being the chart id (cdk8s) or the component name (Pulumi)
   */
  readonly valuesFile?: string;
}

/** File names for an ExternalEtcdCluster's side files. */
export interface EtcdSideFileNames {
  /**
   * The kubeadm ClusterConfiguration that points API servers at the cluster.
   * @default `<prefix>.kubeadm.yaml` - beside `<prefix>.k8s.yaml`, the prefix being the chart id (cdk8s) or the component name (Pulumi)
   */
  readonly kubeadmFile?: string;
  /**
   * Hosts mode: the folder for each member's `<member>/etcd.env`, `<member>/etcd.service` and `<member>/command.txt`,
   * the operational scripts and the timer units.
   * @default `<prefix>` - a folder named like the manifests file, so two clusters never share one
   */
  readonly hostsDirectory?: string;
}

/** A construct's `sideFiles` option: `false` writes none, an object renames them. */
export type SideFilesOption<Names> = false | Names;

/** Whether a path stays inside the output directory and reads the same on every platform; what is wrong if not. */
function relativePathProblem(p: string): string | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'must be relative to the output directory';
  if (p.includes('\\')) return 'must use "/" between folders';
  const parts = p.split('/');
  if (parts.some((s) => s === '' || s === '.' || s === '..')) return 'must not have empty, "." or ".." segments (the file stays inside the output directory)';
  return undefined;
}

const relativePath = (example: string): Schema<string> =>
  str({ minLength: 1, expected: 'a relative file path', test: relativePathProblem, fix: `use e.g. "${example}"` });

const OFF_OR = <T>(names: Schema<T>): Schema<SideFilesOption<T>> => alt({ boolean: off(), object: names });

/** The schema of GpuOperatorStack's `sideFiles` option. */
export const GPU_OPERATOR_SIDE_FILES: Schema<SideFilesOption<GpuOperatorSideFileNames>> = OFF_OR(
  obj<GpuOperatorSideFileNames>({ valuesFile: opt(relativePath('gpu-operator/values.yaml')) }),
);

/** The schema of ExternalEtcdCluster's `sideFiles` option. */
export const ETCD_SIDE_FILES: Schema<SideFilesOption<EtcdSideFileNames>> = OFF_OR(
  obj<EtcdSideFileNames>({ kubeadmFile: opt(relativePath('control-plane/kubeadm.yaml')), hostsDirectory: opt(relativePath('etcd-hosts')) }),
);

/** Checks a construct's `sideFiles` option (at construction, so a typo is refused where it was written). */
export function checkSideFilesOption<T extends object>(subject: string, schema: Schema<SideFilesOption<T>>, option: SideFilesOption<T> | undefined): void {
  const problems: Problem[] = [];
  if (option !== undefined) schema.check(option, 'sideFiles', problems);
  if (problems.length > 0) throw new GpuplaneValidationError(subject, problems);
}

/** The GPU Operator's side files: its plain Helm values. */
export function gpuOperatorSideFiles(subject: string, prefix: string, valuesYaml: string, option?: SideFilesOption<GpuOperatorSideFileNames>): SideFile[] {
  checkSideFilesOption(subject, GPU_OPERATOR_SIDE_FILES, option);
  if (option === false) return [];
  return [{ path: option?.valuesFile ?? `${prefix}.values.yaml`, content: valuesYaml }];
}

/**
 * An etcd cluster's side files: the kubeadm ClusterConfiguration and, in hosts mode, every member's command line,
 * environment file and systemd unit, the scripts and the timers. `kubeadmYaml` is called only when the file is wanted.
 */
export function etcdSideFiles(subject: string, prefix: string, kubeadmYaml: () => string, hostFiles: EtcdHostsRender | undefined, option?: SideFilesOption<EtcdSideFileNames>): SideFile[] {
  checkSideFilesOption(subject, ETCD_SIDE_FILES, option);
  if (option === false) return [];
  const files: SideFile[] = [{ path: option?.kubeadmFile ?? `${prefix}.kubeadm.yaml`, content: kubeadmYaml() }];
  if (!hostFiles) return files;
  const dir = option?.hostsDirectory ?? prefix;
  for (const m of hostFiles.members) {
    files.push({ path: `${dir}/${m.member.name}/etcd.env`, content: m.environmentFile });
    files.push({ path: `${dir}/${m.member.name}/etcd.service`, content: m.systemdUnit });
    files.push({ path: `${dir}/${m.member.name}/command.txt`, content: `${m.command.join(' \\\n  ')}\n` });
  }
  files.push({ path: `${dir}/etcd-health-check.sh`, content: hostFiles.scripts.healthCheck });
  files.push({ path: `${dir}/etcd-backup.sh`, content: hostFiles.scripts.backup });
  files.push({ path: `${dir}/etcd-defrag.sh`, content: hostFiles.scripts.defrag });
  files.push({ path: `${dir}/etcd-restore.sh`, content: hostFiles.scripts.restore });
  for (const [name, unit] of Object.entries(hostFiles.timers)) files.push({ path: `${dir}/${name}`, content: unit });
  return files;
}

/** One owner's side files, for the check that no two owners write the same path. */
export interface OwnedSideFiles {
  /** Who writes them, as the error should name it (a construct path, a component name). */
  readonly owner: string;
  readonly files: readonly SideFile[];
}

/**
 * Refuses two side files at one path (two stacks in one chart, a renamed file that lands on another's) instead of
 * letting the last one win; returns the files in order.
 */
export function checkSideFilePaths(owned: readonly OwnedSideFiles[]): SideFile[] {
  const seen = new Map<string, string>();
  const out: SideFile[] = [];
  for (const { owner, files } of owned) {
    for (const f of files) {
      const first = seen.get(f.path);
      if (first !== undefined) {
        refuse(owner, {
          field: 'sideFiles', message: `writes '${f.path}', which ${first === owner ? 'it' : `'${first}'`} already writes`, value: f.path,
          allowed: 'one file per path', fix: 'rename one with the sideFiles option (e.g. sideFiles: { valuesFile: ... }), put the constructs in charts of their own, or pass sideFiles: false',
        });
      }
      seen.set(f.path, owner);
      out.push(f);
    }
  }
  return out;
}

/** Writes side files under `directory` (folders made as needed); returns the paths written, in order. */
export function saveSideFiles(directory: string, files: readonly SideFile[]): string[] {
  checkSideFilePaths([{ owner: 'saveSideFiles', files }]);
  return files.map((f) => {
    const problem = relativePathProblem(f.path);
    if (problem !== undefined) refuse('saveSideFiles', { field: 'path', message: problem, value: f.path, fix: 'give paths relative to the output directory, with "/" between folders' });
    const path = join(directory, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    return path;
  });
}
