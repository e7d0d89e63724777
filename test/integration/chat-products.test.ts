import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantStatus, User } from '../../protocol';
import type { ChatServerOptions } from '../../server/chat-server';
import { DEMO_LOOKALIKE_HOST, DEMO_SHOP_HOST, type DemoShop, startDemoShop } from '../../server/demo/shop-server';
import { type LinkPipeline, type LinkPipelineOptions, createLinkServices } from '../../server/links/link-pipeline';
import { type RunningVerifyServer, startVerifyServer } from '../../server/verify/verify-server';
import { TEST_ADMIN_TOKEN, makeTempDir } from './helpers/chat-server';
import { type ChatWorld, type TestUser, createChatWorld } from './helpers/chat-world';
import { closeHttpServer, http as request } from './helpers/http';
import { call, emitAck, emitRawAck, recordEvents, waitForEvent } from './helpers/sockets';

// products:share through the real parts: chat server, verification service, link pipeline and
// the demo shop, plus a second small shop serving a page without a title.
const VERIFY_ADMIN = 'products-test-verify-admin-0123456789';
const JADE = { name: '玉园茶舍 Jade Garden', domain: DEMO_SHOP_HOST };
const TEAPOT_URL = `http://${DEMO_SHOP_HOST}/products/jade-teapot`;
const OTHER_SHOP_HOSTS = ['plain-goods.shop', 'lotus-silk.shop', 'orchid-tea.shop', 'pending-tea.shop'] as const;

interface OtherShop {
  resolve: string;
  close(): Promise<void>;
}

