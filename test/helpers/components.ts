import { accessSync, constants, mkdirSync, symlinkSync } from 'fs';
import { join } from 'path';
import { execFileSync } from 'child_process';
import { hasBinary } from './binaries';

/**
 * The real components `.ci/build-components.sh` builds from their published Go modules, cached outside the
 * repository: `${GPUPLANE_BIN_DIR:-${GPUPLANE_CACHE_DIR:-/var/cache/gpuplane}/bin}` holds kube-apiserver and the
 * versioned etcd binaries (etcd-3.5, etcdctl-3.5, etcdutl-3.5, etcd-3.6, ...).
 */
export const CACHE_DIR = process.env.GPUPLANE_CACHE_DIR || '/var/cache/gpuplane';
export const BIN_DIR = process.env.GPUPLANE_BIN_DIR || join(CACHE_DIR, 'bin');
export const BUILD_HINT = 'build them with `bash .ci/build-components.sh` (Go 1.26 and the Go module proxy; about 7 minutes on 2 cores the first time, then cached)';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Path of a cached component (BIN_DIR/name), or undefined. */
export function componentPath(name: string): string | undefined {
  const p = join(BIN_DIR, name);
  return executable(p) ? p : undefined;
}

/** Path of an executable on PATH, or undefined. */
export function onPath(name: string): string | undefined {
  if (!hasBinary(name)) return undefined;
  return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
}

/**
 * `describe` for tests that need cached components. Under CI (CI=true) a missing component fails the suite; elsewhere
 * the suite is skipped with a loud message naming how to get them.
 */
export function describeWithComponents(components: readonly string[], name: string, body: () => void): void {
  const missing = components.filter((c) => !componentPath(c));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  const message = `${missing.join(', ')} not found in ${BIN_DIR}: ${BUILD_HINT}`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      test(`needs ${missing.join(', ')}`, () => {
        throw new Error(`${message} (CI=true: integration tests must not skip)`);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPING "${name}": ${message} ***\n`);
  describe.skip(name, body);
}

/** One etcd release line with its binaries. etcdutl exists from 3.5. */
export interface EtcdBinaries {
  readonly minor: '3.4' | '3.5' | '3.6';
  readonly etcd: string;
  readonly etcdctl: string;
  readonly etcdutl?: string;
}

/** The exact version an etcd binary reports (`etcd --version`: "etcd Version: 3.5.35"). */
export function etcdBinaryVersion(etcd: string): string {
  const out = execFileSync(etcd, ['--version'], { encoding: 'utf8' });
  const m = /etcd Version: (\d+\.\d+\.\d+)/.exec(out);
  if (!m) throw new Error(`cannot read the version of ${etcd}: ${out}`);
  return m[1];
}

/**
 * The etcd lines the integration tests run on: Debian's 3.4 (`etcd`, `etcdctl` on PATH) and the cached 3.5 and 3.6.
 * `missing` names what is absent, with how to get it.
 */
export function etcdLines(): { available: EtcdBinaries[]; missing: { minor: string; how: string }[] } {
  const available: EtcdBinaries[] = [];
  const missing: { minor: string; how: string }[] = [];
  const etcd34 = onPath('etcd');
  const etcdctl34 = onPath('etcdctl');
  if (etcd34 && etcdctl34 && etcdBinaryVersion(etcd34).startsWith('3.4.')) available.push({ minor: '3.4', etcd: etcd34, etcdctl: etcdctl34 });
  else missing.push({ minor: '3.4', how: "Debian's etcd 3.4: 'apt-get update && apt-get install -y etcd-server etcd-client'" });
  for (const minor of ['3.5', '3.6'] as const) {
    const [etcd, etcdctl, etcdutl] = ['etcd', 'etcdctl', 'etcdutl'].map((b) => componentPath(`${b}-${minor}`));
    if (etcd && etcdctl && etcdutl) available.push({ minor, etcd, etcdctl, etcdutl });
    else missing.push({ minor, how: `etcd-${minor}, etcdctl-${minor}, etcdutl-${minor} not found in ${BIN_DIR}: ${BUILD_HINT}` });
  }
  return { available, missing };
}

/**
 * A directory with `etcd`, `etcdctl` (and `etcdutl`) linked to one line's binaries, for renderers and scripts that
 * take a `binaryDir` and call `${binaryDir}/etcd`.
 */
export function linkEtcdBinaries(b: EtcdBinaries, dir: string): string {
  mkdirSync(dir, { recursive: true });
  symlinkSync(b.etcd, join(dir, 'etcd'));
  symlinkSync(b.etcdctl, join(dir, 'etcdctl'));
  if (b.etcdutl) symlinkSync(b.etcdutl, join(dir, 'etcdutl'));
  return dir;
}
