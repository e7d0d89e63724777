// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import i18next from 'i18next';
import type { LinkVerdict, Message } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { Composer } from '../../../renderer/src/ui/Composer';
import { MessageText } from '../../../renderer/src/ui/MessageText';
import { LinkPreviews } from '../../../renderer/src/ui/LinkPreviews';
import { MessageRow } from '../../../renderer/src/ui/MessageRow';
import { RowTextContext, rowText as buildRowText } from '../../../renderer/src/ui/row-text';
import { emptyChatState } from '../../../renderer/src/store/chat-state';
import { useChat } from '../../../renderer/src/store/chat-store';
import { useUi } from '../../../renderer/src/store/ui-store';
import { TEST_IDS } from '../../../renderer/test-ids';

interface FakeClient {
  serverUrl: string;
  sendText: ReturnType<typeof vi.fn>;
  typing: ReturnType<typeof vi.fn>;
  request: ReturnType<typeof vi.fn>;
}

function fakeClient(verdict?: LinkVerdict): FakeClient {
  return {
    serverUrl: 'http://127.0.0.1:3210',
    sendText: vi.fn(),
    typing: vi.fn(),
    request: vi.fn(async () => (verdict === undefined ? { ok: false, code: 'network' } : { ok: true, value: { verdict } })),
  };
}

function withClient(client: FakeClient, element: ReactElement): ReactElement {
  return <ClientContext.Provider value={client as unknown as ChatClient}>{element}</ClientContext.Provider>;
}

function message(text: string, links: Message['links']): Message {
  return { id: 'm1', conversationId: 'c1', seq: 1, senderId: 'u1', clientId: 'client-1', kind: 'text', text, createdAt: 1, ...(links ? { links } : {}) };
}

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

afterEach(() => {
  cleanup();
  useUi.setState({ blockedLink: null, linkNotice: null });
});

describe('Composer', () => {
  it('sends on Enter, not on Shift+Enter, and not while an IME is composing', () => {
    const client = fakeClient();
    render(withClient(client, <Composer conversationId="c1" />));
    const input = screen.getByTestId(TEST_IDS.composerInput);
    fireEvent.change(input, { target: { value: '你好' } });
    fireEvent.keyDown(input, { key: 'Enter', isComposing: true });
    fireEvent.keyDown(input, { key: 'Enter', keyCode: 229 });
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    expect(client.sendText).not.toHaveBeenCalled();
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(client.sendText).toHaveBeenCalledWith('c1', '你好');
    expect((input as HTMLTextAreaElement).value).toBe('');
  });

  it('shows a counter near the limit and refuses more than 4000 characters', () => {
    const client = fakeClient();
    render(withClient(client, <Composer conversationId="c1" />));
    const input = screen.getByTestId(TEST_IDS.composerInput);
    fireEvent.change(input, { target: { value: 'a'.repeat(100) } });
    expect(screen.queryByTestId(TEST_IDS.composerCounter)).toBeNull();
    fireEvent.change(input, { target: { value: '字'.repeat(4001) } });
    expect(screen.getByTestId(TEST_IDS.composerCounter).textContent).toBe('4001 / 4000');
    expect(screen.getByTestId(TEST_IDS.sendButton)).toHaveProperty('disabled', true);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(client.sendText).not.toHaveBeenCalled();
  });
});

describe('MessageText', () => {
  it('renders markup as text and makes links only of listed URLs', () => {
    const client = fakeClient();
    const { container } = render(withClient(client, <MessageText message={message('<img src=x onerror=alert(1)> https://a.example/x https://b.example/y', [{ url: 'https://a.example/x', state: 'unverified' }])} />));
    expect(container.querySelector('img')).toBeNull();
    const links = screen.getAllByTestId(TEST_IDS.messageLink);
    expect(links.map((l) => l.getAttribute('data-url'))).toEqual(['https://a.example/x']);
    expect(screen.getByTestId(TEST_IDS.linkUnverified).textContent).toBe('Unverified');
  });

  it('never makes a blocked link clickable', () => {
    const client = fakeClient();
    render(withClient(client, <MessageText message={message('pay at https://sh0p.example/login', [{ url: 'https://sh0p.example/login', state: 'blocked', reason: 'lookalike' }])} />));
    const link = screen.getByTestId(TEST_IDS.messageLink);
    expect(link.tagName).toBe('SPAN');
    expect(link.getAttribute('data-state')).toBe('blocked');
  });

  it('asks for a fresh verdict on click and sends a now-blocked link to the interstitial', async () => {
    const verdict: LinkVerdict = { url: 'https://a.example/x', verdict: 'blocked', reason: 'suspended' };
    const client = fakeClient(verdict);
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    render(withClient(client, <MessageText message={message('https://a.example/x', [{ url: 'https://a.example/x', state: 'verified' }])} />));
    fireEvent.click(screen.getByTestId(TEST_IDS.messageLink));
    await vi.waitFor(() => expect(useUi.getState().blockedLink).toEqual({ url: 'https://a.example/x', verdict }));
    expect(client.request).toHaveBeenCalledWith('links:verdict', { url: 'https://a.example/x' });
    expect(open).not.toHaveBeenCalled();
    open.mockRestore();
  });

  it('opens a verified link with noopener after a fresh verdict', async () => {
    const client = fakeClient({ url: 'https://a.example/x', verdict: 'verified' });
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    render(withClient(client, <MessageText message={message('https://a.example/x', [{ url: 'https://a.example/x', state: 'verified' }])} />));
    const link = screen.getByRole('button', { name: 'Open link https://a.example/x' });
    expect(link.getAttribute('data-state')).toBe('verified');
    fireEvent.click(link);
    await vi.waitFor(() => expect(open).toHaveBeenCalledWith('https://a.example/x', '_blank', 'noopener,noreferrer'));
    expect(client.request).toHaveBeenCalledWith('links:verdict', { url: 'https://a.example/x' });
    open.mockRestore();
  });

  // An unlisted phishing domain is merely unverified: it must not be one click (or one Enter) away.
  it('shows pending and unverified links as plain text that nothing can click or focus, the unverified one with its mark', () => {
    const client = fakeClient({ url: 'https://a.example/x', verdict: 'unverified' });
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const text = 'see https://a.example/x and https://b.example/y';
    const { container } = render(
      withClient(
        client,
        <MessageText
          message={message(text, [
            { url: 'https://a.example/x', state: 'unverified' },
            { url: 'https://b.example/y', state: 'pending' },
          ])}
        />,
      ),
    );
    const links = screen.getAllByTestId(TEST_IDS.messageLink);
    expect(links.map((l) => [l.getAttribute('data-state'), l.tagName])).toEqual([
      ['unverified', 'SPAN'],
      ['pending', 'SPAN'],
    ]);
    expect(screen.queryAllByRole('button')).toEqual([]);
    expect(screen.queryAllByRole('link')).toEqual([]);
    expect(container.querySelectorAll('button, a, [tabindex], [role]')).toHaveLength(0);
    for (const link of links) {
      link.focus();
      expect(document.activeElement).not.toBe(link);
      fireEvent.click(link);
      fireEvent.keyDown(link, { key: 'Enter' });
    }
    expect(client.request).not.toHaveBeenCalled();
    expect(open).not.toHaveBeenCalled();
    // The marks are words a screen reader reads after the URL, not hidden decoration.
    const unverifiedMark = screen.getByTestId(TEST_IDS.linkUnverified);
    expect(unverifiedMark.textContent).toBe('Unverified');
    expect(unverifiedMark.closest('[aria-hidden="true"]')).toBeNull();
    expect(screen.getByTestId(TEST_IDS.linkChecking).textContent).toBe('checking');
    expect(container.textContent).toBe('see https://a.example/xUnverified and https://b.example/ychecking');
    open.mockRestore();
  });
});

