import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DemoShop, startDemoShop } from '../../../server/demo/shop-server';
import { parseResolveMap } from '../../../server/links/resolve-map';
import { type HostLookup, type SafeFetchOptions, type SafeFetcher, createSafeFetcher } from '../../../server/links/safe-fetch';

let shop: DemoShop;
const fetchers: SafeFetcher[] = [];

beforeAll(async () => {
  shop = await startDemoShop();
});
afterAll(async () => {
  await shop.close();
});
afterEach(() => {
  for (const f of fetchers.splice(0)) f.close();
});

const lookups: string[] = [];
/** Fake DNS: every other name resolves into a private range, as a rebinding attacker's would. */
const fakeLookup: HostLookup = async (hostname) => {
  lookups.push(hostname);
  if (hostname === 'intranet.corp.example') return [{ address: '10.0.0.5', family: 4 }];
  if (hostname === 'mixed.example') return [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }];
  if (hostname === 'v6-local.example') return [{ address: 'fd00::1', family: 6 }];
  if (hostname === 'mapped.example') return [{ address: '::ffff:169.254.169.254', family: 6 }];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
};

function fetcher(extra: SafeFetchOptions = {}): SafeFetcher {
  const parsed = parseResolveMap(shop.resolve);
  if (!parsed.ok) throw new Error(parsed.message);
  const f = createSafeFetcher({ allowHttp: true, resolve: parsed.map, lookup: fakeLookup, totalTimeoutMs: 2000, connectTimeoutMs: 1000, ...extra });
  fetchers.push(f);
  return f;
}

const SHOP = 'http://jade-garden.shop';

describe('safe fetcher: what it fetches', () => {
  it('fetches a page through a resolve mapping, with the name as Host and no cookies', async () => {
    const result = await fetcher().fetch(`${SHOP}/products/jade-teapot#reviews`, 'page');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.url).toBe(`${SHOP}/products/jade-teapot`);
    expect(result.mediaType).toBe('text/html');
    expect(result.body.toString('utf8')).toContain('青玉茶壶');
    const seen = shop.requestsTo('/products/jade-teapot').at(-1);
    expect(seen?.host).toBe('jade-garden.shop');
    expect(seen?.headers['user-agent']).toMatch(/^WanglaiPreview\//);
    expect(seen?.headers.cookie).toBeUndefined();
    expect(seen?.headers['accept-encoding']).toBe('identity');
  });

  it('takes a name written fully qualified (a trailing dot) as the same host of a resolve entry', async () => {
    const result = await fetcher().fetch('http://Jade-Garden.Shop./products/jade-teapot', 'page');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.toString('utf8')).toContain('青玉茶壶');
    expect(lookups).not.toContain('jade-garden.shop.');
  });

  it('fetches an image of an allowed type', async () => {
    const result = await fetcher().fetch(`${SHOP}/images/teapot.png`, 'image');
    expect(result.ok && result.mediaType).toBe('image/png');
  });

  it('fetches a non-standard port only where a resolve entry names exactly that host and port', async () => {
    const target = /=([^,]+)/.exec(shop.resolve)?.[1];
    const parsed = parseResolveMap(`${shop.resolve},jade-garden.shop:8080=${target}`);
    if (!parsed.ok) throw new Error(parsed.message);
    const f = fetcher({ resolve: parsed.map });
    const mapped = await f.fetch(`${SHOP}:8080/products/jade-teapot`, 'page');
    expect(mapped.ok && mapped.url).toBe(`${SHOP}:8080/products/jade-teapot`);
    const unmapped = await f.fetch(`${SHOP}:8081/products/jade-teapot`, 'page');
    expect(!unmapped.ok && unmapped.reason).toBe('bad_port');
  });

  it('follows up to three redirects, each through all checks', async () => {
    const result = await fetcher().fetch(`${SHOP}/hostile/redirect/3`, 'page');
    expect(result.ok && result.url).toBe(`${SHOP}/products/jade-teapot`);
  });
});

