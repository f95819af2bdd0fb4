import { App, Chart } from 'cdk8s';
import { VllmService } from '../lib';
import { EXAMPLE_SERVICES } from './services';

/** The cdk8s app `cdk8s synth` runs (cdk8s.yaml): one chart, and so one manifest file in dist/, per example. */
export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  for (const [chartName, options] of Object.entries(EXAMPLE_SERVICES)) {
    const chart = new Chart(app, chartName, { disableResourceNameHashes: true });
    new VllmService(chart, 'Service', options);
  }
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
