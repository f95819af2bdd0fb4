import { SideFile } from '../core/side-files';

/** Side files as a stack output: path (relative to an output folder) to content, in the order they were made. */
export function sideFileMap(files: readonly SideFile[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f.path, f.content]));
}
