import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type VerifyClient, createVerifyClient } from '../../../server/links/verify-client';

type Reply = { status: number; body: string } | 'hang';

const servers: http.Server[] = [];
const clients: VerifyClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise((r) => {
          s.close(r);
          s.closeAllConnections();
        }),
    ),
  );
});

/** A verifier answering every request with what `reply` says, counting requests. */
async function verifier(reply: (path: string, body: string) => Reply): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const answer = reply(req.url ?? '', body);
      if (answer !== 'hang') res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function client(baseUrl: string, timeoutMs = 300): VerifyClient {
  const c = createVerifyClient({ baseUrl, timeoutMs, cacheTtlMs: 60_000 });
  clients.push(c);
  return c;
}

const verified = (url: string) => JSON.stringify({ url, verdict: 'verified', merchant: { id: 'm1', name: 'Jade', verified: true }, host: 'jade.shop', registrableDomain: 'jade.shop' });
const U = 'https://jade.shop/a';
const UNAVAILABLE = { url: U, verdict: 'unverified', reason: 'verification_unavailable' };

describe('verify client', () => {
  it('caches answers and asks once for concurrent questions about one URL', async () => {
    const v = await verifier(() => ({ status: 200, body: verified(U) }));
    const c = client(v.url);
    const answers = await Promise.all(Array.from({ length: 8 }, () => c.verdict(U)));
    await c.verdict(U);
    expect(answers.every((a) => a.verdict === 'verified')).toBe(true);
    expect(v.seen).toHaveLength(1);
    await c.verdict(U, { fresh: true });
    expect(v.seen).toHaveLength(2);
  });

  it('asks for several URLs in one batch and keeps their order', async () => {
    const v = await verifier((_p, body) => {
      const { urls } = JSON.parse(body) as { urls: string[] };
      return { status: 200, body: JSON.stringify({ verdicts: urls.map((url, i) => (i === 1 ? { url, error: { code: 'invalid_input', message: 'x' } } : { url, verdict: 'blocked', reason: 'phishing' })) }) };
    });
    const answers = await client(v.url).verdicts(['https://a.shop/', 'https://b.shop/', 'https://c.shop/']);
    expect(answers).toEqual([
      { url: 'https://a.shop/', verdict: 'blocked', reason: 'phishing' },
      { url: 'https://b.shop/', verdict: 'unverified', reason: 'verification_unavailable' },
      { url: 'https://c.shop/', verdict: 'blocked', reason: 'phishing' },
    ]);
    expect(v.seen).toEqual(['POST /v1/verdicts']);
  });

  it.each<[string, Reply]>([
    ['a timeout', 'hang'],
    ['a server error', { status: 500, body: '{"error":{"code":"internal","message":"x"}}' }],
    ['a 400', { status: 400, body: '{"error":{"code":"invalid_input","message":"x"}}' }],
    ['malformed JSON', { status: 200, body: '{"verdict":' }],
    ['an unknown verdict', { status: 200, body: JSON.stringify({ url: U, verdict: 'probably-fine' }) }],
    ['verified without a merchant', { status: 200, body: JSON.stringify({ url: U, verdict: 'verified' }) }],
    ['verified with an unverified merchant', { status: 200, body: JSON.stringify({ url: U, verdict: 'verified', merchant: { id: 'm', name: 'n', verified: false } }) }],
    ['verified with a suspended merchant record', { status: 200, body: JSON.stringify({ url: U, verdict: 'verified', merchant: { id: 'm', name: 'n', status: 'suspended' } }) }],
    ['an answer over 512 KiB', { status: 200, body: JSON.stringify({ url: U, verdict: 'blocked', reason: 'phishing', padding: 'x'.repeat(600 * 1024) }) }],
  ])('fails closed on %s, and does not cache it', async (_name, reply) => {
    const v = await verifier(() => reply);
    const c = client(v.url, 200);
    const started = Date.now();
    expect(await c.verdict(U)).toEqual(UNAVAILABLE);
    expect(Date.now() - started).toBeLessThan(1000);
    await c.verdict(U);
    expect(v.seen).toHaveLength(2);
  });

  it('fails closed on a 400 at click time too (rule 1 is checked before asking), and asks a long URL in a POST body', async () => {
    const refused = JSON.stringify({ error: { code: 'invalid_input', message: 'the URL has no host' } });
    const long = `https://shop.example/${'x'.repeat(9000)}`;
    const v = await verifier((path) =>
      path.includes('refused') ? { status: 400, body: refused } : path === '/v1/verdicts' ? { status: 200, body: JSON.stringify({ verdicts: [JSON.parse(verified(long)) as unknown] }) } : { status: 200, body: verified(U) },
    );
    const c = client(v.url);
    expect(await c.verdict('https://refused./', { fresh: true })).toEqual({ url: 'https://refused./', verdict: 'unverified', reason: 'verification_unavailable' });
    expect(await c.verdict(U, { fresh: true })).toMatchObject({ verdict: 'verified' });
    expect(await c.verdict(long, { fresh: true })).toMatchObject({ url: long, verdict: 'verified' });
    expect(v.seen.at(-1)).toBe('POST /v1/verdicts');
  });

  it('matches batch answers to URLs by their url field: out of order or about other URLs, they fail closed', async () => {
    const urls = ['https://evil.shop/p', 'https://jade.shop/p'];
    const answers = { 'https://evil.shop/p': { url: 'https://evil.shop/p', verdict: 'blocked', reason: 'phishing' }, 'https://jade.shop/p': JSON.parse(verified('https://jade.shop/p')) as unknown };
    const reversed = await verifier(() => ({ status: 200, body: JSON.stringify({ verdicts: [...urls].reverse().map((u) => answers[u as keyof typeof answers]) }) }));
    expect(await client(reversed.url).verdicts(urls)).toEqual(urls.map((url) => ({ url, verdict: 'unverified', reason: 'verification_unavailable' })));
    // The same URL echoed in its normalised form is the same URL.
    const normalised = await verifier((_p, body) => ({
      status: 200,
      body: JSON.stringify({ verdicts: (JSON.parse(body) as { urls: string[] }).urls.map((u) => JSON.parse(verified(new URL(u).href)) as unknown) }),
    }));
    const answered = await client(normalised.url).verdicts(['HTTPS://JADE.shop', 'https://jade.shop/b']);
    expect(answered.map((a) => a.verdict)).toEqual(['verified', 'verified']);
    expect(answered.map((a) => a.url)).toEqual(['HTTPS://JADE.shop', 'https://jade.shop/b']);
  });

  it('stops reading an answer that never ends once it passes the cap, long before the deadline', async () => {
    // A body streamed without end and without a length: only the cap can end this question
    // before the (one minute) deadline; the test's own timeout would fail it otherwise.
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', closed);
      res.write('{"url":"https://jade.shop/a","verdict":"unverified","padding":"');
      pump();
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const c = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 60_000);
    expect(await c.verdict(U)).toEqual(UNAVAILABLE);
    await serverSawClose;
  });

  it('fails closed when nothing listens', async () => {
    const v = await verifier(() => 'hang');
    const dead = v.url;
    await new Promise((r) => {
      const s = servers.pop();
      s?.close(r);
      s?.closeAllConnections();
    });
    expect(await client(dead).verdict(U)).toEqual(UNAVAILABLE);
    expect(await client(dead).merchant('m1')).toEqual({ ok: false, reason: 'unavailable' });
  });

  it('keeps the URL asked, drops unknown reasons, keeps known fields', async () => {
    const v = await verifier(() => ({ status: 200, body: JSON.stringify({ url: 'https://normalised/', verdict: 'blocked', reason: 'new-reason', host: 'x', imitates: 'jade.shop', extra: 1 }) }));
    expect(await client(v.url).verdict(U)).toEqual({ url: U, verdict: 'blocked', host: 'x', imitates: 'jade.shop' });
  });

  it('maps a merchant record to a MerchantRef', async () => {
    const v = await verifier((p) =>
      p.endsWith('/m1')
        ? { status: 200, body: JSON.stringify({ merchant: { id: 'm1', name: 'Jade', domains: ['jade.shop'], status: 'verified', createdAt: 1 } }) }
        : { status: 404, body: '{"error":{"code":"not_found","message":"x"}}' },
    );
    const c = client(v.url);
    expect(await c.merchant('m1')).toEqual({ ok: true, merchant: { id: 'm1', name: 'Jade', verified: true } });
    expect(await c.merchant('../admin')).toEqual({ ok: false, reason: 'not_found' });
    expect(v.seen).toContain('GET /v1/merchants/..%2Fadmin');
  });
});

