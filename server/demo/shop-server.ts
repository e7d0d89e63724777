/**
 * A local demo shop: a verified merchant's product pages, a lookalike phishing copy of it, and
 * hostile endpoints that misbehave the ways the open web does. It records every request it
 * receives, so that tests can prove what the chat server never fetched. Plain http by default
 * (reached through WANGLAI_PREVIEW_RESOLVE mappings); https when given a key and certificate.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { TINY_GIF, gradientPng, solidGreyJpeg } from './demo-images';

export const DEMO_SHOP_HOST = 'jade-garden.shop';
export const DEMO_LOOKALIKE_HOST = 'jade-garden-secure.shop';
/** Product pages of the verified demo shop, for seeding and end-to-end suites. */
export const DEMO_PRODUCT_PATHS = ['/products/jade-teapot', '/products/silk-scarf', '/products/tea-sampler', '/products/celadon-cup'] as const;
/** The phishing copy of the teapot page, served under DEMO_LOOKALIKE_HOST. */
export const DEMO_LOOKALIKE_PATH = '/lookalike/jade-teapot';

export interface ShopRequest {
  method: string;
  path: string;
  host: string;
  headers: http.IncomingHttpHeaders;
  at: number;
  /** When the connection for this request closed; absent while it is open. */
  closedAt?: number;
}

export interface DemoShopOptions {
  /** Serve https with this key and certificate instead of plain http. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  host?: string;
}

export interface DemoShop {
  /** Base URL by address, e.g. http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Every request received, in order. */
  requests: ShopRequest[];
  /** Requests whose path (query included) equals or starts with the given prefix. */
  requestsTo(pathPrefix: string): ShopRequest[];
  /** Answers every request to /hostile/held waiting so far; returns how many. */
  releaseHeld(): number;
  /** The most /hostile/held requests ever waiting at once: what a fetch cap must bound. */
  readonly heldPeak: number;
  /** WANGLAI_PREVIEW_RESOLVE entries mapping the shop and lookalike hosts here. */
  resolve: string;
  close(): Promise<void>;
}

const IMAGES = {
  '/images/teapot.png': { type: 'image/png', body: gradientPng(64, 64, [46, 125, 91], [201, 228, 214]) },
  '/images/scarf.png': { type: 'image/png', body: gradientPng(64, 64, [176, 48, 48], [240, 200, 120]) },
  '/images/sampler.gif': { type: 'image/gif', body: TINY_GIF },
  '/images/cup.jpg': { type: 'image/jpeg', body: solidGreyJpeg(190) },
} as const satisfies Record<string, { type: string; body: Buffer }>;

