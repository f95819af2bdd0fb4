import { execFileSync } from 'child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { findGpu } from '../../../lib/core/catalog/gpus';
import { problemsOf } from '../../helpers/problems';
import { GpuPoolOptions, resolveGpuPool } from '../../../lib/core/gpu/pool';
import { GpuPoolHandle, renderGpuPool } from '../../../lib/core/gpu/pool-render';
import { maxMpsReplicas, recommendGpuSharing } from '../../../lib/core/gpu/sharing';
import { placedWorkloadOf } from '../../../lib/core/gpu/reconfigure';
import { renderVllmService } from '../../../lib/core/vllm/render';
import { validateObjects } from '../../../lib/core/validate';
import { compile2020 } from '../../helpers/json-schema';
import { readReferenceJson, readReferenceYaml } from '../../helpers/reference';
import { parse } from 'yaml';
import { find, findWorkload, vllmContainer } from '../../helpers/find';
import { describeWithBinary } from '../../helpers/binaries';

const devicePluginSchema = compile2020(readReferenceJson('device-plugin', 'device-plugin-config.schema.json'));
const migPartedSchema = compile2020(readReferenceJson('device-plugin', 'mig-parted-config.schema.json'));

const problems = (o: GpuPoolOptions): string => problemsOf(() => resolveGpuPool(o));

