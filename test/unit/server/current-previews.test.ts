import { describe, expect, it } from 'vitest';
import type { LinkPreview, LinkVerdict, Message } from '../../../protocol';
import { verifiedUrlsOf, withCurrentPreviews } from '../../../server/chat/current-previews';

const shop = { id: 'm1', name: 'Shop', verified: true };
const other = { id: 'm2', name: 'Other', verified: true };
const page: LinkPreview = { url: 'https://shop.example/a', state: 'verified', merchant: shop, siteName: 'Shop', title: 'A', description: 'd', image: '/api/v1/media/x' };

function message(seq: number, extra: Partial<Message>): Message {
  return { id: `m${seq}`, conversationId: 'c', seq, senderId: 'u', clientId: `client-${seq}`, kind: 'text', text: '', createdAt: seq, ...extra };
}

const verdicts = (...list: LinkVerdict[]) => new Map(list.map((v) => [v.url, v]));

describe('stored previews against today’s verdicts', () => {
  const messages = [
    message(1, { links: [page, { url: 'https://x.example/', state: 'unverified' }] }),
    message(2, { kind: 'product', product: { url: 'https://shop.example/p', title: 'P', price: '1.00', currency: 'CNY', image: '/api/v1/media/y', merchant: shop } }),
    message(3, { text: 'plain' }),
  ];

  it('asks only for the URLs of verified previews and cards', () => {
    expect(verifiedUrlsOf(messages)).toEqual(['https://shop.example/a', 'https://shop.example/p']);
  });

  it('leaves messages whose verdicts still vouch for them as they are, the same objects', () => {
    const current = withCurrentPreviews(messages, verdicts({ url: 'https://shop.example/a', verdict: 'verified', merchant: shop }, { url: 'https://shop.example/p', verdict: 'verified', merchant: shop }));
    current.forEach((m, i) => expect(m).toBe(messages[i]));
  });

  it('shows a link blocked since as blocked, without its page, and a card without badge, image or price', () => {
    const suspended = { ...shop, verified: false };
    const current = withCurrentPreviews(
      messages,
      verdicts({ url: 'https://shop.example/a', verdict: 'blocked', reason: 'suspended', merchant: suspended }, { url: 'https://shop.example/p', verdict: 'blocked', reason: 'suspended', merchant: suspended }),
    );
    expect(current[0]?.links).toEqual([{ url: 'https://shop.example/a', state: 'blocked', reason: 'suspended', merchant: suspended }, { url: 'https://x.example/', state: 'unverified' }]);
    expect(current[1]?.product).toEqual({ url: 'https://shop.example/p', title: 'P', merchant: suspended });
    expect(current[2]).toBe(messages[2]);
  });

  it('fails closed: no verdict, an unanswerable one or another merchant’s shows less', () => {
    expect(withCurrentPreviews(messages.slice(0, 1), new Map())[0]?.links?.[0]).toEqual({ url: 'https://shop.example/a', state: 'unverified', reason: 'verification_unavailable' });
    const unavailable = withCurrentPreviews(messages.slice(0, 1), verdicts({ url: 'https://shop.example/a', verdict: 'unverified', reason: 'verification_unavailable' }));
    expect(unavailable[0]?.links?.[0]).toEqual({ url: 'https://shop.example/a', state: 'unverified', reason: 'verification_unavailable' });
    const moved = withCurrentPreviews(messages, verdicts({ url: 'https://shop.example/a', verdict: 'verified', merchant: other }, { url: 'https://shop.example/p', verdict: 'verified', merchant: other }));
    expect(moved[0]?.links?.[0]).toEqual({ url: 'https://shop.example/a', state: 'verified', merchant: other, siteName: 'Other' });
    expect(moved[1]?.product?.merchant).toEqual({ ...shop, verified: false });
    const lookalike = withCurrentPreviews(messages.slice(0, 1), verdicts({ url: 'https://shop.example/a', verdict: 'blocked', reason: 'lookalike', imitates: 'shop.com' }));
    expect(lookalike[0]?.links?.[0]).toEqual({ url: 'https://shop.example/a', state: 'blocked', reason: 'lookalike', imitates: 'shop.com' });
  });
});