/** `/untitled` answers a page with no title anywhere; any other path a small titled product page. */
async function startOtherShop(): Promise<OtherShop> {
  const server = http.createServer((req, res) => {
    const body =
      req.url === '/untitled'
        ? '<!doctype html><html><head><meta charset="utf-8"></head><body><p>no title here</p></body></html>'
        : '<!doctype html><html><head><meta charset="utf-8"><title>Lotus silk scarf</title></head><body></body></html>';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    resolve: OTHER_SHOP_HOSTS.map((host) => `${host}:80=127.0.0.1:${port}`).join(','),
    close: () => closeHttpServer(server),
  };
}

interface ProductStack {
  world: ChatWorld;
  verify: RunningVerifyServer;
  shop: DemoShop;
  pipeline: LinkPipeline;
  createMerchant(name: string, domains: string[], status: MerchantStatus): Promise<string>;
  setStatus(merchantId: string, status: MerchantStatus): Promise<void>;
  patchMerchant(merchantId: string, fields: { name?: string; status?: MerchantStatus }): Promise<void>;
  /** A new user linked to the merchant through POST /api/v1/admin/merchant-links. */
  merchantUser(merchantId: string): Promise<TestUser>;
  me(user: TestUser): Promise<User>;
  close(): Promise<void>;
}

async function startProductStack(pipelineOptions: Partial<LinkPipelineOptions> = {}, chatOptions: Partial<ChatServerOptions> = {}): Promise<ProductStack> {
  const dir = await makeTempDir('wanglai-products-');
  const shop = await startDemoShop();
  const other = await startOtherShop();
  const verify = await startVerifyServer({ host: '127.0.0.1', port: 0, dataDir: path.join(dir, 'verify'), adminToken: VERIFY_ADMIN });
  const pipeline = createLinkServices({ verifyUrl: verify.url, dataDir: path.join(dir, 'links'), allowHttp: true, resolve: `${shop.resolve},${other.resolve}`, ...pipelineOptions });
  const world = await createChatWorld({ links: pipeline.services, media: pipeline.media, ...chatOptions });

  const admin = async (method: string, route: string, body: unknown): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${verify.url}${route}`, { method, headers: { authorization: `Bearer ${VERIFY_ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const stack: ProductStack = {
    world,
    verify,
    shop,
    pipeline,
    async createMerchant(name, domains, status) {
      const created = await admin('POST', '/v1/merchants', { name, domains, status });
      if (created.status !== 201) throw new Error(`creating merchant ${name}: ${created.status} ${JSON.stringify(created.body)}`);
      return (created.body as { merchant: { id: string } }).merchant.id;
    },
    async setStatus(merchantId, status) {
      await stack.patchMerchant(merchantId, { status });
    },
    async patchMerchant(merchantId, fields) {
      const patched = await admin('PATCH', `/v1/merchants/${merchantId}`, fields);
      if (patched.status !== 200) throw new Error(`patching merchant: ${patched.status}`);
    },
    async merchantUser(merchantId) {
      const user = await world.user();
      const linked = await request(world.url, '/api/v1/admin/merchant-links', { token: TEST_ADMIN_TOKEN, body: { username: user.user.username, merchantId } });
      if (linked.status !== 200) throw new Error(`linking ${user.user.username}: ${linked.status} ${JSON.stringify(linked.body)}`);
      return { ...user, user: (linked.body as { user: User }).user };
    },
    async me(user) {
      const answer = await request(world.url, '/api/v1/me', { token: user.token });
      return (answer.body as { user: User }).user;
    },
    async close() {
      await world.close();
      await pipeline.close();
      await Promise.all([verify.close(), shop.close(), other.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

const clientIds = (() => {
  let n = 0;
  return () => `share-client-${++n}`;
})();

describe('products:share', () => {
  let stack: ProductStack;
  let jadeId: string;
  beforeAll(async () => {
    stack = await startProductStack();
    jadeId = await stack.createMerchant(JADE.name, [JADE.domain], 'verified');
  });
  afterAll(async () => {
    await stack.close();
  });

  /** A user linked to the Jade Garden merchant, a customer, and their direct conversation. */
  async function sellerAndBuyer() {
    const seller = await stack.merchantUser(jadeId);
    const buyer = await stack.world.user();
    const { conversation } = await stack.world.contacts(seller, buyer);
    return { seller, buyer, conversation };
  }

  it('builds a card from the verified shop page, stores it as a product message and delivers it to every member device', async () => {
    const { seller, buyer, conversation } = await sellerAndBuyer();
    const buyerSecond = await stack.world.device(buyer);
    const sellerSecond = await stack.world.device(seller);
    const arrivals = [buyer.socket, buyerSecond, sellerSecond].map((s) => waitForEvent(s, 'message:new'));
    const merchant = { id: jadeId, name: JADE.name, verified: true };
    expect(seller.user.merchant).toEqual(merchant);

    const { message } = await call(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: TEAPOT_URL });
    expect(message).toMatchObject({
      conversationId: conversation.id,
      senderId: seller.user.id,
      kind: 'product',
      text: TEAPOT_URL,
      product: { url: TEAPOT_URL, title: '青玉茶壶 Celadon Jade Teapot', price: '268.00', currency: 'CNY', merchant },
    });
    expect(message.links).toBeUndefined();
    const image = message.product?.image ?? '';
    expect(image).toMatch(/^\/api\/v1\/media\/[0-9a-f]{64}$/);
    const served = await fetch(new URL(image, stack.world.url));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    // Any other method is a coded 404 naming what the path takes, as on every API path.
    for (const method of ['POST', 'DELETE', 'PUT']) {
      const wrong = await fetch(new URL(image, stack.world.url), { method });
      expect(wrong.status, method).toBe(404);
      expect(wrong.headers.get('allow'), method).toBe('GET, HEAD');
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }

    for (const arrival of await Promise.all(arrivals)) expect(arrival).toEqual(message);
    const history = await call(buyer.socket, 'messages:history', { conversationId: conversation.id });
    expect(history.messages).toEqual([message]);
    const view = (await call(buyer.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id);
    expect(view).toMatchObject({ lastSeq: message.seq, unread: 1, lastMessage: { id: message.id, kind: 'product' } });
  });

  it('shares into a group, with the price of an AggregateOffer and the merchant name from the verification service', async () => {
    const seller = await stack.merchantUser(jadeId);
    const members = [await stack.world.user(), await stack.world.user()];
    const group = await stack.world.group(seller, members, 'Tea lovers');
    const arrivals = members.map((m) => waitForEvent(m.socket, 'message:new', { filter: (msg) => msg.kind === 'product' }));
    const url = `http://${DEMO_SHOP_HOST}/products/tea-sampler`;
    const { message } = await call(seller.socket, 'products:share', { conversationId: group.id, clientId: clientIds(), url });
    // The page's og:site_name claims another name; the card carries the verified one.
    expect(message.product).toMatchObject({ url, title: '西湖龙井 试饮装 West Lake Longjing sampler', price: '88', currency: 'CNY', merchant: { name: JADE.name } });
    for (const arrival of await Promise.all(arrivals)) expect(arrival).toEqual(message);
  });

  it('carries the URL as parsed: tabs, newlines and surrounding controls dropped, a bidi override percent-encoded', async () => {
    const { seller, conversation } = await sellerAndBuyer();
    const typed = `\u0001 ${TEAPOT_URL}\t?x=\u202Egnp.exe\n`;
    const { message } = await call(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: typed });
    const expected = `${TEAPOT_URL}?x=%E2%80%AEgnp.exe`;
    expect(message.text).toBe(expected);
    expect(message.product?.url).toBe(expected);
    // A short URL whose encoding passes 2048 characters is a URL all the same: the page fetch refuses it, not the parser.
    const long = `${TEAPOT_URL}?q=${'商'.repeat(240)}`;
    const refused = await emitAck(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: long });
    expect(!refused.ok && refused.error.code).toBe('preview_failed');
  });

  it('refuses a user who is not linked to a merchant with not_merchant', async () => {
    const a = await stack.world.user();
    const b = await stack.world.user();
    const { conversation } = await stack.world.contacts(a, b);
    const result = await emitAck(a.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: TEAPOT_URL });
    expect(!result.ok && result.error.code).toBe('not_merchant');
    expect((await call(a.socket, 'messages:history', { conversationId: conversation.id })).messages).toEqual([]);
  });

  it('refuses a URL that is not on the merchant domains with not_verified, and never fetches it', async () => {
    const { seller, conversation } = await sellerAndBuyer();
    const elsewhere = ['https://example.com/products/jade-teapot', `http://${DEMO_LOOKALIKE_HOST}/lookalike/jade-teapot`, 'http://127.0.0.1/products/jade-teapot'];
    for (const url of elsewhere) {
      const result = await emitAck(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url });
      expect(!result.ok && result.error.code).toBe('not_verified');
    }
    expect(stack.shop.requests.filter((r) => r.host !== DEMO_SHOP_HOST)).toEqual([]);
    expect((await call(seller.socket, 'messages:history', { conversationId: conversation.id })).messages).toEqual([]);
  });

  it('refuses a merchant that is pending with not_verified', async () => {
    const pendingId = await stack.createMerchant('Pending Tea', ['pending-tea.shop'], 'pending');
    const seller = await stack.merchantUser(pendingId);
    expect(seller.user.merchant).toEqual({ id: pendingId, name: 'Pending Tea', verified: false });
    const buyer = await stack.world.user();
    const { conversation } = await stack.world.contacts(seller, buyer);
    const result = await emitAck(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: 'http://pending-tea.shop/products/green' });
    expect(!result.ok && result.error.code).toBe('not_verified');
  });

  it('lets a merchant share at once after it is approved: its status is never served from a cache', async () => {
    const orchidId = await stack.createMerchant('Orchid Tea', ['orchid-tea.shop'], 'pending');
    const seller = await stack.merchantUser(orchidId);
    const buyer = await stack.world.user();
    const { conversation } = await stack.world.contacts(seller, buyer);
    const share = () => emitAck(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: 'http://orchid-tea.shop/products/scarf' });
    const refused = await share();
    expect(!refused.ok && refused.error.code).toBe('not_verified');
    await stack.setStatus(orchidId, 'verified');
    expect(await share()).toMatchObject({ ok: true, message: { kind: 'product', product: { merchant: { id: orchidId, verified: true } } } });
  });

  it('refuses a merchant suspended after the user was linked, even while its status is still cached', async () => {
    const lotusId = await stack.createMerchant('Lotus Silk', ['lotus-silk.shop'], 'verified');
    const seller = await stack.merchantUser(lotusId);
    const buyer = await stack.world.user();
    const { conversation } = await stack.world.contacts(seller, buyer);
    const share = () => emitAck(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: 'http://lotus-silk.shop/products/scarf' });
    expect(await share()).toMatchObject({ ok: true, message: { product: { title: 'Lotus silk scarf', merchant: { id: lotusId, verified: true } } } });
    await stack.setStatus(lotusId, 'suspended');
    // The refusal that finds the suspension tells the seller's devices and its contacts at once.
    const sellerTold = waitForEvent(seller.socket, 'me:updated', { filter: (u) => u.user.merchant?.verified === false });
    const buyerTold = waitForEvent(buyer.socket, 'contacts:updated', { filter: (u) => u.contact?.user.id === seller.user.id && u.contact.user.merchant?.verified === false });
    const refused = await share();
    expect(!refused.ok && refused.error.code).toBe('not_verified');
    expect((await sellerTold).user).toMatchObject({ id: seller.user.id, merchant: { id: lotusId, verified: false } });
    await buyerTold;
    expect((await call(buyer.socket, 'messages:history', { conversationId: conversation.id })).messages).toHaveLength(1);
  });

  it("tells a user's devices and contacts when an admin links it to a merchant", async () => {
    const user = await stack.world.user();
    const buyer = await stack.world.user();
    await stack.world.contacts(user, buyer);
    const second = await stack.world.device(user);
    const told = [user.socket, second].map((socket) => waitForEvent(socket, 'me:updated', { filter: (u) => u.user.merchant?.id === jadeId }));
    const buyerTold = waitForEvent(buyer.socket, 'contacts:updated', { filter: (u) => u.contact?.user.merchant?.id === jadeId });
    const linked = await request(stack.world.url, '/api/v1/admin/merchant-links', { token: TEST_ADMIN_TOKEN, body: { username: user.user.username, merchantId: jadeId } });
    expect(linked.status).toBe(200);
    for (const update of await Promise.all(told)) expect(update.user).toEqual((linked.body as { user: User }).user);
    await buyerTold;
  });

  it('answers preview_failed when the page cannot be read or has no title, and stores nothing', async () => {
    const { seller, conversation } = await sellerAndBuyer();
    const plainId = await stack.createMerchant('Plain Goods', ['plain-goods.shop'], 'verified');
    const plainSeller = await stack.merchantUser(plainId);
    const { conversation: plainConversation } = await stack.world.contacts(plainSeller, await stack.world.user());
    const attempts = [
      { socket: seller.socket, conversationId: conversation.id, url: `http://${DEMO_SHOP_HOST}/hostile/not-found` },
      { socket: seller.socket, conversationId: conversation.id, url: `http://${DEMO_SHOP_HOST}/products/no-such-product` },
      { socket: seller.socket, conversationId: conversation.id, url: `http://${DEMO_SHOP_HOST}/hostile/wrong-type` },
      { socket: plainSeller.socket, conversationId: plainConversation.id, url: 'http://plain-goods.shop/untitled' },
    ];
    for (const { socket, conversationId, url } of attempts) {
      const result = await emitAck(socket, 'products:share', { conversationId, clientId: clientIds(), url });
      expect(!result.ok && result.error.code, url).toBe('preview_failed');
    }
    expect((await call(seller.socket, 'messages:history', { conversationId: conversation.id })).messages).toEqual([]);
    expect((await call(plainSeller.socket, 'messages:history', { conversationId: plainConversation.id })).messages).toEqual([]);
  });

  it('refuses a conversation the merchant is not a member of with not_member', async () => {
    const seller = await stack.merchantUser(jadeId);
    const a = await stack.world.user();
    const b = await stack.world.user();
    const { conversation } = await stack.world.contacts(a, b);
    for (const conversationId of [conversation.id, 'no-such-conversation']) {
      const result = await emitAck(seller.socket, 'products:share', { conversationId, clientId: clientIds(), url: TEAPOT_URL });
      expect(!result.ok && result.error.code).toBe('not_member');
    }
    expect((await call(a.socket, 'messages:history', { conversationId: conversation.id })).messages).toEqual([]);
  });

  it('refuses the clientId of its own group change (no retry of anything) with invalid_input, as messages:send does', async () => {
    const seller = await stack.merchantUser(jadeId);
    const group = await stack.world.group(seller, [await stack.world.user()], 'Shop talk');
    const [created] = (await call(seller.socket, 'messages:history', { conversationId: group.id })).messages;
    expect(created?.kind).toBe('system');
    const clientId = created?.clientId ?? '';
    const shared = await emitAck(seller.socket, 'products:share', { conversationId: group.id, clientId, url: TEAPOT_URL });
    expect(!shared.ok && shared.error.code).toBe('invalid_input');
    const sent = await emitAck(seller.socket, 'messages:send', { conversationId: group.id, clientId, text: 'hello text' });
    expect(!sent.ok && sent.error.code).toBe('invalid_input');
    expect((await call(seller.socket, 'messages:history', { conversationId: group.id })).messages).toEqual([created]);
  });

  it('a retry with the same clientId returns the same message, concurrent or later, and never builds or stores a second', async () => {
    const { seller, buyer, conversation } = await sellerAndBuyer();
    const deliveries = recordEvents(buyer.socket, 'message:new');
    const payload = { conversationId: conversation.id, clientId: clientIds(), url: `http://${DEMO_SHOP_HOST}/products/silk-scarf` };
    const [first, second] = await Promise.all([call(seller.socket, 'products:share', payload), call(seller.socket, 'products:share', payload)]);
    expect(second.message).toEqual(first.message);
    // A later retry naming a page that would fail still answers with the stored card: nothing is rebuilt.
    const later = await call(seller.socket, 'products:share', { ...payload, url: `http://${DEMO_SHOP_HOST}/hostile/not-found` });
    expect(later.message).toEqual(first.message);
    expect(first.message.product).toMatchObject({ title: 'Hangzhou Silk Scarf — mulberry silk', price: '459', currency: 'CNY' });
    expect(stack.shop.requestsTo('/hostile/not-found').filter((r) => r.at >= first.message.createdAt)).toEqual([]);
    expect((await call(buyer.socket, 'messages:history', { conversationId: conversation.id })).messages).toEqual([first.message]);
    await call(buyer.socket, 'contacts:list', {});
    expect(deliveries).toEqual([first.message]);
  });

  it('answers invalid_input to payloads that do not validate', async () => {
    const { seller, conversation } = await sellerAndBuyer();
    const base = { conversationId: conversation.id, clientId: clientIds(), url: TEAPOT_URL };
    const bad: unknown[] = [
      {},
      { ...base, url: undefined },
      { ...base, url: '' },
      { ...base, url: 42 },
      { ...base, url: `http://${DEMO_SHOP_HOST}/${'x'.repeat(2048)}` },
      { ...base, url: 'not a url' },
      { ...base, url: `ftp://${DEMO_SHOP_HOST}/products/jade-teapot` },
      { ...base, url: 'javascript:alert(1)' },
      { ...base, clientId: 'short' },
      { ...base, clientId: 'x'.repeat(65) },
      { ...base, conversationId: '' },
      'a string',
      null,
    ];
    for (const payload of bad) {
      const result = (await emitRawAck(seller.socket, 'products:share', [payload])) as { ok: boolean; error?: { code: string } };
      expect(result.ok, JSON.stringify(payload)).toBe(false);
      expect(result.error?.code, JSON.stringify(payload)).toBe('invalid_input');
    }
    expect((await call(seller.socket, 'messages:history', { conversationId: conversation.id })).messages).toEqual([]);
  });
});