describe('MIG pools', () => {
  const twoPerGpu = resolveGpuPool({ name: 'h100-mig', gpu: 'H100-80GB', nodes: 2, mig: { layout: { '3g.40gb': 2 } } });

  test('one profile on every GPU: single strategy, resources named nvidia.com/gpu', () => {
    expect(twoPerGpu.kind).toBe('mig');
    expect(twoPerGpu.migStrategy).toBe('single');
    expect(twoPerGpu.resources).toEqual([
      { resourceName: 'nvidia.com/gpu', profile: '3g.40gb', memoryGiB: 38.81, shared: false, instancesPerNode: 16, unitsPerNode: 16, unitsMin: 32, unitsMax: 32 },
    ]);
    expect(twoPerGpu.unusedMemoryGiBPerGpu).toBe(0);
  });

  test('labels the nodes for the MIG manager and the device plugin, taints them for GPU pods', () => {
    expect(twoPerGpu.nodeLabels).toEqual({ 'gpuplane.dev/pool': 'h100-mig', 'nvidia.com/device-plugin.config': 'h100-mig', 'nvidia.com/mig.config': 'h100-mig' });
    expect(twoPerGpu.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
  });

  test('its mig-parted entry and device-plugin config validate against the upstream-derived schemas', () => {
    expect(twoPerGpu.migPartedConfig).toEqual({ 'h100-mig': [{ devices: 'all', 'mig-enabled': true, 'mig-devices': { '3g.40gb': 2 } }] });
    expect(migPartedSchema({ version: 'v1', 'mig-configs': twoPerGpu.migPartedConfig })).toEqual([]);
    expect(twoPerGpu.devicePluginConfig).toEqual({ version: 'v1', flags: { migStrategy: 'single' } });
    expect(devicePluginSchema(JSON.parse(JSON.stringify(twoPerGpu.devicePluginConfig)))).toEqual([]);
  });

  test('balanced layout: mixed strategy, one resource per profile, every memory slice used', () => {
    const r = resolveGpuPool({ name: 'balanced', gpu: 'H100-80GB', mig: { layout: 'balanced' } });
    expect(r.migStrategy).toBe('mixed');
    expect(r.resources.map((x) => [x.resourceName, x.instancesPerNode])).toEqual([
      ['nvidia.com/mig-1g.10gb', 16], ['nvidia.com/mig-2g.20gb', 8], ['nvidia.com/mig-3g.40gb', 8],
    ]);
    expect(r.unusedMemoryGiBPerGpu).toBe(0);
  });

  test('reports the memory a layout leaves unused', () => {
    expect(resolveGpuPool({ name: 'half', gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 1 } } }).unusedMemoryGiBPerGpu).toBeCloseTo(79.2 / 2, 2);
  });

  test('a profile name fills every GPU with as many instances as fit', () => {
    expect(resolveGpuPool({ name: 'ones', gpu: 'A100-40GB', mig: { layout: '1g.5gb' } }).perGpuLayouts[0]).toEqual({ '1g.5gb': 7 });
  });

  test('per-GPU layouts become mig-parted entries by device index', () => {
    const layouts = [{ '7g.80gb': 1 }, { '7g.80gb': 1 }, ...new Array(6).fill({ '1g.10gb': 7 })];
    const r = resolveGpuPool({ name: 'split', gpu: 'H100-80GB', mig: { layout: layouts } });
    expect(r.migPartedConfig!.split).toEqual([
      { devices: [0, 1], 'mig-enabled': true, 'mig-devices': { '7g.80gb': 1 } },
      { devices: [2, 3, 4, 5, 6, 7], 'mig-enabled': true, 'mig-devices': { '1g.10gb': 7 } },
    ]);
    expect(r.migStrategy).toBe('mixed');
    expect(migPartedSchema({ version: 'v1', 'mig-configs': r.migPartedConfig })).toEqual([]);
  });

  test('the hybrid: two 3g.40gb per A100 80GB, each time-sliced by 2', () => {
    const r = resolveGpuPool({ name: 'hybrid', gpu: 'A100-80GB', mig: { layout: { '3g.40gb': 2 }, timeSlicingReplicas: 2 } });
    expect(r.devicePluginConfig).toEqual({
      version: 'v1', flags: { migStrategy: 'single' },
      sharing: { timeSlicing: { failRequestsGreaterThanOne: true, resources: [{ name: 'nvidia.com/gpu', replicas: 2 }] } },
    });
    expect(r.resources[0]).toMatchObject({ instancesPerNode: 16, unitsPerNode: 32, shared: true });
    expect(devicePluginSchema(JSON.parse(JSON.stringify(r.devicePluginConfig)))).toEqual([]);
  });

  test('mixed hybrid time-slices each MIG resource by name', () => {
    const r = resolveGpuPool({ name: 'mixed', gpu: 'H100-80GB', mig: { layout: 'balanced', timeSlicingReplicas: 3 } });
    expect(r.devicePluginConfig.sharing!.timeSlicing!.resources.map((x) => x.name)).toEqual(['nvidia.com/mig-1g.10gb', 'nvidia.com/mig-2g.20gb', 'nvidia.com/mig-3g.40gb']);
    expect(devicePluginSchema(JSON.parse(JSON.stringify(r.devicePluginConfig)))).toEqual([]);
  });

  test('fails if the layout cannot be placed, offering the closest valid layouts', () => {
    const message = problems({ name: 'bad', gpu: 'H100-80GB', mig: { layout: { '4g.40gb': 1, '3g.40gb': 1, '1g.10gb': 1 } } });
    expect(message).toMatch(/^GPU pool 'bad': 1 problem\n/);
    expect(message).toContain("'mig.layout' cannot be placed on the H100-80GB:");
    expect(message).toContain('no free placement for 1g.10gb');
    expect(message).toContain('closest valid layouts: 3g.40gb x1 + 4g.40gb x1');
    expect(problems({ name: 'bad', gpu: 'H100-80GB', mig: { layout: { '4g.40gb': 2 } } })).toMatch(/at most 1 instance\(s\) of 4g\.40gb fit on one GPU.*closest valid layouts: 4g\.40gb x1/);
  });

  test('fails if the profile does not exist on the GPU', () => {
    expect(problems({ name: 'bad', gpu: 'A100-40GB', mig: { layout: '3g.40gb' } })).toContain(`'mig.layout' names a profile the A100-40GB does not have (got "3g.40gb"; allowed: 'balanced', 1g.5gb,`);
  });

  test('fails if the GPU has no MIG', () => {
    expect(problems({ name: 'bad', gpu: 'L40S', mig: { layout: 'balanced' } })).toContain("'mig' is not available on the L40S; MIG needs A100, A30, H100, H200, GH200, B200 or GB200");
  });

  test('fails on MPS with MIG', () => {
    expect(problems({ name: 'bad', gpu: 'H100-80GB', mig: { layout: 'balanced' }, mps: { replicas: 4 } })).toContain("'mps' cannot be combined with MIG; the device plugin supports MPS on full GPUs only");
  });
});

