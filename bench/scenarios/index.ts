/** Every scenario of DESIGN.md §6, in order. */
import type { Scenario } from '../scenario';
import { directSend } from './direct-send';
import { durableAcks } from './durable-acks';
import { fanOut } from './fan-out';
import { historyPaging } from './history-paging';
import { idleConnections } from './idle-connections';
import { rendererSwitch } from './renderer-switch';
import { verdicts } from './verdicts';

export const SCENARIO_LIST: readonly Scenario[] = [directSend, fanOut, durableAcks, historyPaging, idleConnections, rendererSwitch, verdicts];