describe('safe fetcher: what it refuses before any connection', () => {
  const cases: Array<[string, string, SafeFetchOptions?]> = [
    ['http://jade-garden.shop/', 'bad_scheme', { allowHttp: false }],
    ['ftp://jade-garden.shop/', 'bad_scheme'],
    ['file:///etc/passwd', 'bad_scheme'],
    ['http://jade-garden.shop:8080/', 'bad_port'],
    ['https://jade-garden.shop:8443/', 'bad_port'],
    ['http://jade-garden.shop:443/', 'bad_port'],
    ['http://user:pw@jade-garden.shop/', 'credentials'],
    ['http://jade-garden.shop@evil.example/', 'credentials'],
    [`http://jade-garden.shop/${'a'.repeat(2100)}`, 'url_too_long'],
    ['not a url', 'invalid_url'],
    ['http://127.0.0.1/', 'blocked_address'],
    ['http://127.1/', 'blocked_address'],
    ['http://0x7f.0.0.1/', 'blocked_address'],
    ['http://2130706433/', 'blocked_address'],
    ['http://0177.0.0.1/', 'blocked_address'],
    ['http://0/', 'blocked_address'],
    ['http://[::1]/', 'blocked_address'],
    ['http://[::ffff:127.0.0.1]/', 'blocked_address'],
    ['http://[::ffff:a9fe:a9fe]/', 'blocked_address'],
    ['http://[64:ff9b::a00:1]/', 'blocked_address'],
    ['http://[2002:7f00:1::1]/', 'blocked_address'],
    ['http://[fe80::1]/', 'blocked_address'],
    ['http://169.254.169.254/latest/meta-data/', 'blocked_address'],
    ['http://192.168.1.1/', 'blocked_address'],
    ['http://100.100.100.200/', 'blocked_address'],
    ['http://intranet.corp.example/', 'blocked_address'],
    ['http://mixed.example/', 'blocked_address'],
    ['http://v6-local.example/', 'blocked_address'],
    ['http://mapped.example/', 'blocked_address'],
    ['http://nowhere.example/', 'dns_failure'],
    ['https://jade-garden.shop.evil.example/', 'dns_failure'],
  ];
  it.each(cases)('%s -> %s', async (url, reason, extra) => {
    const before = shop.requests.length;
    const result = await fetcher(extra ?? {}).fetch(url, 'page');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
    expect(shop.requests.length).toBe(before);
  });

  it('looks a name up once per hop and never again for the connection', async () => {
    lookups.length = 0;
    await fetcher().fetch('http://intranet.corp.example/x', 'page');
    expect(lookups).toEqual(['intranet.corp.example']);
    lookups.length = 0;
    await fetcher().fetch(`${SHOP}/`, 'page');
    expect(lookups).toEqual([]); // a resolve entry is used as given
  });
});

