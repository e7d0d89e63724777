/**
 * Stored previews are what was verified when the message was sent; a merchant may have been
 * suspended since, or a domain blocklisted. Messages read back from the store (history, sync)
 * show their previews and product cards only as far as today's verdicts still allow: a link no
 * longer verified loses its page fields and takes its current state, a product card whose URL
 * is no longer verified shows its merchant as not verified, without image or price. "When in
 * doubt, show less" (DESIGN.md): an unanswerable verdict downgrades too.
 */
import type { LinkPreview, LinkVerdict, Message, ProductCard } from '../../protocol';

/** The URLs whose verified previews or cards a page of messages shows. */
export function verifiedUrlsOf(messages: readonly Message[]): string[] {
  const urls = new Set<string>();
  for (const message of messages) {
    for (const link of message.links ?? []) if (link.state === 'verified') urls.add(link.url);
    if (message.product?.merchant.verified === true) urls.add(message.product.url);
  }
  return [...urls];
}

function stillVouches(verdict: LinkVerdict | undefined, merchantId: string | undefined): boolean {
  return verdict?.verdict === 'verified' && verdict.merchant?.verified === true && (merchantId === undefined || verdict.merchant.id === merchantId);
}

function downgradedLink(link: LinkPreview, verdict: LinkVerdict | undefined): LinkPreview {
  if (verdict === undefined) return { url: link.url, state: 'unverified', reason: 'verification_unavailable' };
  const reason = verdict.reason !== undefined ? { reason: verdict.reason } : {};
  if (verdict.verdict === 'blocked') {
    return {
      url: link.url,
      state: 'blocked',
      ...reason,
      ...(verdict.imitates !== undefined && verdict.reason === 'lookalike' ? { imitates: verdict.imitates } : {}),
      ...(verdict.merchant !== undefined ? { merchant: verdict.merchant } : {}),
    };
  }
  if (verdict.verdict === 'verified' && verdict.merchant?.verified === true) {
    // Verified, but for another merchant than the preview names: only whose it is now.
    return { url: link.url, state: 'verified', merchant: verdict.merchant, siteName: verdict.merchant.name };
  }
  return { url: link.url, state: 'unverified', ...reason };
}

function downgradedCard(card: ProductCard): ProductCard {
  return { url: card.url, title: card.title, merchant: { ...card.merchant, verified: false } };
}

/** The messages as today's verdicts allow them to be shown; unchanged messages are the same objects. */
export function withCurrentPreviews(messages: readonly Message[], verdicts: ReadonlyMap<string, LinkVerdict>): Message[] {
  return messages.map((message) => {
    let links = message.links;
    if (links?.some((link) => link.state === 'verified' && !stillVouches(verdicts.get(link.url), link.merchant?.id))) {
      links = links.map((link) => (link.state === 'verified' && !stillVouches(verdicts.get(link.url), link.merchant?.id) ? downgradedLink(link, verdicts.get(link.url)) : link));
    }
    const card = message.product;
    const product = card !== undefined && card.merchant.verified && !stillVouches(verdicts.get(card.url), card.merchant.id) ? downgradedCard(card) : card;
    if (links === message.links && product === card) return message;
    return { ...message, ...(links !== undefined ? { links } : {}), ...(product !== undefined ? { product } : {}) };
  });
}
