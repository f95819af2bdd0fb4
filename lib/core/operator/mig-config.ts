import { GpuSpec } from '../catalog/gpus';
import { refuse } from '../errors';
import { allProfileConfigName } from '../catalog/mig-geometry';
import { MigPartedEntry, ResolvedGpuPool } from '../gpu/pool';

/**
 * The custom mig-parted config the MIG manager gets when any pool uses MIG. A custom config *replaces* the one the
 * MIG manager generates from the hardware, so it keeps NVIDIA's standard names for every MIG GPU present
 * (`all-disabled`, `all-enabled`, `all-balanced`, `all-<profile>`), each entry scoped to that GPU's PCI ids, and
 * adds each pool's own config.
 */
export function buildMigPartedConfig(pools: readonly ResolvedGpuPool[]): { version: 'v1'; 'mig-configs': Record<string, MigPartedEntry[] | Record<string, unknown>[]> } {
  const gpus = new Map<string, GpuSpec>();
  for (const p of pools) if (p.gpu.mig) gpus.set(p.gpu.id, p.gpu);
  const configs: Record<string, Record<string, unknown>[]> = {
    'all-disabled': [{ devices: 'all', 'mig-enabled': false }],
    'all-enabled': [{ devices: 'all', 'mig-enabled': true, 'mig-devices': {} }],
  };
  const add = (name: string, gpu: GpuSpec, devices: Record<string, number>) => {
    (configs[name] ??= []).push({ 'device-filter': [...(gpu.pciDeviceIds ?? [])], devices: 'all', 'mig-enabled': true, 'mig-devices': devices });
  };
  for (const gpu of [...gpus.values()].sort((a, b) => a.id.localeCompare(b.id))) {
    add('all-balanced', gpu, { ...gpu.mig!.balanced });
    for (const profile of Object.values(gpu.mig!.profiles)) add(allProfileConfigName(profile.name), gpu, { [profile.name]: profile.maxInstances });
  }
  for (const pool of pools) {
    for (const [name, entries] of Object.entries(pool.migPartedConfig ?? {})) {
      if (configs[name]) refuse(`GPU pool '${pool.name}'`, { field: 'name', message: "names a mig-parted config that collides with NVIDIA's standard config of that name", value: pool.name, fix: 'rename the pool' });
      configs[name] = entries.map((e) => ({ ...e }));
    }
  }
  return { version: 'v1', 'mig-configs': configs };
}