function page(head: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

const jsonLd = (value: unknown): string => `<script type="application/ld+json">${JSON.stringify(value)}</script>`;

const PAGES: Record<string, string> = {
  '/': page('<title>玉园茶舍 Jade Garden Tea House</title><meta name="description" content="Tea, teaware and silk from Hangzhou.">', '<h1>Jade Garden</h1>'),
  '/products/jade-teapot': page(
    [
      '<title>青玉茶壶 | Jade Garden</title>',
      '<meta property="og:title" content="青玉茶壶 Celadon Jade Teapot">',
      '<meta property="og:description" content="手工青瓷茶壶，容量 300 毫升。Handmade celadon teapot, 300 ml.">',
      '<meta property="og:image" content="/images/teapot.png">',
      jsonLd({
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: '青玉茶壶 Celadon Jade Teapot',
        image: '/images/teapot.png',
        offers: { '@type': 'Offer', price: '268.00', priceCurrency: 'CNY' },
      }),
    ].join(''),
    '<h1>青玉茶壶</h1><p>¥268.00</p>',
  ),
  '/products/silk-scarf': page(
    [
      '<title>Hangzhou Silk Scarf</title>',
      '<meta name="twitter:title" content="Hangzhou Silk Scarf — mulberry silk">',
      '<meta name="description" content="A 90 cm square scarf of Hangzhou mulberry silk.">',
      '<meta property="og:image" content="//jade-garden.shop/images/scarf.png">',
      jsonLd({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'WebPage', name: 'Scarf page' },
          { '@type': ['Product', 'Thing'], name: 'Hangzhou Silk Scarf', offers: [{ '@type': 'Offer', price: 459, priceCurrency: 'CNY' }, { price: '65.00', priceCurrency: 'USD' }] },
        ],
      }),
    ].join(''),
    '<h1>Silk Scarf</h1>',
  ),
  '/products/tea-sampler': page(
    [
      '<title>龙井茶试饮装</title>',
      '<meta property="og:title" content="西湖龙井 试饮装 West Lake Longjing sampler">',
      '<meta property="og:site_name" content="Totally Official Jade Garden Store">',
      '<meta property="product:price:amount" content="88">',
      '<meta property="product:price:currency" content="CNY">',
      '<meta property="og:image" content="/images/sampler.gif">',
    ].join(''),
    '<h1>龙井</h1>',
  ),
  '/products/celadon-cup': page(
    [
      '<title>Celadon Tea Cup, set of two</title>',
      '<meta name="description" content="Two Longquan celadon cups, 80 ml each.">',
      jsonLd({
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: 'Celadon Tea Cup, set of two',
        image: { '@type': 'ImageObject', url: '/images/cup.jpg' },
        offers: { '@type': 'AggregateOffer', lowPrice: '128.50', highPrice: '158.00', priceCurrency: 'CNY' },
      }),
    ].join(''),
    '<h1>Celadon cups</h1>',
  ),
  // The phishing copy: same look, a lying og:site_name, a bargain price.
  '/lookalike/jade-teapot': page(
    [
      '<title>青玉茶壶 | Jade Garden 官方店</title>',
      '<meta property="og:site_name" content="Jade Garden 官方旗舰店">',
      '<meta property="og:title" content="青玉茶壶 限时 1 元">',
      '<meta property="product:price:amount" content="1.00">',
      '<meta property="product:price:currency" content="CNY">',
    ].join(''),
    '<form action="/lookalike/pay"><input name="card"></form>',
  ),
  '/hostile/svg-image-page': page('<title>Page with an SVG image</title><meta property="og:image" content="/hostile/svg">', ''),
  '/hostile/big-image-page': page('<title>Page with a huge image</title><meta property="og:image" content="/hostile/big-image">', ''),
  '/hostile/fake-png-page': page('<title>Page with a fake PNG</title><meta property="og:image" content="/hostile/fake-png">', ''),
  '/hostile/private-image-page': page('<title>Page with a private image</title><meta property="og:image" content="http://169.254.169.254/latest/meta-data/">', ''),
  // A browser follows a meta refresh as it follows a 3xx: to the lookalike here, within the shop below.
  '/hostile/meta-refresh-to-lookalike': page(
    `<title>Jade Garden: sign in to claim your refund</title><meta http-equiv="Refresh" content="0; URL='http://${DEMO_LOOKALIKE_HOST}/lookalike/jade-teapot'">`,
    '',
  ),
  '/hostile/meta-refresh-in-shop': page('<title>Moved within the shop</title><meta http-equiv="refresh" content="3;url=/products/jade-teapot">', ''),
  // An image kept on a blocked (lookalike) host, and one that redirects there.
  '/hostile/blocked-image-page': page(`<title>Page with an image on a lookalike</title><meta property="og:image" content="http://${DEMO_LOOKALIKE_HOST}/track.png">`, ''),
  '/hostile/image-to-blocked-page': page('<title>Page whose image redirects to a lookalike</title><meta property="og:image" content="/hostile/image-to-blocked">', ''),
};

const REDIRECTS: Record<string, string> = {
  '/hostile/loop-a': '/hostile/loop-b',
  '/hostile/loop-b': '/hostile/loop-a',
  '/hostile/to-loopback': 'http://127.0.0.1/admin',
  '/hostile/to-loopback-v6': 'http://[::1]/admin',
  '/hostile/to-mapped-loopback': 'http://[::ffff:127.0.0.1]/admin',
  '/hostile/to-metadata': 'http://169.254.169.254/latest/meta-data/',
  '/hostile/to-private-name': 'http://intranet.corp.example/secret',
  '/hostile/to-lookalike': `http://${DEMO_LOOKALIKE_HOST}/lookalike/jade-teapot`,
  '/hostile/to-ftp': 'ftp://jade-garden.shop/file',
  '/hostile/to-odd-port': 'http://jade-garden.shop:8080/',
  '/hostile/to-teapot': '/products/jade-teapot',
  '/hostile/image-to-blocked': `http://${DEMO_LOOKALIKE_HOST}/via-redirect.png`,
};

/** Writes an endless stream, honouring backpressure, until the client goes away. */
function endless(res: http.ServerResponse, type: string): void {
  res.writeHead(200, { 'content-type': type });
  const block = Buffer.alloc(64 * 1024, '<p>flood</p>');
  const pump = (): void => {
    while (!res.destroyed && res.write(block));
  };
  res.on('drain', pump);
  pump();
}

