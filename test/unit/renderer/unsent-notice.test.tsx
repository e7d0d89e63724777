// @vitest-environment jsdom
/**
 * A message waiting in the outbox when the user stops being a member of its group: it is failed
 * for good, and its text stays in sight, with the reason, wherever the user is looking, until the
 * user discards it. Retry is never offered for it.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Conversation, Member, User } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import { emptyChatState, removeConversation, type PendingMessage } from '../../../renderer/src/store/chat-state';
import { updateChat, useChat } from '../../../renderer/src/store/chat-store';
import { useUi } from '../../../renderer/src/store/ui-store';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { Shell } from '../../../renderer/src/ui/Shell';
import { TEST_IDS } from '../../../renderer/test-ids';

const user = (id: string, name: string): User => ({ id, username: id, displayName: name });
const ME = user('me', 'Me');
const ANN = user('ann', 'Ann');
const member = (who: User, role: Member['role'] = 'member'): Member => ({ user: who, role, joinedAt: 1, readSeq: 0 });
const CLUB: Conversation = { id: 'club', kind: 'group', title: 'Club', members: [member(ANN, 'owner'), member(ME)], lastSeq: 1, readSeq: 1, unread: 0, createdAt: 1 };
const WITH_ANN: Conversation = { id: 'ann', kind: 'direct', title: 'Ann', members: [member(ME), member(ANN)], lastSeq: 0, readSeq: 0, unread: 0, createdAt: 1 };
const TEXT = 'my important reply written offline';
const OFFLINE_REPLY: PendingMessage = { clientId: 'offline-reply-1', conversationId: CLUB.id, conversationTitle: CLUB.title, text: TEXT, createdAt: 2, state: 'pending' };

function showShell(): void {
  const client = {
    serverUrl: 'http://127.0.0.1:3210',
    token: 'token',
    request: vi.fn(async () => ({ ok: false, code: 'network' })),
    sendText: vi.fn(),
    typing: vi.fn(),
    retry: vi.fn(),
    setActive: vi.fn(async () => undefined),
    loadOlder: vi.fn(async () => false),
    reportListView: vi.fn(),
  };
  render(
    <ClientContext.Provider value={client as unknown as ChatClient}>
      <Shell onSignedOut={() => undefined} />
    </ClientContext.Provider>,
  );
}

function removedFromClub(): void {
  act(() => updateChat((s) => removeConversation(s, CLUB.id)));
}

const notice = (): HTMLElement => screen.getByTestId(TEST_IDS.unsentNotice);

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

beforeEach(() => {
  useChat.setState({ ...emptyChatState(), me: ME, conversations: { [CLUB.id]: CLUB, [WITH_ANN.id]: WITH_ANN }, outbox: [OFFLINE_REPLY], contactsLoaded: true, connection: 'reconnecting' }, true);
});

afterEach(() => {
  cleanup();
  useUi.setState({ share: null, view: 'chats' });
});

describe('a message left unsent in a group the user is removed from', () => {
  it('open in the group: the pane says the user was removed, and the text stays readable as not sent, without Retry', () => {
    useChat.setState({ activeConversationId: CLUB.id });
    showShell();
    // Still a member: the message is the open chat's pending row, not a notice.
    expect(screen.queryByTestId(TEST_IDS.unsentNotice)).toBeNull();

    removedFromClub();
    expect(screen.getByTestId(TEST_IDS.chatEmpty).textContent).toContain('You are no longer a member of “Club”.');
    const message = within(notice()).getByTestId(TEST_IDS.unsentMessage);
    expect(message.getAttribute('data-client-id')).toBe(OFFLINE_REPLY.clientId);
    expect(within(message).getByTestId(TEST_IDS.unsentText).textContent).toBe(TEXT);
    expect(within(message).getByRole('alert').textContent).toBe('Not sent to “Club”: you are no longer a member of that group.');
    expect(screen.queryByTestId(TEST_IDS.messageRetry)).toBeNull();
    expect(useChat.getState().outbox).toEqual([{ ...OFFLINE_REPLY, state: 'failed', error: 'not_member' }]);
  });

  it('open in another chat, or on the Contacts screen: the notice shows there, outside the open chat’s messages', () => {
    useChat.setState({ activeConversationId: WITH_ANN.id });
    showShell();
    removedFromClub();
    expect(within(notice()).getByTestId(TEST_IDS.unsentText).textContent).toBe(TEXT);
    expect(within(screen.getByTestId(TEST_IDS.chatPane)).queryByText(TEXT)).toBeNull();

    act(() => useUi.setState({ view: 'contacts' }));
    expect(within(notice()).getByTestId(TEST_IDS.unsentText).textContent).toBe(TEXT);
  });

  it('Share offers the text to the chats the user still has; Discard lets it go', () => {
    showShell();
    removedFromClub();
    fireEvent.click(screen.getByRole('button', { name: `Share your message: ${TEXT}` }));
    expect(useUi.getState().share).toEqual({ text: TEXT });
    act(() => useUi.setState({ share: null }));

    fireEvent.click(screen.getByRole('button', { name: `Discard your unsent message: ${TEXT}` }));
    expect(screen.queryByTestId(TEST_IDS.unsentNotice)).toBeNull();
    expect(useChat.getState().outbox).toEqual([]);
  });
});
