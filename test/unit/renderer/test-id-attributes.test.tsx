// @vitest-environment jsdom
/**
 * TEST_ID_ATTRIBUTES (and so docs/testing.md's attribute table) against the components: every
 * scene below is rendered, the data attributes of every element with a test id are collected,
 * and the two must agree both ways — no attribute or value the table leaves out, and none it
 * promises that no state of the UI ever renders.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { ContactRequest, Conversation, LinkPreview, Member, MemberRole, Message, ProductCard, User } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import i18next from 'i18next';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import { emptyChatState, type ChatState, type PendingMessage } from '../../../renderer/src/store/chat-state';
import { useChat } from '../../../renderer/src/store/chat-store';
import { useUi } from '../../../renderer/src/store/ui-store';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { ChatPane } from '../../../renderer/src/ui/ChatPane';
import { ConnectionBanner } from '../../../renderer/src/ui/ConnectionBanner';
import { ContactsScreen } from '../../../renderer/src/ui/ContactsScreen';
import { ConversationList } from '../../../renderer/src/ui/ConversationList';
import { Interstitial } from '../../../renderer/src/ui/Interstitial';
import { LinkPreviews } from '../../../renderer/src/ui/LinkPreviews';
import { MessageRow, type RowItem } from '../../../renderer/src/ui/MessageRow';
import { NewGroupDialog } from '../../../renderer/src/ui/NewGroupDialog';
import { ProductCardView } from '../../../renderer/src/ui/ProductCardView';
import { ProductShareDialog } from '../../../renderer/src/ui/ProductShareDialog';
import { Rail } from '../../../renderer/src/ui/Rail';
import { RowTextContext, rowText as buildRowText, type RowText } from '../../../renderer/src/ui/row-text';
import { ShareDialog } from '../../../renderer/src/ui/ShareDialog';
import { UnsentNotice } from '../../../renderer/src/ui/UnsentNotice';
import { TEST_ID_ATTRIBUTES, TEST_IDS } from '../../../renderer/test-ids';

/** Attributes that steer the UI itself, not QA. */
const NOT_FOR_QA = new Set(['data-testid', 'data-autofocus']);

const user = (id: string, name: string): User => ({ id, username: id, displayName: name });
const ME = user('me', 'Me');
const BO = user('bo', 'Bo');
const CY = user('cy', 'Cy');
const DI = user('di', 'Di');
const EV = user('ev', 'Ev');

const member = (who: User, role: MemberRole, readSeq = 0): Member => ({ user: who, role, joinedAt: 1, readSeq });

const DIRECT: Conversation = { id: 'direct', kind: 'direct', title: 'Bo', members: [member(ME, 'member'), member(BO, 'member', 1)], lastSeq: 3, readSeq: 3, unread: 0, createdAt: 1 };
const GROUP: Conversation = {
  id: 'group',
  kind: 'group',
  title: 'Tea',
  members: [member(ME, 'owner'), member(BO, 'admin', 1), member(CY, 'member')],
  lastSeq: 3,
  readSeq: 1,
  unread: 2,
  createdAt: 1,
};

const MERCHANT = { id: 'shop', name: 'Shop', verified: true };
const PRODUCT: ProductCard = { url: 'https://shop.example/p/1', title: 'Scarf', price: '199.00', currency: 'CNY', image: '/api/v1/media/abc', merchant: MERCHANT };

const LINKS: LinkPreview[] = [
  { url: 'https://a.example/', state: 'pending' },
  { url: 'https://shop.example/', state: 'verified', title: 'Shop', description: 'Tea', image: '/api/v1/media/def', merchant: MERCHANT },
  { url: 'https://shop.example/p/1', state: 'verified', merchant: MERCHANT, product: PRODUCT },
  { url: 'https://b.example/', state: 'unverified' },
  { url: 'https://c.example/', state: 'blocked', reason: 'phishing' },
];

function message(fields: Partial<Message> & Pick<Message, 'id' | 'seq' | 'senderId'>): Message {
  return { conversationId: DIRECT.id, clientId: `client-${fields.id}`, kind: 'text', text: 'hello', createdAt: 1, ...fields };
}

const request = (id: string, from: User, to: User): ContactRequest => ({ id, from, to, status: 'pending', createdAt: 1 });

