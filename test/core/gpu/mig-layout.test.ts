import { findGpu, GPU_IDS, GpuSpec } from '../../../lib/core/catalog/gpus';
import { allProfileConfigName } from '../../../lib/core/catalog/mig-geometry';
import { checkMigLayout, formatMigLayout, MigLayout, migProfileMemoryGiB, smallestMigProfileFor, validMigLayouts } from '../../../lib/core/gpu/mig-layout';
import { parse } from 'yaml';
import { readReferenceJson, readReferenceYaml, REFERENCE_GPU_IDS } from '../../helpers/reference';

const profilesRef = readReferenceJson('mig', 'mig-profiles.json');
const combinationsRef = readReferenceJson('mig', 'mig-valid-combinations.json');
const migGpus = Object.entries(REFERENCE_GPU_IDS).map(([ref, id]) => [ref, id, findGpu(id)!] as const);
const key = (layout: MigLayout): string => formatMigLayout(layout);
const OUTSIDE_REFERENCE: string[] = [
  'all-1g.24gb-me: 1g.24gb-me x4',
  'all-1g.24gb.gfx: 1g.24gb+gfx x4',
  'all-1g.24gb.me.all: 1g.24gb+me.all x1',
  'all-1g.24gb.me: 1g.24gb+me x1',
  'all-1g.34gb.me: 1g.34gb+me x1',
  'all-1g.34gb: 1g.34gb x7',
  'all-1g.35gb.me: 1g.35gb+me x1',
  'all-1g.35gb: 1g.35gb x7',
  'all-1g.67gb: 1g.67gb x4',
  'all-1g.70gb: 1g.70gb x4',
  'all-2g.48gb-me: 2g.48gb-me x2',
  'all-2g.48gb.gfx: 2g.48gb+gfx x2',
  'all-2g.48gb.me.all: 2g.48gb+me.all x1',
  'all-2g.48gb: 2g.48gb x2',
  'all-2g.67gb: 2g.67gb x3',
  'all-2g.70gb: 2g.70gb x3',
  'all-3g.135gb: 3g.135gb x2',
  'all-3g.139gb: 3g.139gb x2',
  'all-3g.95gb: 3g.95gb x2',
  'all-4g.135gb: 4g.135gb x1',
  'all-4g.139gb: 4g.139gb x1',
  'all-4g.95gb: 4g.95gb x1',
  'all-4g.96gb.gfx: 4g.96gb+gfx x1',
  'all-4g.96gb: 4g.96gb x1',
  'all-7g.189gb: 7g.189gb x1',
  'all-7g.269gb: 7g.269gb x1',
  'all-7g.278gb: 7g.278gb x1',
  'all-balanced: 1g.24gb x2 + 2g.48gb x1',
  'all-balanced: 1g.34gb x2 + 2g.67gb x1 + 3g.135gb x1',
  'all-balanced: 1g.35gb x2 + 2g.70gb x1 + 3g.139gb x1',
];

describe('MIG geometry against mig-profiles.json', () => {
  test('every MIG-capable GPU of the reference is in the catalog, and no other catalog GPU claims MIG', () => {
    const refCapable = Object.keys(profilesRef).filter((k) => k !== '_meta' && profilesRef[k].migCapable);
    expect(refCapable.sort()).toEqual(Object.keys(REFERENCE_GPU_IDS).sort());
    expect(GPU_IDS.filter((id) => findGpu(id)!.migCapable).sort()).toEqual(Object.values(REFERENCE_GPU_IDS).sort());
  });

  test.each(migGpus)('%s (%s): profiles, slices, instance limits and placements', (ref, _id, gpu) => {
    const r = profilesRef[ref];
    expect(gpu.mig!.computeSlices).toBe(r.totals.computeSlices);
    expect(gpu.mig!.memorySlices).toBe(r.totals.memorySlices);
    expect(Object.keys(gpu.mig!.profiles).sort()).toEqual(Object.keys(r.profiles).sort());
    for (const [name, p] of Object.entries<any>(r.profiles)) { // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(gpu.mig!.profiles[name]).toMatchObject({
        computeSlices: p.computeSlices, memorySlices: p.memorySlices, memoryGB: p.memoryGB, maxInstances: p.maxInstances,
        mediaExtensions: p.mediaExtensions, placementStarts: p.placement.memorySliceStarts,
      });
      expect(p.placement.size).toBe(p.memorySlices);
    }
    expect(gpu.pciDeviceIds).toEqual(r.pciDeviceIds);
  });

  test('GPUs without MIG have no geometry', () => {
    for (const id of GPU_IDS.filter((i) => !findGpu(i)!.migCapable)) expect(findGpu(id)!.mig).toBeUndefined();
  });
});

