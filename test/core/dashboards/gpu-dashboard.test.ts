import { readFileSync } from 'fs';
import { gpuDashboardPanels, gpuDashboardVariables, renderGpuDashboard } from '../../../lib/core/dashboards/gpu';
import { resolveGpuPool } from '../../../lib/core/gpu/pool';
import { DCGM_COUNTERS } from '../../../lib/core/operator/dcgm';
import { renderGpuOperatorStack } from '../../../lib/core/operator/stack';
import { referencePath } from '../../helpers/reference';

/** Field names of a dcgm-exporter counters CSV (the reference copy of NVIDIA/dcgm-exporter's `etc/`). */
const csvFields = (file: string) => readFileSync(referencePath('dcgm', file), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(',')[0].trim());

const mig = resolveGpuPool({ name: 'h100-mig', gpu: 'H100-80GB', mig: { layout: { '3g.40gb': 2 } } });
const t4 = resolveGpuPool({ name: 't4-shared', gpu: 'T4', gpusPerNode: 1, timeSlicing: { replicas: 2 } });
const metricsOf = (expr: string) => [...expr.matchAll(/\b(DCGM_[A-Z0-9_]+|kube_[a-z_]+)\b/g)].map((m) => m[1]);
const exprs = (panels: ReturnType<typeof gpuDashboardPanels>) => panels.flatMap((p) => p.targets.map((t) => t.expr));