describe('products:share with the merchant status read fresh', () => {
  let stack: ProductStack;
  beforeAll(async () => {
    // No verdict cache: every question reaches the verification service.
    stack = await startProductStack({ verdictCacheTtlMs: 0 }, { limits: { messagesPerUser: { burst: 3, perSecond: 0.001 } } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('the user merchant badge follows the status the share path reads', async () => {
    const orchidId = await stack.createMerchant('Orchid Tea', ['orchid-tea.shop'], 'verified');
    const seller = await stack.merchantUser(orchidId);
    const { conversation } = await stack.world.contacts(seller, await stack.world.user());
    const share = () => emitAck(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: 'http://orchid-tea.shop/products/oolong' });

    await stack.setStatus(orchidId, 'suspended');
    const refused = await share();
    expect(!refused.ok && refused.error.code).toBe('not_verified');
    expect((await stack.me(seller)).merchant).toEqual({ id: orchidId, name: 'Orchid Tea', verified: false });

    await stack.setStatus(orchidId, 'verified');
    expect(await share()).toMatchObject({ ok: true, message: { product: { merchant: { id: orchidId, verified: true } } } });
    expect((await stack.me(seller)).merchant).toEqual({ id: orchidId, name: 'Orchid Tea', verified: true });
  });

  it('shares count against the same per-user limit as sends', async () => {
    const jadeId = await stack.createMerchant(JADE.name, [JADE.domain], 'verified');
    const seller = await stack.merchantUser(jadeId);
    const { conversation } = await stack.world.contacts(seller, await stack.world.user());
    for (let i = 0; i < 3; i++) await call(seller.socket, 'messages:send', { conversationId: conversation.id, clientId: clientIds(), text: `hello ${i}` });
    const limited = await emitAck(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url: TEAPOT_URL });
    expect(!limited.ok && limited.error.code).toBe('rate_limited');
  });
});

describe('merchant badges without any share', () => {
  let stack: ProductStack;
  beforeAll(async () => {
    stack = await startProductStack({}, { merchantBadges: { intervalMs: 50 } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('follow a suspension, a new name and a new approval within an interval, and each contact is told', async () => {
    const willowId = await stack.createMerchant('Willow Crafts', ['willow-crafts.shop'], 'verified');
    const seller = await stack.merchantUser(willowId);
    const buyer = await stack.world.user();
    await stack.world.contacts(seller, buyer);
    const badgeOf = (update: { contact?: { user: User } }) => (update.contact?.user.id === seller.user.id ? update.contact.user.merchant : undefined);

    const suspended = waitForEvent(buyer.socket, 'contacts:updated', { filter: (u) => badgeOf(u)?.verified === false });
    await stack.patchMerchant(willowId, { status: 'suspended', name: 'Willow Crafts Ltd' });
    const badge = { id: willowId, name: 'Willow Crafts Ltd', verified: false };
    expect(badgeOf(await suspended)).toEqual(badge);
    expect((await stack.me(seller)).merchant).toEqual(badge);
    const { contacts } = await call(buyer.socket, 'contacts:list', {});
    expect(contacts.find((c) => c.user.id === seller.user.id)?.user.merchant).toEqual(badge);

    const approved = waitForEvent(buyer.socket, 'contacts:updated', { filter: (u) => badgeOf(u)?.verified === true });
    await stack.setStatus(willowId, 'verified');
    expect(badgeOf(await approved)).toEqual({ ...badge, verified: true });
    expect((await call(buyer.socket, 'users:search', { query: seller.user.username })).users[0]?.merchant).toEqual({ ...badge, verified: true });
  });
});

describe('stored previews and cards after a merchant is suspended', () => {
  let stack: ProductStack;
  beforeAll(async () => {
    // No verdict cache: the test need not wait out the 30 s a verdict is kept.
    stack = await startProductStack({ verdictCacheTtlMs: 0 });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('history and sync show them only as far as today’s verdicts allow: the card loses its badge, image and price, the preview its page', async () => {
    const lotusId = await stack.createMerchant('Lotus Silk', ['lotus-silk.shop'], 'verified');
    const seller = await stack.merchantUser(lotusId);
    const buyer = await stack.world.user();
    const { conversation } = await stack.world.contacts(seller, buyer);
    const url = 'http://lotus-silk.shop/products/scarf';
    const { message: card } = await call(seller.socket, 'products:share', { conversationId: conversation.id, clientId: clientIds(), url });
    const previewed = waitForEvent(buyer.socket, 'message:updated');
    const { message: text } = await call(seller.socket, 'messages:send', { conversationId: conversation.id, clientId: clientIds(), text: `see ${url}` });
    expect((await previewed).links[0]).toMatchObject({ state: 'verified', title: 'Lotus silk scarf' });
    const before = await call(buyer.socket, 'messages:history', { conversationId: conversation.id });
    expect(before.messages.map((m) => m.product?.merchant.verified ?? m.links?.[0]?.state)).toEqual([true, 'verified']);

    await stack.setStatus(lotusId, 'suspended');
    const after = await call(buyer.socket, 'messages:history', { conversationId: conversation.id });
    expect(after.messages.map((m) => m.id)).toEqual([card.id, text.id]);
    expect(after.messages[0]?.product).toEqual({ url, title: 'Lotus silk scarf', merchant: { id: lotusId, name: 'Lotus Silk', verified: false } });
    expect(after.messages[1]?.links).toEqual([{ url, state: 'blocked', reason: 'suspended', merchant: { id: lotusId, name: 'Lotus Silk', verified: false } }]);
    const synced = await call(buyer.socket, 'messages:sync', { since: { [conversation.id]: 0 } });
    expect(synced.messages).toEqual(after.messages);
    // The conversation list's last message too.
    const listed = (await call(buyer.socket, 'conversations:list', {})).conversations.find((c) => c.id === conversation.id);
    expect(listed?.lastMessage).toEqual(after.messages[1]);
    // Every other answer that carries a stored message: a retry of the send and of the share,
    // and the direct conversation opened again.
    const sendRetry = await call(seller.socket, 'messages:send', { conversationId: conversation.id, clientId: text.clientId, text: `see ${url}` });
    expect(sendRetry.message).toEqual(after.messages[1]);
    const shareRetry = await call(seller.socket, 'products:share', { conversationId: conversation.id, clientId: card.clientId, url });
    expect(shareRetry.message).toEqual(after.messages[0]);
    const opened = await call(buyer.socket, 'conversations:openDirect', { userId: seller.user.id });
    expect(opened.conversation.lastMessage).toEqual(after.messages[1]);
    await call(buyer.socket, 'contacts:remove', { userId: seller.user.id });
    const { request } = await call(seller.socket, 'contacts:request', { userId: buyer.user.id });
    // Both sides are told of the conversation found again: its last message current too.
    const updates = [seller, buyer].map((side) => waitForEvent(side.socket, 'conversation:updated'));
    const accepted = await call(buyer.socket, 'contacts:respond', { requestId: request.id, accept: true });
    expect(accepted.conversation?.lastMessage).toEqual(after.messages[1]);
    for (const update of await Promise.all(updates)) expect(update.lastMessage).toEqual(after.messages[1]);

    // Verified again: the stored preview and card are shown whole again (nothing was lost).
    await stack.setStatus(lotusId, 'verified');
    const again = await call(buyer.socket, 'messages:history', { conversationId: conversation.id });
    expect(again.messages).toEqual(before.messages);
  });
});
