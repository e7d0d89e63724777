import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LinkPreview } from '../../protocol';
import { type DemoShop, startDemoShop } from '../../server/demo/shop-server';
import { type LinkPipeline, type LinkPipelineOptions, LinkConfigError, createLinkServices } from '../../server/links/link-pipeline';
import { type FakeVerify, startFakeVerify } from './links-fake-verify';

const HOSTS = [
  'jade-garden.shop', 'www.jade-garden.shop', 'jade-garden-secure.shop', 'other.shop', 'suspended.shop', 'hang.shop',
  'error.shop', 'garbage.shop', 'no-merchant.shop', 'other-verified.shop',
];
const JADE = 'http://jade-garden.shop';
const JADE_MERCHANT = { id: 'm-jade', name: '玉园茶舍 Jade Garden', verified: true };

let shop: DemoShop;
let verify: FakeVerify;
let dataDir: string;
const pipelines: LinkPipeline[] = [];

beforeAll(async () => {
  [shop, verify] = await Promise.all([startDemoShop(), startFakeVerify()]);
});
afterAll(async () => {
  await Promise.all([shop.close(), verify.close()]);
});
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-links-'));
});
afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.close()));
  await rm(dataDir, { recursive: true, force: true });
});

function pipeline(extra: Partial<LinkPipelineOptions> = {}): LinkPipeline {
  const p = createLinkServices({
    verifyUrl: verify.url,
    dataDir,
    allowHttp: true,
    resolve: HOSTS.map((h) => `${h}:80=127.0.0.1:${shop.port}`).join(','),
    verifyTimeoutMs: 500,
    fetchTotalTimeoutMs: 2000,
    ...extra,
  });
  pipelines.push(p);
  return p;
}

/** Requests the shop received for a host, since a mark. */
const hostRequests = (host: string, since = 0) => shop.requests.slice(since).filter((r) => r.host === host);

