// @vitest-environment jsdom
/**
 * The conversation list: what a screen reader hears for each chat, and times that move on at
 * midnight by themselves.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { Conversation, Member, Message, User } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { initI18n, setLanguage } from '../../../renderer/src/i18n/i18n';
import { useToday } from '../../../renderer/src/lib/use-today';
import { emptyChatState, type PendingMessage } from '../../../renderer/src/store/chat-state';
import { useChat } from '../../../renderer/src/store/chat-store';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { ConversationList } from '../../../renderer/src/ui/ConversationList';
import { TEST_IDS } from '../../../renderer/test-ids';

const user = (id: string, name: string): User => ({ id, username: id, displayName: name });
const ME = user('me', 'Bo');
const ANN = user('ann', 'Ann');
const CY = user('cy', 'Cy');
const member = (who: User): Member => ({ user: who, role: 'member', joinedAt: 1, readSeq: 0 });

/** Friday 10 May 2024, local time: the tests read times as the list shows them, in this computer's zone. */
const at = (hours: number, minutes: number, seconds = 0, day = 10): number => new Date(2024, 4, day, hours, minutes, seconds).getTime();

function textMessage(conversationId: string, seq: number, senderId: string, text: string, createdAt: number): Message {
  return { id: `${conversationId}-${seq}`, conversationId, seq, senderId, clientId: `client-${conversationId}-${seq}`, kind: 'text', text, createdAt };
}

function conversation(id: string, kind: Conversation['kind'], title: string, others: User[], unread: number, last: Message): Conversation {
  return { id, kind, title, members: [member(ME), ...others.map(member)], lastSeq: last.seq, readSeq: last.seq - unread, unread, createdAt: 1, lastMessage: last };
}

const WITH_ANN = conversation('with-ann', 'direct', 'Ann', [ANN], 2, textMessage('with-ann', 5, ANN.id, 'See you at the\n tea house', at(14, 5)));
const TEA = conversation('tea', 'group', 'Tea', [ANN, CY], 0, textMessage('tea', 3, CY.id, 'The new Longjing harvest arrived this morning and it is much better than last year’s batch', at(9, 30)));

function show(element: ReactElement): void {
  render(<ClientContext.Provider value={{} as ChatClient}>{element}</ClientContext.Provider>);
}

function item(conversationId: string): HTMLElement {
  const found = screen.getAllByTestId(TEST_IDS.conversationItem).find((i) => i.getAttribute('data-conversation-id') === conversationId);
  if (found === undefined) throw new Error(`no item for ${conversationId}`);
  return found;
}

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

beforeEach(() => {
  vi.useFakeTimers({ now: at(15, 0) });
  useChat.setState(
    {
      ...emptyChatState(),
      me: ME,
      conversations: { [WITH_ANN.id]: WITH_ANN, [TEA.id]: TEA },
      contacts: { [ANN.id]: { user: ANN, since: 1, online: true }, [CY.id]: { user: CY, since: 1, online: false } },
      contactsLoaded: true,
      connection: 'online',
    },
    true,
  );
});

afterEach(() => {
  // Unmounting first lets the clock drop its timer while that timer is still a fake one.
  cleanup();
  act(() => setLanguage('en'));
  vi.useRealTimers();
});

