import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';

/** Writes rule groups to a file and runs `promtool check rules`; returns promtool's output, throws on failure. */
export function promtoolCheckRules(groups: unknown[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-rules-'));
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, stringify({ groups }));
  const run = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`promtool check rules failed:\n${output}`);
  return output;
}

/** Runs `promtool test rules` on a unit-test file against the given rule groups. */
export function promtoolTestRules(groups: unknown[], tests: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpuplane-ruletest-'));
  writeFileSync(join(dir, 'rules.yaml'), stringify({ groups }));
  writeFileSync(join(dir, 'test.yaml'), stringify({ rule_files: ['rules.yaml'], evaluation_interval: '1m', tests }));
  try {
    return execFileSync('promtool', ['test', 'rules', 'test.yaml'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`promtool test rules failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}