describe('whole-GPU sharing', () => {
  test('time-slicing a T4 by 4, as k8s-device-plugin v0.20.0 reads it', () => {
    const r = resolveGpuPool({ name: 't4', gpu: 'T4', gpusPerNode: 1, nodes: { min: 1, max: 3 }, timeSlicing: { replicas: 4 } });
    expect(r.devicePluginConfig).toEqual({
      version: 'v1', flags: { migStrategy: 'none' },
      sharing: { timeSlicing: { failRequestsGreaterThanOne: true, resources: [{ name: 'nvidia.com/gpu', replicas: 4 }] } },
    });
    expect(devicePluginSchema(JSON.parse(JSON.stringify(r.devicePluginConfig)))).toEqual([]);
    expect(r.resources[0]).toMatchObject({ resourceName: 'nvidia.com/gpu', unitsPerNode: 4, unitsMin: 4, unitsMax: 12, shared: true });
    expect(r.nodeLabels['nvidia.com/mig.config']).toBeUndefined();
  });

  test("matches NVIDIA's own time-slicing samples, except that gpuplane refuses multi-replica requests", () => {
    const sample = parse(readReferenceYaml('device-plugin', 'time-slicing-config-all.yaml').data.any);
    const ours = resolveGpuPool({ name: 'any', gpu: 'T4', timeSlicing: { replicas: 4 } }).devicePluginConfig;
    const { failRequestsGreaterThanOne, ...rest } = ours.sharing!.timeSlicing!;
    expect({ ...ours, sharing: { timeSlicing: rest } }).toEqual(sample);
    expect(failRequestsGreaterThanOne).toBe(true);
    const fine = parse(readReferenceYaml('device-plugin', 'time-slicing-config-fine.yaml').data['tesla-t4']);
    expect({ ...ours, sharing: { timeSlicing: rest } }).toEqual(fine);
  });

  test("the hybrid matches the shape of NVIDIA's fine-grained sample for MIG resources", () => {
    const sample = parse(readReferenceYaml('device-plugin', 'time-slicing-config-fine.yaml').data['a100-40gb']);
    const ours = resolveGpuPool({ name: 'a100', gpu: 'A100-40GB', mig: { layout: 'balanced', timeSlicingReplicas: 2 } }).devicePluginConfig;
    expect(ours.flags).toEqual(sample.flags);
    const names = (c: typeof ours) => c.sharing!.timeSlicing!.resources.map((r) => r.name);
    for (const name of names(ours)) expect(sample.sharing.timeSlicing.resources.map((r: { name: string }) => r.name).concat('nvidia.com/mig-1g.5gb')).toContain(name);
  });

  test('renameByDefault advertises nvidia.com/gpu.shared', () => {
    const r = resolveGpuPool({ name: 'l4', gpu: 'L4', timeSlicing: { replicas: 2, renameByDefault: true } });
    expect(r.resources[0].resourceName).toBe('nvidia.com/gpu.shared');
    expect(r.devicePluginConfig.sharing!.timeSlicing!.renameByDefault).toBe(true);
  });

  test('MPS config validates too', () => {
    const r = resolveGpuPool({ name: 'mps', gpu: 'L40S', mps: { replicas: 8 } });
    expect(r.devicePluginConfig.sharing).toEqual({ mps: { resources: [{ name: 'nvidia.com/gpu', replicas: 8 }] } });
    expect(devicePluginSchema(JSON.parse(JSON.stringify(r.devicePluginConfig)))).toEqual([]);
  });

  test.each([
    [{ mps: { replicas: 49 } }, "'mps.replicas' must be an integer from 2 to 48 (got 49; allowed: 2..48). Fix: lower it to 48"],
    [{ mps: { replicas: 1 } }, "'mps.replicas' must be an integer from 2 to 48 (got 1; allowed: 2..48). Fix: one replica is no sharing"],
    [{ timeSlicing: { replicas: 1 } }, "'timeSlicing.replicas' must be an integer from 2 to 64 (got 1; allowed: 2..64). Fix: one replica is no sharing"],
    [{ timeSlicing: { replicas: 2 }, mps: { replicas: 2 } }, "'timeSlicing, mps' are exclusive at the pool level"],
  ])('fails on %j', (sharing, message) => {
    expect(problems({ name: 'bad', gpu: 'L40S', ...sharing })).toContain(message);
  });

  test('fails on options the plugin parses but ignores, and on unknown options', () => {
    const message = problems({ name: 'bad', gpu: 'L4', timeSlicing: { replicas: 4, rename: 'nvidia.com/shared-gpu', devices: [0] } as never });
    expect(message).toContain("'timeSlicing.rename' is not accepted: the device plugin parses resources[].rename but ignores it");
    expect(message).toContain("'timeSlicing.devices' is not accepted: the device plugin parses per-device replicas (resources[].devices) but ignores them");
    expect(problems({ name: 'bad', gpu: 'L4', mps: { replicas: 4, replica: 3 } as never })).toContain("'mps.replica' is not an option; did you mean 'replicas'? (got 3; allowed: replicas, renameByDefault). Fix: rename it to 'replicas'");
  });

  test('MPS allows 16 clients below compute capability 7.5', () => {
    expect(maxMpsReplicas({ id: 'V100', memoryGiB: 31.7, computeCapability: 7.0 })).toBe(16);
    expect(maxMpsReplicas(findGpu('T4')!)).toBe(48);
  });

  test('warns on time-slicing for production inference, and on MPS across teams', () => {
    expect(resolveGpuPool({ name: 'ts', gpu: 'A100-80GB', timeSlicing: { replicas: 4 }, workloads: { productionInference: true } }).warnings[0]).toMatch(/no memory isolation.*use MIG \(the A100-80GB supports it\)/);
    expect(resolveGpuPool({ name: 'mps', gpu: 'L4', mps: { replicas: 4 }, workloads: { teams: 3 } }).warnings[0]).toMatch(/MPS assumes trusted clients of one team/);
    expect(resolveGpuPool({ name: 'quiet', gpu: 'L4', timeSlicing: { replicas: 4 } }).warnings).toEqual([]);
  });
});

