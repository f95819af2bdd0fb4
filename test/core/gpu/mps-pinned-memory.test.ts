import { findGpu } from '../../../lib/core/catalog/gpus';
import { resolveGpuPool } from '../../../lib/core/gpu/pool';
import { GpuPoolHandle } from '../../../lib/core/gpu/pool-render';
import { resolveVllmService } from '../../../lib/core/vllm/options';

/**
 * Under MPS the device plugin's MPS control daemon pins each client's device memory to the device's total divided
 * by its replicas, in whole MiB: `fmt.Sprintf("%vM", totalMemory/replicas/1024/1024)` passed to
 * `set_default_device_pinned_mem_limit` (NVIDIA/k8s-device-plugin v0.20.0, commit 1b826acc,
 * cmd/mps-control-daemon/mps/daemon.go, perDevicePinnedDeviceMemoryLimits, line 268; totalMemory is the device's
 * NVML total, which the catalog's memoryGiB is). The fit check must take that same share as the pod's device, never
 * more (a model that fits only above the limit fails its allocations at start-up).
 */
const pluginLimitGiB = (memoryGiB: number, replicas: number) => Math.floor(Math.floor(memoryGiB * 2 ** 30) / replicas / 1024 / 1024) / 1024;

describe('MPS: the fit check uses the device plugin\'s per-client pinned memory limit', () => {
  test.each([
    ['H100-80GB', 2], ['H100-80GB', 4], ['L40S', 2], ['L40S', 3], ['A100-80GB', 3], ['H200', 6],
  ] as const)('%s with %d MPS replicas', (gpu, replicas) => {
    const pool = new GpuPoolHandle(resolveGpuPool({ name: 'mps', gpu, gpusPerNode: 1, mps: { replicas } }));
    const r = resolveVllmService({ name: 'small', model: 'qwen3-0.6b', placement: pool.slice(), maxModelLen: 1024, maxNumSeqs: 8, autoscaling: false, replicas: 1 });
    const share = r.gpu.memoryGiB; // the device the fit check sizes the pod against
    expect(r.memory.breakdown.budgetGiB).toBeCloseTo(share * r.gpuMemoryUtilization, 1);
    const limit = pluginLimitGiB(findGpu(gpu)!.memoryGiB, replicas);
    expect(share).toBeLessThanOrEqual(limit + 1e-6); // never more than the plugin allows
    expect(limit - share).toBeLessThan(0.01 + 1e-6); // and the same value, rounded down to 0.01 GiB
  });
});
