/**
 * `npm run bench`: runs the scenarios of DESIGN.md §6, each against its baseline in the same
 * run, and writes bench/results/latest.json (plus a dated copy) and the table in
 * docs/benchmarks.md.
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseCli, USAGE } from './cli';
import { machineInfo, renderMachine } from './machine';
import { mergeRows, readRows, renderTable, updateDoc, writeRows, type ResultRow } from './results';
import type { Scenario, ScenarioContext } from './scenario';
import { GENERATOR_NICE, REPO_ROOT, trySetPriority } from './server-process';
import { SCENARIO_LIST } from './scenarios';

const outcome = parseCli(process.argv.slice(2));
if (outcome.kind === 'help') {
  console.log(USAGE);
  process.exit(0);
}
if (outcome.kind === 'usage') {
  console.error(`bench: ${outcome.problem}\n\n${USAGE}`);
  process.exit(2);
}
const { options } = outcome;

const startedAt = new Date();
const machine = machineInfo();
const log = (line: string) => console.log(line);
const ctx: ScenarioContext = { quick: options.quick, log };

/** A scenario that cannot run still leaves a row saying so, never a silent gap in the table. */
function failureRow(scenario: Scenario, error: unknown): ResultRow {
  const message = error instanceof Error ? error.message : String(error);
  return { scenario: scenario.id, name: scenario.title, metric: 'run', value: null, unit: '', baseline: null, ratio: null, target: null, met: false, note: `not run: ${message.split('\n')[0]?.slice(0, 200) ?? ''}` };
}

if (!trySetPriority(process.pid, GENERATOR_NICE)) log('note: cannot raise the generator priority; runs rely on the loop-delay guard alone');

/**
 * On a shared machine, a full run waits (bounded) for other work to calm down before each
 * scenario, so that figures describe the servers rather than the neighbours.
 */
async function waitForQuiet(maxMs: number): Promise<void> {
  const cores = cpus().length;
  const deadline = Date.now() + maxMs;
  while ((loadavg()[0] ?? 0) > cores && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2000));
  const load = loadavg()[0] ?? 0;
  if (load > cores) log(`  note: load average ${load.toFixed(1)} on ${cores} cores; figures of this scenario are disturbed by other work`);
}

const fresh: ResultRow[] = [];
for (const scenario of SCENARIO_LIST.filter((s) => options.only.includes(s.id as (typeof options.only)[number]))) {
  const began = Date.now();
  log(`\n[${scenario.id}] ${scenario.title}${options.quick ? ' (quick)' : ''}`);
  if (!options.quick) await waitForQuiet(20_000);
  try {
    fresh.push(...(await scenario.run(ctx)));
  } catch (error) {
    log(`  failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    fresh.push(failureRow(scenario, error));
  }
  log(`  (${((Date.now() - began) / 1000).toFixed(1)} s)`);
}

const resultsDir = resolve(REPO_ROOT, 'bench/results');
const rows = mergeRows(await readRows(`${resultsDir}/latest.json`), fresh, options.only);
const table = renderTable(rows);
log(`\n${table}\n`);
if (options.write) {
  const written = await writeRows(resultsDir, rows, startedAt);
  await updateDoc(resolve(REPO_ROOT, 'docs/benchmarks.md'), { machine: renderMachine(machine, startedAt, options.quick), table });
  log(`wrote ${written.latest}, ${written.dated} and docs/benchmarks.md`);
}
log(`total ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s`);