describe('GPU pools Grafana dashboard', () => {
  const { dashboard, objects } = renderGpuDashboard({ pools: [mig, t4] });
  const panels = gpuDashboardPanels({ pools: [mig, t4] });

  test('the default render', () => {
    expect(objects).toMatchSnapshot();
  });

  test('a ConfigMap in the operator namespace labelled for the kube-prometheus-stack sidecar, holding the dashboard JSON', () => {
    expect(objects).toHaveLength(1);
    const cm = objects[0] as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(cm.metadata).toEqual({ name: 'gpu-pools-grafana-dashboard', namespace: 'gpu-operator', labels: { grafana_dashboard: '1', 'app.kubernetes.io/instance': 'gpu-pools', 'app.kubernetes.io/managed-by': 'gpuplane' } });
    expect(JSON.parse(cm.data['gpu-pools.json'])).toEqual(dashboard);
    expect(dashboard).toMatchObject({ title: 'GPU pools (h100-mig, t4-shared)', uid: 'gpuplane-gpu-pools', tags: ['gpuplane', 'gpu', 'dcgm'] });
    const other = renderGpuDashboard({ pools: [mig], name: 'fleet-a', namespace: 'monitoring', folder: 'GPUs', sidecarLabel: { grafana_dashboard: 'gpus' } }).objects[0];
    expect(other.metadata).toEqual({ name: 'fleet-a-grafana-dashboard', namespace: 'monitoring', annotations: { grafana_folder: 'GPUs' }, labels: { grafana_dashboard: 'gpus', 'app.kubernetes.io/instance': 'fleet-a', 'app.kubernetes.io/managed-by': 'gpuplane' } });
  });

  test('the panels the issue asks for', () => {
    expect(panels.map((p) => p.title)).toEqual([
      'Graphics engine active (GPUs and MIG instances)', 'Tensor pipe active', 'Memory interface active (DRAM)', 'Graphics engine active per pod', 'Framebuffer used',
      'Framebuffer free', 'MIG instances per profile', 'SM clock', 'Power draw', 'Temperature', 'Throttled (share of time)', 'XID errors (exporter window)',
      'ECC errors per hour', 'Retired pages', 'Row remapping', 'PCIe replays per second',
    ]);
    // Per GPU instance: MIG devices are their own series with GPU_I_PROFILE and GPU_I_ID.
    expect(panels[0].targets[0].expr).toMatch(/^max by \(node, gpu, GPU_I_PROFILE, GPU_I_ID\) /);
    expect(panels[0].targets[0].legendFormat).toBe('{{node}} GPU {{gpu}} {{GPU_I_PROFILE}}');
    expect(panels.find((p) => p.title === 'Graphics engine active per pod')!.targets[0].expr).toContain('DCGM_FI_PROF_GR_ENGINE_ACTIVE{pod!="",namespace!="gpu-operator"}');
    // Device metrics per GPU, never summed over the GPU's series.
    for (const t of panels.find((p) => p.title === 'ECC errors per hour')!.targets) expect(t.expr).toMatch(/^max by \(node, gpu\) /);
    // No MIG pool: no MIG panel.
    expect(gpuDashboardPanels({ pools: [t4] }).map((p) => p.title)).not.toContain('MIG instances per profile');
  });

  test('every query reads the node from Hostname or hostname and takes away the nodes outside the chosen pool and node', () => {
    for (const e of exprs(panels)) {
      expect(e).toContain('label_replace(label_replace(');
      expect(e).toContain('"node", "$1", "Hostname", "(.+)"), "node", "$1", "hostname", "(.+)")');
      expect(e).toContain('unless on (node) (kube_node_labels{label_gpuplane_dev_pool!~"$pool"} or kube_node_labels{node!~"$node"})');
    }
    for (const e of exprs(gpuDashboardPanels())) expect(e).toContain('unless on (node) kube_node_labels{node!~"$node"})');
    expect(gpuDashboardVariables({ pools: [mig, t4] })).toEqual([
      { name: 'pool', label: 'Pool', type: 'custom', values: ['h100-mig', 't4-shared'], includeAll: true },
      { name: 'node', label: 'Node', type: 'query', includeAll: true, query: 'label_values(kube_node_labels{label_gpuplane_dev_pool=~"$pool"}, node)' },
    ]);
    const templating = (dashboard.templating as { list: Record<string, unknown>[] }).list;
    expect(templating.map((v) => v.name)).toEqual(['datasource', 'pool', 'node']);
    expect(templating[1]).toMatchObject({ type: 'custom', query: 'h100-mig,t4-shared', includeAll: true, allValue: '.*' });
  });

  test('every DCGM metric of the dashboard is a counter the shipped CSV enables, and none that MIG devices do not report', () => {
    const shipped = new Set(DCGM_COUNTERS.filter((c) => c.type !== 'label').map((c) => c.field));
    const used = new Set(exprs(panels).flatMap(metricsOf));
    expect([...used].filter((m) => !m.startsWith('kube_') && !shipped.has(m))).toEqual([]);
    expect([...used].filter((m) => m.startsWith('kube_'))).toEqual(['kube_node_labels']);
    expect(used).not.toContain('DCGM_FI_DEV_GPU_UTIL');
    expect(used.size).toBeGreaterThan(20);
    // The profiling counters are in dcgm-exporter's own CSV (the reference copy), and the ConfigMap the stack renders
    // (what the exporter reads) lists every counter the dashboard uses.
    const csv = renderGpuOperatorStack({}).objects.find((o) => o.metadata.name === 'gpuplane-dcgm-metrics') as unknown as { data: Record<string, string> };
    for (const m of used) if (m.startsWith('DCGM_FI_PROF_')) expect(csvFields('dcp-metrics-included.csv')).toContain(m);
    for (const m of used) if (!m.startsWith('kube_')) expect(csv.data['dcgm-metrics.csv']).toContain(`${m}, `);
  });

  test('NVLink: the shipped CSV does not enable it, so there is no NVLink panel; a panel drops when its counter is not shipped', () => {
    expect(DCGM_COUNTERS.map((c) => c.field).filter((f) => f.includes('NVLINK'))).toEqual([]);
    expect(exprs(panels).join('\n')).not.toContain('NVLINK');
    const withoutEcc = gpuDashboardPanels({ pools: [mig] }, DCGM_COUNTERS.filter((c) => !c.field.startsWith('DCGM_FI_DEV_ECC_')));
    expect(withoutEcc.map((p) => p.title)).not.toContain('ECC errors per hour');
    expect(withoutEcc).toHaveLength(gpuDashboardPanels({ pools: [mig] }).length - 1);
  });

  test('the stack: its namespace for the ConfigMap and the per-pod panel', () => {
    const stack = renderGpuOperatorStack({ namespace: 'nvidia', pools: [mig] });
    const r = renderGpuDashboard({ pools: stack.pools, operatorNamespace: stack.namespace });
    expect(r.objects[0].metadata.namespace).toBe('nvidia');
    expect(JSON.stringify(r.dashboard)).toContain('namespace!=\\"nvidia\\"');
  });

  test('fails if options are wrong, naming the field', () => {
    expect(() => renderGpuDashboard({ pools: [mig, mig] })).toThrow("'pools' names a pool twice (got \"h100-mig\"; allowed: each pool once). Fix: pass each GpuNodePool once");
    expect(() => renderGpuDashboard({ pools: [{ name: 'Bad_Pool', kind: 'mig' }] })).toThrow("'pools[0].name'");
    expect(() => renderGpuDashboard({ pools: [{ name: 'p', kind: 'shared' as never }] })).toThrow("'pools[0].kind'");
    expect(() => renderGpuDashboard({ folders: 'x' } as never)).toThrow("'folders'");
    expect(() => renderGpuDashboard({ sidecarLabel: { 'bad key!': '1' } })).toThrow('sidecarLabel');
  });
});