describe('safe fetcher: hostile sites', () => {
  it.each([
    ['/hostile/to-loopback', 'blocked_address', '127.0.0.1'],
    ['/hostile/to-loopback-v6', 'blocked_address', '[::1]'],
    ['/hostile/to-mapped-loopback', 'blocked_address', '[::ffff:7f00:1]'],
    ['/hostile/to-metadata', 'blocked_address', '169.254.169.254'],
    ['/hostile/to-private-name', 'blocked_address', 'intranet.corp.example'],
    ['/hostile/to-ftp', 'bad_scheme', 'ftp:'],
    ['/hostile/to-odd-port', 'bad_port', ':8080'],
    ['/hostile/loop-a', 'redirect_loop', 'loop-a'],
    ['/hostile/redirect/4', 'too_many_redirects', 'redirect/1'],
  ])('redirect %s is refused: %s', async (path, reason, where) => {
    const result = await fetcher().fetch(`${SHOP}${path}`, 'page');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(reason);
    expect(result.url).toContain(where);
  });

  it('never requests the page after a redirect loop more than once per URL', async () => {
    const before = shop.requestsTo('/hostile/loop-').length;
    await fetcher().fetch(`${SHOP}/hostile/loop-a`, 'page');
    expect(shop.requestsTo('/hostile/loop-').length - before).toBe(2);
  });

  it('asks the redirect policy and does not follow a refused redirect', async () => {
    const asked: string[] = [];
    const f = fetcher({
      allowRedirect: async (_from, to) => {
        asked.push(to);
        return false;
      },
    });
    const before = shop.requestsTo('/products/jade-teapot').length;
    const result = await f.fetch(`${SHOP}/hostile/to-teapot`, 'page');
    expect(!result.ok && result.reason).toBe('redirect_refused');
    expect(asked).toEqual([`${SHOP}/products/jade-teapot`]);
    expect(shop.requestsTo('/products/jade-teapot').length).toBe(before);
  });

  it.each([
    ['/hostile/wrong-type', 'page', 'wrong_type'],
    ['/hostile/no-type', 'page', 'wrong_type'],
    ['/images/teapot.png', 'page', 'wrong_type'],
    ['/products/jade-teapot', 'image', 'wrong_type'],
    ['/hostile/svg', 'image', 'wrong_type'],
    ['/hostile/gzip', 'page', 'bad_encoding'],
    ['/hostile/not-found', 'page', 'http_status'],
    ['/hostile/big-image', 'image', 'too_large'],
    ['/hostile/endless-image', 'image', 'too_large'],
  ] as const)('%s as %s -> %s', async (path, kind, reason) => {
    const result = await fetcher().fetch(`${SHOP}${path}`, kind);
    expect(!result.ok && result.reason).toBe(reason);
  });

  it('cuts an endless page at the cap and keeps what it read', async () => {
    const result = await fetcher({ maxBytes: 256 * 1024 }).fetch(`${SHOP}/hostile/endless`, 'page');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.truncated).toBe(true);
    expect(result.body.length).toBe(256 * 1024);
  });

  it('gives up on a site that never answers at the total deadline', async () => {
    const started = Date.now();
    const result = await fetcher({ totalTimeoutMs: 300 }).fetch(`${SHOP}/hostile/slow`, 'page');
    expect(!result.ok && result.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('gives up on a body that never ends at the total deadline', async () => {
    const result = await fetcher({ totalTimeoutMs: 300 }).fetch(`${SHOP}/hostile/slow-body`, 'page');
    expect(!result.ok && result.reason).toBe('timeout');
  });

  it('applies the connect deadline to a TLS handshake that never happens', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const parsed = parseResolveMap(`mute.example:443=127.0.0.1:${port}`);
      if (!parsed.ok) throw new Error(parsed.message);
      const started = Date.now();
      const result = await fetcher({ resolve: parsed.map, connectTimeoutMs: 200, totalTimeoutMs: 5000 }).fetch('https://mute.example/', 'page');
      expect(!result.ok && result.reason).toBe('timeout');
      expect(!result.ok && result.detail).toContain('no connection');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });
});

describe('safe fetcher: resolve entries', () => {
  it('connects to an IPv6 resolve target, keeping the name for Host', async () => {
    const v6 = await startDemoShop({ host: '::1' });
    try {
      const parsed = parseResolveMap(`v6.shop.test:80=[::1]:${v6.port}`);
      if (!parsed.ok) throw new Error(parsed.message);
      const result = await fetcher({ resolve: parsed.map }).fetch('http://v6.shop.test/products/silk-scarf', 'page');
      expect(result.ok).toBe(true);
      expect(v6.requests.map((r) => r.host)).toEqual(['v6.shop.test']);
      expect(v6.url).toBe(`http://[::1]:${v6.port}`);
    } finally {
      await v6.close();
    }
  });

  it('applies an entry only to its own host and port', async () => {
    const parsed = parseResolveMap(`only-https.test:443=127.0.0.1:${shop.port}`);
    if (!parsed.ok) throw new Error(parsed.message);
    const before = shop.requests.length;
    const result = await fetcher({ resolve: parsed.map }).fetch('http://only-https.test/', 'page');
    expect(!result.ok && result.reason).toBe('dns_failure');
    expect(shop.requests.length).toBe(before);
  });
});

describe('safe fetcher: load', () => {
  it('fetches one URL once under concurrency and then from the cache', async () => {
    const f = fetcher();
    const path = '/products/silk-scarf?dedupe';
    const results = await Promise.all(Array.from({ length: 10 }, () => f.fetch(`${SHOP}${path}`, 'page')));
    expect(results.every((r) => r.ok)).toBe(true);
    await f.fetch(`${SHOP}${path}`, 'page');
    expect(shop.requestsTo(path)).toHaveLength(1);
  });

  it('never holds more connections than the cap', async () => {
    const f = fetcher({ maxConcurrent: 2, totalTimeoutMs: 250 });
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, f.running)), 5);
    const before = shop.requestsTo('/hostile/slow').length;
    const all = Array.from({ length: 6 }, (_, i) => f.fetch(`${SHOP}/hostile/slow?n=${i}`, 'page'));
    await expect.poll(() => shop.requestsTo('/hostile/slow').length - before).toBe(2);
    expect(f.running).toBe(2);
    const results = await Promise.all(all);
    clearInterval(watch);
    expect(results.every((r) => !r.ok && r.reason === 'timeout')).toBe(true);
    expect(peak).toBeLessThanOrEqual(2);
    expect(shop.requestsTo('/hostile/slow').length - before).toBe(6);
  });

  it('refuses everything once closed', async () => {
    const f = fetcher();
    f.close();
    const result = await f.fetch(`${SHOP}/`, 'page');
    expect(!result.ok && result.reason).toBe('closed');
  });
});