describe('the accessible name of a chat in the list', () => {
  it('holds the title, the unread count, the start of the last message and its time', () => {
    show(<ConversationList />);
    expect(screen.getByRole('button', { name: 'Ann, 2 unread messages, See you at the tea house, 14:05' })).toBe(item(WITH_ANN.id));
    // A group names the sender, as the preview does; a long message is cut at a word.
    expect(screen.getByRole('button', { name: 'Tea, Cy: The new Longjing harvest arrived this morning and it is…, 09:30' })).toBe(item(TEA.id));
  });

  it('is in Chinese when the interface is', () => {
    show(<ConversationList />);
    act(() => setLanguage('zh-CN'));
    expect(item(WITH_ANN.id).getAttribute('aria-label')).toBe('Ann，2 条未读消息，See you at the tea house，14:05');
    act(() => vi.setSystemTime(at(15, 0, 0, 11)));
    cleanup();
    show(<ConversationList />);
    expect(item(TEA.id).getAttribute('aria-label')).toBe('Tea，Cy：The new Longjing harvest arrived this morning and it is…，昨天');
  });

  it('says when the last message is still being sent or was not sent, as the preview shows', () => {
    const sending: PendingMessage = { clientId: 'pending-1', conversationId: WITH_ANN.id, text: 'on my way', createdAt: at(14, 50), state: 'pending' };
    const failed: PendingMessage = { clientId: 'pending-2', conversationId: TEA.id, text: 'count me in', createdAt: at(14, 55), state: 'failed' };
    useChat.setState({ outbox: [sending, failed] });
    show(<ConversationList />);
    expect(item(WITH_ANN.id).getAttribute('aria-label')).toBe('Ann, 2 unread messages, sending: on my way, 14:50');
    expect(item(TEA.id).getAttribute('aria-label')).toBe('Tea, not sent: count me in, 14:55');
    act(() => setLanguage('zh-CN'));
    expect(item(WITH_ANN.id).getAttribute('aria-label')).toBe('Ann，2 条未读消息，发送中：on my way，14:50');
    expect(item(TEA.id).getAttribute('aria-label')).toBe('Tea，未发送：count me in，14:55');
  });

  it('leaves out what a chat does not have: no unread messages, no message yet', () => {
    const fresh: Conversation = { id: 'fresh', kind: 'direct', title: 'Cy', members: [member(ME), member(CY)], lastSeq: 0, readSeq: 0, unread: 0, createdAt: at(8, 0) };
    useChat.setState({ conversations: { fresh } });
    show(<ConversationList />);
    expect(item('fresh').getAttribute('aria-label')).toBe('Cy, 08:00');
  });
});

describe('times in the list', () => {
  it('turn from a clock time to "Yesterday" at midnight with nothing else happening', () => {
    vi.setSystemTime(at(23, 59, 30));
    show(<ConversationList />);
    const time = (): string | null => item(WITH_ANN.id).querySelector(`[data-testid="${TEST_IDS.conversationTime}"]`)?.textContent ?? null;
    expect(time()).toBe('14:05');
    act(() => vi.advanceTimersByTime(29_000));
    expect(time()).toBe('14:05');
    act(() => vi.advanceTimersByTime(1_000));
    expect(time()).toBe('Yesterday');
    expect(item(WITH_ANN.id).getAttribute('aria-label')).toBe('Ann, 2 unread messages, See you at the tea house, Yesterday');
    // A day later still, with the minute ticks between: the weekday.
    act(() => vi.advanceTimersByTime(24 * 3_600_000));
    expect(time()).toBe('Fri');
  });

  it('catch up within a minute when the computer’s clock jumps ahead (a wake from sleep)', () => {
    show(<ConversationList />);
    vi.setSystemTime(at(9, 0, 0, 12));
    act(() => vi.advanceTimersByTime(60_000));
    expect(item(TEA.id).querySelector(`[data-testid="${TEST_IDS.conversationTime}"]`)?.textContent).toBe('Fri');
  });
});

describe('the order of the list', () => {
  it('follows the time each item shows: a chat written into while offline moves to the top at once', () => {
    show(<ConversationList />);
    const order = (): (string | null)[] => screen.getAllByTestId(TEST_IDS.conversationItem).map((i) => i.getAttribute('data-conversation-id'));
    expect(order()).toEqual([WITH_ANN.id, TEA.id]);
    const unsent: PendingMessage = { clientId: 'pending-3', conversationId: TEA.id, text: 'me too', createdAt: at(14, 50), state: 'pending' };
    act(() => useChat.setState({ outbox: [unsent] }));
    expect(order()).toEqual([TEA.id, WITH_ANN.id]);
  });
});

describe('useToday', () => {
  function Today({ onRender }: { onRender: () => void }): ReactElement {
    const today = useToday();
    onRender();
    return <span>{new Date(today).getDate()}</span>;
  }

  it('runs one timer for every reader, re-renders only when the day changes, and stops when no one reads it', () => {
    vi.setSystemTime(at(23, 58, 10));
    const renders = vi.fn();
    const { unmount } = render(
      <>
        {Array.from({ length: 30 }, (_, i) => (
          <Today key={i} onRender={renders} />
        ))}
      </>,
    );
    expect(vi.getTimerCount()).toBe(1);
    expect(renders).toHaveBeenCalledTimes(30);
    act(() => vi.advanceTimersByTime(60_000));
    expect(renders).toHaveBeenCalledTimes(30);
    act(() => vi.advanceTimersByTime(60_000));
    expect(renders).toHaveBeenCalledTimes(60);
    expect(screen.getAllByText('11')).toHaveLength(30);
    expect(vi.getTimerCount()).toBe(1);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