describe('LinkPreviews', () => {
  it('shows a verified product with the merchant from the verdict, its price, and only server media', () => {
    const client = fakeClient();
    const { container } = render(
      withClient(
        client,
        <LinkPreviews
          links={[
            {
              url: 'https://shop.example/p/1',
              state: 'verified',
              product: { url: 'https://shop.example/p/1', title: 'Scarf', price: '199.00', currency: 'CNY', image: 'https://cdn.tracker.example/a.png', merchant: { id: 'm1', name: 'Example Shop', verified: true } },
            },
            { url: 'https://shop.example/', state: 'verified', title: 'Shop', image: '/api/v1/media/abc', merchant: { id: 'm1', name: 'Example Shop', verified: true } },
          ]}
        />,
      ),
    );
    expect(screen.getByTestId(TEST_IDS.productCard).textContent).toContain('Verified merchant: Example Shop');
    expect(screen.getByTestId(TEST_IDS.productPrice).textContent).toContain('199.00');
    expect([...container.querySelectorAll('img')].map((img) => img.getAttribute('src'))).toEqual(['http://127.0.0.1:3210/api/v1/media/abc']);
  });

  it('names the reason of a blocked link and the domain a lookalike imitates', () => {
    const client = fakeClient();
    render(withClient(client, <LinkPreviews links={[{ url: 'https://sh0p.example/', state: 'blocked', reason: 'lookalike', imitates: 'shop.example' }]} />));
    expect(screen.getByTestId(TEST_IDS.blockedWarning).textContent).toContain('imitates the verified merchant site shop.example');
    expect(screen.getByTestId(TEST_IDS.blockedOpenAnyway)).toBeTruthy();
  });
});

describe('MessageRow', () => {
  it("puts a product message's time and read mark inside its card, as a text message's are inside its bubble", () => {
    const me = { id: 'u1', username: 'u1', displayName: 'Me' };
    useChat.setState({ ...emptyChatState(), me }, true);
    const product = { url: 'https://shop.example/p/1', title: 'Scarf', merchant: { id: 'm1', name: 'Example Shop', verified: true } };
    const rowText = buildRowText(i18next.t.bind(i18next), 'en');
    render(
      withClient(
        fakeClient(),
        <RowTextContext value={rowText}>
          <MessageRow row={{ kind: 'message', message: { ...message('', undefined), kind: 'product', product } }} group={false} peerId="u2" showDay={false} continued={false} today={0} />
          <MessageRow row={{ kind: 'message', message: { ...message('hello', undefined), id: 'm2', seq: 2 } }} group={false} peerId="u2" showDay={false} continued={false} today={0} />
        </RowTextContext>,
      ),
    );
    const [productRow, textRow] = screen.getAllByTestId(TEST_IDS.messageRow);
    const card = productRow?.querySelector(`[data-testid="${TEST_IDS.productCard}"]`);
    expect(card?.querySelector(`[data-testid="${TEST_IDS.messageTime}"]`)).toBeTruthy();
    expect(card?.querySelector(`[data-testid="${TEST_IDS.readMark}"]`)?.textContent).toBe('Unread');
    expect(productRow?.querySelectorAll(`[data-testid="${TEST_IDS.messageTime}"]`)).toHaveLength(1);
    expect(textRow?.querySelector(`.bubble [data-testid="${TEST_IDS.messageTime}"]`)).toBeTruthy();
  });
});
