/**
 * HiGHS (the `highs` package: the HiGHS solver compiled to WebAssembly) behind a synchronous call. The package's
 * loader is asynchronous, and planGpuFleet is synchronous like every other core function (constructs plan in their
 * constructors), so the solver runs in a worker thread that loads HiGHS once; the caller blocks on Atomics.wait
 * until the worker has posted the answer. The worker is unref'ed: it never keeps a process alive.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/** A linear program with integrality, rows given sparsely. */
export interface MipModel {
  readonly numCols: number;
  readonly colCost: readonly number[];
  readonly colLower: readonly number[];
  readonly colUpper: readonly number[];
  /** 1 = integer, 0 = continuous. */
  readonly integrality: readonly number[];
  readonly rows: readonly { readonly lower: number; readonly upper: number; readonly cols: readonly number[]; readonly values: readonly number[] }[];
}

export interface MipResult {
  /** HiGHS model status text: `optimal`, `time-limit`, `infeasible`, ... */
  readonly status: string;
  readonly colValue: readonly number[];
  readonly objective: number;
  /** The proven bound on the objective (the objective itself when optimal; for LPs, the optimum). */
  readonly dualBound: number;
}

export interface SolveOptions {
  /** Solve the LP relaxation only. */
  readonly relax?: boolean;
  readonly timeLimitSeconds?: number;
  readonly mipRelGap?: number;
  readonly mipMaxNodes?: number;
}

const WORKER_SOURCE = (highsPath: string) => `
const { parentPort } = require('worker_threads');
const ready = require(${JSON.stringify(highsPath)})();
const STATUS = { 7: 'optimal', 8: 'infeasible', 9: 'unbounded-or-infeasible', 10: 'unbounded', 13: 'time-limit', 14: 'iteration-limit', 16: 'node-limit', 15: 'unknown' };
parentPort.on('message', async ({ port, signal, model, options }) => {
  let reply;
  try {
    const h = await ready;
    const inf = h.infinity;
    const fix = (v) => (v === null || v >= 1e30 ? inf : v <= -1e30 ? -inf : v);
    const starts = [0], indices = [], values = [];
    for (const r of model.rows) { for (let i = 0; i < r.cols.length; i++) { indices.push(r.cols[i]); values.push(r.values[i]); } starts.push(indices.length); }
    const m = h.createModel();
    try {
      m.options.set({ output_flag: false, mip_detect_symmetry: false, time_limit: options.timeLimitSeconds ?? 10, mip_rel_gap: options.mipRelGap ?? 1e-4, mip_max_nodes: options.mipMaxNodes ?? 100000 });
      const data = {
        numCols: model.numCols, numRows: model.rows.length, colCost: model.colCost, colLower: model.colLower, colUpper: model.colUpper.map(fix),
        rowLower: model.rows.map((r) => fix(r.lower)), rowUpper: model.rows.map((r) => fix(r.upper)),
        matrix: { format: 'csr', numRows: model.rows.length, numCols: model.numCols, starts, indices, values },
      };
      m.passModel(options.relax ? data : { ...data, integrality: model.integrality });
      const run = m.run();
      const status = STATUS[run.modelStatus] || ('status-' + run.modelStatus);
      const sol = m.getSolution();
      const objective = m.getObjectiveValue();
      let dualBound = objective;
      if (!options.relax) { try { dualBound = m.info.get('mip_dual_bound'); } catch (e) { dualBound = -Infinity; } }
      reply = { ok: true, result: { status, colValue: Array.from(sol.colValue), objective, dualBound } };
    } finally { m.dispose(); }
  } catch (e) { reply = { ok: false, error: String((e && e.message) || e).slice(0, 500) }; }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});`;

let worker: Worker | undefined;

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(WORKER_SOURCE(require.resolve('highs')), { eval: true });
    worker.unref();
    worker.on('error', () => { worker = undefined; });
  }
  return worker;
}

/** Thrown when the solver cannot run; planGpuFleet reports it as a GpuplaneValidationError with the cause. */
export class SolverUnavailable {
  constructor(public readonly reason: string) {}
}

/** Solves a MIP (or its LP relaxation) with HiGHS, synchronously. */
export function solveMip(model: MipModel, options: SolveOptions = {}): MipResult {
  const w = getWorker();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    w.postMessage({ port: port2, signal, model, options }, [port2]);
    const waitMs = ((options.timeLimitSeconds ?? 10) + 30) * 1000;
    const waited = Atomics.wait(signal, 0, 0, waitMs);
    const message = receiveMessageOnPort(port1)?.message as { ok: boolean; result?: MipResult; error?: string } | undefined;
    if (!message) throw new SolverUnavailable(waited === 'timed-out' ? `HiGHS gave no answer within ${waitMs / 1000} s` : 'HiGHS worker ended without an answer');
    if (!message.ok) throw new SolverUnavailable(message.error ?? 'unknown HiGHS error');
    return message.result!;
  } finally {
    port1.close();
  }
}
