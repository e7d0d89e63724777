import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOOKALIKE_HOST, DEMO_SHOP_HOST, type DemoShop, startDemoShop } from '../../server/demo/shop-server';
import { type LinkPipeline, createLinkServices } from '../../server/links/link-pipeline';
import { type RunningVerifyServer, startVerifyServer } from '../../server/verify/verify-server';

// The pipeline against the real verification service, so that the two sides of PROTOCOL.md §4
// cannot drift apart unnoticed: the demo shop verified, its lookalike blocked and never fetched.
const ADMIN = 'links-test-admin-token-0123456789';
let dir: string;
let shop: DemoShop;
let verify: RunningVerifyServer;
let pipeline: LinkPipeline;
let merchantId: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-links-real-'));
  shop = await startDemoShop();
  verify = await startVerifyServer({ host: '127.0.0.1', port: 0, dataDir: path.join(dir, 'verify'), adminToken: ADMIN });
  const res = await fetch(`${verify.url}/v1/merchants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: '玉园茶舍 Jade Garden', domains: [DEMO_SHOP_HOST], status: 'verified' }),
  });
  expect(res.status).toBe(201);
  merchantId = ((await res.json()) as { merchant: { id: string } }).merchant.id;
  pipeline = createLinkServices({ verifyUrl: verify.url, dataDir: path.join(dir, 'chat'), allowHttp: true, resolve: shop.resolve });
});
afterAll(async () => {
  await pipeline.close();
  await Promise.all([verify.close(), shop.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('link pipeline with the real verification service', () => {
  it('previews the verified shop and blocks its lookalike without fetching it', async () => {
    const merchant = { id: merchantId, name: '玉园茶舍 Jade Garden', verified: true };
    const previews = await pipeline.services.preview([
      `http://${DEMO_SHOP_HOST}/products/jade-teapot`,
      `http://${DEMO_LOOKALIKE_HOST}/lookalike/jade-teapot`,
      'http://unknown-shop.example/',
    ]);
    expect(previews[0]).toMatchObject({ state: 'verified', merchant, siteName: merchant.name, product: { price: '268.00', currency: 'CNY' } });
    expect(previews[1]).toMatchObject({ state: 'blocked', reason: 'lookalike' });
    expect(previews[2]).toMatchObject({ state: 'unverified' });
    expect(shop.requests.filter((r) => r.host !== DEMO_SHOP_HOST)).toEqual([]);
    expect(await pipeline.services.productCard(`http://${DEMO_SHOP_HOST}/products/silk-scarf`, merchantId)).toMatchObject({
      ok: true,
      value: { title: 'Hangzhou Silk Scarf — mulberry silk', price: '459', currency: 'CNY', merchant },
    });
    expect(await pipeline.services.merchant(merchantId)).toEqual({ ok: true, value: merchant });
  });

  it('answers a verdict as the service does for every URL that parses: a host of dots, a URL of 9,000 characters', async () => {
    const long = `http://${DEMO_SHOP_HOST}/products/${'x'.repeat(9000)}`;
    for (const [url, verdict] of [['https://./', 'unverified'], ['https://../', 'unverified'], [long, 'verified']] as const) {
      const own = await fetch(`${verify.url}/v1/verdict?url=${encodeURIComponent(url)}`);
      expect(own.status).toBe(200);
      expect(await own.json()).toMatchObject({ url, verdict });
      expect(await pipeline.services.verdict(url)).toMatchObject({ ok: true, value: { url, verdict } });
    }
    expect(await pipeline.services.verdict('ftp://shop.example/')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await pipeline.services.verdict(`http://${DEMO_SHOP_HOST}/`)).toMatchObject({ ok: true, value: { verdict: 'verified' } });
  });

  it('gives the service’s verdict for a URL holding a lone surrogate, and for a host of over 300 characters', async () => {
    const blocked = await fetch(`${verify.url}/v1/blocklist`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'phish-surrogate.example', reason: 'test' }),
    });
    expect(blocked.status).toBe(201);
    const lone = 'https://phish-surrogate.example/\ud800';
    expect(await pipeline.services.verdict(lone)).toMatchObject({ ok: true, value: { url: lone, verdict: 'blocked', reason: 'phishing' } });
    const longHost = `https://${Array.from({ length: 6 }, () => 'a'.repeat(55)).join('.')}.phish-surrogate.example/`;
    expect(await pipeline.services.verdict(longHost)).toMatchObject({ ok: true, value: { verdict: 'blocked', reason: 'phishing', registrableDomain: 'phish-surrogate.example' } });
    const underShop = `http://${Array.from({ length: 6 }, () => 'b'.repeat(55)).join('.')}.${DEMO_SHOP_HOST}/`;
    expect(await pipeline.services.verdict(underShop)).toMatchObject({ ok: true, value: { verdict: 'verified', merchant: { id: merchantId } } });
  });
});
