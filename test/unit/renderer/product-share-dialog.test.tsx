// @vitest-environment jsdom
/**
 * A merchant's product share into several chats, when some of them fail: what went out is said
 * and unticked, and trying again goes only to the others, under the same clientIds, so that a
 * share whose answer was lost is the same card, never a second one.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Conversation, Message, User } from '../../../protocol';
import type { ChatClient } from '../../../renderer/src/client/chat-client';
import { initI18n } from '../../../renderer/src/i18n/i18n';
import { emptyChatState } from '../../../renderer/src/store/chat-state';
import { useChat } from '../../../renderer/src/store/chat-store';
import { ClientContext } from '../../../renderer/src/ui/client-context';
import { ProductShareDialog } from '../../../renderer/src/ui/ProductShareDialog';
import { TEST_IDS } from '../../../renderer/test-ids';
import { contactsOf, direct as directOf, user } from './helpers/people';

const ME = user('me', 'Me');
const ANN = user('ann', 'Ann');
const BO = user('bo', 'Bo');
const direct = (id: string, other: User): Conversation => directOf(ME, id, other);
const URL_ = 'https://jade.example/products/cup';

type Answer = { ok: true; value: { message: Message } } | { ok: false; code: string; message: string };
const card = (conversationId: string, clientId: string): Message => ({
  id: `m-${conversationId}`,
  conversationId,
  seq: 1,
  senderId: ME.id,
  clientId,
  kind: 'product',
  text: URL_,
  createdAt: 1,
  product: { url: URL_, title: 'Cup', merchant: { id: 'jade', name: 'Jade', verified: true } },
});

let shares: { conversationId: string; clientId: string; url: string }[];
let answers: Record<string, Answer[]>;

function showDialog(): void {
  const request = vi.fn(async (event: string, payload: { conversationId: string; clientId: string; url: string }): Promise<Answer> => {
    if (event !== 'products:share') return { ok: false, code: 'network', message: 'not faked' };
    shares.push(payload);
    return answers[payload.conversationId]?.shift() ?? { ok: true, value: { message: card(payload.conversationId, payload.clientId) } };
  });
  render(
    <ClientContext.Provider value={{ request } as unknown as ChatClient}>
      <ProductShareDialog onClose={() => undefined} />
    </ClientContext.Provider>,
  );
}

const dialog = (): HTMLElement => screen.getByTestId(TEST_IDS.productShareDialog);
const target = (conversationId: string): HTMLInputElement => {
  const row = within(dialog())
    .getAllByTestId(TEST_IDS.productShareTarget)
    .find((r) => r.getAttribute('data-conversation-id') === conversationId);
  if (row === undefined) throw new Error(`no target ${conversationId}`);
  return within(row).getByRole('checkbox') as HTMLInputElement;
};
const send = (): HTMLButtonElement => within(dialog()).getByTestId(TEST_IDS.productShareSend) as HTMLButtonElement;

beforeAll(() => {
  localStorage.setItem('wanglai.language', 'en');
  initI18n();
});

beforeEach(() => {
  shares = [];
  answers = {};
  const contacts = contactsOf([ANN, BO]);
  useChat.setState({ ...emptyChatState(), me: ME, conversations: { ann: direct('ann', ANN), bo: direct('bo', BO) }, contacts, contactsLoaded: true, connection: 'online' }, true);
});

afterEach(() => cleanup());

describe('the product share dialog', () => {
  it('says what went out when one chat fails, unticks it, and sends again only to the other, under its first clientId', async () => {
    answers = { bo: [{ ok: false, code: 'network', message: 'the answer was lost' }] };
    showDialog();
    fireEvent.change(within(dialog()).getByTestId(TEST_IDS.productShareUrl), { target: { value: URL_ } });
    fireEvent.click(target('ann'));
    fireEvent.click(target('bo'));
    fireEvent.click(send());

    await waitFor(() => expect(within(dialog()).getByTestId(TEST_IDS.productShareError).textContent).toContain('Bo'));
    expect(within(dialog()).getByTestId(TEST_IDS.productSharePartial).textContent).toBe('Product shared to 1 chat.');
    expect(target('ann').checked).toBe(false);
    expect(target('bo').checked).toBe(true);

    fireEvent.click(send());
    await waitFor(() => expect(within(dialog()).getByTestId(TEST_IDS.productShareDone).textContent).toBe('Product shared to 2 chats.'));
    expect(shares.map((s) => s.conversationId)).toEqual(['ann', 'bo', 'bo']);
    // The retry is the same send as the one whose answer was lost.
    expect(shares[2]?.clientId).toBe(shares[1]?.clientId);
    expect(shares[0]?.clientId).not.toBe(shares[1]?.clientId);
  });

  it('uses a new clientId once the address changed, and drops an error about the old address', async () => {
    answers = { ann: [{ ok: false, code: 'not_verified', message: 'not your shop' }] };
    showDialog();
    const address = within(dialog()).getByTestId(TEST_IDS.productShareUrl);
    fireEvent.change(address, { target: { value: 'https://elsewhere.example/x' } });
    fireEvent.click(target('ann'));
    fireEvent.click(send());
    await waitFor(() => expect(within(dialog()).queryByTestId(TEST_IDS.productShareError)).not.toBeNull());
    expect(within(dialog()).queryByTestId(TEST_IDS.productSharePartial)).toBeNull();

    fireEvent.change(address, { target: { value: URL_ } });
    expect(within(dialog()).queryByTestId(TEST_IDS.productShareError)).toBeNull();
    fireEvent.click(send());
    await waitFor(() => expect(within(dialog()).getByTestId(TEST_IDS.productShareDone)).toBeTruthy());
    expect(shares).toHaveLength(2);
    expect(shares[1]?.clientId).not.toBe(shares[0]?.clientId);
  });

  it('offers no chat with a former contact', () => {
    useChat.setState((s) => ({ ...s, contacts: { ann: { user: ANN, since: 1, online: true } } }));
    showDialog();
    expect(within(dialog()).getAllByTestId(TEST_IDS.productShareTarget).map((r) => r.getAttribute('data-conversation-id'))).toEqual(['ann']);
  });
});