describe('recommendGpuSharing', () => {
  test.each([
    [{ memoryIsolation: true, gpu: 'H100-80GB', pattern: 'continuous' }, 'mig'],
    [{ memoryIsolation: true, gpu: 'A100-80GB', pattern: 'bursty', workloadsPerGpu: 12 }, 'mig+time-slicing'],
    [{ memoryIsolation: true, gpu: 'L4', pattern: 'continuous' }, 'whole-gpu'],
    [{ memoryIsolation: false, multipleTeams: true, gpu: 'H100-80GB', pattern: 'bursty' }, 'mig'],
    [{ memoryIsolation: false, gpu: 'T4', pattern: 'bursty' }, 'time-slicing'],
    [{ memoryIsolation: false, gpu: 'L40S', pattern: 'continuous' }, 'mps'],
    [{ memoryIsolation: false, gpu: 'A10G', pattern: 'dev' }, 'time-slicing'],
    [{ memoryIsolation: false, gpu: 'H100-80GB', pattern: 'continuous', memoryGiBPerWorkload: 60 }, 'whole-gpu'],
  ] as const)('%j -> %s', (needs, strategy) => {
    const rec = recommendGpuSharing({ ...needs, gpu: findGpu(needs.gpu)! });
    expect(rec.strategy).toBe(strategy);
    expect(rec.reason.length).toBeGreaterThan(40);
  });
});

