import { readFileSync } from 'fs';
import { join, resolve } from 'path';

/**
 * The README's TypeScript blocks as whole programs, shared by test/readme.test.ts (against lib/) and the packed-tarball
 * test (against the installed package, as users import it).
 */
const ROOT = resolve(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
export const BLOCKS = [...README.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);

/** The block that starts with (or contains) a line, so the test names what it checks and fails if it disappears. */
function block(marker: string): string {
  const found = BLOCKS.filter((b) => b.includes(marker));
  if (found.length !== 1) throw new Error(`README: expected one TypeScript block containing ${JSON.stringify(marker)}, found ${found.length}`);
  return found[0];
}

/** The GPU pool and etcd blocks continue the quick start: they use its `chart`. */
export const CHART_PRELUDE = "import { App as PreludeApp, Chart as PreludeChart } from 'cdk8s';\nconst chart = new PreludeChart(new PreludeApp(), 'readme');\n";

export const PROGRAMS: Record<string, string> = {
  'cdk8s-quick-start': block("import { Chart, JsonPatch } from 'cdk8s';"),
  'pulumi-quick-start': block("from 'gpuplane/pulumi'"),
  'production-rules': block('validateProductionRules(objects)'),
  'gpu-pools': CHART_PRELUDE + block('new MigNodePool('),
  etcd: CHART_PRELUDE + block('new ExternalEtcdCluster('),
  estimator: block('estimateVllmMemory('),
  fleet: CHART_PRELUDE + block('planGpuFleet('),
  // Type-checked only: constructing the pack serves it to a Pulumi engine that is not there.
  'pulumi-policy-pack': block('gpuplanePolicyPack('),
  gateway: CHART_PRELUDE + block("new InferenceGateway(chart, 'Chat'"),
  'lora-and-scale-to-zero': CHART_PRELUDE + block("new VllmService(chart, 'Mistral'"),
  'dra-kueue': CHART_PRELUDE + block('draGpuClaim({'),
  'multi-node': CHART_PRELUDE + block('pipelineParallelSize: 2,'),
};

