// @vitest-environment jsdom
/**
 * What a screen reader meets (the audit of docs/testing.md's "Live region and message rows"): the
 * message list is no live region and one hidden region says only what just arrived from others;
 * every row starts with who wrote it; blocked-link warnings are no alerts; buttons are named
 * after what they show; the sign-in tabs follow the ARIA tabs pattern; the title and the dates
 * follow the language.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ReactElement } from 'react';
import i18next from 'i18next';
import type { Conversation, LinkPreview, Member, MemberRole, Message, ProductCard, User } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import { listTime } from '../../../renderer/src/lib/format-time';
import { emptyChatState, type ChatState, type PendingMessage } from '../../../renderer/src/store/chat-state';
import { useChat } from '../../../renderer/src/store/chat-store';
import { useUi } from '../../../renderer/src/store/ui-store';
import { App } from '../../../renderer/src/ui/App';
import { AuthScreen } from '../../../renderer/src/ui/AuthScreen';
import { ChatPane } from '../../../renderer/src/ui/ChatPane';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { Interstitial } from '../../../renderer/src/ui/Interstitial';
import { LinkPreviews } from '../../../renderer/src/ui/LinkPreviews';
import { MessageRow, type RowItem } from '../../../renderer/src/ui/MessageRow';
import { ProductCardView } from '../../../renderer/src/ui/ProductCardView';
import { RowTextContext, rowText } from '../../../renderer/src/ui/row-text';
import { TEST_IDS } from '../../../renderer/test-ids';

const user = (id: string, name: string): User => ({ id, username: id, displayName: name });
const ME = user('me', 'Me');
const BO = user('bo', 'Bo 柏涛');
const CY = user('cy', 'Cy');
const member = (who: User, role: MemberRole = 'member'): Member => ({ user: who, role, joinedAt: 1, readSeq: 0 });

const DIRECT: Conversation = { id: 'direct', kind: 'direct', title: 'Bo 柏涛', members: [member(ME), member(BO)], lastSeq: 2, readSeq: 2, unread: 0, createdAt: 1 };
const OTHER: Conversation = { id: 'other', kind: 'direct', title: 'Cy', members: [member(ME), member(CY)], lastSeq: 1, readSeq: 1, unread: 0, createdAt: 1 };
const GROUP: Conversation = { id: 'group', kind: 'group', title: 'Tea', members: [member(ME, 'owner'), member(BO), member(CY)], lastSeq: 2, readSeq: 2, unread: 0, createdAt: 1 };

function message(fields: Partial<Message> & Pick<Message, 'id' | 'seq' | 'senderId'>): Message {
  return { conversationId: DIRECT.id, clientId: `client-${fields.id}`, kind: 'text', text: 'hello', createdAt: Date.UTC(2026, 0, 5, 9, 30), ...fields };
}

/** The text a screen reader reads in an element: aria-hidden parts (the avatar's initial) left out. */
function spoken(element: HTMLElement | undefined): string {
  const copy = element?.cloneNode(true) as HTMLElement | undefined;
  copy?.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
  return copy?.textContent ?? '';
}

function fakeClient(): ChatClient {
  const client = {
    serverUrl: 'http://127.0.0.1:3210',
    request: vi.fn(async () => ({ ok: false, code: 'network' })),
    sendText: vi.fn(),
    typing: vi.fn(),
    retry: vi.fn(),
    loadOlder: vi.fn(async () => undefined),
    reportListView: vi.fn(),
    setActive: vi.fn(async () => undefined),
  };
  return client as unknown as ChatClient;
}

function show(element: ReactElement): void {
  render(<ClientContext.Provider value={fakeClient()}>{element}</ClientContext.Provider>);
}

function chatState(fields: Partial<ChatState>): ChatState {
  return {
    ...emptyChatState(),
    me: ME,
    conversations: { [DIRECT.id]: DIRECT, [OTHER.id]: OTHER, [GROUP.id]: GROUP },
    connection: 'online',
    ...fields,
  };
}

function addMessages(conversationId: string, messages: Message[], where: 'end' | 'start' = 'end'): void {
  act(() =>
    useChat.setState((s) => {
      const log = s.messages[conversationId] ?? { items: [], hasMore: false, loaded: true };
      const items = where === 'end' ? [...log.items, ...messages] : [...messages, ...log.items];
      return { messages: { ...s.messages, [conversationId]: { ...log, items } } };
    }),
  );
}

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

