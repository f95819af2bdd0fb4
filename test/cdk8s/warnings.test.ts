import { App, Chart, Testing } from 'cdk8s';
import { GpuNodePool, STRICT_CONTEXT_KEY, VllmService } from '../../lib';

/** A time-sliced pool and a service on it: the service warns (no isolation for production inference). */
function build(app: App, strict?: boolean): Chart {
  const chart = new Chart(app, 'shared', { disableResourceNameHashes: true });
  const pool = new GpuNodePool(chart, 'Pool', { gpu: 'L40S', gpusPerNode: 4, timeSlicing: { replicas: 2 } });
  new VllmService(chart, 'small', { model: 'qwen3-4b', placement: pool.slice(), maxModelLen: 4096, strict });
  return chart;
}

describe('warnings reach the user', () => {
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  test('cdk8s synth prints each warning once, with the construct path', () => {
    const app = Testing.app();
    build(app);
    app.synth();
    app.synth();
    const lines = written.filter((l) => l.includes('[gpuplane] WARNING'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[gpuplane\] WARNING shared\/small: VllmService 'small' runs on time-sliced units of pool 'pool'/);
  });

  test('the warnings are recorded as construct metadata too', () => {
    const chart = build(Testing.app());
    const svc = chart.node.findChild('small');
    expect(svc.node.metadata.filter((m) => m.type === 'gpuplane:warning')).toHaveLength(1);
    expect((svc as VllmService).warnings).toHaveLength(1);
  });

  test('strict mode through the App context turns warnings into errors', () => {
    const app = Testing.app();
    app.node.setContext(STRICT_CONTEXT_KEY, true);
    expect(() => build(app)).toThrow(/VllmService 'small': 1 problem\n  - 'warnings' strict mode refuses every warning: VllmService 'small' runs on time-sliced units/);
  });

  test('strict mode through the prop, and the prop wins over the context', () => {
    expect(() => build(Testing.app(), true)).toThrow(/strict mode refuses every warning/);
    const app = Testing.app();
    app.node.setContext(STRICT_CONTEXT_KEY, true);
    expect(() => build(app, false)).not.toThrow();
  });

  test('strict mode through GPUPLANE_STRICT', () => {
    process.env.GPUPLANE_STRICT = 'true';
    try {
      expect(() => build(Testing.app())).toThrow(/strict mode refuses every warning/);
    } finally {
      delete process.env.GPUPLANE_STRICT;
    }
  });
});
