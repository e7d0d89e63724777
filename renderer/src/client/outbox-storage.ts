/** Unsent messages survive a reload, so what was typed offline is never lost. */
import type { PendingMessage } from '../store/chat-state';

const key = (userId: string): string => `wanglai.outbox.${userId}`;

function isPending(value: unknown): value is PendingMessage {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.clientId === 'string' &&
    typeof p.conversationId === 'string' &&
    typeof p.text === 'string' &&
    typeof p.createdAt === 'number' &&
    (p.state === 'pending' || p.state === 'failed') &&
    (p.conversationTitle === undefined || typeof p.conversationTitle === 'string')
  );
}

/**
 * After a reload every unsent message is simply pending again, and the same clientId keeps a
 * resend idempotent; except one refused because the user is no longer a member of its
 * conversation: sending it again could only be refused again, and it stays failed so that its
 * notice shows at once, even offline.
 */
function reloaded(p: PendingMessage): PendingMessage {
  const base: PendingMessage = { clientId: p.clientId, conversationId: p.conversationId, text: p.text, createdAt: p.createdAt, state: 'pending' };
  const titled = p.conversationTitle === undefined ? base : { ...base, conversationTitle: p.conversationTitle };
  return p.state === 'failed' && p.error === 'not_member' ? { ...titled, state: 'failed', error: 'not_member' } : titled;
}

export function loadOutbox(userId: string): PendingMessage[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isPending).map(reloaded) : [];
  } catch {
    return [];
  }
}

export function saveOutbox(userId: string, outbox: readonly PendingMessage[]): void {
  if (outbox.length === 0) localStorage.removeItem(key(userId));
  else localStorage.setItem(key(userId), JSON.stringify(outbox));
}

/** Signing out deletes the unsent messages with their text; the user was asked first. */
export function discardOutbox(userId: string): void {
  localStorage.removeItem(key(userId));
}
