// @vitest-environment jsdom
/**
 * What a demanding user's walk through the web client found, screen by screen: the words in
 * either language, the reasons given for what cannot be done, and where the focus goes.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import i18next from 'i18next';
import type { Conversation, Member, MemberRole, Message, User } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { initI18n, setLanguage } from '../../../renderer/src/i18n/i18n';
import { emptyChatState, removeConversation, type ChatState } from '../../../renderer/src/store/chat-state';
import { updateChat, useChat } from '../../../renderer/src/store/chat-store';
import { useUi } from '../../../renderer/src/store/ui-store';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { AuthScreen } from '../../../renderer/src/ui/AuthScreen';
import { ChatPane } from '../../../renderer/src/ui/ChatPane';
import { Composer } from '../../../renderer/src/ui/Composer';
import { ConversationList } from '../../../renderer/src/ui/ConversationList';
import { joinedLater } from '../../../renderer/src/ui/MessageList';
import { MessageRow } from '../../../renderer/src/ui/MessageRow';
import { NewGroupDialog } from '../../../renderer/src/ui/NewGroupDialog';
import { openConversation } from '../../../renderer/src/ui/open-conversation';
import { Rail } from '../../../renderer/src/ui/Rail';
import { RowTextContext, rowText as buildRowText, type RowText } from '../../../renderer/src/ui/row-text';
import { TEST_IDS } from '../../../renderer/test-ids';

const user = (id: string, name: string): User => ({ id, username: id, displayName: name });
const ME = user('me', 'Bo 博');
const ANN = user('ann', 'Ann');
const CY = user('cy', 'Cy');
const member = (who: User, role: MemberRole, joinedAt = 1): Member => ({ user: who, role, joinedAt, readSeq: 0 });

function systemMessage(seq: number, system: Message['system'], conversationId = 'group'): Message {
  return { id: `s${seq}`, conversationId, seq, senderId: system?.actorId ?? ANN.id, clientId: `system:${seq}`, kind: 'system', text: '', createdAt: 1, ...(system === undefined ? {} : { system }) };
}

function textMessage(seq: number, senderId: string, text: string, conversationId = 'direct'): Message {
  return { id: `m${seq}`, conversationId, seq, senderId, clientId: `client-${seq}`, kind: 'text', text, createdAt: 1 };
}

const DIRECT: Conversation = { id: 'direct', kind: 'direct', title: 'Ann', members: [member(ME, 'member'), member(ANN, 'member')], lastSeq: 1, readSeq: 1, unread: 0, createdAt: 1, lastMessage: textMessage(1, ME.id, 'hello there') };
const GROUP: Conversation = {
  id: 'group',
  kind: 'group',
  title: 'Tea',
  // In joining order, as the server lists them: Ann joined before Cy, but Cy is the admin.
  members: [member(ME, 'owner'), member(ANN, 'member'), member(CY, 'admin')],
  lastSeq: 2,
  readSeq: 2,
  unread: 0,
  createdAt: 1,
  lastMessage: systemMessage(2, { event: 'member_added', actorId: ANN.id, targetIds: [CY.id] }),
};

interface FakeClient {
  serverUrl: string;
  request: ReturnType<typeof vi.fn>;
  sendText: ReturnType<typeof vi.fn>;
  typing: ReturnType<typeof vi.fn>;
  retry: ReturnType<typeof vi.fn>;
  loadOlder: ReturnType<typeof vi.fn>;
  reportListView: ReturnType<typeof vi.fn>;
}

let client: FakeClient;

function fakeClient(): FakeClient {
  return {
    serverUrl: 'http://127.0.0.1:3210',
    request: vi.fn(async (event: string, payload: { userId?: string }) => {
      if (event === 'contacts:request') return { ok: true, value: { request: { id: 'r1', from: ME, to: user(payload.userId ?? '', 'Ann'), status: 'pending', createdAt: 1 } } };
      if (event === 'groups:rename' || event === 'groups:create') return { ok: true, value: { conversation: GROUP } };
      return { ok: false, code: 'network' };
    }),
    sendText: vi.fn(),
    typing: vi.fn(),
    retry: vi.fn(),
    loadOlder: vi.fn(async () => false),
    reportListView: vi.fn(),
  };
}

function show(element: ReactElement): void {
  render(<ClientContext.Provider value={client as unknown as ChatClient}>{element}</ClientContext.Provider>);
}

function chatState(fields: Partial<ChatState> = {}): ChatState {
  return {
    ...emptyChatState(),
    me: ME,
    conversations: { [DIRECT.id]: DIRECT, [GROUP.id]: GROUP },
    contacts: { [ANN.id]: { user: ANN, since: 1, online: true }, [CY.id]: { user: CY, since: 1, online: false } },
    contactsLoaded: true,
    connection: 'online',
    ...fields,
  };
}

function language(next: 'en' | 'zh-CN'): void {
  act(() => setLanguage(next));
}

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

beforeEach(() => {
  client = fakeClient();
  useChat.setState(chatState(), true);
});

afterEach(() => {
  cleanup();
  language('en');
  useUi.setState({ view: 'chats', groupPanelOpen: false, composerFocus: null, share: null });
  vi.restoreAllMocks();
});

describe('the conversation list', () => {
  it('previews a group change as the sentence history shows, and separates the sender as each language does', () => {
    show(<ConversationList />);
    const previews = (): string[] => screen.getAllByTestId(TEST_IDS.conversationPreview).map((p) => p.textContent ?? '');
    expect(previews()).toEqual(expect.arrayContaining(['Ann added Cy', 'You: hello there']));
    language('zh-CN');
    expect(previews()).toEqual(expect.arrayContaining(['Ann 邀请 Cy 加入了群聊', '我：hello there']));
  });

  it('puts the focus in the message box of the chat it opens', () => {
    show(
      <>
        <ConversationList />
        <ChatPane />
      </>,
    );
    const item = screen.getAllByTestId(TEST_IDS.conversationItem).find((i) => i.getAttribute('data-conversation-id') === DIRECT.id) as HTMLElement;
    item.focus();
    fireEvent.click(item);
    expect(document.activeElement).toBe(screen.getByTestId(TEST_IDS.composerInput));
  });
});

describe('the conversation list filter', () => {
  it('is cleared when a conversation is opened, from the list or elsewhere, since a collapsed list hides it', () => {
    show(<ConversationList />);
    const filter = (): HTMLInputElement => screen.getByTestId(TEST_IDS.conversationFilter) as HTMLInputElement;
    fireEvent.change(filter(), { target: { value: 'Tea' } });
    expect(screen.getAllByTestId(TEST_IDS.conversationItem)).toHaveLength(1);
    fireEvent.click(screen.getByTestId(TEST_IDS.conversationItem));
    expect(useChat.getState().activeConversationId).toBe(GROUP.id);
    expect(filter().value).toBe('');
    expect(screen.getAllByTestId(TEST_IDS.conversationItem)).toHaveLength(2);

    fireEvent.change(filter(), { target: { value: 'Tea' } });
    act(() => openConversation(DIRECT.id));
    expect(filter().value).toBe('');
  });
});

describe('the group panel', () => {
  beforeEach(() => {
    useChat.setState(chatState({ activeConversationId: GROUP.id }), true);
    useUi.setState({ groupPanelOpen: true });
  });

  it('writes "(you)" after your name without a space in Chinese', () => {
    show(<ChatPane />);
    language('zh-CN');
    const mine = screen.getAllByTestId(TEST_IDS.groupMember).find((m) => m.getAttribute('data-user-id') === ME.id) as HTMLElement;
    expect(mine.querySelector('.person-name')?.textContent).toBe('Bo 博（我）');
  });

  it('keeps a new name within 64 code points, as the server counts, says so, and saves it', async () => {
    show(<ChatPane />);
    const input = screen.getByTestId(TEST_IDS.groupTitleInput) as HTMLInputElement;
    fireEvent.change(input, { target: { value: '🍵'.repeat(70) } });
    expect([...input.value]).toHaveLength(64);
    expect(screen.getByText('A group name can be at most 64 characters: the rest was left out.')).toBeTruthy();
    fireEvent.click(screen.getByTestId(TEST_IDS.groupRename));
    await vi.waitFor(() => expect(client.request).toHaveBeenCalledWith('groups:rename', { conversationId: GROUP.id, title: '🍵'.repeat(64) }));
  });

  it('says why an empty name cannot be saved', () => {
    show(<ChatPane />);
    fireEvent.change(screen.getByTestId(TEST_IDS.groupTitleInput), { target: { value: '   ' } });
    fireEvent.click(screen.getByTestId(TEST_IDS.groupRename));
    expect(screen.getByText('A group name cannot be empty.')).toBeTruthy();
    expect(client.request).not.toHaveBeenCalledWith('groups:rename', expect.anything());
  });

  it('tells an owner who leaves to whom the group passes: the longest-standing admin before members', () => {
    show(<ChatPane />);
    fireEvent.click(screen.getByTestId(TEST_IDS.groupLeave));
    const question = screen.getByTestId(TEST_IDS.confirmDialog).textContent ?? '';
    expect(question).toContain('ownership passes to the longest-standing admin, or the longest-standing member if there is no admin — that is Cy.');
  });
});

describe('losing the open group', () => {
  beforeEach(() => useChat.setState(chatState({ activeConversationId: GROUP.id }), true));

  it('says, in either language, which group the user was removed from, until dismissed', () => {
    show(<ChatPane />);
    act(() => updateChat((s) => removeConversation(s, GROUP.id)));
    expect(screen.getByTestId(TEST_IDS.chatEmpty)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('You are no longer a member of “Tea”.');
    language('zh-CN');
    expect(screen.getByRole('status').textContent).toBe('你已不在群聊“Tea”中。');
    fireEvent.click(within(screen.getByRole('status')).getByRole('button', { name: '知道了' }));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('is forgotten once another chat is opened', () => {
    show(<ChatPane />);
    act(() => updateChat((s) => removeConversation(s, GROUP.id)));
    expect(screen.getByRole('status')).toBeTruthy();
    act(() => openConversation(DIRECT.id));
    act(() => useChat.setState({ activeConversationId: null }));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('is not shown to a user who left the group', async () => {
    client.request.mockImplementation(async (event: string) => {
      // The server tells every device of the leaver before answering.
      if (event === 'groups:leave') {
        updateChat((s) => removeConversation(s, GROUP.id));
        return { ok: true, value: {} };
      }
      return { ok: false, code: 'network' };
    });
    useUi.setState({ groupPanelOpen: true });
    show(<ChatPane />);
    fireEvent.click(screen.getByTestId(TEST_IDS.groupLeave));
    fireEvent.click(screen.getByTestId(TEST_IDS.confirmAccept));
    await vi.waitFor(() => expect(screen.getByTestId(TEST_IDS.chatEmpty)).toBeTruthy());
    expect(screen.queryByRole('status')).toBeNull();
    expect(useChat.getState().leavingConversationId).toBeNull();
  });
});

describe('the new group dialog', () => {
  it('needs only a name, as the server does, and says so while the name is missing', () => {
    show(<NewGroupDialog onClose={() => undefined} />);
    const create = screen.getByTestId(TEST_IDS.newGroupCreate) as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    const why = document.getElementById(create.getAttribute('aria-describedby') ?? '');
    expect(why?.textContent).toBe('Enter a group name to create the group.');
    fireEvent.change(screen.getByTestId(TEST_IDS.newGroupTitle), { target: { value: 'Just me' } });
    expect(create.disabled).toBe(false);
    fireEvent.click(create);
    expect(client.request).toHaveBeenCalledWith('groups:create', { title: 'Just me', memberIds: [] });
  });
});

describe('Enter in the new group dialog', () => {
  it('does not create while an IME candidate is being confirmed', () => {
    show(<NewGroupDialog onClose={() => undefined} />);
    const name = screen.getByTestId(TEST_IDS.newGroupTitle);
    fireEvent.change(name, { target: { value: '茶话会' } });
    fireEvent.keyDown(name, { key: 'Enter', isComposing: true });
    fireEvent.keyDown(name, { key: 'Enter', keyCode: 229 });
    expect(client.request).not.toHaveBeenCalledWith('groups:create', expect.anything());
    fireEvent.keyDown(name, { key: 'Enter' });
    expect(client.request).toHaveBeenCalledWith('groups:create', { title: '茶话会', memberIds: [] });
  });

  it('creates one group however often it is pressed while the first create is in flight', async () => {
    let answer: (value: unknown) => void = () => undefined;
    client.request.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    show(<NewGroupDialog onClose={() => undefined} />);
    const name = screen.getByTestId(TEST_IDS.newGroupTitle);
    fireEvent.change(name, { target: { value: 'Tea' } });
    fireEvent.keyDown(name, { key: 'Enter' });
    fireEvent.keyDown(name, { key: 'Enter' });
    fireEvent.keyDown(name, { key: 'Enter' });
    expect(client.request.mock.calls.filter(([event]) => event === 'groups:create')).toHaveLength(1);
    await act(async () => answer({ ok: false, code: 'network' }));
  });
});

describe('a direct chat with someone no longer a contact', () => {
  it('says so up front, disables the message box, and offers a contact request, in both languages', async () => {
    useChat.setState(chatState({ activeConversationId: DIRECT.id, contacts: {} }), true);
    show(<ChatPane />);
    expect((screen.getByTestId(TEST_IDS.composerInput) as HTMLTextAreaElement).disabled).toBe(true);
    expect(screen.getByText(/Ann is no longer one of your contacts/)).toBeTruthy();
    language('zh-CN');
    expect(screen.getByText(/Ann 已不是你的联系人/)).toBeTruthy();
    language('en');
    fireEvent.click(screen.getByRole('button', { name: 'Send a contact request' }));
    await vi.waitFor(() => expect(client.request).toHaveBeenCalledWith('contacts:request', { userId: ANN.id }));
    expect(await screen.findByText('Contact request sent: waiting for Ann to accept.')).toBeTruthy();
  });

  it('is not claimed before the contact list has arrived', () => {
    useChat.setState(chatState({ activeConversationId: DIRECT.id, contacts: {}, contactsLoaded: false }), true);
    show(<ChatPane />);
    expect((screen.getByTestId(TEST_IDS.composerInput) as HTMLTextAreaElement).disabled).toBe(false);
  });
});

describe('the composer', () => {
  it('says why a message over 4000 characters cannot be sent, and says it again on Enter', () => {
    show(<Composer conversationId="direct" />);
    const input = screen.getByTestId(TEST_IDS.composerInput);
    fireEvent.change(input, { target: { value: 'a'.repeat(4200) } });
    const why = screen.getByRole('status');
    expect(why.textContent).toBe('Messages can be at most 4000 characters. Shorten this one by 200 to send it.');
    expect(input.getAttribute('aria-describedby')).toContain(why.id);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByRole('alert').textContent).toContain('Messages can be at most 4000 characters');
    expect(client.sendText).not.toHaveBeenCalled();
  });

  it('explains a later overlong message politely again once the text was back within the limit', () => {
    show(<Composer conversationId="direct" />);
    const input = screen.getByTestId(TEST_IDS.composerInput);
    fireEvent.change(input, { target: { value: 'a'.repeat(4200) } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByRole('alert')).toBeTruthy();
    fireEvent.change(input, { target: { value: 'a'.repeat(3000) } });
    fireEvent.change(input, { target: { value: 'a'.repeat(4100) } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toContain('Messages can be at most 4000 characters');
  });
});

describe('message rows', () => {
  const rowText = (): RowText => buildRowText(i18next.t.bind(i18next), 'en');

  it('name the message each Share button shares', () => {
    show(
      <RowTextContext value={rowText()}>
        <MessageRow row={{ kind: 'message', message: textMessage(1, ANN.id, 'first words of a rather long message that goes on and on') }} group={false} peerId={ANN.id} showDay={false} continued={false} today={0} />
        <MessageRow row={{ kind: 'message', message: textMessage(2, ME.id, 'short one') }} group={false} peerId={ANN.id} showDay={false} continued={false} today={0} />
      </RowTextContext>,
    );
    const names = screen.getAllByTestId(TEST_IDS.messageShare).map((b) => b.getAttribute('aria-label'));
    expect(names).toEqual(['Share message from Ann: first words of a rather long message…', 'Share your message: short one']);
  });
});

describe('the history start', () => {
  it('says earlier messages are hidden when the list opens on your own joining of the group', () => {
    const added = systemMessage(7, { event: 'member_added', actorId: ANN.id, targetIds: [ME.id] });
    expect(joinedLater(added, ME.id)).toBe(true);
    expect(joinedLater({ ...added, system: { event: 'member_added', actorId: ANN.id, targetIds: [CY.id] } }, ME.id)).toBe(false);
    expect(joinedLater(systemMessage(1, { event: 'created', actorId: ANN.id, targetIds: [ME.id] }), ME.id)).toBe(false);
    expect(joinedLater(textMessage(7, ANN.id, 'hi'), ME.id)).toBe(false);
  });
});

describe('the settings menu', () => {
  it('closes on Escape right after the gear opened it, and gives the focus back to the gear', () => {
    show(<Rail onSignOut={() => undefined} />);
    const gear = screen.getByTestId(TEST_IDS.railSettings);
    gear.focus();
    fireEvent.click(gear);
    expect(screen.getByTestId(TEST_IDS.settingsMenu)).toBeTruthy();
    fireEvent.keyDown(gear, { key: 'Escape' });
    expect(screen.queryByTestId(TEST_IDS.settingsMenu)).toBeNull();
    expect(document.activeElement).toBe(gear);
  });
});

describe('the direct chat header', () => {
  it('shows no presence for the other person while our own connection is down, since it is not known', () => {
    useChat.setState({ activeConversationId: DIRECT.id, presence: { [ANN.id]: false } });
    show(<ChatPane />);
    expect(screen.getByTestId(TEST_IDS.chatPresence).textContent).toBe('Offline');
    act(() => useChat.setState({ connection: 'reconnecting' }));
    expect(screen.getByTestId(TEST_IDS.chatPresence).textContent).toBe('');
  });
});

describe('the message box', () => {
  const described = (input: HTMLElement): string =>
    (input.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');

  it('has a short placeholder, which narrow windows do not cut off, and the keys as its description, in either language', () => {
    show(<Composer conversationId={DIRECT.id} />);
    const input = screen.getByTestId(TEST_IDS.composerInput);
    expect(input.getAttribute('placeholder')).toBe('Write a message…');
    expect(described(input)).toContain('Enter to send, Shift+Enter for a new line');
    language('zh-CN');
    expect(input.getAttribute('placeholder')).toBe('输入消息…');
    expect(described(input)).toContain('Enter 发送，Shift+Enter 换行');
  });
});

describe('the rail Chats button', () => {
  function windowWidth(onePane: boolean): void {
    vi.stubGlobal('matchMedia', (query: string) => ({ matches: onePane && query === '(max-width: 600px)', media: query, addEventListener: () => undefined, removeEventListener: () => undefined }));
    // jsdom has no CSS.escape, which closing a conversation uses to find its item in the list.
    vi.stubGlobal('CSS', { escape: (value: string) => value });
  }

  afterEach(() => vi.unstubAllGlobals());

  it('closes the open chat in one-pane windows, so the list shows again', () => {
    windowWidth(true);
    useChat.setState({ activeConversationId: DIRECT.id });
    show(<Rail onSignOut={() => undefined} />);
    fireEvent.click(screen.getByTestId(TEST_IDS.railChats));
    expect(useChat.getState().activeConversationId).toBeNull();
    expect(useUi.getState().view).toBe('chats');
  });

  it('keeps the chat open in wide windows, and only switches from contacts to chats when the chat is behind them', () => {
    windowWidth(false);
    useChat.setState({ activeConversationId: DIRECT.id });
    show(<Rail onSignOut={() => undefined} />);
    fireEvent.click(screen.getByTestId(TEST_IDS.railChats));
    expect(useChat.getState().activeConversationId).toBe(DIRECT.id);
    windowWidth(true);
    act(() => useUi.setState({ view: 'contacts' }));
    fireEvent.click(screen.getByTestId(TEST_IDS.railChats));
    expect(useUi.getState().view).toBe('chats');
    expect(useChat.getState().activeConversationId).toBe(DIRECT.id);
  });
});

describe('the sign-in screen', () => {
  const authScreen = (): ReactElement => <AuthScreen serverUrl="http://127.0.0.1:3210" onAuthenticated={() => undefined} />;

  it('opens with the focus in the username field, limits what the fields take to the rules, and says usernames are stored in lower case', () => {
    render(authScreen());
    const username = screen.getByTestId(TEST_IDS.authUsername) as HTMLInputElement;
    expect(document.activeElement).toBe(username);
    // More than the 32 the rules allow: a longer pasted name is refused with the reason, not cut to another name.
    expect(username.maxLength).toBe(64);
    fireEvent.click(screen.getByTestId(TEST_IDS.authTabRegister));
    fireEvent.change(username, { target: { value: 'QA_Ann' } });
    const hint = document.getElementById((username.getAttribute('aria-describedby') ?? '').split(' ').pop() ?? '');
    expect(hint?.textContent).toBe('Usernames are stored in lower case: yours will be “qa_ann”.');
    const password = screen.getByTestId(TEST_IDS.authPassword) as HTMLInputElement;
    fireEvent.change(password, { target: { value: 'p'.repeat(512) } });
    expect(password.value).toHaveLength(128);
    const displayName = screen.getByTestId(TEST_IDS.authDisplayName) as HTMLInputElement;
    fireEvent.change(displayName, { target: { value: '名'.repeat(80) } });
    expect([...displayName.value]).toHaveLength(64);
    expect(displayName.required).toBe(true);
    expect(within(displayName.closest('label') as HTMLElement).getByText('(required)')).toBeTruthy();
  });

  it('marks the field in error, describes it by the message and puts the focus there', () => {
    render(authScreen());
    fireEvent.click(screen.getByTestId(TEST_IDS.authTabRegister));
    fireEvent.change(screen.getByTestId(TEST_IDS.authUsername), { target: { value: 'qa_ann' } });
    fireEvent.change(screen.getByTestId(TEST_IDS.authPassword), { target: { value: 'long enough' } });
    fireEvent.click(screen.getByTestId(TEST_IDS.authSubmit));
    const displayName = screen.getByTestId(TEST_IDS.authDisplayName);
    const error = screen.getByTestId(TEST_IDS.authError);
    expect(error.textContent).toBe('Enter a display name: it is required.');
    expect(displayName.getAttribute('aria-invalid')).toBe('true');
    expect(displayName.getAttribute('aria-describedby')?.split(' ')).toContain(error.id);
    expect(screen.getByTestId(TEST_IDS.authUsername).getAttribute('aria-invalid')).toBe('false');
    expect(document.activeElement).toBe(displayName);
  });

  it('refuses a username longer than the rules allow with the reason, rather than registering it cut short', () => {
    const fetched = vi.spyOn(globalThis, 'fetch');
    render(authScreen());
    fireEvent.click(screen.getByTestId(TEST_IDS.authTabRegister));
    fireEvent.change(screen.getByTestId(TEST_IDS.authUsername), { target: { value: 'a'.repeat(40) } });
    fireEvent.change(screen.getByTestId(TEST_IDS.authPassword), { target: { value: 'long enough' } });
    fireEvent.change(screen.getByTestId(TEST_IDS.authDisplayName), { target: { value: 'Ann' } });
    fireEvent.click(screen.getByTestId(TEST_IDS.authSubmit));
    expect(screen.getByTestId(TEST_IDS.authError).textContent).toBe(i18next.t('auth.badUsername'));
    expect(document.activeElement).toBe(screen.getByTestId(TEST_IDS.authUsername));
    expect(fetched).not.toHaveBeenCalled();
  });

  it('promises a lower-case username only for one the rules allow, says a username problem under the username, and keeps the password rule as a hint', () => {
    render(authScreen());
    fireEvent.click(screen.getByTestId(TEST_IDS.authTabRegister));
    const username = screen.getByTestId(TEST_IDS.authUsername);
    const hintOf = (input: HTMLElement, index: number): string => document.getElementById((input.getAttribute('aria-describedby') ?? '').split(' ').at(index) ?? '')?.textContent ?? '';
    fireEvent.change(username, { target: { value: 'A b!' } });
    expect(hintOf(username, -1)).toBe(i18next.t('auth.usernameHint'));
    const password = screen.getByTestId(TEST_IDS.authPassword);
    expect(password.getAttribute('placeholder')).toBeNull();
    expect(hintOf(password, -1)).toBe('8 to 128 characters');
    fireEvent.change(password, { target: { value: 'long enough' } });
    fireEvent.change(screen.getByTestId(TEST_IDS.authDisplayName), { target: { value: 'Ann' } });
    fireEvent.click(screen.getByTestId(TEST_IDS.authSubmit));
    const error = screen.getByTestId(TEST_IDS.authError);
    expect(error.textContent).toBe(i18next.t('auth.badUsername'));
    // Right after the username's own hint, before the display name field.
    expect(error.previousElementSibling?.id).toBe(username.getAttribute('aria-describedby')?.split(' ').at(-1));
    expect(error.compareDocumentPosition(screen.getByTestId(TEST_IDS.authDisplayName)) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    language('zh-CN');
    expect(hintOf(password, -1)).toBe('8–128 个字符');
  });

  it('after a refused sign-in, puts the focus back in the form rather than on the page', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify({ error: { code: 'invalid_credentials', message: 'no' } }), { status: 401, headers: { 'content-type': 'application/json' } }));
    render(authScreen());
    fireEvent.change(screen.getByTestId(TEST_IDS.authUsername), { target: { value: 'qa_ann' } });
    fireEvent.change(screen.getByTestId(TEST_IDS.authPassword), { target: { value: 'wrong password' } });
    fireEvent.click(screen.getByTestId(TEST_IDS.authSubmit));
    expect(await screen.findByTestId(TEST_IDS.authError)).toBeTruthy();
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByTestId(TEST_IDS.authPassword)));
  });
});