describe('layout check against mig-valid-combinations.json', () => {
  test.each(migGpus)('%s: accepts exactly the valid layouts and rejects every other multiset', (ref, _id, gpu) => {
    const expected = new Set<string>(combinationsRef[ref].map((c: { migDevices: MigLayout }) => key(c.migDevices)));
    const ours = new Set(validMigLayouts(gpu.mig!).map(key));
    expect(ours.size).toBe(expected.size);
    expect([...ours].filter((k) => !expected.has(k))).toEqual([]);
    expect([...expected].filter((k) => !ours.has(k))).toEqual([]);
    expect(expected.size).toBe(gpu.mig!.memorySlices === 8 ? 127 : 19);
  });

  test.each(migGpus)('%s: every reference layout checks out with a non-overlapping placement', (ref, _id, gpu) => {
    for (const c of combinationsRef[ref] as { migDevices: MigLayout }[]) {
      const check = checkMigLayout(gpu, c.migDevices);
      expect(check.valid).toBe(true);
      const used = new Set<number>();
      for (const p of check.placement!) {
        const profile = gpu.mig!.profiles[p.profile];
        expect(profile.placementStarts).toContain(p.memorySliceStart);
        for (let s = p.memorySliceStart; s < p.memorySliceStart + profile.memorySlices; s++) {
          expect(used.has(s)).toBe(false);
          used.add(s);
        }
      }
    }
  });

  test('rejects beyond the instance limit (every profile, one over)', () => {
    for (const [, , gpu] of migGpus) {
      for (const p of Object.values(gpu.mig!.profiles)) {
        const check = checkMigLayout(gpu, { [p.name]: p.maxInstances + 1 });
        expect(check.valid).toBe(false);
        expect(check.problems.join()).toContain(`at most ${p.maxInstances} instance(s) of ${p.name} fit on one GPU`);
      }
    }
  });
});

