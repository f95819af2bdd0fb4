#!/usr/bin/env node
/**
 * gpuplane: the package's command line. `gpuplane plan fleet.yaml` plans a GPU fleet request (YAML or JSON, the
 * FleetRequest of planGpuFleet) and prints the plan table; `--json` prints the plan, `--svg <file>` writes the
 * picture. Exit status 0 planned, 1 refused (the problems are printed), 2 unreadable input or bad usage.
 */
import { readFileSync, writeFileSync } from 'fs';
import { parse } from 'yaml';
import { GpuplaneValidationError } from '../core/errors';
import { planGpuFleet } from '../core/planning/plan';
import { fleetSvg, fleetTable } from '../core/planning/report';
import { FleetRequest } from '../core/planning/types';

const USAGE = `usage: gpuplane plan [--json] [--svg <file>] <fleet.yaml | fleet.json | ->
  Plans the fewest GPUs or the lowest cost that serve the workloads of a fleet request and prints the plan.
  -             read standard input
  --json        print the plan as JSON instead of the table
  --svg <file>  also write the SVG picture of the fleet's GPUs and slices
Exit status: 0 planned, 1 refused, 2 unreadable input or bad usage.`;

export interface PlanIo {
  readonly readFile: (path: string) => string;
  readonly readStdin: () => string;
  readonly writeFile: (path: string, content: string) => void;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Runs the command; returns the exit status. */
export function main(argv: readonly string[], io: PlanIo): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === 'help' || command === undefined) {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'plan') {
    io.err(`gpuplane: unknown command ${JSON.stringify(command)}\n${USAGE}`);
    return 2;
  }
  let json = false;
  let svg: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--json') json = true;
    else if (a === '--svg') svg = rest[++i];
    else if (a.startsWith('--') || (a.startsWith('-') && a !== '-')) { io.err(`gpuplane plan: unknown option ${a}\n${USAGE}`); return 2; }
    else inputs.push(a);
  }
  if (inputs.length !== 1 || (rest.includes('--svg') && !svg)) {
    io.err(`gpuplane plan: ${inputs.length === 0 ? 'no request given' : inputs.length > 1 ? 'one request at a time' : '--svg needs a file'}\n${USAGE}`);
    return 2;
  }
  let request: FleetRequest;
  try {
    const text = inputs[0] === '-' ? io.readStdin() : io.readFile(inputs[0]);
    request = parse(text) as FleetRequest; // YAML is a superset of JSON
  } catch (e) {
    io.err(`gpuplane plan: cannot read ${inputs[0]}: ${(e as Error).message}`);
    return 2;
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    io.err(`gpuplane plan: ${inputs[0]} must hold a mapping with workloads and gpus (got ${JSON.stringify(request)})`);
    return 2;
  }
  try {
    const plan = planGpuFleet(request);
    io.out(json ? `${JSON.stringify({ ...plan, millis: undefined }, null, 2)}\n` : fleetTable(plan));
    if (svg) io.writeFile(svg, fleetSvg(plan));
    return 0;
  } catch (e) {
    if (e instanceof GpuplaneValidationError) {
      io.err(`gpuplane plan: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    readFile: (path) => readFileSync(path, 'utf8'),
    readStdin: () => readFileSync(0, 'utf8'),
    writeFile: (path, content) => writeFileSync(path, content),
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  });
}
