/**
 * One measurement, in a process of its own so peak memory is this run's alone:
 *   synth-one.ts <gpuplane|gpuplane-cdk8s-writer|baseline|floor|core> <count>
 * - gpuplane: N VllmServices (Llama 3.1 8B on an H100, every default) in a GpuplaneApp (the direct YAML writer).
 * - gpuplane-cdk8s-writer: the same in a plain cdk8s App, written by cdk8s's Yaml.stringify (before the writer).
 * - baseline: N cdk8s-plus Deployments, each exposed by a Service.
 * - floor: the manifests of the N VllmServices, rendered by the core before the clock starts, added as plain cdk8s
 *   ApiObjects and synthesized: what cdk8s alone spends writing gpuplane's output.
 * - core: the core alone: N renderVllmService calls (rendered and validated), written as JSON; no cdk8s.
 * Prints one JSON line: wall time of building and synthesizing the app, YAML bytes written, peak RSS, RSS before the build.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GpuplaneApp, renderVllmService, VllmService } from '../lib';

const [kind, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!['gpuplane', 'gpuplane-cdk8s-writer', 'baseline', 'floor', 'core'].includes(kind) || !(count > 0)) {
  console.error('usage: synth-one.ts <gpuplane|gpuplane-cdk8s-writer|baseline|floor|core> <count>');
  process.exit(2);
}

const props = (i: number) => ({ name: `svc-${i}`, namespace: 'bench', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
const prerendered = kind === 'floor' ? Array.from({ length: count }, (_, i) => renderVllmService(props(i)).objects) : [];

const outdir = mkdtempSync(join(tmpdir(), 'gpuplane-bench-'));
const rssBefore = process.memoryUsage().rss;
const start = process.hrtime.bigint();
if (kind === 'core') {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) for (const obj of renderVllmService(props(i)).objects) parts.push(JSON.stringify(obj));
  writeFileSync(join(outdir, 'bench.json'), `${parts.join('\n')}\n`);
}
const app = kind === 'gpuplane' ? new GpuplaneApp({ outdir }) : new App({ outdir });
const chart = new Chart(app, 'bench', { disableResourceNameHashes: true });
for (let i = 0; i < count && kind !== 'core'; i++) {
  if (kind === 'gpuplane' || kind === 'gpuplane-cdk8s-writer') {
    new VllmService(chart, `svc-${i}`, props(i));
  } else if (kind === 'floor') {
    prerendered[i].forEach((obj, j) => new ApiObject(chart, `svc-${i}-${j}`, obj as unknown as ConstructorParameters<typeof ApiObject>[2]));
  } else {
    // Loaded only for the baseline: an app of gpuplane constructs does not load cdk8s-plus (about 60 ms here).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const kplus = require('cdk8s-plus-28') as typeof import('cdk8s-plus-28');
    const d = new kplus.Deployment(chart, `svc-${i}`, {
      metadata: { name: `svc-${i}`, namespace: 'bench' },
      containers: [{ image: 'vllm/vllm-openai:v0.26.0', portNumber: 8000, securityContext: { ensureNonRoot: false } }],
    });
    d.exposeViaService({ name: `svc-${i}` });
  }
}
if (kind !== 'core') app.synth();
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const yamlBytes = readdirSync(outdir).reduce((sum, f) => sum + statSync(join(outdir, f)).size, 0);
rmSync(outdir, { recursive: true, force: true });
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ kind, count, ms, yamlBytes, peakRssMiB: peak / 2 ** 20, rssBeforeMiB: rssBefore / 2 ** 20 }));
