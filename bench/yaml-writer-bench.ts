/**
 * The writers alone, in one process: cdk8s's Yaml.stringify against the direct writer on the objects of N
 * VllmServices (default 1000, BENCH_N), rendered before the clock starts; three rounds each, the best kept.
 * Run: `ts-node --transpile-only bench/yaml-writer-bench.ts`.
 */
import { Yaml } from 'cdk8s';
import { markFastYaml, renderVllmService, stringifyManifests } from '../lib';

const n = Number(process.env.BENCH_N ?? 1000);
const docs = Array.from({ length: n }, (_, i) => renderVllmService({ name: `svc-${i}`, namespace: 'bench', model: 'llama-3.1-8b', gpu: 'H100-80GB' }).objects)
  .flat()
  .map((o) => markFastYaml(JSON.parse(JSON.stringify(o)) as object));
const time = (f: () => string) => {
  let best = Number.POSITIVE_INFINITY;
  let out = '';
  for (let r = 0; r < 3; r++) {
    const t = process.hrtime.bigint();
    out = f();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: best, out };
};
const cdk8s = time(() => Yaml.stringify(...docs));
const direct = time(() => stringifyManifests(...docs));
if (cdk8s.out !== direct.out) throw new Error('the writers differ');
const kib = Buffer.byteLength(direct.out) / 1024;
console.log(`${n} services, ${docs.length} objects, ${kib.toFixed(0)} KiB, identical bytes`);
console.log(`cdk8s Yaml.stringify: ${cdk8s.ms.toFixed(0)} ms (${(cdk8s.ms / n).toFixed(3)} ms/service, ${(cdk8s.ms / kib).toFixed(4)} ms/KiB)`);
console.log(`direct writer:        ${direct.ms.toFixed(0)} ms (${(direct.ms / n).toFixed(3)} ms/service, ${(direct.ms / kib).toFixed(4)} ms/KiB), ${(cdk8s.ms / direct.ms).toFixed(1)}x faster`);
