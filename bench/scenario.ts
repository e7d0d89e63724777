/** What every scenario gets from the runner, and gives back. */
import type { ResultRow } from './results';

export interface ScenarioContext {
  quick: boolean;
  log(line: string): void;
}

export interface Scenario {
  id: number;
  title: string;
  run(ctx: ScenarioContext): Promise<ResultRow[]>;
}