function chatState(fields: Partial<ChatState>): ChatState {
  return {
    ...emptyChatState(),
    me: ME,
    conversations: { [DIRECT.id]: DIRECT, [GROUP.id]: GROUP },
    contacts: { [BO.id]: { user: BO, since: 1, online: true }, [CY.id]: { user: CY, since: 1, online: false }, [DI.id]: { user: DI, since: 1, online: false } },
    presence: { [BO.id]: true },
    connection: 'online',
    ...fields,
  };
}

function fakeClient(): ChatClient {
  const client = {
    serverUrl: 'http://127.0.0.1:3210',
    request: vi.fn(async (event: string) => (event === 'users:search' ? { ok: true, value: { users: [BO, EV] } } : { ok: false, code: 'network' })),
    sendText: vi.fn(),
    typing: vi.fn(),
    retry: vi.fn(),
    loadOlder: vi.fn(async () => undefined),
    reportListView: vi.fn(),
  };
  return client as unknown as ChatClient;
}

const rowText = (): RowText => buildRowText(i18next.t.bind(i18next), 'en');

/** Renders inside a signed-in client, as the shell does. */
function show(element: ReactElement): void {
  render(<ClientContext.Provider value={fakeClient()}>{element}</ClientContext.Provider>);
}

function row(item: RowItem, group: boolean): ReactElement {
  return <MessageRow row={item} group={group} peerId={group ? undefined : BO.id} showDay={false} continued={false} today={0} />;
}

/** testid → attribute → values seen. */
const seen = new Map<string, Map<string, Set<string>>>();

function collect(): void {
  for (const element of document.querySelectorAll('[data-testid]')) {
    const id = element.getAttribute('data-testid') ?? '';
    const attributes = seen.get(id) ?? new Map<string, Set<string>>();
    seen.set(id, attributes);
    for (const { name, value } of element.attributes) {
      if (!name.startsWith('data-') || NOT_FOR_QA.has(name)) continue;
      const values = attributes.get(name) ?? new Set<string>();
      values.add(value);
      attributes.set(name, values);
    }
  }
}

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

afterEach(() => {
  collect();
  cleanup();
  useUi.setState({ blockedLink: null, linkNotice: null, groupPanelOpen: false });
});

afterAll(() => {
  useChat.setState(emptyChatState(), true);
});

