import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { main, PlanIo } from '../../lib/cli/gpuplane';

const ROOT = resolve(__dirname, '../..');

const YAML = `
objective: gpus
workloads:
  - { name: chat, model: llama-3.1-8b, maxModelLen: 8192, concurrency: 8, replicas: 3 }
  - { name: embed, memoryGiB: 9, replicas: 4, isolation: shared }
gpus:
  - { gpu: H100-80GB, gpusPerNode: 8, hourlyPrice: 4.0, maxGpus: 64 }
  - { gpu: L40S, gpusPerNode: 4, hourlyPrice: 1.9 }
`;

function run(argv: string[], files: Record<string, string> = {}, stdin = ''): { status: number; out: string; err: string; written: Record<string, string> } {
  let out = '';
  let err = '';
  const written: Record<string, string> = {};
  const io: PlanIo = {
    readFile: (p) => { if (!(p in files)) throw new Error(`ENOENT: no such file '${p}'`); return files[p]; },
    readStdin: () => stdin,
    writeFile: (p, c) => { written[p] = c; },
    out: (t) => { out += t; },
    err: (t) => { err += t; },
  };
  return { status: main(argv, io), out, err, written };
}

describe('gpuplane plan', () => {
  test('prints the plan table for a YAML request, and the SVG when asked', () => {
    const r = run(['plan', 'fleet.yaml', '--svg', 'fleet.svg'], { 'fleet.yaml': YAML });
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^GPU fleet plan \(gpus\): 2 GPUs/);
    expect(r.out).toContain('embed#3');
    expect(r.written['fleet.svg']).toMatch(/^<svg/);
  });

  test('reads JSON from standard input and prints the plan as JSON', () => {
    const request = { workloads: [{ name: 'a', memoryGiB: 30, replicas: 2 }], gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3 }] };
    const r = run(['plan', '--json', '-'], {}, JSON.stringify(request));
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.out);
    expect(plan.gpus).toBe(1);
    expect(plan.assignments).toHaveLength(2);
  });

  test('fails with status 1 and the problems when the request is refused', () => {
    const r = run(['plan', 'bad.yaml'], { 'bad.yaml': 'workloads: [{ name: a, memoryGiB: -3 }]\ngpus: []\n' });
    expect(r.status).toBe(1);
    expect(r.err).toContain("'gpus' must offer at least one GPU model");
    expect(r.err).toContain("'workloads[0].memoryGiB' must be a positive, finite number of GiB (got -3)");
  });

  test('fails with status 2 on unreadable input and bad usage', () => {
    expect(run(['plan', 'missing.yaml']).status).toBe(2);
    expect(run(['plan']).status).toBe(2);
    expect(run(['plan', '--frobnicate', 'x.yaml']).status).toBe(2);
    expect(run(['deploy']).status).toBe(2);
    expect(run(['plan', 'list.yaml'], { 'list.yaml': '- 1\n' }).err).toMatch(/must hold a mapping/);
    expect(run(['--help']).status).toBe(0);
  });

  test('runs as a program (the bin entry)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuplane-plan-'));
    writeFileSync(join(dir, 'fleet.yaml'), YAML);
    const r = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), join(ROOT, 'lib/cli/gpuplane.ts'), 'plan', join(dir, 'fleet.yaml'), '--svg', join(dir, 'fleet.svg')], { encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('GPU fleet plan (gpus)');
    expect(readFileSync(join(dir, 'fleet.svg'), 'utf8')).toMatch(/<\/svg>\n$/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin.gpuplane).toBe('build/cli/gpuplane.js');
  });
});
