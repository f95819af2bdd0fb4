import { findGpu, GPU_IDS, resolveGpu } from '../../../lib/core/catalog/gpus';
import { GpuplaneValidationError } from '../../../lib/core/errors';

describe('GPU catalog', () => {
  test('has the GPUs the issue asks for', () => {
    expect(GPU_IDS).toEqual(expect.arrayContaining(['H200', 'H100-80GB', 'H100-94GB', 'A100-40GB', 'A100-80GB', 'L40S', 'L4', 'A10G', 'T4']));
    // Issue 11: the GPUs people run in 2026.
    expect(GPU_IDS).toEqual(expect.arrayContaining(['B200', 'GB200', 'H200-NVL', 'RTX-PRO-6000', 'RTX-4090', 'RTX-5090', 'A10', 'MI300X']));
  });

  test.each([
    ['H100-80GB', 79.2], ['A100-40GB', 39.4], ['L40S', 44.4], ['T4', 14.6],
  ])('%s reports %d GiB, as the driver does', (id, gib) => {
    expect(findGpu(id)!.memoryGiB).toBe(gib);
  });

  test.each(GPU_IDS.map((id) => [id]))('%s: reported memory below the nominal capacity, product label well-formed', (id) => {
    const g = findGpu(id)!;
    expect(g.memoryGiB).toBeLessThan(g.nominalMemoryGB!); // the driver reserves some; marketing GB are close to GiB here
    if (g.productLabel !== undefined) expect(g.productLabel).toMatch(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/);
  });

  test('MIG capability follows NVIDIA (A100, H100, H200 yes; L4, L40S, A10G, T4 no)', () => {
    // H200 NVL and RTX PRO 6000 support MIG in hardware but have no entry in the reference MIG geometry: whole GPUs here.
    expect(GPU_IDS.filter((id) => findGpu(id)!.migCapable).sort()).toEqual(['A100-40GB', 'A100-80GB', 'A30', 'B200', 'GB200', 'GH200-144GB', 'H100-80GB', 'H100-94GB', 'H100-96GB', 'H200']);
  });

  test('a custom GPU needs only its memory', () => {
    expect(resolveGpu({ memoryGiB: 23.58 })).toEqual({ id: 'custom-23.58GiB', memoryGiB: 23.58 });
  });

  test('fails if the GPU id is unknown', () => {
    expect(() => resolveGpu('V100')).toThrow(/'gpu' names an unknown GPU \(got "V100"; allowed: .*H100-80GB/);
    expect(() => resolveGpu('V100')).toThrow(GpuplaneValidationError);
  });

  test('fails if a custom GPU has no memory', () => {
    expect(() => resolveGpu({ memoryGiB: 0 })).toThrow("'gpu.memoryGiB' must be a positive number of GiB (got 0)");
  });
});
