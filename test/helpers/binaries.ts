import { execFileSync } from 'child_process';

/** Whether an executable is on PATH. */
export function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` for tests that need a real binary. Under CI (CI=true) a missing binary fails the suite; elsewhere the
 * suite is skipped with a loud message naming the Debian packages to install.
 */
export function describeWithBinary(binary: string, debianPackages: string, name: string, body: () => void): void {
  if (hasBinary(binary)) {
    describe(name, body);
    return;
  }
  const message = `${binary} is not installed: install it with 'apt-get update && apt-get install -y ${debianPackages}'`;
  if (process.env.CI === 'true') {
    describe(name, () => {
      test(`needs ${binary}`, () => {
        throw new Error(`${message} (CI=true: integration tests must not skip)`);
      });
    });
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`\n*** SKIPPING "${name}": ${message} ***\n`);
  describe.skip(name, body);
}
