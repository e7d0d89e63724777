// @vitest-environment jsdom
/**
 * The message box: it counts a message as the server does, and keeps what was typed in one chat
 * while the reader is in another.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { Conversation, User } from '../../../protocol';
import { messagesSend } from '../../../protocol/schemas';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import { emptyChatState } from '../../../renderer/src/store/chat-state';
import { useChat } from '../../../renderer/src/store/chat-store';
import { useUi } from '../../../renderer/src/store/ui-store';
import { ChatPane } from '../../../renderer/src/ui/ChatPane';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { Composer } from '../../../renderer/src/ui/Composer';
import { ConversationList } from '../../../renderer/src/ui/ConversationList';
import { TEST_IDS } from '../../../renderer/test-ids';
import { direct as directOf, user } from './helpers/people';

interface FakeClient {
  serverUrl: string;
  request: ReturnType<typeof vi.fn>;
  sendText: ReturnType<typeof vi.fn>;
  typing: ReturnType<typeof vi.fn>;
  retry: ReturnType<typeof vi.fn>;
  loadOlder: ReturnType<typeof vi.fn>;
  reportListView: ReturnType<typeof vi.fn>;
}

function fakeClient(): FakeClient {
  return {
    serverUrl: 'http://127.0.0.1:3210',
    request: vi.fn(async () => ({ ok: false, code: 'network' })),
    sendText: vi.fn(),
    typing: vi.fn(),
    retry: vi.fn(),
    loadOlder: vi.fn(async () => false),
    reportListView: vi.fn(),
  };
}

function withClient(client: FakeClient, element: ReactElement): ReactElement {
  return <ClientContext.Provider value={client as unknown as ChatClient}>{element}</ClientContext.Provider>;
}

const ME = user('me', 'Bo');
const ANN = user('ann', 'Ann');
const CY = user('cy', 'Cy');
const direct = (id: string, other: User): Conversation => directOf(ME, id, other);
const WITH_ANN = direct('with-ann', ANN);
const WITH_CY = direct('with-cy', CY);

const input = (): HTMLTextAreaElement => screen.getByTestId(TEST_IDS.composerInput) as HTMLTextAreaElement;

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

beforeEach(() => {
  useChat.setState(
    {
      ...emptyChatState(),
      me: ME,
      conversations: { [WITH_ANN.id]: WITH_ANN, [WITH_CY.id]: WITH_CY },
      contacts: { [ANN.id]: { user: ANN, since: 1, online: true }, [CY.id]: { user: CY, since: 1, online: true } },
      contactsLoaded: true,
      connection: 'online',
    },
    true,
  );
});

afterEach(() => {
  cleanup();
  useUi.setState({ view: 'chats', composerFocus: null });
});

describe('the limit of 4000 characters', () => {
  const padded = (body: string): string => `${' '.repeat(50)}\n${body}\n\t${' '.repeat(50)}`;

  it('counts what the server counts: code points after trimming, so spaces and blank lines around a message are free', () => {
    const client = fakeClient();
    render(withClient(client, <Composer conversationId="c1" />));
    const text = padded('y'.repeat(3999) + '😀');
    // The server's own schema takes it, so the composer must too.
    expect(messagesSend.safeParse({ conversationId: 'c1', clientId: 'client-id-1', text }).success).toBe(true);
    fireEvent.change(input(), { target: { value: text } });
    expect(screen.getByTestId(TEST_IDS.composerCounter).textContent).toBe('4000 / 4000');
    expect(screen.getByTestId(TEST_IDS.sendButton)).toHaveProperty('disabled', false);
    expect(input().getAttribute('aria-invalid')).toBe('false');
    fireEvent.keyDown(input(), { key: 'Enter' });
    expect(client.sendText).toHaveBeenCalledWith('c1', text);
  });

  it('refuses one more, and says by how much with the same count', () => {
    const client = fakeClient();
    render(withClient(client, <Composer conversationId="c1" />));
    const text = padded('字'.repeat(4001));
    expect(messagesSend.safeParse({ conversationId: 'c1', clientId: 'client-id-1', text }).success).toBe(false);
    fireEvent.change(input(), { target: { value: text } });
    expect(screen.getByTestId(TEST_IDS.composerCounter).textContent).toBe('4001 / 4000');
    expect(screen.getByTestId(TEST_IDS.sendButton)).toHaveProperty('disabled', true);
    expect(screen.getByRole('status').textContent).toBe('Messages can be at most 4000 characters. Shorten this one by 1 to send it.');
    fireEvent.keyDown(input(), { key: 'Enter' });
    expect(client.sendText).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('by 1 to send');
  });

  it('shows the counter from 3500 characters of the trimmed text, not of the spaces around it', () => {
    render(withClient(fakeClient(), <Composer conversationId="c1" />));
    fireEvent.change(input(), { target: { value: padded('a'.repeat(3450)) } });
    expect(screen.queryByTestId(TEST_IDS.composerCounter)).toBeNull();
    fireEvent.change(input(), { target: { value: padded('a'.repeat(3500)) } });
    expect(screen.getByTestId(TEST_IDS.composerCounter).textContent).toBe('3500 / 4000');
  });
});

describe('drafts', () => {
  function open(conversationId: string): void {
    act(() => {
      useChat.setState({ activeConversationId: conversationId });
    });
  }

  it("keeps each chat's unsent text while another chat is open, and forgets it once sent", () => {
    const client = fakeClient();
    render(withClient(client, <ChatPane />));
    open(WITH_ANN.id);
    fireEvent.change(input(), { target: { value: 'half a thought\nfor Ann' } });
    open(WITH_CY.id);
    expect(input().value).toBe('');
    fireEvent.change(input(), { target: { value: 'for Cy' } });
    open(WITH_ANN.id);
    expect(input().value).toBe('half a thought\nfor Ann');
    open(WITH_CY.id);
    expect(input().value).toBe('for Cy');

    fireEvent.keyDown(input(), { key: 'Enter' });
    expect(client.sendText).toHaveBeenCalledWith(WITH_CY.id, 'for Cy');
    open(WITH_ANN.id);
    open(WITH_CY.id);
    expect(input().value).toBe('');
  });

  it('comes back when the chat is opened again from the list', () => {
    const client = fakeClient();
    render(
      withClient(
        client,
        <>
          <ConversationList />
          <ChatPane />
        </>,
      ),
    );
    open(WITH_ANN.id);
    fireEvent.change(input(), { target: { value: 'still writing' } });
    const item = screen.getAllByTestId(TEST_IDS.conversationItem).find((i) => i.getAttribute('data-conversation-id') === WITH_CY.id);
    if (item === undefined) throw new Error('no item for Cy');
    fireEvent.click(item);
    expect(input().value).toBe('');
    const back = screen.getAllByTestId(TEST_IDS.conversationItem).find((i) => i.getAttribute('data-conversation-id') === WITH_ANN.id);
    if (back === undefined) throw new Error('no item for Ann');
    fireEvent.click(back);
    expect(input().value).toBe('still writing');
  });

  it('belongs to the signed-in session: another account signed in later in the same window does not see it', () => {
    const first = fakeClient();
    const { unmount } = render(withClient(first, <Composer key="a" conversationId={WITH_ANN.id} />));
    fireEvent.change(input(), { target: { value: 'private words' } });
    unmount();
    render(withClient(fakeClient(), <Composer key="b" conversationId={WITH_ANN.id} />));
    expect(input().value).toBe('');
    cleanup();
    render(withClient(first, <Composer key="c" conversationId={WITH_ANN.id} />));
    expect(input().value).toBe('private words');
  });
});
