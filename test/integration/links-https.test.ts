import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoShop, startDemoShop } from '../../server/demo/shop-server';
import { type LinkPipeline, createLinkServices } from '../../server/links/link-pipeline';
import { type FakeVerify, startFakeVerify } from './links-fake-verify';

// The https path once, end to end: a self-signed certificate for secure-shop.test, trusted
// only through the pipeline's `ca` option, the shop reached through a resolve entry on 443.
let dir: string;
let shop: DemoShop;
let verify: FakeVerify;
let cert: Buffer;
const pipelines: LinkPipeline[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wanglai-https-'));
  const key = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=secure-shop.test', '-addext', 'subjectAltName=DNS:secure-shop.test', '-keyout', key, '-out', certFile,
  ], { stdio: 'ignore' });
  cert = await readFile(certFile);
  [shop, verify] = await Promise.all([startDemoShop({ tls: { key: await readFile(key), cert } }), startFakeVerify()]);
});
afterAll(async () => {
  await Promise.all(pipelines.map((p) => p.close()));
  await Promise.all([shop.close(), verify.close()]);
  await rm(dir, { recursive: true, force: true });
});

function pipeline(ca: Buffer | undefined): LinkPipeline {
  const p = createLinkServices({
    verifyUrl: verify.url,
    dataDir: dir,
    allowHttp: false,
    resolve: `secure-shop.test:443=127.0.0.1:${shop.port}`,
    fetchTotalTimeoutMs: 3000,
    ...(ca ? { ca } : {}),
  });
  pipelines.push(p);
  return p;
}

describe('https previews', () => {
  it('fetches over TLS with the name as SNI and Host, and stores the image', async () => {
    const [preview] = await pipeline(cert).services.preview(['https://secure-shop.test/products/jade-teapot']);
    expect(preview).toMatchObject({ state: 'verified', title: '青玉茶壶 Celadon Jade Teapot', siteName: 'Secure Tea', product: { price: '268.00', currency: 'CNY' } });
    expect(preview?.image).toMatch(/^\/api\/v1\/media\/[0-9a-f]{64}$/);
    expect(shop.requestsTo('/products/jade-teapot').at(-1)?.host).toBe('secure-shop.test');
  });

  it('refuses a certificate it does not trust', async () => {
    const mark = shop.requests.length;
    const [preview] = await pipeline(undefined).services.preview(['https://secure-shop.test/products/silk-scarf']);
    // The page was never seen: where the link leads is not known, so it is not vouched for.
    expect(preview).toEqual({ url: 'https://secure-shop.test/products/silk-scarf', state: 'unverified', reason: 'not_checked' });
    expect(shop.requests.length).toBe(mark);
  });
});