async function getMedia(p: LinkPipeline, url: string): Promise<{ status: number; type: string | null; nosniff: string | null }> {
  const server = http.createServer((req, res) => p.media(req, res, (req.url ?? '').replace('/api/v1/media/', '')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${url}`);
    await res.arrayBuffer();
    return { status: res.status, type: res.headers.get('content-type'), nosniff: res.headers.get('x-content-type-options') };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('previews of verified links', () => {
  it('builds a product preview with the stored image and the merchant name from the verifier', async () => {
    const p = pipeline();
    const [preview] = await p.services.preview([`${JADE}/products/jade-teapot`]);
    expect(preview).toMatchObject({
      url: `${JADE}/products/jade-teapot`,
      state: 'verified',
      title: '青玉茶壶 Celadon Jade Teapot',
      description: '手工青瓷茶壶，容量 300 毫升。Handmade celadon teapot, 300 ml.',
      siteName: JADE_MERCHANT.name,
      merchant: JADE_MERCHANT,
      product: { url: `${JADE}/products/jade-teapot`, title: '青玉茶壶 Celadon Jade Teapot', price: '268.00', currency: 'CNY', merchant: JADE_MERCHANT },
    });
    expect(preview?.image).toMatch(/^\/api\/v1\/media\/[0-9a-f]{64}$/);
    expect(preview?.product?.image).toBe(preview?.image);
    expect(await getMedia(p, preview?.image ?? '')).toEqual({ status: 200, type: 'image/png', nosniff: 'nosniff' });
  });

  it('ignores the og:site_name a page claims', async () => {
    const p = pipeline();
    const [preview] = await p.services.preview([`${JADE}/products/tea-sampler`]);
    expect(preview?.siteName).toBe(JADE_MERCHANT.name);
    expect(JSON.stringify(preview)).not.toContain('Totally Official');
    expect(preview?.product).toMatchObject({ price: '88', currency: 'CNY' });
    expect(await getMedia(p, preview?.image ?? '')).toMatchObject({ status: 200, type: 'image/gif' });
  });

  it('reads @graph JSON-LD and fetches a scheme-relative og:image through the same checks', async () => {
    const [preview] = await pipeline().services.preview([`${JADE}/products/silk-scarf`]);
    expect(preview?.title).toBe('Hangzhou Silk Scarf — mulberry silk');
    expect(preview?.product).toMatchObject({ price: '459', currency: 'CNY' });
    expect(preview?.image).toMatch(/^\/api\/v1\/media\/[0-9a-f]{64}$/);
  });

  it('reads an AggregateOffer and stores a JPEG named only in JSON-LD', async () => {
    const p = pipeline();
    const [preview] = await p.services.preview([`${JADE}/products/celadon-cup`]);
    expect(preview).toMatchObject({ title: 'Celadon Tea Cup, set of two', product: { price: '128.50', currency: 'CNY' } });
    expect(await getMedia(p, preview?.image ?? '')).toMatchObject({ status: 200, type: 'image/jpeg' });
  });

  it('keeps a plain page without a product', async () => {
    const [preview] = await pipeline().services.preview([`${JADE}/`]);
    expect(preview).toMatchObject({ state: 'verified', title: '玉园茶舍 Jade Garden Tea House' });
    expect(preview?.product).toBeUndefined();
  });

  it.each(['/hostile/svg-image-page', '/hostile/big-image-page', '/hostile/fake-png-page', '/hostile/private-image-page'])(
    'drops a hostile image: %s',
    async (pagePath) => {
      const [preview] = await pipeline().services.preview([`${JADE}${pagePath}`]);
      expect(preview?.state).toBe('verified');
      expect(preview?.title).toBeTruthy();
      expect(preview?.image).toBeUndefined();
    },
  );

  // Where a browser opening it would land is unknown (a red team made a 404 with a meta refresh,
  // and an open redirect nested past the redirect limit, into verified cards that landed on a
  // phishing page): not vouched for.
  it.each(['/hostile/wrong-type', '/hostile/not-found', '/hostile/loop-a', '/hostile/redirect/5'])(
    'a verified link whose page cannot be read is not shown as the merchant’s: %s',
    async (pagePath) => {
      const [preview] = await pipeline().services.preview([`${JADE}${pagePath}`]);
      expect(preview).toEqual({ url: `${JADE}${pagePath}`, state: 'unverified', reason: 'not_checked' });
    },
  );

  it('reads a page cut at the size cap as far as it goes', async () => {
    const [preview] = await pipeline().services.preview([`${JADE}/hostile/endless`]);
    expect(preview).toMatchObject({ url: `${JADE}/hostile/endless`, state: 'verified', merchant: JADE_MERCHANT });
  });

  it('does not follow a verified page redirecting to a lookalike, and shows the link as the lookalike it leads to', async () => {
    const mark = shop.requests.length;
    const [preview] = await pipeline().services.preview([`${JADE}/hostile/to-lookalike`]);
    // The verdict is for the final URL (DESIGN.md §3): a browser opening the link lands there.
    expect(preview).toEqual({ url: `${JADE}/hostile/to-lookalike`, state: 'blocked', reason: 'lookalike', imitates: 'jade-garden.shop' });
    expect(hostRequests('jade-garden-secure.shop', mark)).toEqual([]);
  });

  it('shows a verified link redirecting off its merchant to an address not blocked as unverified, never as the merchant’s', async () => {
    for (const pagePath of ['/hostile/to-metadata', '/hostile/to-loopback', '/hostile/to-private-name']) {
      const [preview] = await pipeline().services.preview([`${JADE}${pagePath}`]);
      expect(preview).toEqual({ url: `${JADE}${pagePath}`, state: 'unverified', reason: 'redirects_elsewhere' });
    }
  });

  it('follows a redirect within the same merchant', async () => {
    const [preview] = await pipeline().services.preview([`${JADE}/hostile/redirect/2`]);
    expect(preview?.title).toBe('青玉茶壶 Celadon Jade Teapot');
  });

  it('never fetches plain http unless allowed, and then does not vouch for a page it never saw', async () => {
    const mark = shop.requests.length;
    const [preview] = await pipeline({ allowHttp: false }).services.preview([`${JADE}/products/jade-teapot`]);
    // Where a browser opening it would land is unknown: not shown as the merchant's.
    expect(preview).toEqual({ url: `${JADE}/products/jade-teapot`, state: 'unverified', reason: 'not_checked' });
    expect(shop.requests.length).toBe(mark);
  });

  it('does not vouch for a verified link whose page it did not fetch (a sender’s backlog)', async () => {
    const mark = shop.requests.length;
    const [preview] = await pipeline().services.preview([`${JADE}/hostile/to-lookalike?next=1`], { fetchPages: false });
    expect(preview).toEqual({ url: `${JADE}/hostile/to-lookalike?next=1`, state: 'unverified', reason: 'not_checked' });
    expect(hostRequests('jade-garden.shop', mark)).toEqual([]);
  });

  it.each(['/hostile/meta-refresh-to-lookalike', '/hostile/refresh-header-to-lookalike'])(
    'treats a refresh to another site as the redirect a browser follows: %s is shown as the lookalike it leads to, with no card',
    async (pagePath) => {
      const mark = shop.requests.length;
      const [preview] = await pipeline().services.preview([`${JADE}${pagePath}`]);
      expect(preview).toEqual({ url: `${JADE}${pagePath}`, state: 'blocked', reason: 'lookalike', imitates: 'jade-garden.shop' });
      expect(hostRequests('jade-garden-secure.shop', mark)).toEqual([]);
      // Nor does a merchant get a product card from it.
      const card = await pipeline().services.productCard(`${JADE}${pagePath}`, JADE_MERCHANT.id);
      expect(card).toMatchObject({ ok: false, error: { code: 'preview_failed' } });
    },
  );

  it('keeps the card of a page whose refresh stays within the merchant', async () => {
    const [preview] = await pipeline().services.preview([`${JADE}/hostile/meta-refresh-in-shop`]);
    expect(preview).toMatchObject({ state: 'verified', title: 'Moved within the shop', merchant: JADE_MERCHANT });
  });

  it.each(['/hostile/blocked-image-page', '/hostile/image-to-blocked-page'])('never fetches an image from a blocked host, nor follows an image redirect there: %s', async (pagePath) => {
    const mark = shop.requests.length;
    const [preview] = await pipeline().services.preview([`${JADE}${pagePath}`]);
    expect(preview?.state).toBe('verified');
    expect(preview?.title).toBeTruthy();
    expect(preview?.image).toBeUndefined();
    expect(hostRequests('jade-garden-secure.shop', mark)).toEqual([]);
  });
});

describe('links that are not verified are never fetched', () => {
  it.each<[string, LinkPreview]>([
    ['http://other.shop/products/jade-teapot', { url: 'http://other.shop/products/jade-teapot', state: 'unverified' }],
    ['http://jade-garden-secure.shop/lookalike/jade-teapot', { url: 'http://jade-garden-secure.shop/lookalike/jade-teapot', state: 'blocked', reason: 'lookalike', imitates: 'jade-garden.shop' }],
    ['http://suspended.shop/', { url: 'http://suspended.shop/', state: 'blocked', reason: 'suspended', merchant: { id: 'm-gone', name: 'Suspended Teas', verified: false } }],
    ['http://error.shop/', { url: 'http://error.shop/', state: 'unverified', reason: 'verification_unavailable' }],
    ['http://garbage.shop/', { url: 'http://garbage.shop/', state: 'unverified', reason: 'verification_unavailable' }],
    ['http://no-merchant.shop/', { url: 'http://no-merchant.shop/', state: 'unverified', reason: 'verification_unavailable' }],
  ])('%s', async (url, expected) => {
    const mark = shop.requests.length;
    expect(await pipeline().services.preview([url])).toEqual([expected]);
    expect(shop.requests.length).toBe(mark);
  });

  it('fails closed, within its timeout, when the verifier hangs', async () => {
    const mark = shop.requests.length;
    const started = Date.now();
    const previews = await pipeline({ verifyTimeoutMs: 300 }).services.preview(['http://hang.shop/products/jade-teapot']);
    expect(previews).toEqual([{ url: 'http://hang.shop/products/jade-teapot', state: 'unverified', reason: 'verification_unavailable' }]);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(shop.requests.length).toBe(mark);
  });

  it('fails closed when the verifier is not there at all', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((r) => closed.close(r));
    const mark = shop.requests.length;
    const p = pipeline({ verifyUrl: deadUrl });
    expect(await p.services.preview([`${JADE}/products/jade-teapot`])).toEqual([
      { url: `${JADE}/products/jade-teapot`, state: 'unverified', reason: 'verification_unavailable' },
    ]);
    expect(await p.services.productCard(`${JADE}/products/jade-teapot`, 'm-jade')).toMatchObject({ ok: false, error: { code: 'not_verified' } });
    expect(shop.requests.length).toBe(mark);
  });

  it('mixes states in one message, in order, asking the verifier once', async () => {
    const mark = verify.requests.length;
    const urls = [`${JADE}/products/jade-teapot`, 'http://other.shop/x', 'http://jade-garden-secure.shop/lookalike/jade-teapot'];
    const previews = await pipeline().services.preview(urls);
    expect(previews.map((p) => p.state)).toEqual(['verified', 'unverified', 'blocked']);
    expect(verify.requests.slice(mark).filter((r) => r.includes('verdict'))).toEqual(['POST /v1/verdicts']);
  });
});

describe('load and hostile sites', () => {
  it('fetches one URL once when many messages carry it at the same time', async () => {
    const p = pipeline();
    const url = `${JADE}/products/silk-scarf?burst`;
    const mark = shop.requests.length;
    const all = await Promise.all(Array.from({ length: 12 }, () => p.services.preview([url])));
    expect(new Set(all.map((r) => r[0]?.title))).toEqual(new Set(['Hangzhou Silk Scarf — mulberry silk']));
    expect(shop.requests.slice(mark).filter((r) => r.path === '/products/silk-scarf?burst')).toHaveLength(1);
    expect(shop.requests.slice(mark).filter((r) => r.path === '/images/scarf.png')).toHaveLength(1);
  });

  it('holds the global cap on concurrent fetches', async () => {
    const p = pipeline({ maxConcurrentFetches: 2, fetchTotalTimeoutMs: 10_000 });
    const mark = shop.requestsTo('/hostile/held').length;
    const urls = Array.from({ length: 6 }, (_, i) => `${JADE}/hostile/held?n=${i}`);
    let done = false;
    const all = Promise.all(urls.map((u) => p.services.preview([u]))).finally(() => (done = true));
    let released = 0;
    while (!done) {
      await expect.poll(() => done || shop.requestsTo('/hostile/held').length - mark > released, { timeout: 5000 }).toBe(true);
      released += shop.releaseHeld();
    }
    const previews = await all;
    expect(previews.map((r) => r[0]?.title)).toEqual(Array(6).fill('released'));
    expect(released).toBe(6);
    expect(shop.heldPeak).toBe(2);
  });

  it('a site that never answers does not hold other previews beyond its deadline', async () => {
    const p = pipeline({ fetchTotalTimeoutMs: 1000 });
    const started = Date.now();
    let slowDone = 0;
    const slow = p.services.preview([`${JADE}/hostile/slow?hold`, `${JADE}/hostile/slow-body?hold`]).then((r) => {
      slowDone = Date.now();
      return r;
    });
    // Another site: the hanging one holds its own 2 slots (the per-site cap), not this one's.
    const fast = await p.services.preview([`http://other-verified.shop/products/jade-teapot?beside-slow`]);
    const fastDone = Date.now();
    expect(fast[0]?.title).toBe('青玉茶壶 Celadon Jade Teapot');
    expect(slowDone).toBe(0);
    expect(fastDone - started).toBeLessThan(900);
    const slowPreviews = await slow;
    expect(slowPreviews.map((r) => r.title)).toEqual([undefined, undefined]);
    expect(slowDone - started).toBeGreaterThanOrEqual(950);
    expect(slowDone - started).toBeLessThan(2500);
  });
});

