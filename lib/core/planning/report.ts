import { formatMigLayout } from '../gpu/mig-layout';
import { FleetGpu, FleetPlan } from './types';

const money = (x: number): string => x.toFixed(2);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function occupant(s: FleetGpu['slots'][number]): string {
  return s.workload === undefined ? 'spare' : `${s.workload}#${s.replica}`;
}

/** The plan as a text table: totals, bound, naive, then per GPU its pool, node, device, layout and who sits where. */
export function fleetTable(plan: FleetPlan): string {
  const lines: string[] = [];
  const saved = plan.naive.cost > 0 ? 1 - plan.cost / plan.naive.cost : 0;
  lines.push(`GPU fleet plan (${plan.objective}): ${plan.gpus} GPUs, ${money(plan.cost)}/h; lower bound ${plan.lowerBound.gpus} GPUs, ${money(plan.lowerBound.cost)}/h (gap ${pct(plan.gap)}, ${plan.solverStatus})`);
  lines.push(`naive (a whole GPU or TP group per replica): ${plan.naive.gpus} GPUs, ${money(plan.naive.cost)}/h; the plan saves ${pct(saved)}`);
  lines.push(`provisioned as whole nodes: ${plan.provisioned.nodes} nodes, ${plan.provisioned.gpus} GPUs, ${money(plan.provisioned.cost)}/h`);
  const rows: string[][] = [['pool', 'node', 'gpu', 'model', 'layout', 'occupants']];
  for (const g of plan.gpuList) {
    let layout: string;
    let who: string;
    if (g.kind === 'mig') {
      layout = formatMigLayout(g.layout!);
      who = g.slots.map((s) => `${s.profile}: ${occupant(s)}`).join(', ');
    } else if (g.kind === 'shared') {
      layout = `time-sliced x${g.slots.length}`;
      who = g.slots.map((s) => `${occupant(s)} (${s.size}%)`).join(', ');
    } else {
      layout = 'whole';
      who = g.slots.map((s) => (s.workload === undefined ? '(rank of the group above)' : `${occupant(s)}`)).join(', ');
    }
    rows.push([g.pool, String(g.node), String(g.device), g.gpu, layout, who]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) lines.push(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd());
  return `${lines.join('\n')}\n`;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A colour per workload name, stable across runs. */
function colour(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h}, 60%, 70%)`;
}

/**
 * An SVG picture of the fleet: one row per node, one box per GPU; MIG instances drawn over the GPU's memory slices,
 * time-slicing shares as bands of the device memory, whole GPUs filled by their group. Spare capacity is grey.
 */
export function fleetSvg(plan: FleetPlan): string {
  const gpuW = 120;
  const gpuH = 64;
  const pad = 8;
  const nodes = new Map<string, FleetGpu[]>();
  for (const g of plan.gpuList) {
    const k = `${g.pool}/${g.node}`;
    if (!nodes.has(k)) nodes.set(k, []);
    nodes.get(k)!.push(g);
  }
  const maxPerNode = Math.max(1, ...[...nodes.values()].map((n) => Math.max(...n.map((g) => g.device)) + 1));
  const width = 220 + maxPerNode * (gpuW + pad) + pad;
  const height = 40 + nodes.size * (gpuH + pad) + pad;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="10">`);
  out.push(`<text x="${pad}" y="20" font-size="13">${esc(`${plan.gpus} GPUs, ${money(plan.cost)}/h (lower bound ${plan.lowerBound.gpus} GPUs, ${money(plan.lowerBound.cost)}/h; naive ${plan.naive.gpus} GPUs, ${money(plan.naive.cost)}/h)`)}</text>`);
  let row = 0;
  for (const [key, list] of nodes) {
    const y = 36 + row * (gpuH + pad);
    out.push(`<text x="${pad}" y="${y + gpuH / 2}">${esc(key.replace('/', ' node '))}</text>`);
    for (const g of list) {
      const x = 220 + g.device * (gpuW + pad);
      out.push(`<g><title>${esc(`${g.gpu} ${g.pool} node ${g.node} gpu ${g.device}`)}</title><rect x="${x}" y="${y}" width="${gpuW}" height="${gpuH}" fill="#eee" stroke="#333"/></g>`);
      const slices = g.kind === 'mig' ? 8 : g.kind === 'shared' ? 100 : 1;
      for (const s of g.slots) {
        const sx = x + ((s.start ?? 0) / slices) * gpuW;
        const sw = (s.size / slices) * gpuW;
        const fill = s.workload === undefined ? (g.kind === 'whole' ? '#ccc' : '#ddd') : colour(s.workload);
        const label = g.kind === 'whole' ? (s.workload ? `${s.workload}#${s.replica}` : 'TP rank') : `${s.workload === undefined ? 'spare' : `${s.workload}#${s.replica}`}`;
        out.push(`<g><title>${esc(`${s.profile}: ${label}${s.needGiB !== undefined ? ` (${s.needGiB} GiB)` : ''}`)}</title><rect x="${sx.toFixed(1)}" y="${y + 14}" width="${Math.max(1, sw).toFixed(1)}" height="${gpuH - 14}" fill="${fill}" stroke="#555"/>` +
          `<text x="${(sx + 2).toFixed(1)}" y="${y + 28}" font-size="8">${esc(g.kind === 'mig' ? s.profile.split('.')[0] : '')}</text><text x="${(sx + 2).toFixed(1)}" y="${y + 40}" font-size="8">${esc(label.slice(0, Math.max(3, Math.floor(sw / 5))))}</text></g>`);
      }
      out.push(`<text x="${x + 3}" y="${y + 11}">${esc(g.gpu + (g.kind === 'mig' ? '' : ` ${g.kind}`))}</text>`);
    }
    row++;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
