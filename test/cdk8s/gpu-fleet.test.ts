import { App, Chart, Testing } from 'cdk8s';
import { mkdtempSync, readFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GpuFleet, GpuOperatorStack } from '../../lib/cdk8s';
import { FleetRequest } from '../../lib/core/planning';
import { validateObjects } from '../../lib/core/validate';
import { KubeObject } from '../../lib/core/kube';
import { EXAMPLE_FLEETS } from '../../examples/fleet';
import { findWorkload, flag, vllmContainer } from '../helpers/find';

const REQUEST: FleetRequest = {
  workloads: [
    { name: 'chat', model: 'llama-3.1-8b', maxModelLen: 8192, concurrency: 8, replicas: 3 },
    { name: 'small', model: 'qwen3-1.7b', maxModelLen: 4096, concurrency: 2, replicas: 3, isolation: 'shared' },
  ],
  gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3 }, { gpu: 'L4', gpusPerNode: 4, hourlyPrice: 0.8 }],
};

describe('GpuFleet (cdk8s)', () => {
  test('renders the planned pools and services on their slices; every object validates', () => {
    const chart = Testing.chart();
    const fleet = new GpuFleet(chart, 'Fleet', { ...REQUEST, printTable: false });
    new GpuOperatorStack(chart, 'Operator', { platform: 'eks', delivery: 'none' });
    const objs = Testing.synth(chart) as KubeObject[];
    expect(validateObjects(objs)).toEqual([]);
    expect(fleet.pools.map((p) => p.resolved.name)).toEqual(fleet.plan.pools.map((p) => p.name));
    // Services carry the planned replicas, no autoscaler, and the pool's resource and node selection.
    for (const [name, svc] of Object.entries(fleet.services)) {
      const planned = fleet.plan.assignments.filter((a) => a.workload === name.replace(/-\d+$/, ''));
      expect(svc.resolved.replicas).toBeLessThanOrEqual(planned.length);
      expect(svc.resolved.autoscaling).toBeUndefined();
      const d = findWorkload(objs, name);
      expect(d.spec.template.spec.nodeSelector['gpuplane.dev/pool']).toBe(svc.resolved.placement!.poolName);
    }
    const total = Object.values(fleet.services).reduce((s, x) => s + x.resolved.replicas, 0);
    expect(total).toBe(6);
    // Time-sliced replicas run with their planned share of the device.
    for (const a of fleet.plan.assignments.filter((x) => x.profile === 'shared')) {
      const svc = Object.values(fleet.services).find((s) => s.resolved.placement?.poolName === a.pool)!;
      expect(flag(vllmContainer(findWorkload(objs, svc.resolved.name)).args, '--gpu-memory-utilization')).toBe(String(a.gpuMemoryUtilization));
    }
  });

  test('prints the table and writes <chart>.fleet.svg at synth', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'gpuplane-fleet-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'fleet-chart');
    const fleet = new GpuFleet(chart, 'Fleet', REQUEST);
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
      expect(spy.mock.calls.map((c) => String(c[0])).join('')).toContain('GPU fleet plan (cost)');
    } finally {
      spy.mockRestore();
    }
    expect(readFileSync(join(outdir, 'fleet-chart.fleet.svg'), 'utf8')).toBe(fleet.svg);
    fleet.writeSvg(join(outdir, 'copy.svg'));
    expect(existsSync(join(outdir, 'copy.svg'))).toBe(true);
  });

  test('memory-need workloads get placements, not services', () => {
    const chart = Testing.chart();
    const fleet = new GpuFleet(chart, 'Fleet', { workloads: [{ name: 'embed', memoryGiB: 9, replicas: 3, isolation: 'shared' }], gpus: [{ gpu: 'H100-80GB', hourlyPrice: 3 }], printTable: false });
    expect(Object.keys(fleet.services)).toEqual([]);
    const placements = fleet.placements('embed');
    expect(placements.reduce((s, p) => s + p.replicas, 0)).toBe(3);
    expect(placements[0].placement.profile).toBe('1g.10gb');
  });

  test('the example fleet renders', () => {
    const chart = Testing.chart();
    const fleet = new GpuFleet(chart, 'Fleet', { ...EXAMPLE_FLEETS['gpu-fleet'], printTable: false });
    expect(validateObjects(Testing.synth(chart) as KubeObject[])).toEqual([]);
    expect(fleet.plan.cost).toBeLessThan(fleet.plan.naive.cost);
  });

  test('fails if the request cannot be planned, with the problem', () => {
    expect(() => new GpuFleet(Testing.chart(), 'Fleet', { workloads: [{ name: 'a', memoryGiB: 9 }], gpus: [], printTable: false })).toThrow(/'gpus' must offer at least one GPU model/);
  });
});
