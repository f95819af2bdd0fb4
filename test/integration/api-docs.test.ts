/**
 * The API reference (`npm run docs`, TypeDoc with typedoc.json): entry points are the package's exports (lib/index.ts,
 * lib/pulumi/index.ts, lib/pulumi/policy.ts). typedoc.json makes every warning an error (treatWarningsAsErrors), and
 * the warnings include an exported declaration without documentation (validation.notDocumented, for the kinds in
 * requiredToBeDocumented), a `{@link}` that resolves to nothing (invalidLink) and a relative link that is not
 * rewritten (rewrittenLink). This builds it once into a temporary folder: it fails on any of them, and checks that
 * the `@default` values and their reasons reach the pages.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '../..');

describe('API reference (TypeDoc)', () => {
  const out = mkdtempSync(join(tmpdir(), 'gpuplane-api-docs-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('builds with no warning: every export documented, no broken link', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    const output = `${r.stdout}${r.stderr}`;
    expect({ status: r.status, warnings: output.split('\n').filter((l) => /\[(warning|error)\]/.test(l)) }).toEqual({ status: 0, warnings: [] });
    // The package's three entry points are its three modules.
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const m of ['index', 'pulumi', 'pulumi/policy']) expect(index).toContain(`>${m}<`);
  });

  test('option pages show each @default with its reason', () => {
    const text = (page: string) => readFileSync(join(out, page), 'utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    expect(text('interfaces/index.GpuOperatorStackProps.html')).toMatch(/Default <chart id>\.values\.yaml - the values helm install needs/);
    expect(text('interfaces/index.GpuFleetProps.html')).toMatch(/Default true - the plan is what a reviewer wants to see/);
  });
});
