/** The verification service's HTTP API (PROTOCOL.md §4) through a real server and SQLite file. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startVerifyServer, type RunningVerifyServer } from '../../server/verify/verify-server';

const TOKEN = 'test-admin-token-0123456789';

let dataDir: string;
let server: RunningVerifyServer;

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(server.url + path, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
}

const verdictOf = (url: string) => call('GET', `/v1/verdict?url=${encodeURIComponent(url)}`, undefined, null);

async function createMerchant(name: string, domains: string[], status = 'verified'): Promise<string> {
  const res = await call('POST', '/v1/merchants', { name, domains, status });
  expect(res.status).toBe(201);
  const { merchant } = res.json as { merchant: { id: string } };
  return merchant.id;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'wanglai-verify-'));
  server = await startVerifyServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: TOKEN });
});

afterEach(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('verification service', () => {
  it('answers /healthz', async () => {
    expect(await call('GET', '/healthz', undefined, null)).toEqual({ status: 200, json: { ok: true } });
  });

  it('creates, reads and updates a merchant, with normalised domains', async () => {
    const created = await call('POST', '/v1/merchants', { name: ' Taobao ', domains: ['TaoBao.COM.', 'tmall.com', 'taobao.com', '淘宝.com'], status: 'verified' });
    expect(created.status).toBe(201);
    const { merchant } = created.json as { merchant: { id: string; createdAt: number } };
    expect(merchant).toEqual({ id: merchant.id, name: 'Taobao', domains: ['taobao.com', 'tmall.com', 'xn--pbt173b.com'], status: 'verified', createdAt: merchant.createdAt });

    expect(await call('GET', `/v1/merchants/${merchant.id}`, undefined, null)).toEqual({ status: 200, json: { merchant } });

    const patched = await call('PATCH', `/v1/merchants/${merchant.id}`, { status: 'suspended', domains: ['taobao.com'] });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ merchant: { id: merchant.id, name: 'Taobao', domains: ['taobao.com'], status: 'suspended' } });
    expect(await verdictOf('https://www.taobao.com/item')).toMatchObject({ status: 200, json: { verdict: 'blocked', reason: 'suspended', merchant: { id: merchant.id, verified: false } } });
    expect(await verdictOf('https://tmall.com/')).toMatchObject({ json: { verdict: 'unverified' } });
  });

  it('gives verdicts by the merchant status, the blocklist and lookalikes', async () => {
    const id = await createMerchant('Taobao', ['taobao.com']);
    await createMerchant('Pending', ['pending-shop.com'], 'pending');
    expect(await verdictOf('https://item.taobao.com/x?id=1')).toEqual({
      status: 200,
      json: { url: 'https://item.taobao.com/x?id=1', host: 'item.taobao.com', registrableDomain: 'taobao.com', verdict: 'verified', merchant: { id, name: 'Taobao', verified: true } },
    });
    expect(await verdictOf('https://pending-shop.com/')).toMatchObject({ json: { verdict: 'unverified', reason: 'pending' } });
    expect(await verdictOf('https://taobao.com.evil.tld/')).toMatchObject({ json: { verdict: 'blocked', reason: 'lookalike', imitates: 'taobao.com' } });

    expect((await call('POST', '/v1/blocklist', { domain: 'Evil.TLD', reason: 'phishing kit' })).status).toBe(201);
    expect(await verdictOf('https://a.b.evil.tld/')).toMatchObject({ json: { verdict: 'blocked', reason: 'phishing', host: 'a.b.evil.tld' } });
    expect((await call('DELETE', '/v1/blocklist/evil.tld')).status).toBe(204);
    expect(await verdictOf('https://a.b.evil.tld/')).toMatchObject({ json: { verdict: 'unverified' } });
    expect(await call('DELETE', '/v1/blocklist/evil.tld')).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
  });

  it('answers a batch in order, bad entries one by one', async () => {
    await createMerchant('Taobao', ['taobao.com']);
    const res = await call('POST', '/v1/verdicts', { urls: ['https://taobao.com/', 'ftp://taobao.com/', 'http://127.1/', 'not a url'] }, null);
    expect(res.status).toBe(200);
    const { verdicts } = res.json as { verdicts: Record<string, unknown>[] };
    expect(verdicts.map((v) => v.verdict ?? (v.error as { code: string }).code)).toEqual(['verified', 'invalid_input', 'unverified', 'invalid_input']);
    expect(verdicts.map((v) => v.url)).toEqual(['https://taobao.com/', 'ftp://taobao.com/', 'http://127.1/', 'not a url']);

    const tooMany = await call('POST', '/v1/verdicts', { urls: Array.from({ length: 101 }, (_, i) => `https://s${i}.com/`) }, null);
    expect(tooMany).toMatchObject({ status: 400, json: { error: { code: 'invalid_input' } } });
    expect(await call('POST', '/v1/verdicts', { urls: [1] }, null)).toMatchObject({ status: 400 });
  });

  it('refuses bad input with coded errors', async () => {
    expect(await verdictOf('javascript:alert(1)')).toMatchObject({ status: 400, json: { error: { code: 'invalid_input' } } });
    expect(await call('GET', '/v1/verdict', undefined, null)).toMatchObject({ status: 400, json: { error: { code: 'invalid_input' } } });
    expect(await call('POST', '/v1/merchants', '{"name":')).toMatchObject({ status: 400, json: { error: { code: 'invalid_input' } } });
    for (const domains of [['https://shop.com/'], ['co.uk'], ['github.io'], ['127.0.0.1'], ['localhost'], ['shop.com:8080'], []]) {
      expect(await call('POST', '/v1/merchants', { name: 'X', domains, status: 'verified' })).toMatchObject({ status: 400, json: { error: { code: 'invalid_input' } } });
    }
    expect(await call('POST', '/v1/merchants', { name: 'X', domains: ['x.com'], status: 'approved' })).toMatchObject({ status: 400 });
    // A merchant's name is shown beside its badge: the rules of a display name.
    for (const name of ['   ', 'Jade\u0000Garden', 'Jade\u202eGarden', 'Jade\u2028Garden', 'x'.repeat(129)]) {
      expect(await call('POST', '/v1/merchants', { name, domains: ['name-rules.com'], status: 'verified' })).toMatchObject({ status: 400, json: { error: { code: 'invalid_input' } } });
    }
    expect(await call('POST', '/v1/blocklist', { domain: 'evil.tld' })).toMatchObject({ status: 400 });
    expect(await call('POST', '/v1/blocklist', { domain: 'com', reason: 'r' })).toMatchObject({ status: 400 });
    const huge = JSON.stringify({ urls: ['x'.repeat(70 * 1024)] });
    expect(await call('POST', '/v1/verdicts', huge, null)).toMatchObject({ status: 413, json: { error: { code: 'too_large' } } });
    expect(await call('GET', '/v1/nothing', undefined, null)).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
    expect(await call('GET', '/v1/merchants/m_missing', undefined, null)).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
    expect(await call('PATCH', '/v1/merchants/m_missing', { name: 'Y' })).toMatchObject({ status: 404, json: { error: { code: 'not_found' } } });
  });

  it('takes a host with an empty label (a..b) as having no registrable domain: the host is its own', async () => {
    expect(await verdictOf('https://a..b/')).toMatchObject({ status: 200, json: { verdict: 'unverified', host: 'a..b', registrableDomain: 'a..b' } });
  });

  it('gives any URL that parses a verdict, however long, alone or in a batch', async () => {
    const long = `https://www.example.org/${'a/'.repeat(3000)}`;
    expect(await verdictOf(long)).toMatchObject({ status: 200, json: { url: long, verdict: 'unverified', host: 'www.example.org' } });
    const batch = await call('POST', '/v1/verdicts', { urls: [long, 'not a url', 'https://./'] }, null);
    expect(batch.status).toBe(200);
    expect(batch.json).toMatchObject({ verdicts: [{ url: long, verdict: 'unverified' }, { url: 'not a url', error: { code: 'invalid_input' } }, { url: 'https://./', verdict: 'unverified' }] });
  });

  it('requires the admin token on admin calls', async () => {
    const body = { name: 'X', domains: ['x-shop.com'], status: 'verified' };
    for (const token of [null, 'wrong', `${TOKEN}x`, '']) {
      expect(await call('POST', '/v1/merchants', body, token)).toMatchObject({ status: 401, json: { error: { code: 'unauthorized' } } });
    }
    const id = await createMerchant('X', ['x-shop.com']);
    expect(await call('PATCH', `/v1/merchants/${id}`, { name: 'Y' }, 'wrong')).toMatchObject({ status: 401 });
    expect(await call('POST', '/v1/blocklist', { domain: 'evil.tld', reason: 'r' }, null)).toMatchObject({ status: 401 });
    expect(await call('DELETE', '/v1/blocklist/evil.tld', undefined, null)).toMatchObject({ status: 401 });
    expect((await call('GET', `/v1/merchants/${id}`, undefined, null)).status).toBe(200);
  });

  it('answers 409 when a domain already belongs to another merchant', async () => {
    const first = await createMerchant('First', ['first.com', 'shared.com']);
    expect(await call('POST', '/v1/merchants', { name: 'Second', domains: ['Shared.com'], status: 'pending' })).toMatchObject({ status: 409 });
    const second = await createMerchant('Second', ['second.com']);
    expect(await call('PATCH', `/v1/merchants/${second}`, { domains: ['second.com', 'first.com'] })).toMatchObject({ status: 409 });
    expect((await call('PATCH', `/v1/merchants/${first}`, { domains: ['shared.com', 'first.com'] })).status).toBe(200);
  });

  it('keeps merchants and the blocklist across a restart', async () => {
    const id = await createMerchant('Taobao', ['taobao.com']);
    await call('POST', '/v1/blocklist', { domain: 'evil.tld', reason: 'phishing' });
    await server.close();
    server = await startVerifyServer({ host: '127.0.0.1', port: 0, dataDir, adminToken: TOKEN });
    expect(await verdictOf('https://taobao.com/')).toMatchObject({ json: { verdict: 'verified', merchant: { id } } });
    expect(await verdictOf('https://taobao.net/')).toMatchObject({ json: { verdict: 'blocked', reason: 'lookalike' } });
    expect(await verdictOf('https://x.evil.tld/')).toMatchObject({ json: { verdict: 'blocked', reason: 'phishing' } });
  });
});