describe('slices and VllmService placement', () => {
  const pool = new GpuPoolHandle(resolveGpuPool({ name: 'h100-mig', gpu: 'H100-80GB', nodes: 2, mig: { layout: 'balanced' } }));

  test('a slice carries the resource, selection, tolerations and memory', () => {
    expect(pool.slice('3g.40gb')).toEqual({
      poolName: 'h100-mig', gpu: findGpu('H100-80GB'), profile: '3g.40gb', resourceName: 'nvidia.com/mig-3g.40gb', memoryGiB: 38.81,
      shared: true, memoryShared: false, podsPerUnit: 1, nodeSelector: { 'gpuplane.dev/pool': 'h100-mig' }, gpusPerNode: 8,
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }],
      poolProfiles: ['1g.10gb', '2g.20gb', '3g.40gb'],
    });
  });

  test('fails if the profile is not in the layout', () => {
    expect(() => pool.slice('7g.80gb')).toThrow("'profile' must be a MIG profile in pool 'h100-mig' (got \"7g.80gb\"; allowed: 1g.10gb, 2g.20gb, 3g.40gb)");
  });

  test('VllmService on a 3g.40gb slice: requests the slice, selects the pool, uses 0.75 and the slice memory', () => {
    const { objects, resolved } = renderVllmService({ name: 'llama', model: 'llama-3.1-8b', placement: pool.slice('3g.40gb'), maxModelLen: 8192 });
    const d = findWorkload(objects);
    const c = vllmContainer(d);
    expect(c.resources.limits['nvidia.com/mig-3g.40gb']).toBe('1');
    expect(c.resources.requests['nvidia.com/mig-3g.40gb']).toBe('1');
    expect(c.resources.limits['nvidia.com/gpu']).toBeUndefined();
    expect(d.spec.template.spec.nodeSelector).toEqual({ 'gpuplane.dev/pool': 'h100-mig' });
    expect(d.spec.template.spec.affinity).toBeUndefined();
    expect(resolved.gpuMemoryUtilization).toBe(0.75);
    expect(resolved.memory.breakdown.deviceMemoryGiB).toBe(38.81);
    expect(validateObjects(objects)).toEqual([]);
  });

  test('fails if the model does not fit the slice', () => {
    expect(() => renderVllmService({ name: 'llama', model: 'llama-3.1-8b', placement: pool.slice('1g.10gb') })).toThrow(/'model' does not fit: The weights \(14\.96 GiB per GPU.*H100-80GB MIG 1g\.10gb \(9\.7 GiB\)/);
  });

  test('on a pool of whole GPUs, tensor parallelism is bounded by the pool\'s GPUs per node', () => {
    const whole = new GpuPoolHandle(resolveGpuPool({ name: 'h100-whole', gpu: 'H100-80GB', gpusPerNode: 4 }));
    const { resolved } = renderVllmService({ name: 'big', model: 'llama-3.3-70b', placement: whole.slice(), tensorParallelSize: 4 });
    expect(resolved.gpuMemoryUtilization).toBe(0.85);
    expect(() => renderVllmService({ name: 'big', model: 'llama-3.1-405b-fp8', placement: whole.slice(), tensorParallelSize: 8 })).toThrow(
      "'tensorParallelSize' (8) exceeds the GPUs of one node (4)",
    );
  });

  test('fails if tensor parallelism is asked of a MIG slice', () => {
    expect(() => renderVllmService({ name: 'llama', model: 'qwen3-0.6b', placement: pool.slice('1g.10gb'), tensorParallelSize: 2 })).toThrow("'tensorParallelSize' must be 1 on a MIG instance (1g.10gb)");
  });
});

describe('Karpenter NodePool', () => {
  test('renders labels and taints the new nodes boot with, and validates', () => {
    const { objects } = renderGpuPool({
      name: 'h100-mig', gpu: 'H100-80GB', nodes: { min: 0, max: 4 }, mig: { layout: { '3g.40gb': 2 } },
      karpenter: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, instanceTypes: ['p5.48xlarge'] },
    });
    const np = find(objects, 'NodePool');
    expect(np.spec.template.metadata.labels['nvidia.com/mig.config']).toBe('h100-mig');
    expect(np.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    expect(np.spec.limits).toEqual({ 'nvidia.com/gpu': '32' });
    expect(np.spec.disruption.consolidationPolicy).toBe('WhenEmpty');
    expect(validateObjects(objects)).toEqual([]);
  });

  test('the schema catches a typo in an override', () => {
    const { objects } = renderGpuPool({ name: 'p', gpu: 'L4', karpenter: { nodeClassRef: { group: 'g', kind: 'k', name: 'n' }, instanceTypes: ['g6.xlarge'] } });
    const bad = JSON.parse(JSON.stringify(objects[0]));
    bad.spec.template.spec.taint = bad.spec.template.spec.taints;
    expect(validateObjects([bad]).join()).toContain('schema karpenter.sh/v1/NodePool: data/spec/template/spec must NOT have additional properties (taint)');
  });
});

