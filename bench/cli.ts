/** Command line of `npm run bench`: validated strictly, so a typo never runs the wrong benchmark. */

export const SCENARIOS = [1, 2, 3, 4, 5, 6, 7] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export interface BenchOptions {
  quick: boolean;
  only: ScenarioId[];
  /** Write results and docs; off for a dry look at figures. */
  write: boolean;
}

export type CliOutcome = { kind: 'run'; options: BenchOptions } | { kind: 'help' } | { kind: 'usage'; problem: string };

export const USAGE = `usage: npm run bench -- [--quick] [--only N[,N...]] [--no-write] [--help]

  --quick       smaller data and shorter steps (under 3 minutes)
  --only 1,3    run only these scenarios (1-7); others keep their last figures
  --no-write    print the table, leave bench/results and docs/benchmarks.md untouched
  --help        this text`;

function isScenario(n: number): n is ScenarioId {
  return (SCENARIOS as readonly number[]).includes(n);
}

function parseOnly(value: string): ScenarioId[] | string {
  const ids: ScenarioId[] = [];
  for (const part of value.split(',')) {
    if (!/^\d+$/.test(part.trim())) return `--only takes scenario numbers 1-7, got "${value}"`;
    const n = Number(part.trim());
    if (!isScenario(n)) return `no scenario ${n}; scenarios are 1-7`;
    if (!ids.includes(n)) ids.push(n);
  }
  return ids.sort((a, b) => a - b);
}

export function parseCli(argv: readonly string[]): CliOutcome {
  const options: BenchOptions = { quick: false, only: [...SCENARIOS], write: true };
  // A flag given twice is refused: with `--only 1 --only 2` one list would be dropped in silence.
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const flag = arg.startsWith('--only=') ? '--only' : arg;
    if (flag !== '--quick' && flag !== '--no-write' && flag !== '--only') return { kind: 'usage', problem: `unknown argument "${arg}"` };
    if (seen.has(flag)) return { kind: 'usage', problem: `${flag} given more than once` };
    seen.add(flag);
    if (flag === '--quick') options.quick = true;
    else if (flag === '--no-write') options.write = false;
    else {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (value === undefined || value === '') return { kind: 'usage', problem: '--only needs a list such as 1,3' };
      const only = parseOnly(value);
      if (typeof only === 'string') return { kind: 'usage', problem: only };
      options.only = only;
    }
  }
  return { kind: 'run', options };
}