describe('verify client batches', () => {
  it('splits more than 100 URLs into batches the service accepts', async () => {
    const v = await verifier((_p, body) => {
      const { urls } = JSON.parse(body) as { urls: string[] };
      if (urls.length > 100) return { status: 400, body: '{"error":{"code":"invalid_input","message":"too many"}}' };
      return { status: 200, body: JSON.stringify({ verdicts: urls.map((url) => ({ url, verdict: 'unverified' })) }) };
    });
    const urls = Array.from({ length: 150 }, (_, i) => `https://s${i}.shop/`);
    const answers = await client(v.url).verdicts(urls);
    expect(answers.map((a) => a.url)).toEqual(urls);
    expect(answers.every((a) => a.verdict === 'unverified' && a.reason === undefined)).toBe(true);
    expect(v.seen).toEqual(['POST /v1/verdicts', 'POST /v1/verdicts']);
  });

  it('keeps each batch body under the service’s 64 KiB, however long the URLs', async () => {
    const bodies: number[] = [];
    const v = await verifier((_p, body) => {
      bodies.push(Buffer.byteLength(body));
      if (Buffer.byteLength(body) > 64 * 1024) return { status: 413, body: '{"error":{"code":"too_large","message":"too large"}}' };
      const { urls } = JSON.parse(body) as { urls: string[] };
      return { status: 200, body: JSON.stringify({ verdicts: urls.map((url) => ({ url, verdict: 'unverified' })) }) };
    });
    const urls = Array.from({ length: 100 }, (_, i) => `https://s${i}.shop/${'p'.repeat(1500)}`);
    const answers = await client(v.url, 2000).verdicts(urls);
    expect(answers.every((a) => a.verdict === 'unverified' && a.reason === undefined)).toBe(true);
    expect(bodies.length).toBeGreaterThan(1);
    expect(Math.max(...bodies)).toBeLessThanOrEqual(64 * 1024);
  });
});