beforeEach(async () => {
  await i18next.changeLanguage('en');
});

afterEach(() => {
  cleanup();
  useChat.setState(emptyChatState(), true);
  useUi.setState({ groupPanelOpen: false });
});

describe('the message list and its live region', () => {
  const announcer = (): HTMLElement => screen.getByTestId(TEST_IDS.messageAnnouncer);

  beforeEach(() => {
    const first = message({ id: 'm1', seq: 1, senderId: BO.id, text: 'old news' });
    const second = message({ id: 'm2', seq: 2, senderId: ME.id, text: 'my old reply' });
    useChat.setState(chatState({ activeConversationId: DIRECT.id, messages: { [DIRECT.id]: { items: [first, second], hasMore: true, loaded: true } } }), true);
  });

  it('is no live region; the one hidden region is polite and starts empty', () => {
    show(<ChatPane />);
    const list = screen.getByTestId(TEST_IDS.messageList);
    expect(list.getAttribute('role')).not.toBe('log');
    expect(list.hasAttribute('aria-live')).toBe(false);
    expect(list.closest('[aria-live]')).toBeNull();
    expect(list.querySelector('[aria-live], [role="log"], [role="status"], [role="alert"]')).toBeNull();
    expect(announcer().getAttribute('aria-live')).toBe('polite');
    expect(announcer().className).toBe('visually-hidden');
    expect(announcer().textContent).toBe('');
  });

  it('announces a message that just arrived from someone else, cut short, and nothing for your own', () => {
    show(<ChatPane />);
    addMessages(DIRECT.id, [message({ id: 'm3', seq: 3, senderId: BO.id, text: `Tea at ten? ${'long '.repeat(60)}` })]);
    const said = [...announcer().querySelectorAll('p')].map((p) => p.textContent ?? '');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^New message from Bo 柏涛: Tea at ten\? long long/);
    expect(said[0]?.endsWith('…')).toBe(true);
    expect([...(said[0] ?? '')].length).toBeLessThan(160);
    addMessages(DIRECT.id, [message({ id: 'm4', seq: 4, senderId: ME.id, text: 'sure' })]);
    expect(announcer().querySelectorAll('p')).toHaveLength(1);
  });

  it('says nothing when older history loads or another chat opens, nor for system messages', () => {
    show(<ChatPane />);
    addMessages(DIRECT.id, [message({ id: 'm0', seq: 0, senderId: BO.id, text: 'older still' })], 'start');
    expect(announcer().textContent).toBe('');
    act(() => useChat.setState({ activeConversationId: OTHER.id }));
    act(() => useChat.setState((s) => ({ messages: { ...s.messages, [OTHER.id]: { items: [message({ id: 'o1', seq: 1, senderId: CY.id, conversationId: OTHER.id, text: 'from before' })], hasMore: false, loaded: true } } })));
    expect(announcer().textContent).toBe('');
    addMessages(OTHER.id, [message({ id: 'o2', seq: 2, senderId: CY.id, conversationId: OTHER.id, kind: 'system', system: { event: 'renamed', actorId: CY.id, targetIds: [], detail: 'x' } })]);
    expect(announcer().textContent).toBe('');
    addMessages(OTHER.id, [message({ id: 'o3', seq: 3, senderId: CY.id, conversationId: OTHER.id, text: 'now' })]);
    expect(announcer().textContent).toBe('New message from Cy: now');
  });

  it('warns when a link of a message just announced is then found blocked, once, and not for your own', () => {
    show(<ChatPane />);
    const pending = { url: 'https://login.phish.example/pay', state: 'pending' as const };
    addMessages(DIRECT.id, [message({ id: 'm3', seq: 3, senderId: BO.id, text: 'see https://login.phish.example/pay now', links: [pending] })]);
    addMessages(DIRECT.id, [message({ id: 'm4', seq: 4, senderId: ME.id, text: 'mine https://login.phish.example/pay', links: [pending] })]);
    const resolve = (): void =>
      act(() =>
        useChat.setState((s) => {
          const log = s.messages[DIRECT.id];
          if (log === undefined) return {};
          const blocked: LinkPreview = { url: pending.url, state: 'blocked', reason: 'phishing' };
          const items = log.items.map((m): Message => (m.links === undefined ? m : { ...m, links: [blocked] }));
          return { messages: { ...s.messages, [DIRECT.id]: { ...log, items } } };
        }),
      );
    resolve();
    resolve();
    const said = [...announcer().querySelectorAll('p')].map((p) => p.textContent);
    expect(said).toEqual(['New message from Bo 柏涛: see https://login.phish.example/pay now', 'Warning: the link https://login.phish.example/pay from Bo 柏涛 is dangerous and was blocked.']);
  });

  it('in Chinese too', async () => {
    await act(() => i18next.changeLanguage('zh-CN'));
    show(<ChatPane />);
    addMessages(DIRECT.id, [message({ id: 'm3', seq: 3, senderId: BO.id, text: '好的' })]);
    expect(announcer().textContent).toBe('Bo 柏涛 发来新消息：好的');
  });
});

