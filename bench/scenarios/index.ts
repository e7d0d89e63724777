/** Every scenario of DESIGN.md §6, in order. */
import type { Scenario } from '../scenario';
import { directSend } from './direct-send';
import { historyPaging } from './history-paging';
import { verdicts } from './verdicts';

export const SCENARIO_LIST: readonly Scenario[] = [directSend, historyPaging, verdicts];
