import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinkOpener } from '../../main/open-external';
import type { LinkVerdict } from '../../protocol';

const TOKEN = 'token-of-alice';
let server: Server;
let serverUrl: string;
const asked: string[] = [];

/** A stand-in chat server answering GET /api/v1/links/verdict as PROTOCOL.md §2 says. */
beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api/v1/links/verdict' || request.method !== 'GET') {
      response.writeHead(404).end();
      return;
    }
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'unauthorized', message: 'no' } }));
      return;
    }
    const target = url.searchParams.get('url') ?? '';
    asked.push(target);
    const host = new URL(target).hostname;
    let verdict: LinkVerdict;
    if (host === 'shop.verified.example') verdict = { url: target, verdict: 'verified' };
    else if (host === 'phish.example') verdict = { url: target, verdict: 'blocked', reason: 'phishing' };
    else if (host === 'unknowable.example') verdict = { url: target, verdict: 'unverified', reason: 'verification_unavailable' };
    else if (host === 'pending-shop.example') verdict = { url: target, verdict: 'unverified', reason: 'pending' };
    else if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) verdict = { url: target, verdict: 'unverified', reason: 'ip_host' };
    else verdict = { url: target, verdict: 'unverified' };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(verdict));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

function opener(options: { url?: string; token?: string | undefined } = {}) {
  const opened: string[] = [];
  const open = createLinkOpener({
    serverUrl: options.url ?? serverUrl,
    token: async () => ('token' in options ? options.token : TOKEN),
    openExternal: async (url) => void opened.push(url),
    timeoutMs: 2000,
  });
  return { open, opened };
}

describe('the link policy', () => {
  it('opens a verified link after asking the server', async () => {
    const { open, opened } = opener();
    asked.length = 0;
    expect(await open('https://shop.verified.example/item/1')).toEqual({ opened: true });
    expect(opened).toEqual(['https://shop.verified.example/item/1']);
    expect(asked).toEqual(['https://shop.verified.example/item/1']);
  });

  it.each(['http://blog.example/post', 'http://10.0.0.1/router-login', 'https://pending-shop.example/pay'])(
    'refuses %s, unverified though not blocked, as no longer verified',
    async (url) => {
      const { open, opened } = opener();
      asked.length = 0;
      expect(await open(url)).toEqual({ opened: false, reason: 'no_longer_verified' });
      expect(asked).toEqual([url]);
      expect(opened).toEqual([]);
    },
  );

  it('opens an unverified link once the user accepted the risk on the interstitial', async () => {
    const { open, opened } = opener();
    expect(await open('http://10.0.0.1/router-login', { acceptRisk: true })).toEqual({ opened: true });
    expect(opened).toEqual(['http://10.0.0.1/router-login']);
  });

  it('asks afresh on every click', async () => {
    const { open } = opener();
    asked.length = 0;
    await open('https://shop.verified.example/a');
    await open('https://shop.verified.example/a');
    expect(asked).toHaveLength(2);
  });

  it('refuses a blocked link, and opens it once the user accepted the risk', async () => {
    const { open, opened } = opener();
    expect(await open('https://phish.example/login')).toEqual({ opened: false, reason: 'blocked' });
    expect(opened).toEqual([]);
    expect(await open('https://phish.example/login', { acceptRisk: true })).toEqual({ opened: true });
    expect(opened).toEqual(['https://phish.example/login']);
  });

  it('refuses when the server says it could not verify', async () => {
    const { open, opened } = opener();
    expect(await open('https://unknowable.example/')).toEqual({ opened: false, reason: 'verification_unavailable' });
    expect(opened).toEqual([]);
  });

  it('refuses when the server is down, unless the user accepted the risk', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const { open, opened } = opener({ url: `http://127.0.0.1:${port}` });
    expect(await open('https://shop.verified.example/')).toEqual({ opened: false, reason: 'verification_unavailable' });
    expect(await open('https://shop.verified.example/', { acceptRisk: true })).toEqual({ opened: true });
    expect(opened).toEqual(['https://shop.verified.example/']);
  });

  it('refuses when nobody is signed in or the token is refused', async () => {
    expect(await opener({ token: undefined }).open('https://shop.verified.example/')).toEqual({ opened: false, reason: 'verification_unavailable' });
    expect(await opener({ token: 'wrong' }).open('https://shop.verified.example/')).toEqual({ opened: false, reason: 'verification_unavailable' });
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'smb://host/share', 'wanglai://share?text=x', 'ms-settings:', 'not a url', ''])(
    'never opens %s, whatever the user accepted',
    async (url) => {
      const { open, opened } = opener();
      asked.length = 0;
      expect(await open(url, { acceptRisk: true })).toEqual({ opened: false, reason: 'invalid_url' });
      expect(opened).toEqual([]);
      expect(asked).toEqual([]);
    },
  );
});
