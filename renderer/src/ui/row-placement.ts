import type { Message } from '../../../protocol';
import type { PendingMessage } from '../store/chat-state';
import { sameDay } from '../lib/format-time';

/** The rows of a message list by index: the log, then the pending sends. */
export interface ListRows {
  items: readonly Message[];
  pending: readonly PendingMessage[];
}

function createdAtOf(rows: ListRows, index: number): number | undefined {
  if (index < 0) return undefined;
  if (index < rows.items.length) return rows.items[index]?.createdAt;
  return rows.pending[index - rows.items.length]?.createdAt;
}

/** Pending sends are the reader's own; they carry no sender id, and '' keeps them in one run. */
function senderOf(rows: ListRows, index: number): string | undefined {
  if (index < 0) return undefined;
  if (index < rows.items.length) return rows.items[index]?.senderId;
  return rows.pending[index - rows.items.length] === undefined ? undefined : '';
}

/**
 * Whether the row continues the previous one's run of messages from the same sender (and so
 * shows no avatar or name). Cheap enough to ask for every row of a long log.
 */
export function continuesRun(rows: ListRows, index: number): boolean {
  const previousSender = senderOf(rows, index - 1);
  return previousSender !== undefined && rows.items[index - 1]?.kind !== 'system' && previousSender === senderOf(rows, index);
}

/** Whether a day separator goes above the row: the first row, or the first of a new day. */
export function startsDay(rows: ListRows, index: number): boolean {
  const createdAt = createdAtOf(rows, index);
  const previous = createdAtOf(rows, index - 1);
  return createdAt === undefined || previous === undefined || !sameDay(previous, createdAt);
}