describe('the scenes QA meets', () => {
  it('the rail and the connection banner in every connection state', () => {
    useChat.setState(chatState({ connection: 'connecting', incoming: [request('r1', CY, ME)] }), true);
    show(
      <>
        <Rail onSignOut={() => undefined} />
        <ConnectionBanner />
      </>,
    );
    collect();
    act(() => useChat.setState({ connection: 'reconnecting' }));
    collect();
    act(() => useChat.setState({ connection: 'online' }));
    expect(screen.getByTestId(TEST_IDS.railChats).getAttribute('aria-label')).toBe('Chats, 2 unread messages');
    expect(screen.getByTestId(TEST_IDS.railContacts).getAttribute('aria-label')).toBe('Contacts, 1 contact request');
  });

  it('the conversation list, and the open group with its panel for each role', () => {
    for (const role of ['owner', 'admin', 'member'] as const) {
      const group = { ...GROUP, members: [member(ME, role), member(BO, role === 'owner' ? 'admin' : 'owner'), member(CY, role === 'member' ? 'admin' : 'member')] };
      useChat.setState(chatState({ conversations: { [DIRECT.id]: DIRECT, [GROUP.id]: group }, activeConversationId: GROUP.id }), true);
      useUi.setState({ groupPanelOpen: true });
      show(
        <>
          <ConversationList />
          <ChatPane />
        </>,
      );
      if (role === 'owner') fireEvent.click(screen.getAllByTestId(TEST_IDS.groupAddMembers)[0] as HTMLElement);
      collect();
      cleanup();
    }
  });

  it('every kind of message row, its read mark and its links', () => {
    const pending: PendingMessage = { clientId: 'p1', conversationId: DIRECT.id, text: 'on its way', createdAt: 1, state: 'pending' };
    const failed: PendingMessage = { ...pending, clientId: 'p2', state: 'failed', error: 'rate_limited' };
    const system = message({ id: 's1', seq: 1, senderId: ME.id, conversationId: GROUP.id, kind: 'system', system: { event: 'created', actorId: ME.id, targetIds: [] } });
    useChat.setState(chatState({}), true);
    show(
      <RowTextContext value={rowText()}>
        {row({ kind: 'message', message: message({ id: 'm1', seq: 1, senderId: ME.id }) }, false)}
        {row({ kind: 'message', message: message({ id: 'm2', seq: 2, senderId: ME.id }) }, false)}
        {row({ kind: 'message', message: message({ id: 'm3', seq: 3, senderId: BO.id, text: LINKS.map((link) => `see ${link.url}`).join(' '), links: LINKS }) }, false)}
        {row({ kind: 'message', message: message({ id: 'm4', seq: 1, senderId: ME.id, conversationId: GROUP.id }) }, true)}
        {row({ kind: 'message', message: message({ id: 'm5', seq: 2, senderId: BO.id, conversationId: GROUP.id, kind: 'product', product: PRODUCT }) }, true)}
        {row({ kind: 'message', message: system }, true)}
        {row({ kind: 'pending', pending }, false)}
        {row({ kind: 'pending', pending: failed }, false)}
      </RowTextContext>,
    );
    expect(screen.getAllByTestId(TEST_IDS.messageTime)).toHaveLength(7);
  });

  it('a message that can no longer be sent, its group lost', () => {
    const lost: PendingMessage = { clientId: 'p3', conversationId: 'gone', conversationTitle: 'Club', text: 'too late', createdAt: 1, state: 'failed', error: 'not_member' };
    useChat.setState(chatState({ outbox: [lost] }), true);
    show(<UnsentNotice />);
    expect(screen.getByTestId(TEST_IDS.unsentText).textContent).toBe('too late');
  });

  it('previews, product cards of both kinds and the interstitial', () => {
    useChat.setState(chatState({}), true);
    show(
      <>
        <LinkPreviews links={[...LINKS, { url: 'https://d.example/', state: 'blocked', reason: 'lookalike', imitates: 'shop.example' }]} />
        <ProductCardView product={{ ...PRODUCT, merchant: { ...MERCHANT, verified: false } }} />
        <Interstitial link={{ url: 'https://c.example/', verdict: { url: 'https://c.example/', verdict: 'blocked', reason: 'suspended' } }} onClose={() => undefined} />
      </>,
    );
    // Named by what it shows, then the address it opens (no aria-label that would hide the visible words).
    const open = screen.getAllByTestId(TEST_IDS.productCardOpen);
    expect(open.map((button) => button.getAttribute('aria-label'))).toEqual([null, null]);
    expect(open[0]?.textContent).toMatch(/^ProductScarf.*shop\.example\(opens https:\/\/shop\.example\/p\/1\)$/);
    expect(screen.getByTestId(TEST_IDS.linkPreviewOpen).getAttribute('aria-label')).toBe('Open the verified page https://shop.example/');
  });

  it('the contacts screen with search results, requests both ways and contacts', async () => {
    useChat.setState(chatState({ incoming: [request('r1', CY, ME)], outgoing: [request('r2', ME, EV)] }), true);
    show(<ContactsScreen />);
    fireEvent.change(screen.getByTestId(TEST_IDS.contactsSearch), { target: { value: 'o' } });
    fireEvent.click(screen.getByTestId(TEST_IDS.contactsSearchButton));
    expect(await screen.findAllByTestId(TEST_IDS.contactsSearchResult)).toHaveLength(2);
    expect(screen.getByTestId(TEST_IDS.contactsAlreadyContact)).toBeTruthy();
  });

  it('the dialogs that pick people and conversations', () => {
    useChat.setState(chatState({}), true);
    show(
      <>
        <NewGroupDialog onClose={() => undefined} />
        <ShareDialog initialText="look" onClose={() => undefined} />
        <ProductShareDialog onClose={() => undefined} />
      </>,
    );
  });
});

describe('TEST_ID_ATTRIBUTES', () => {
  it('lists every data attribute the scenes render, and every value of those it enumerates', () => {
    collect();
    const rendered = [...seen].flatMap(([id, attributes]) => [...attributes.keys()].map((attribute) => `${id} ${attribute}`));
    expect(rendered.sort()).toEqual(TEST_ID_ATTRIBUTES.map(({ id, attribute }) => `${id} ${attribute}`).sort());
    for (const { id, attribute, values } of TEST_ID_ATTRIBUTES) {
      if (values !== undefined) expect([...(seen.get(id)?.get(attribute) ?? [])].sort(), `${id} ${attribute}`).toEqual([...values].sort());
    }
  });
});
