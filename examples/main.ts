import { App, Chart } from 'cdk8s';
import { GpuNodePool, GpuOperatorStack, VllmService } from '../lib';
import { EXAMPLE_OPERATORS, EXAMPLE_POOL_SERVICES, EXAMPLE_POOLS } from './gpu-pools';
import { EXAMPLE_SERVICES } from './services';

/** The cdk8s app `cdk8s synth` runs (cdk8s.yaml): one chart, and so one manifest file in dist/, per example. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  for (const [chartName, options] of Object.entries(EXAMPLE_SERVICES)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    new VllmService(chart, 'Service', options);
  }
  const pools: Record<string, GpuNodePool> = {};
  for (const [chartName, options] of Object.entries(EXAMPLE_POOLS)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    pools[chartName] = new GpuNodePool(chart, 'Pool', options);
    for (const s of EXAMPLE_POOL_SERVICES.filter((x) => x.pool === chartName)) {
      new VllmService(chart, s.service.name, { ...s.service, placement: pools[chartName].slice(s.profile) });
    }
  }
  for (const [chartName, { pools: names, ...options }] of Object.entries(EXAMPLE_OPERATORS)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    new GpuOperatorStack(chart, 'Operator', { ...options, pools: names.map((n) => pools[n]) });
  }
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
