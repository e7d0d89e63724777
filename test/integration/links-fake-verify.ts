/**
 * A tiny stand-in for the verification service (PROTOCOL.md §4): a real HTTP server on a free
 * port answering canned verdicts by host, so the link pipeline's tests do not depend on the
 * real service. Hosts can be told to hang, fail or answer nonsense.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServer } from './helpers/http';

export interface FakeVerify {
  url: string;
  /** Every request path received, in order. */
  requests: string[];
  close(): Promise<void>;
}

const JADE = { id: 'm-jade', name: '玉园茶舍 Jade Garden', verified: true };
const SECURE = { id: 'm-secure', name: 'Secure Tea', verified: true };
const OTHER = { id: 'm-other', name: 'Other Verified Shop', verified: true };

const MERCHANTS: Record<string, unknown> = {
  'm-jade': { id: 'm-jade', name: JADE.name, domains: ['jade-garden.shop'], status: 'verified', createdAt: 1 },
  'm-secure': { id: 'm-secure', name: SECURE.name, domains: ['secure-shop.test'], status: 'verified', createdAt: 1 },
  'm-other': { id: 'm-other', name: OTHER.name, domains: ['other-verified.shop'], status: 'verified', createdAt: 1 },
  'm-gone': { id: 'm-gone', name: 'Suspended Teas', domains: ['suspended.shop'], status: 'suspended', createdAt: 1 },
};

type Canned = Record<string, unknown> | 'hang' | 'error' | 'garbage';

function verdictFor(raw: string): Canned {
  let host: string;
  try {
    host = new URL(raw).hostname;
  } catch {
    return { url: raw, verdict: 'unverified' };
  }
  const base = { url: raw, host, registrableDomain: host };
  switch (host) {
    case 'jade-garden.shop':
    case 'www.jade-garden.shop':
      return { ...base, verdict: 'verified', merchant: JADE };
    case 'secure-shop.test':
      return { ...base, verdict: 'verified', merchant: SECURE };
    case 'other-verified.shop':
      return { ...base, verdict: 'verified', merchant: OTHER };
    case 'jade-garden-secure.shop':
      return { ...base, verdict: 'blocked', reason: 'lookalike', imitates: 'jade-garden.shop' };
    case 'suspended.shop':
      return { ...base, verdict: 'blocked', reason: 'suspended', merchant: { id: 'm-gone', name: 'Suspended Teas', verified: false } };
    case 'no-merchant.shop':
      return { ...base, verdict: 'verified' };
    case 'hang.shop':
      return 'hang';
    case 'error.shop':
      return 'error';
    case 'garbage.shop':
      return 'garbage';
    default:
      return { ...base, verdict: 'unverified' };
  }
}

export async function startFakeVerify(): Promise<FakeVerify> {
  const requests: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  const send = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const answer = (res: http.ServerResponse, canned: Canned): void => {
    if (canned === 'hang') hanging.add(res);
    else if (canned === 'error') send(res, 500, { error: { code: 'internal', message: 'boom' } });
    else if (canned === 'garbage') res.writeHead(200, { 'content-type': 'application/json' }).end('{"verdict": "verified", "url": ');
    else send(res, 200, canned);
  };
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method === 'GET' && url.pathname === '/v1/verdict') {
      answer(res, verdictFor(url.searchParams.get('url') ?? ''));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/v1/verdicts') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { urls } = JSON.parse(body) as { urls: string[] };
        const canned = urls.map(verdictFor);
        const special = canned.find((c): c is 'hang' | 'error' | 'garbage' => typeof c === 'string');
        if (special) answer(res, special);
        else send(res, 200, { verdicts: canned });
      });
      return;
    }
    const merchant = /^\/v1\/merchants\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && merchant) {
      const found = MERCHANTS[decodeURIComponent(merchant[1] ?? '')];
      if (found) send(res, 200, { merchant: found });
      else send(res, 404, { error: { code: 'not_found', message: 'no such merchant' } });
      return;
    }
    send(res, 404, { error: { code: 'not_found', message: 'no route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      for (const res of hanging) res.destroy();
      return closeHttpServer(server);
    },
  };
}