describe('verdicts, merchants, product cards', () => {
  it('answers a fresh verdict each time, invalid_input for what is not http(s)', async () => {
    const p = pipeline();
    const mark = verify.requests.length;
    expect(await p.services.verdict(`${JADE}/x`)).toMatchObject({ ok: true, value: { verdict: 'verified', merchant: JADE_MERCHANT } });
    await p.services.verdict(`${JADE}/x`);
    expect(verify.requests.length - mark).toBe(2);
    for (const bad of ['ftp://jade-garden.shop/', 'nonsense', 'javascript:alert(1)', '']) {
      expect(await p.services.verdict(bad)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(await p.services.verdict('http://hang.shop/')).toEqual({ ok: true, value: { url: 'http://hang.shop/', verdict: 'unverified', reason: 'verification_unavailable' } });
  });

  it('gives merchants as the verifier knows them', async () => {
    const p = pipeline();
    expect(await p.services.merchant('m-jade')).toEqual({ ok: true, value: JADE_MERCHANT });
    expect(await p.services.merchant('m-gone')).toEqual({ ok: true, value: { id: 'm-gone', name: 'Suspended Teas', verified: false } });
    expect(await p.services.merchant('nobody')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('builds a product card for a verified merchant on its own domain', async () => {
    const result = await pipeline().services.productCard(`${JADE}/products/jade-teapot`, 'm-jade');
    expect(result).toMatchObject({ ok: true, value: { title: '青玉茶壶 Celadon Jade Teapot', price: '268.00', currency: 'CNY', merchant: JADE_MERCHANT } });
    expect(result.ok && result.value.image).toMatch(/^\/api\/v1\/media\//);
  });

  it.each([
    [`${JADE}/products/jade-teapot`, 'm-gone', 'not_verified'],
    [`${JADE}/products/jade-teapot`, 'nobody', 'not_verified'],
    [`${JADE}/products/jade-teapot`, 'm-other', 'not_verified'],
    ['http://jade-garden-secure.shop/lookalike/jade-teapot', 'm-jade', 'not_verified'],
    ['http://other.shop/products/jade-teapot', 'm-jade', 'not_verified'],
    ['http://hang.shop/products/jade-teapot', 'm-jade', 'not_verified'],
    ['ftp://jade-garden.shop/x', 'm-jade', 'invalid_input'],
  ])('refuses %s for %s: %s, without fetching', async (url, merchantId, code) => {
    const mark = shop.requests.length;
    expect(await pipeline({ verifyTimeoutMs: 300 }).services.productCard(url, merchantId)).toMatchObject({ ok: false, error: { code } });
    expect(shop.requests.length).toBe(mark);
  });

  it.each(['/hostile/endless', '/hostile/not-found', '/hostile/to-loopback'])('answers preview_failed when the page cannot give a card: %s', async (pagePath) => {
    expect(await pipeline().services.productCard(`${JADE}${pagePath}`, 'm-jade')).toMatchObject({ ok: false, error: { code: 'preview_failed' } });
  });
});

describe('configuration', () => {
  it('refuses a bad WANGLAI_PREVIEW_RESOLVE at start, naming the entry', () => {
    expect(() => createLinkServices({ verifyUrl: verify.url, dataDir, allowHttp: false, resolve: 'good.test:80=127.0.0.1:1,bad.test:80=nowhere:1' })).toThrow(
      LinkConfigError,
    );
    expect(() => createLinkServices({ verifyUrl: verify.url, dataDir, allowHttp: false, resolve: 'bad.test:80=nowhere:1' })).toThrow(/bad\.test:80=nowhere:1/);
  });

  it('extracts at most three links and none from bidi text', () => {
    const { services } = pipeline();
    expect(services.extract('jade-garden.shop/a https://b.shop https://c.shop https://d.shop')).toEqual(['https://jade-garden.shop/a', 'https://b.shop/', 'https://c.shop/']);
    expect(services.extract('https://jade-garden.shop \u202e')).toEqual([]);
  });
});
