/**
 * The safe fetcher's slots under the DoS audit's load, through the whole pipeline: several
 * senders' previews of pages that hang (held by the demo shop until the test lets them go)
 * must not keep another sender's preview from a slot.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LinkPreview } from '../../protocol';
import { type DemoShop, startDemoShop } from '../../server/demo/shop-server';
import { type LinkPipeline, type LinkPipelineOptions, createLinkServices } from '../../server/links/link-pipeline';
import { type FakeVerify, startFakeVerify } from './links-fake-verify';

const HOSTS = ['jade-garden.shop', 'www.jade-garden.shop', 'other-verified.shop'];
const JADE = 'http://jade-garden.shop';
const OTHER = 'http://other-verified.shop';

let shop: DemoShop;
let verify: FakeVerify;
let dataDir: string;
const pipelines: LinkPipeline[] = [];
const pending: Array<Promise<unknown>> = [];

beforeAll(async () => {
  [shop, verify] = await Promise.all([startDemoShop(), startFakeVerify()]);
});
afterAll(async () => {
  await Promise.all([shop.close(), verify.close()]);
});
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-fair-'));
});
afterEach(async () => {
  await Promise.all(pipelines.splice(0).map((p) => p.close()));
  shop.releaseHeld();
  await Promise.all(pending.splice(0));
  await rm(dataDir, { recursive: true, force: true });
});

function pipeline(extra: Partial<LinkPipelineOptions> = {}): LinkPipeline {
  const p = createLinkServices({
    verifyUrl: verify.url,
    dataDir,
    allowHttp: true,
    resolve: HOSTS.map((h) => `${h}:80=127.0.0.1:${shop.port}`).join(','),
    verifyTimeoutMs: 1000,
    fetchTotalTimeoutMs: 20_000,
    ...extra,
  });
  pipelines.push(p);
  return p;
}

let batch = 0;
/** Senders s0…s(n-1), each with one message of 3 links to pages that hang until released. */
function attack(p: LinkPipeline, senders: number, site = JADE): void {
  batch++;
  for (let s = 0; s < senders; s++) {
    const urls = [0, 1, 2].map((n) => `${site}/hostile/held?b=${batch}&s=${s}&n=${n}`);
    pending.push(p.services.preview(urls, { owner: `attacker-${s}` }));
  }
}

function tracked<T>(promise: Promise<T>): { promise: Promise<T>; done: () => boolean } {
  let settled = false;
  const wrapped = promise.finally(() => (settled = true));
  return { promise: wrapped, done: () => settled };
}

describe('fetch slots shared fairly across senders', () => {
  it('six senders hanging on one site hold its 2 slots only: another sender on another site is served at once', async () => {
    const p = pipeline();
    attack(p, 6);
    await expect.poll(() => p.fetchSlots()).toEqual({ running: 2, waiting: 16 });

    const [preview] = await p.services.preview([`${OTHER}/products/jade-teapot?honest`], { owner: 'honest' });
    expect(preview?.title).toBe('青玉茶壶 Celadon Jade Teapot');
    expect(preview?.image).toMatch(/^\/api\/v1\/media\/[0-9a-f]{64}$/);
    const card = await p.services.productCard(`${OTHER}/products/tea-sampler?honest`, 'm-other', { owner: 'honest' });
    expect(card).toMatchObject({ ok: true, value: { price: '88', currency: 'CNY' } });
    expect(card.ok && card.value.image).toMatch(/^\/api\/v1\/media\//);
    // Nothing of the attack was let go, and it still waits.
    expect(shop.heldPeak).toBe(2);
    expect(p.fetchSlots()).toEqual({ running: 2, waiting: 16 });
  });

  it('a sender arriving behind six senders queued on the same site gets a slot after one fetch per sender ahead, not after all their fetches', async () => {
    const p = pipeline();
    const mark = shop.requestsTo('/hostile/held').length;
    attack(p, 6);
    await expect.poll(() => p.fetchSlots()).toEqual({ running: 2, waiting: 16 });
    const honest = tracked(p.services.preview([`${JADE}/?honest-behind`], { owner: 'honest' }));
    await expect.poll(() => p.fetchSlots().waiting).toBe(17);

    let released = 0;
    let releases = 0;
    while (!honest.done()) {
      // Each round lets the 2 held pages go; the site's 2 slots pass to the next two fetches.
      await expect.poll(() => honest.done() || shop.requestsTo('/hostile/held').length - mark - released === 2, { timeout: 5000 }).toBe(true);
      if (honest.done()) break;
      released += shop.releaseHeld();
      releases++;
    }
    const [preview] = await honest.promise;
    expect(preview?.title).toBe('玉园茶舍 Jade Garden Tea House');
    // Senders s0 (2 running, 1 waiting) and s1..s5 (3 waiting each) were ahead: round-robin gave
    // the slots to s1..s5 once each and then to this sender, in the 3rd round. First come first
    // served would have needed 9 rounds, all 16 of their fetches first.
    expect(releases).toBe(3);
    // 17 waited; 6 were served (s1..s5 and this sender), and this sender's slot, freed, went to one more.
    expect(p.fetchSlots().waiting).toBe(10);
  });

  it('a fetch that waits past the wait deadline fails as busy, and the preview is not vouched for (not_checked)', async () => {
    const p = pipeline({ fetchQueueWaitMs: 300 });
    attack(p, 1);
    await expect.poll(() => p.fetchSlots()).toEqual({ running: 2, waiting: 1 });
    const started = Date.now();
    const previews = await p.services.preview([`${JADE}/products/jade-teapot?waits`], { owner: 'honest' });
    expect(previews).toEqual<LinkPreview[]>([{ url: `${JADE}/products/jade-teapot?waits`, state: 'unverified', reason: 'not_checked' }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5000);
    // The attacker's third fetch gave up the same way: nothing waits any more.
    expect(p.fetchSlots()).toEqual({ running: 2, waiting: 0 });
  });
});