describe("NVIDIA's named mig-parted configs check out on the GPUs they target", () => {
  type Entry = { 'device-filter'?: string | string[]; 'mig-enabled': boolean; 'mig-devices'?: MigLayout };
  function readReferenceYamlConfigMap(): Record<string, Entry[]> {
    const cm = readReferenceYaml('gpu-operator', 'default-mig-parted-config.configmap.yaml');
    return parse(cm.data['config.yaml'])['mig-configs'];
  }

  const sources: [string, Record<string, Entry[]>][] = [
    ['mig/config-default.yaml', readReferenceYaml('mig', 'config-default.yaml')['mig-configs']],
    ['gpu-operator/default-mig-parted-config.configmap.yaml', readReferenceYamlConfigMap()],
  ];

  function targets(entry: Entry): GpuSpec[] {
    const all = Object.values(REFERENCE_GPU_IDS).map((id) => findGpu(id)!);
    const filter = entry['device-filter'];
    if (filter !== undefined) {
      const ids = (Array.isArray(filter) ? filter : [filter]).map((f) => f.toUpperCase().replace('0X', '0x'));
      return all.filter((g) => g.pciDeviceIds!.some((p) => ids.includes(p)));
    }
    const names = Object.keys(entry['mig-devices'] ?? {});
    return all.filter((g) => names.every((n) => g.mig!.profiles[n]));
  }

  test.each(sources)('%s', (_source, configs) => {
    const outside: string[] = [];
    let checked = 0;
    for (const [name, entries] of Object.entries(configs)) {
      for (const entry of entries) {
        if (!entry['mig-enabled'] || Object.keys(entry['mig-devices'] ?? {}).length === 0) continue;
        const gpus = targets(entry);
        if (gpus.length === 0) {
          outside.push(`${name}: ${formatMigLayout(entry['mig-devices']!)}`);
          continue;
        }
        for (const gpu of gpus) {
          const check = checkMigLayout(gpu, entry['mig-devices']!);
          if (!check.valid) throw new Error(`${name} on ${gpu.id}: ${check.problems.join('; ')}`);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    // Entries whose profiles no GPU of mig-profiles.json has (RTX PRO 6000 Blackwell, GB300, B300, and a
    // 1g.24gb+me that the profile tables do not list): the reference has no geometry to check them against.
    expect(outside.sort()).toEqual(OUTSIDE_REFERENCE);
  });

  test('the balanced layout of every GPU is the one NVIDIA ships', () => {
    for (const [ref, , gpu] of migGpus) {
      const balanced = profilesRef[ref].validConfigsDetail.find((c: { name: string }) => c.name === 'all-balanced').entries[0]['mig-devices'];
      expect(gpu.mig!.balanced).toEqual(balanced);
      expect(checkMigLayout(gpu, gpu.mig!.balanced).valid).toBe(true);
    }
  });

  test('single-profile config names follow mig-parted (`+me` becomes `.me`)', () => {
    expect(allProfileConfigName('1g.10gb+me')).toBe('all-1g.10gb.me');
    for (const [ref, , gpu] of migGpus) {
      const names: string[] = profilesRef[ref].validConfigs;
      for (const n of names.filter((x) => !['all-disabled', 'all-enabled', 'all-balanced'].includes(x))) {
        expect(Object.keys(gpu.mig!.profiles).map(allProfileConfigName)).toContain(n);
      }
    }
  });
});

describe('refusals say why and offer the closest valid layouts', () => {
  const h100 = findGpu('H100-80GB')!;

  test('fails if an instance has no free placement, naming it', () => {
    const check = checkMigLayout(h100, { '4g.40gb': 1, '3g.40gb': 1, '1g.10gb': 1 });
    expect(check.valid).toBe(false);
    expect(check.problems).toContainEqual(expect.stringMatching(/^no free placement for 1g\.10gb: it may start only at memory slices 0, 1, 2, 3, 4, 5, 6 spanning 1/));
    expect(check.closest.map(formatMigLayout)).toContain('3g.40gb x1 + 4g.40gb x1');
    expect(check.closest.every((l) => checkMigLayout(h100, l).valid)).toBe(true);
  });

  test('fails if a profile does not exist on the GPU', () => {
    expect(checkMigLayout(h100, { '3g.20gb': 2 }).problems[0]).toBe('profile 3g.20gb does not exist on this GPU (allowed: 1g.10gb, 1g.10gb+me, 1g.20gb, 2g.20gb, 3g.40gb, 4g.40gb, 7g.80gb)');
  });

  test('fails on two media-extension instances', () => {
    expect(checkMigLayout(findGpu('A30')!, { '1g.6gb+me': 1, '2g.12gb+me': 1 }).problems.join()).toContain('at most one +me instance');
  });

  test('fails on a GPU without MIG', () => {
    expect(checkMigLayout(findGpu('L40S')!, { '1g.10gb': 1 }).problems).toEqual(['L40S does not support MIG']);
  });
});

describe('profile lookup by memory need', () => {
  const h100 = findGpu('H100-80GB')!;
  test.each([
    [8, '1g.10gb'], [12, '1g.20gb'], [30, '3g.40gb'], [45, '7g.80gb'],
  ])('%d GiB on an H100 80GB -> %s', (gib, name) => {
    expect(smallestMigProfileFor(h100, gib)?.name).toBe(name);
  });

  test('nothing holds more than the whole GPU', () => {
    expect(smallestMigProfileFor(h100, 100)).toBeUndefined();
  });

  test('slice memory stays within 2% of what GPU Feature Discovery labels on an H100 80GB', () => {
    const labels = readReferenceJson('device-plugin', 'mig-mixed-node-labels.json');
    for (const profile of ['1g.10gb', '2g.20gb', '3g.40gb']) {
      const gfdGiB = Number(labels[`nvidia.com/mig-${profile}.memory`]) / 1024;
      const ours = migProfileMemoryGiB(h100, profile);
      expect(ours).toBeLessThanOrEqual(gfdGiB); // never promise more than the device has
      expect(Math.abs(ours - gfdGiB) / gfdGiB).toBeLessThan(0.02);
    }
  });
});
