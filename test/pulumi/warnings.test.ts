import type * as pulumiTypes from '@pulumi/pulumi';
import { recordResources, settle } from '../helpers/pulumi-mocks';

recordResources();
// Imported after the mocks, as Pulumi's testing guide requires.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const pulumi = require('@pulumi/pulumi') as typeof import('@pulumi/pulumi');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { GpuNodePool, VllmService } = require('../../lib/pulumi') as typeof import('../../lib/pulumi');

describe('warnings in Pulumi', () => {
  test('each warning is logged on the component with pulumi.log.warn', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(() => Promise.resolve());
    const pool = new GpuNodePool('l40s-ts', { gpu: 'L40S', gpusPerNode: 4, timeSlicing: { replicas: 2 } });
    const svc = new VllmService('small', { model: 'qwen3-4b', placement: pool.slice(), maxModelLen: 4096 });
    await settle(Object.values(svc.resources) as pulumiTypes.Resource[]);
    expect(svc.warnings).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^VllmService 'small' runs on time-sliced units of pool 'l40s-ts'/), svc);
    warn.mockRestore();
  });

  test('strict mode refuses before anything is registered', () => {
    const pool = new GpuNodePool('l40s-ts2', { gpu: 'L40S', gpusPerNode: 4, timeSlicing: { replicas: 2 } });
    expect(() => new VllmService('small2', { model: 'qwen3-4b', placement: pool.slice(), maxModelLen: 4096, strict: true })).toThrow(/strict mode refuses every warning/);
  });
});
