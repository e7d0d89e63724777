import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../protocol';
import { TINY_GIF, gradientPng, solidGreyJpeg } from '../../../server/demo/demo-images';
import { type DemoShop, startDemoShop } from '../../../server/demo/shop-server';
import { sniffImageType } from '../../../server/links/image-type';
import { type MediaStore, createMediaHandler, openMediaStore, storeRemoteImage } from '../../../server/links/media-store';
import { parseResolveMap } from '../../../server/links/resolve-map';
import { type SafeFetcher, createSafeFetcher } from '../../../server/links/safe-fetch';

const PNG = gradientPng(8, 8, [0, 0, 0], [255, 255, 255]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');

/** A PNG signature and IHDR chunk declaring width × height (the CRC is not checked). */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  return Buffer.concat([PNG.subarray(0, 8), ihdr]);
}

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

  it('refuses, as too_large, a small file whose header declares huge dimensions, and writes nothing', async () => {
    // 8 KB on the wire, 100000×100000 pixels for every recipient's client to decode.
    const bomb = Buffer.concat([pngHeader(100_000, 100_000), Buffer.alloc(8 * 1024)]);
    expect(bomb.length).toBeLessThan(LIMITS.mediaBytesMax);
    expect(await store.put(bomb)).toEqual({ ok: false, reason: 'too_large' });
    expect(await store.put(pngHeader(8193, 1))).toEqual({ ok: false, reason: 'too_large' });
    expect(await store.put(pngHeader(8000, 5001))).toEqual({ ok: false, reason: 'too_large' });
    expect(await readdir(path.join(dataDir, 'media'))).toEqual([]);
  });

  it('refuses, as not_an_image, magic bytes whose header is cut short or unreadable', async () => {
    expect(await store.put(pngHeader(64, 64).subarray(0, 20))).toEqual({ ok: false, reason: 'not_an_image' });
    expect(await store.put(JPEG)).toEqual({ ok: false, reason: 'not_an_image' }); // SOI and APP0, no SOF
    expect(await store.put(WEBP)).toEqual({ ok: false, reason: 'not_an_image' });
    expect(await store.put(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toEqual({ ok: false, reason: 'not_an_image' });
    expect(await readdir(path.join(dataDir, 'media'))).toEqual([]);
  });

  it('stores each image type the demo shop serves, with dimensions in range', async () => {
    for (const image of [PNG, TINY_GIF, solidGreyJpeg(90)]) expect((await store.put(image)).ok).toBe(true);
  });

  it('does not serve a stored file whose header declares dimensions over the limits', async () => {
    const put = await store.put(PNG);
    if (!put.ok) throw new Error('put failed');
    // As an older version, which checked magic bytes only, may have stored it.
    await writeFile(path.join(dataDir, 'media', put.id), pngHeader(100_000, 100_000));
    expect(await store.get(put.id)).toBeUndefined();
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

describe('storeRemoteImage: an image whose header declares huge dimensions', () => {
  let server: http.Server;
  let fetcher: SafeFetcher;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = req.url === '/bomb.png' ? Buffer.concat([pngHeader(100_000, 100_000), Buffer.alloc(8 * 1024)]) : PNG;
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const parsed = parseResolveMap(`images.example:80=127.0.0.1:${(server.address() as AddressInfo).port}`);
    if (!parsed.ok) throw new Error(parsed.message);
    fetcher = createSafeFetcher({ allowHttp: true, resolve: parsed.map, totalTimeoutMs: 2000 });
  });
  afterAll(async () => {
    fetcher.close();
    await new Promise((r) => server.close(r));
  });

  it('is fetched, then refused as too_large and not stored; a small one next to it is stored', async () => {
    expect(await storeRemoteImage(fetcher, store, 'http://images.example/bomb.png')).toEqual({ ok: false, reason: 'too_large' });
    expect(await readdir(path.join(dataDir, 'media'))).toEqual([]);
    expect((await storeRemoteImage(fetcher, store, 'http://images.example/small.png')).ok).toBe(true);
  });
});
