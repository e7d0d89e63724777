import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gradientPng, solidGreyJpeg } from '../../../server/demo/demo-images';
import { type DemoShop, startDemoShop } from '../../../server/demo/shop-server';
import { sniffImageType } from '../../../server/links/image-type';
import { type MediaStore, createMediaHandler, openMediaStore, storeRemoteImage } from '../../../server/links/media-store';
import { parseResolveMap } from '../../../server/links/resolve-map';
import { type SafeFetcher, createSafeFetcher } from '../../../server/links/safe-fetch';

const PNG = gradientPng(8, 8, [0, 0, 0], [255, 255, 255]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');

let dataDir: string;
let store: MediaStore;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-media-'));
  store = openMediaStore(dataDir);
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('sniffImageType', () => {
  it('knows the four image types by their bytes, and nothing else', () => {
    expect(sniffImageType(PNG)).toBe('image/png');
    expect(sniffImageType(JPEG)).toBe('image/jpeg');
    expect(sniffImageType(solidGreyJpeg(90))).toBe('image/jpeg');
    expect(sniffImageType(GIF)).toBe('image/gif');
    expect(sniffImageType(WEBP)).toBe('image/webp');
    for (const bad of ['<svg xmlns="http://www.w3.org/2000/svg"/>', '<html>', '', 'RIFF....WAVE', 'GIF8', '\x89PNG']) {
      expect(sniffImageType(Buffer.from(bad, 'latin1'))).toBeUndefined();
    }
  });
});

describe('media store', () => {
  it('stores content-addressed and gives the bytes back with their proven type', async () => {
    const first = await store.put(PNG);
    const again = await store.put(PNG);
    expect(first.ok && again.ok && first.id === again.id).toBe(true);
    if (!first.ok) return;
    expect(first.id).toMatch(/^[0-9a-f]{64}$/);
    expect(first.url).toBe(`/api/v1/media/${first.id}`);
    const got = await store.get(first.id);
    expect(got?.contentType).toBe('image/png');
    expect(got?.body.equals(PNG)).toBe(true);
    expect((await readdir(path.join(dataDir, 'media'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses what is not an image, and what is too large', async () => {
    expect(await store.put(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toEqual({ ok: false, reason: 'not_an_image' });
    expect(await store.put(Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]))).toEqual({ ok: false, reason: 'too_large' });
  });

  it.each(['../../etc/passwd', 'abc', `${'a'.repeat(64)}.png`, 'A'.repeat(64), `${'a'.repeat(64)}/../x`, 'a'.repeat(64), 'a'.repeat(65), ''])(
    'finds nothing under the id %j',
    async (id) => expect(await store.get(id)).toBeUndefined(),
  );

  it('does not serve a file whose bytes are no longer an image', async () => {
    const put = await store.put(PNG);
    if (!put.ok) throw new Error('put failed');
    await writeFile(path.join(dataDir, 'media', put.id), '<html><script>alert(1)</script>');
    expect(await store.get(put.id)).toBeUndefined();
  });
});

describe('media handler', () => {
  let server: http.Server;
  let base: string;
  beforeEach(async () => {
    const handler = createMediaHandler(store);
    server = http.createServer((req, res) => handler(req, res, decodeURIComponent((req.url ?? '').replace('/api/v1/media/', ''))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/media/`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
  });

  it('serves an image with its own type and nosniff', async () => {
    const put = await store.put(PNG);
    if (!put.ok) throw new Error('put failed');
    const res = await fetch(`${base}${put.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('answers 404 not_found for an unknown id', async () => {
    const res = await fetch(`${base}${'0'.repeat(64)}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no such media' } });
  });
});

describe('storeRemoteImage', () => {
  let shop: DemoShop;
  let fetcher: SafeFetcher;
  beforeAll(async () => {
    shop = await startDemoShop();
    const parsed = parseResolveMap(shop.resolve);
    if (!parsed.ok) throw new Error(parsed.message);
    fetcher = createSafeFetcher({ allowHttp: true, resolve: parsed.map, totalTimeoutMs: 2000 });
  });
  afterAll(async () => {
    fetcher.close();
    await shop.close();
  });

  it.each([
    ['/images/teapot.png', 'ok'],
    ['/images/sampler.gif', 'ok'],
    ['/hostile/fake-png', 'not_an_image'],
    ['/hostile/svg', 'wrong_type'],
    ['/hostile/big-image', 'too_large'],
    ['/hostile/endless-image', 'too_large'],
    ['/hostile/to-metadata', 'blocked_address'],
  ])('%s -> %s', async (p, expected) => {
    const result = await storeRemoteImage(fetcher, store, `http://jade-garden.shop${p}`);
    expect(result.ok ? 'ok' : result.reason).toBe(expected);
  });
});
