// @vitest-environment jsdom
/**
 * The share dialog in the shell: a second share request while the dialog is open (another
 * wanglai://share link, the Share action on another message) must replace the first one's text and
 * ticks, or Send shares the old text.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Conversation, User } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import { emptyChatState } from '../../../renderer/src/store/chat-state';
import { useChat } from '../../../renderer/src/store/chat-store';
import { useUi } from '../../../renderer/src/store/ui-store';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { openShare } from '../../../renderer/src/ui/share-request';
import { Shell } from '../../../renderer/src/ui/Shell';
import { TEST_IDS } from '../../../renderer/test-ids';
import { contactsOf, direct as directOf, user } from './helpers/people';

const ME = user('me', 'Me');
const ANN = user('ann', 'Ann');
const BO = user('bo', 'Bo');
const direct = (id: string, other: User): Conversation => directOf(ME, id, other);

interface FakeClient {
  serverUrl: string;
  token: string;
  request: ReturnType<typeof vi.fn>;
  sendText: ReturnType<typeof vi.fn>;
  typing: ReturnType<typeof vi.fn>;
  setActive: ReturnType<typeof vi.fn>;
  loadOlder: ReturnType<typeof vi.fn>;
  reportListView: ReturnType<typeof vi.fn>;
}

let client: FakeClient;

function showShell(): void {
  client = {
    serverUrl: 'http://127.0.0.1:3210',
    token: 'token',
    request: vi.fn(async () => ({ ok: false, code: 'network' })),
    sendText: vi.fn(),
    typing: vi.fn(),
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

const dialog = (): HTMLElement => screen.getByTestId(TEST_IDS.shareDialog);
const shareText = (): HTMLTextAreaElement => within(dialog()).getByTestId(TEST_IDS.shareText) as HTMLTextAreaElement;
const target = (conversationId: string): HTMLInputElement => {
  const row = within(dialog())
    .getAllByTestId(TEST_IDS.shareTarget)
    .find((r) => r.getAttribute('data-conversation-id') === conversationId);
  if (row === undefined) throw new Error(`no share target ${conversationId}`);
  return within(row).getByRole('checkbox') as HTMLInputElement;
};

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

beforeEach(() => {
  const contacts = contactsOf([ANN, BO]);
  useChat.setState({ ...emptyChatState(), me: ME, conversations: { ann: direct('ann', ANN), bo: direct('bo', BO) }, contacts, contactsLoaded: true, connection: 'online' }, true);
});

afterEach(() => {
  cleanup();
  useUi.setState({ share: null, view: 'chats' });
});

describe('a share request while the share dialog is open', () => {
  it('replaces the text and the ticks, so Send shares the new request', () => {
    showShell();
    act(() => openShare('https://first.example/', 'first'));
    expect(shareText().value).toBe('first https://first.example/');
    fireEvent.click(target('ann'));
    expect(target('ann').checked).toBe(true);

    act(() => openShare('https://second.example/', 'second'));
    expect(screen.getAllByTestId(TEST_IDS.shareDialog)).toHaveLength(1);
    expect(shareText().value).toBe('second https://second.example/');
    expect(target('ann').checked).toBe(false);

    fireEvent.click(target('bo'));
    fireEvent.click(within(dialog()).getByTestId(TEST_IDS.shareSend));
    expect(client.sendText.mock.calls).toEqual([['bo', 'second https://second.example/']]);
  });

  it('starts afresh even when the new request carries the same text as the one being edited', () => {
    showShell();
    // As a message's Share action does: the text alone.
    act(() => useUi.setState({ share: { text: 'same words' } }));
    fireEvent.change(shareText(), { target: { value: 'edited' } });
    fireEvent.click(target('ann'));

    act(() => useUi.setState({ share: { text: 'same words' } }));
    expect(shareText().value).toBe('same words');
    expect(target('ann').checked).toBe(false);
  });

  it('shows the form again for a request that comes after one was sent', () => {
    showShell();
    act(() => openShare(undefined, 'first'));
    fireEvent.click(target('ann'));
    fireEvent.click(within(dialog()).getByTestId(TEST_IDS.shareSend));
    expect(within(dialog()).getByTestId(TEST_IDS.shareDone)).toBeTruthy();

    act(() => openShare(undefined, 'second'));
    expect(within(dialog()).queryByTestId(TEST_IDS.shareDone)).toBeNull();
    expect(shareText().value).toBe('second');
  });
});
