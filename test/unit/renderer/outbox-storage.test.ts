// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { loadOutbox, saveOutbox } from '../../../renderer/src/client/outbox-storage';
import type { PendingMessage } from '../../../renderer/src/store/chat-state';

afterEach(() => localStorage.clear());

describe('the outbox across a reload', () => {
  it('keeps a message refused as not_member failed, with its conversation’s title; any other is pending again', () => {
    const lost: PendingMessage = { clientId: 'lost-in-club', conversationId: 'g1', conversationTitle: 'Club', text: 'my reply', createdAt: 1, state: 'failed', error: 'not_member' };
    const limited: PendingMessage = { clientId: 'rate-limited', conversationId: 'c1', conversationTitle: 'Bo', text: 'again', createdAt: 2, state: 'failed', error: 'rate_limited' };
    const waiting: PendingMessage = { clientId: 'still-waiting', conversationId: 'c1', text: 'later', createdAt: 3, state: 'pending' };
    saveOutbox('u1', [lost, limited, waiting]);
    expect(loadOutbox('u1')).toEqual([
      lost,
      { clientId: 'rate-limited', conversationId: 'c1', conversationTitle: 'Bo', text: 'again', createdAt: 2, state: 'pending' },
      waiting,
    ]);
  });

  it('drops entries that are not messages, and a title that is not text', () => {
    localStorage.setItem('wanglai.outbox.u1', JSON.stringify([{ clientId: 'x' }, { clientId: 'y', conversationId: 'c', text: 't', createdAt: 1, state: 'pending', conversationTitle: 7 }]));
    expect(loadOutbox('u1')).toEqual([]);
  });
});
