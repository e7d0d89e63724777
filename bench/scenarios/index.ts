/** Every scenario of DESIGN.md §6, in order. */
import type { Scenario } from '../scenario';
import { directSend } from './direct-send';

export const SCENARIO_LIST: readonly Scenario[] = [directSend];