interface ShopState {
  pending: Set<http.ServerResponse>;
  held: http.ServerResponse[];
  heldPeak: number;
}

function handle(req: http.IncomingMessage, res: http.ServerResponse, state: ShopState): void {
  const { pending } = state;
  const path = req.url ?? '/';
  const pathname = path.split('?')[0] ?? '/';
  if (req.method !== 'GET') {
    res.writeHead(405).end();
    return;
  }
  const html = PAGES[pathname];
  if (html !== undefined) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    return;
  }
  const image = (IMAGES as Record<string, { type: string; body: Buffer }>)[pathname];
  if (image) {
    res.writeHead(200, { 'content-type': image.type, 'content-length': image.body.length }).end(image.body);
    return;
  }
  const location = REDIRECTS[pathname];
  if (location !== undefined) {
    res.writeHead(302, { location }).end();
    return;
  }
  const chain = /^\/hostile\/redirect\/(\d{1,2})$/.exec(pathname);
  if (chain) {
    const n = Number(chain[1]);
    res.writeHead(302, { location: n <= 1 ? '/products/jade-teapot' : `/hostile/redirect/${n - 1}` }).end();
    return;
  }
  switch (pathname) {
    case '/hostile/endless':
      endless(res, 'text/html; charset=utf-8');
      return;
    case '/hostile/endless-image':
      endless(res, 'image/png');
      return;
    case '/hostile/big-image':
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': 2 * 1024 * 1024 });
      res.end(Buffer.concat([IMAGES['/images/teapot.png'].body, Buffer.alloc(2 * 1024 * 1024 - IMAGES['/images/teapot.png'].body.length)]));
      return;
    case '/hostile/wrong-type':
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('<title>not a page</title>');
      return;
    case '/hostile/no-type':
      res.writeHead(200).end('<title>no content type</title>');
      return;
    case '/hostile/svg':
      res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
      return;
    case '/hostile/fake-png':
      res.writeHead(200, { 'content-type': 'image/png' }).end('<html><script>alert(1)</script></html>');
      return;
    case '/hostile/gzip':
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(Buffer.alloc(32));
      return;
    case '/hostile/not-found':
      res.writeHead(404, { 'content-type': 'text/html' }).end('<title>gone</title>');
      return;
    case '/hostile/slow':
      // Never answers: the fetcher's deadline must cut it.
      pending.add(res);
      res.on('close', () => pending.delete(res));
      return;
    case '/hostile/held':
      // Waits for the test to release it, so that concurrency is counted where requests land.
      state.held.push(res);
      state.heldPeak = Math.max(state.heldPeak, state.held.length);
      res.on('close', () => {
        const at = state.held.indexOf(res);
        if (at >= 0) state.held.splice(at, 1);
      });
      return;
    case '/hostile/refresh-header-to-lookalike':
      // The page itself is harmless; the header sends the browser on.
      res.writeHead(200, { 'content-type': 'text/html', refresh: `0; url=http://${DEMO_LOOKALIKE_HOST}/lookalike/jade-teapot` }).end('<title>Jade Garden: one moment</title>');
      return;
    case '/hostile/slow-body':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><title>slow');
      pending.add(res);
      res.on('close', () => pending.delete(res));
      return;
    default:
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

export async function startDemoShop(options: DemoShopOptions = {}): Promise<DemoShop> {
  const requests: ShopRequest[] = [];
  const state: ShopState = { pending: new Set(), held: [], heldPeak: 0 };
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const record: ShopRequest = { method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', headers: req.headers, at: Date.now() };
    requests.push(record);
    res.on('close', () => (record.closedAt = Date.now()));
    handle(req, res, state);
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const standardPort = options.tls ? 443 : 80;
  return {
    url: `${scheme}://${hostInUrl}:${port}`,
    port,
    requests,
    requestsTo: (prefix) => requests.filter((r) => r.path === prefix || r.path.startsWith(prefix)),
    releaseHeld: () => {
      const released = state.held.splice(0);
      for (const res of released) res.writeHead(200, { 'content-type': 'text/html' }).end('<title>released</title>');
      return released.length;
    },
    get heldPeak() {
      return state.heldPeak;
    },
    resolve: [DEMO_SHOP_HOST, `www.${DEMO_SHOP_HOST}`, DEMO_LOOKALIKE_HOST].map((h) => `${h}:${standardPort}=${hostInUrl}:${port}`).join(','),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of [...state.pending, ...state.held]) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