describe('message rows say who wrote them', () => {
  function rows(items: { item: RowItem; group: boolean; continued?: boolean }[]): HTMLElement[] {
    useChat.setState(chatState({ memberReads: {} } as Partial<ChatState>), true);
    show(
      <RowTextContext value={rowText(i18next.t.bind(i18next), i18next.language)}>
        {items.map(({ item, group, continued = false }, i) => (
          <MessageRow key={i} row={item} group={group} peerId={group ? undefined : BO.id} showDay={false} continued={continued} today={0} />
        ))}
      </RowTextContext>,
    );
    return screen.getAllByTestId(TEST_IDS.messageRow);
  }

  it('each row is one article starting with the sender, then the text, time and read state, kept apart', () => {
    const pending: PendingMessage = { clientId: 'p1', conversationId: DIRECT.id, text: 'on its way', createdAt: Date.UTC(2026, 0, 5, 9, 31), state: 'pending' };
    const [mine, theirs, groupFirst, groupNext, groupMine, sending] = rows([
      { item: { kind: 'message', message: message({ id: 'm1', seq: 1, senderId: ME.id, text: 'hi Bo' }) }, group: false },
      { item: { kind: 'message', message: message({ id: 'm2', seq: 2, senderId: BO.id, text: 'hi back' }) }, group: false },
      { item: { kind: 'message', message: message({ id: 'g1', seq: 1, senderId: BO.id, conversationId: GROUP.id, text: 'first' }) }, group: true },
      { item: { kind: 'message', message: message({ id: 'g2', seq: 2, senderId: BO.id, conversationId: GROUP.id, text: 'second' }) }, group: true, continued: true },
      { item: { kind: 'message', message: message({ id: 'g3', seq: 3, senderId: ME.id, conversationId: GROUP.id, text: 'mine' }) }, group: true },
      { item: { kind: 'pending', pending }, group: false },
    ]);
    for (const row of [mine, theirs, groupFirst, groupNext, groupMine, sending]) expect(row?.tagName).toBe('ARTICLE');
    const time = within(mine as HTMLElement).getByTestId(TEST_IDS.messageTime).textContent ?? '';
    expect(spoken(mine)).toBe(`You: hi Bo${time}, Unread.`);
    expect(spoken(theirs)).toBe(`Bo 柏涛: hi back${time}.`);
    expect(spoken(groupFirst)).toBe(`Bo 柏涛: first${time}.`);
    expect(within(groupFirst as HTMLElement).getByTestId(TEST_IDS.messageSender).textContent).toBe('Bo 柏涛');
    expect(spoken(groupNext)).toBe(`Bo 柏涛: second${time}.`);
    expect(within(groupNext as HTMLElement).queryByTestId(TEST_IDS.messageSender)).toBeNull();
    // No one has read it: no "Read by", and the row still ends apart from the next sender.
    expect(spoken(groupMine)).toBe(`You: mine${time}.`);
    expect(spoken(sending)).toMatch(/^You: on its way\d\d:\d\d, Sending….$/);
    // The Share button follows the bubble in the page, for your own rows too.
    const bubble = (mine as HTMLElement).querySelector('.bubble') as HTMLElement;
    expect(bubble.compareDocumentPosition(within(mine as HTMLElement).getByTestId(TEST_IDS.messageShare)) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('"Read by 3" is kept apart from what follows', () => {
    const read = message({ id: 'g1', seq: 1, senderId: ME.id, conversationId: GROUP.id, text: 'mine' });
    useChat.setState(chatState({}), true);
    const group = { ...GROUP, members: GROUP.members.map((m) => ({ ...m, readSeq: 5 })) };
    act(() => useChat.setState({ conversations: { ...useChat.getState().conversations, [GROUP.id]: group } }));
    show(
      <RowTextContext value={rowText(i18next.t.bind(i18next), 'en')}>
        <MessageRow row={{ kind: 'message', message: read }} group peerId={undefined} showDay={false} continued={false} today={0} />
      </RowTextContext>,
    );
    expect(spoken(screen.getByTestId(TEST_IDS.messageRow))).toMatch(/^You: mine\d\d:\d\d, Read by 2\.$/);
  });

  it('in Chinese: 我 and the full-width colon', async () => {
    await act(() => i18next.changeLanguage('zh-CN'));
    const [mine, theirs] = rows([
      { item: { kind: 'message', message: message({ id: 'm1', seq: 1, senderId: ME.id, text: '你好' }) }, group: false },
      { item: { kind: 'message', message: message({ id: 'm2', seq: 2, senderId: BO.id, text: '好' }) }, group: false },
    ]);
    expect(spoken(mine)).toMatch(/^我：你好\d\d:\d\d，未读。$/);
    expect(spoken(theirs)).toMatch(/^Bo 柏涛：好\d\d:\d\d。$/);
  });
});

describe('names and roles', () => {
  it('a blocked-link warning is static text, not an alert', () => {
    show(<LinkPreviews links={[{ url: 'https://bad.example/', state: 'blocked', reason: 'phishing' }]} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId(TEST_IDS.blockedWarning).closest('[role="alert"], [aria-live]')).toBeNull();
    expect(screen.getByTestId(TEST_IDS.blockedWarning).textContent).toContain('Dangerous link blocked');
  });

  it("each blocked link's Open anyway is named with its address, not the same words for every one", () => {
    show(
      <LinkPreviews
        links={[
          { url: 'https://bad.example/pay', state: 'blocked', reason: 'phishing' },
          { url: 'https://sh0p.example/', state: 'blocked', reason: 'lookalike', imitates: 'shop.example' },
        ]}
      />,
    );
    const names = screen.getAllByTestId(TEST_IDS.blockedOpenAnyway).map((button) => button.textContent);
    expect(names).toEqual(['Open anyway… https://bad.example/pay', 'Open anyway… https://sh0p.example/']);
  });

  it('the warning before a blocked link is described by its reason and address, read with its title', () => {
    show(<Interstitial link={{ url: 'https://bad.example/pay', verdict: { url: 'https://bad.example/pay', verdict: 'blocked', reason: 'phishing' } }} onClose={() => undefined} />);
    const dialog = screen.getByRole('dialog');
    const described = (dialog.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id));
    expect(described).toEqual([screen.getByTestId(TEST_IDS.interstitialReason), screen.getByTestId(TEST_IDS.interstitialUrl)]);
    expect(document.activeElement).toBe(screen.getByTestId(TEST_IDS.interstitialBack));
  });

  it('a product card button is named by what it shows, then the address', () => {
    const product: ProductCard = { url: 'https://shop.example/p/1', title: 'Scarf', price: '459', currency: 'CNY', merchant: { id: 's', name: 'Shop', verified: true } };
    show(<ProductCardView product={product} />);
    const button = screen.getByTestId(TEST_IDS.productCardOpen);
    expect(button.hasAttribute('aria-label')).toBe(false);
    const visible = [...button.querySelectorAll('span')].filter((s) => s.className !== 'visually-hidden' && s.children.length === 0).map((s) => s.textContent);
    expect(visible).toEqual(['Product', 'Scarf', 'CN¥459.00', 'shop.example']);
    expect(button.textContent).toBe('ProductScarfCN¥459.00shop.example(opens https://shop.example/p/1)');
  });

  it("an unverified merchant's card is plain text, as an unverified link is: nothing to click or focus", () => {
    const product: ProductCard = { url: 'https://shop.example/p/1', title: 'Scarf', merchant: { id: 's', name: 'Shop', verified: false } };
    show(<ProductCardView product={product} />);
    const body = screen.getByTestId(TEST_IDS.productCardOpen);
    expect(body.tagName).toBe('DIV');
    expect(body.tabIndex).toBe(-1);
    expect(screen.queryByRole('button')).toBeNull();
    expect(body.textContent).toBe('ProductScarfshop.example');
    expect(screen.getByTestId(TEST_IDS.productMerchant).textContent).toBe('Shop · Unverified');
  });

  it('group member buttons start with their visible words', () => {
    useChat.setState(chatState({ activeConversationId: GROUP.id }), true);
    useUi.setState({ groupPanelOpen: true });
    show(<ChatPane />);
    for (const id of [TEST_IDS.groupMakeAdmin, TEST_IDS.groupRemoveMember]) {
      for (const button of screen.getAllByTestId(id)) {
        const label = button.getAttribute('aria-label') ?? '';
        expect(label.startsWith(button.textContent ?? '?')).toBe(true);
      }
    }
    expect(screen.getAllByTestId(TEST_IDS.groupMakeAdmin).map((b) => b.getAttribute('aria-label'))).toEqual(['Make admin: Bo 柏涛', 'Make admin: Cy']);
  });

  it('once signed in there is a main landmark with a hidden h1', async () => {
    const { Shell } = await import('../../../renderer/src/ui/Shell');
    useChat.setState(chatState({ activeConversationId: DIRECT.id }), true);
    show(<Shell onSignedOut={() => undefined} />);
    const main = screen.getByRole('main');
    expect(within(main).getByRole('heading', { level: 1 }).textContent).toBe('Wanglai');
    expect(within(main).getByTestId(TEST_IDS.chatPane)).toBeTruthy();
  });
});

describe('the sign-in tabs', () => {
  it('follow the ARIA tabs pattern: one tab stop, arrows switch, the form is the tab panel', () => {
    render(<AuthScreen serverUrl="http://127.0.0.1:3210" onAuthenticated={() => undefined} />);
    const signIn = screen.getByTestId(TEST_IDS.authTabSignIn);
    const register = screen.getByTestId(TEST_IDS.authTabRegister);
    const panel = screen.getByRole('tabpanel');
    expect(panel.tagName).toBe('FORM');
    for (const tab of [signIn, register]) expect(tab.getAttribute('aria-controls')).toBe(panel.id);
    expect(panel.getAttribute('aria-labelledby')).toBe(signIn.id);
    expect([signIn.tabIndex, register.tabIndex]).toEqual([0, -1]);

    signIn.focus();
    fireEvent.keyDown(signIn, { key: 'ArrowRight' });
    expect(register.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(register);
    expect([signIn.tabIndex, register.tabIndex]).toEqual([-1, 0]);
    expect(panel.getAttribute('aria-labelledby')).toBe(register.id);
    expect(screen.getByTestId(TEST_IDS.authDisplayName)).toBeTruthy();

    fireEvent.keyDown(register, { key: 'ArrowRight' });
    expect(signIn.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(signIn);
    fireEvent.keyDown(signIn, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(register);
    fireEvent.keyDown(register, { key: 'Home' });
    expect(document.activeElement).toBe(signIn);
    fireEvent.keyDown(signIn, { key: 'End' });
    expect(document.activeElement).toBe(register);
    expect(screen.queryByTestId(TEST_IDS.authDisplayName)).toBeTruthy();
  });
});

describe('language', () => {
  it('the document title follows the language before sign-in', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(() => new Promise(() => undefined));
    window.matchMedia = ((query: string) => ({ matches: false, media: query, addEventListener: () => undefined, removeEventListener: () => undefined })) as unknown as typeof window.matchMedia;
    await act(() => i18next.changeLanguage('zh-CN'));
    document.title = 'Wanglai';
    render(<App />);
    expect(document.title).toBe('往来');
    await act(() => i18next.changeLanguage('en'));
    expect(document.title).toBe('Wanglai');
    vi.restoreAllMocks();
  });

  it('dates in the chat list have a full year in Chinese, and stay as they were in English', () => {
    const now = new Date(2027, 0, 20, 12).getTime();
    const then = new Date(2026, 11, 7, 9).getTime();
    expect(listTime(then, now, 'zh-CN', '昨天')).toBe('2026/12/7');
    expect(listTime(then, now, 'en', 'Yesterday')).toBe('12/7/26');
  });
});
