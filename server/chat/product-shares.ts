/**
 * `products:share` (PROTOCOL.md §3, DESIGN.md §3.8): a merchant's product card, built from a
 * page on its own verified domains and stored as a message of kind `product`. The merchant's
 * status is asked of the verification service at share time, never taken from the copy kept
 * on the user, and that copy is refreshed with the answer.
 */
import { err, ok, parseHttpUrl } from '../../protocol';
import type { ClientEventResults, MerchantRef, Result } from '../../protocol';
import type { ClientPayload } from '../../protocol/schemas';
import type { LinkServices } from '../links/link-services';
import { announceMerchant } from './announce-merchant';
import { announceSent } from './announce-sent';
import type { ChatDeps } from './chat-deps';
import { answerForStored, type MessageWriter } from './message-writer';

type ShareResult = Result<ClientEventResults['products:share']>;

export class ProductShares {
  /** Shares under way by (sender, clientId): a retry that arrives meanwhile waits for the first. */
  private readonly inFlight = new Map<string, Promise<ShareResult>>();

  constructor(
    private readonly deps: ChatDeps,
    private readonly writer: MessageWriter,
    private readonly links: LinkServices,
  ) {}

  share(userId: string, input: ClientPayload<'products:share'>): Promise<ShareResult> {
    const key = `${userId}\n${input.clientId}`;
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const task = this.shareOnce(userId, input).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, task);
    return task;
  }

  private async shareOnce(userId: string, input: ClientPayload<'products:share'>): Promise<ShareResult> {
    const parsed = parseHttpUrl(input.url);
    if (parsed === undefined) return err('invalid_input', 'url must be an http(s) URL');
    // The card and the message carry the URL as parsed: the parser drops tabs, newlines and
    // surrounding controls and percent-encodes the rest (a U+202E in the path reads as %E2%80%AE),
    // so a card's link and its Share text show what will be opened.
    const url = parsed.href;
    const { store } = this.deps;
    // The same rule as messages:send: a clientId already stored answers with its message.
    const existing = store.messageByClientId(userId, input.clientId);
    if (existing !== undefined) {
      // It may be a send committed but not yet on disk: its own ack waits for the sync, and so
      // does this one (acknowledged only once durably stored).
      await this.writer.settled();
      const answer = answerForStored(existing, input.conversationId);
      return answer.ok ? ok({ message: answer.value }) : answer;
    }
    if (store.membership(input.conversationId, userId) === undefined) return err('not_member', 'you are not a member of this conversation');

    const merchant = await this.currentMerchant(userId);
    if (!merchant.ok) return merchant;
    const card = await this.links.productCard(url, merchant.value.id, { owner: userId });
    if (!card.ok) return card;

    const written = await this.writer.write({
      kind: 'product',
      senderId: userId,
      conversationId: input.conversationId,
      clientId: input.clientId,
      text: url,
      product: card.value,
      createdAt: this.deps.now(),
    });
    if (!written.ok) return written;
    announceSent(this.deps, written.value);
    return ok({ message: written.value.message });
  }

  /** The sender's merchant as the verification service knows it now; verified, or an error. */
  private async currentMerchant(userId: string): Promise<Result<MerchantRef>> {
    const { store } = this.deps;
    const linked = store.userById(userId)?.merchant;
    if (linked === undefined) return err('not_merchant', 'your account is not linked to a merchant');
    const fresh = await this.links.merchant(linked.id);
    if (!fresh.ok) {
      // Fail closed: a merchant that cannot be confirmed now is treated as not verified.
      if (fresh.error.code === 'not_found' && linked.verified) {
        store.setUserMerchant(userId, { ...linked, verified: false });
        announceMerchant(this.deps, userId);
      }
      return err('not_verified', fresh.error.code === 'not_found' ? 'the merchant no longer exists' : "the merchant's status could not be confirmed");
    }
    if (fresh.value.name !== linked.name || fresh.value.verified !== linked.verified) {
      store.setUserMerchant(userId, fresh.value);
      announceMerchant(this.deps, userId);
    }
    return fresh.value.verified ? ok(fresh.value) : err('not_verified', 'the merchant is not verified');
  }
}

