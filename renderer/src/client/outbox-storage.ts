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
    (p.state === 'pending' || p.state === 'failed')
  );
}

export function loadOutbox(userId: string): PendingMessage[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
    // After a reload every unsent message is simply pending again; the same clientId keeps a resend idempotent.
    return Array.isArray(parsed) ? parsed.filter(isPending).map((p) => ({ clientId: p.clientId, conversationId: p.conversationId, text: p.text, createdAt: p.createdAt, state: 'pending' })) : [];
  } catch {
    return [];
  }
}

export function saveOutbox(userId: string, outbox: readonly PendingMessage[]): void {
  if (outbox.length === 0) localStorage.removeItem(key(userId));
  else localStorage.setItem(key(userId), JSON.stringify(outbox));
}