describeWithBinary('jq', 'jq', 'reconfiguration', () => {
  const pool = new GpuPoolHandle(resolveGpuPool({ name: 'h100-mig', gpu: 'H100-80GB', nodes: 2, mig: { layout: { '3g.40gb': 2 } } }));

  test('the script cordons, evicts only GPU pods through the Eviction API, relabels, waits for success, uncordons, node by node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuplane-reconf-'));
    const log = join(dir, 'kubectl.log');
    const pods = { items: [
      { metadata: { namespace: 'inference', name: 'llama-1' }, spec: { containers: [{ resources: { limits: { 'nvidia.com/gpu': '1' } } }] } },
      { metadata: { namespace: 'kube-system', name: 'node-exporter' }, spec: { containers: [{ resources: {} }] } },
    ] };
    writeFileSync(join(dir, 'pods.json'), JSON.stringify(pods));
    writeFileSync(join(dir, 'kubectl'), `#!/bin/sh
echo "$*" >> ${log}
case "$1 $2" in
  "get nodes") echo "gpu-a gpu-b" ;;
  "get pods") cat ${join(dir, 'pods.json')} ;;
  "create --raw") cat > /dev/null ;;
esac
exit 0
`);
    chmodSync(join(dir, 'kubectl'), 0o755);
    writeFileSync(join(dir, 'reconfigure.sh'), pool.reconfigurationScript('all-balanced'));
    execFileSync('bash', [join(dir, 'reconfigure.sh')], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` }, stdio: 'pipe' });
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ').slice(0, 3).join(' '));
    const perNode = (node: string) => [
      `cordon ${node}`, 'get pods -A', 'create --raw /api/v1/namespaces/inference/pods/llama-1/eviction', 'wait --for=delete pod/llama-1',
      'label node ' + node, `wait node ${node}`, `uncordon ${node}`,
    ];
    expect(calls).toEqual(['get nodes -l', ...perNode('gpu-a'), ...perNode('gpu-b')]);
    expect(readFileSync(log, 'utf8')).toContain('label node gpu-a nvidia.com/mig.config=all-balanced --overwrite');
    expect(readFileSync(log, 'utf8')).toContain("wait node gpu-a --for=jsonpath={.metadata.labels.nvidia\\.com/mig\\.config\\.state}=success");
  });

  test('a VllmService on the pool yields its drain facts', () => {
    const { resolved } = renderVllmService({ name: 'solo', namespace: 'inference', model: 'qwen3-4b', placement: pool.slice('3g.40gb'), autoscaling: false, replicas: 1 });
    expect(placedWorkloadOf(resolved)).toEqual({ name: 'solo', namespace: 'inference', poolName: 'h100-mig', minReplicas: 1, disruptionsAllowed: 0 });
    expect(pool.drainWarnings([placedWorkloadOf(resolved)!])[0]).toMatch(/^inference\/solo: its PodDisruptionBudget allows no pod down/);
  });

  test('warns about budgets that would block the drain', () => {
    expect(pool.drainWarnings([
      { name: 'solo', namespace: 'inference', poolName: 'h100-mig', minReplicas: 1, disruptionsAllowed: 0 },
      { name: 'pair', namespace: 'inference', poolName: 'h100-mig', minReplicas: 2, disruptionsAllowed: 1 },
      { name: 'elsewhere', namespace: 'inference', poolName: 'other', minReplicas: 1, disruptionsAllowed: 0 },
    ])).toEqual([
      "inference/solo: its PodDisruptionBudget allows no pod down (1 replica); evictions during the MIG reconfiguration of pool 'h100-mig' block until you scale it up or remove the budget.",
      'inference/pair: 2 replicas on a pool of 2 node(s); each drain waits until a replacement is Ready on another node of the pool, which needs a free MIG instance there.',
    ]);
  });

  test('whole-GPU pools have nothing to reconfigure', () => {
    expect(() => new GpuPoolHandle(resolveGpuPool({ name: 't4', gpu: 'T4', timeSlicing: { replicas: 2 } })).reconfigurationScript()).toThrow("'reconfigurationScript' needs a MIG layout to reconfigure; the pool is time-slicing (got \"time-slicing\"). Fix: call it on a MigNodePool");
  });
});

describe('MigLayouts', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { MigLayouts } = require('../../../lib/core/gpu/pool') as typeof import('../../../lib/core/gpu/pool');
  test.each([
    [MigLayouts.balanced(), { '1g.10gb': 2, '2g.20gb': 1, '3g.40gb': 1 }],
    [MigLayouts.allOf('3g.40gb'), { '3g.40gb': 2 }],
    [MigLayouts.of({ '4g.40gb': 1, '3g.40gb': 1 }), { '3g.40gb': 1, '4g.40gb': 1 }],
  ])('%j lays out every GPU', (layout, expected) => {
    expect(resolveGpuPool({ name: 'p', gpu: 'H100-80GB', gpusPerNode: 2, mig: { layout } }).perGpuLayouts).toEqual([expected, expected]);
  });

  test('perGpu gives each GPU its own layout', () => {
    const r = resolveGpuPool({ name: 'p', gpu: 'H100-80GB', gpusPerNode: 2, mig: { layout: MigLayouts.perGpu([{ '7g.80gb': 1 }, { '1g.10gb': 7 }]) } });
    expect(r.perGpuLayouts).toEqual([{ '7g.80gb': 1 }, { '1g.10gb': 7 }]);
    expect(r.migStrategy).toBe('mixed');
  });
});
