/**
 * Requests Node's HTTP parser refuses before any handler runs still get the contract's error
 * body (server/http/client-errors.ts), on the chat server and on the verification service, and
 * both keep serving. Sent over raw TCP: no HTTP client would write these bytes.
 */
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrors } from '../../server/http/client-errors';
import { startVerifyServer, type RunningVerifyServer } from '../../server/verify/verify-server';
import { makeTempDir, startTestServer, type TestServer } from './helpers/chat-server';

interface RawAnswer {
  status: number;
  headers: string;
  body: unknown;
}

/**
 * Writes `bytes` to the server and reads until it closes the connection. `halfClose` ends the
 * client's side at once; without it the request must say `Connection: close` (Node drops a
 * request still being answered when its client half-closes).
 */
function sendRaw(baseUrl: string, bytes: string, halfClose = true): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const rest = split < 0 ? '' : text.slice(split + 4);
      let body: unknown = rest;
      try {
        body = JSON.parse(rest) as unknown;
      } catch {
        // kept as text: the assertion shows what came back
      }
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body });
    });
    if (halfClose) socket.end(bytes);
    else socket.write(bytes);
  });
}

const errorOf = (answer: RawAnswer) => (answer.body as { error?: { code?: string; message?: unknown } }).error;

const CASES: [string, string, number, string][] = [
  ['a Content-Length too large to read', 'POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n{}', 413, 'too_large'],
  ['a Content-Length that is not a number', 'POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}', 400, 'invalid_input'],
  ['a header line without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 400, 'invalid_input'],
  ['a garbage request line', 'HELLO THERE\r\n\r\n', 400, 'invalid_input'],
  ['a bad chunk size', 'POST /api/v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n', 400, 'invalid_input'],
  ['headers over 16 KiB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'too_large'],
  ['an HTTP/1.1 request without Host', 'POST /api/v1/login HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}', 400, 'invalid_input'],
  ['an Expect other than 100-continue', 'POST /api/v1/login HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\n{}', 417, 'invalid_input'],
  ['a CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 405, 'invalid_input'],
];

describe('requests the HTTP parser refuses', () => {
  let chat: TestServer;
  let verify: RunningVerifyServer;
  let verifyDir: string;
  beforeAll(async () => {
    chat = await startTestServer();
    verifyDir = await makeTempDir('wanglai-verify-');
    verify = await startVerifyServer({ host: '127.0.0.1', port: 0, dataDir: verifyDir, adminToken: 'verify-admin-token-0123456789' });
  });
  afterAll(async () => {
    await chat.close();
    await verify.close();
    await rm(verifyDir, { recursive: true, force: true });
  });

  it.each(CASES)('chat server: %s gets the error body', async (_name, bytes, status, code) => {
    const answer = await sendRaw(chat.url, bytes);
    expect(answer.status).toBe(status);
    expect(errorOf(answer)?.code).toBe(code);
    expect(typeof errorOf(answer)?.message).toBe('string');
    expect(answer.headers).toMatch(/\r\ncontent-type: application\/json/i);
    expect(answer.headers).toMatch(/\r\nx-content-type-options: nosniff/i);
    // and the server goes on serving
    expect((await fetch(`${chat.url}/healthz`)).status).toBe(200);
  });

  it.each(CASES)('verification service: %s gets the error body', async (_name, bytes, status, code) => {
    // The same requests at one of the service's own routes, which reads its body.
    const answer = await sendRaw(verify.url, bytes.replace('/api/v1/login', '/v1/verdicts'));
    expect(answer.status).toBe(status);
    expect(errorOf(answer)?.code).toBe(code);
    expect((await fetch(`${verify.url}/healthz`)).status).toBe(200);
  });

  it('answers a request asking for another protocol (h2c, websocket) outside /socket.io/ as a plain request', async () => {
    const h2c = await sendRaw(chat.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n');
    expect([h2c.status, h2c.body]).toEqual([200, { ok: true }]);
    const body = JSON.stringify({ username: `upgrade_${Date.now().toString(36)}`, password: 'long enough secret', displayName: 'Upgrade' });
    const registered = await sendRaw(chat.url, `POST /api/v1/register HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\nUpgrade: websocket\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, false);
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ user: { displayName: 'Upgrade' }, token: expect.any(String) as unknown });
    // Keep-alive after it: the next request on the connection is answered too.
    const two = await sendRaw(chat.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, Upgrade\r\nUpgrade: h2c\r\n\r\nGET /api/v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(two.status).toBe(200);
    expect(String(two.body)).toContain('"not_found"');
  });

  it('keeps a well-formed request on the same connection unaffected', async () => {
    const answer = await sendRaw(chat.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: true });
  });
});

/**
 * Opens a connection to `server` that never reads and never closes its side (a slowloris peer),
 * writes `bytes`, and resolves with the server's side of it once that closes. Without the server
 * closing it, the test times out.
 */
async function refusedAndClosed(server: Server, bytes: string): Promise<string> {
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const { port } = server.address() as AddressInfo;
  const peer = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  peer.pause();
  peer.write(bytes);
  const [serverSide] = await accepted;
  if (!serverSide.closed) await once(serverSide, 'close');
  // The answer was handed over before the server let go: it is there to read.
  const parts: Buffer[] = [];
  peer.on('data', (chunk: Buffer) => parts.push(chunk));
  peer.resume();
  await once(peer, 'end');
  peer.destroy();
  return Buffer.concat(parts).toString('utf8');
}

describe('a connection refused by the parser or the request deadline', () => {
  it('is closed by the chat server even when the peer never reads or closes it', async () => {
    const chat = await startTestServer();
    try {
      const answer = await refusedAndClosed(chat.server.io.httpServer, 'HELLO THERE\r\n\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect((await fetch(`${chat.url}/healthz`)).status).toBe(200);
    } finally {
      await chat.close();
    }
  }, 10_000);

  it('is closed after a 408 even when the peer never reads or closes it', async () => {
    // Deadlines far below the chat server's, so that the test does not wait 10 s for one.
    const server = createServer({ headersTimeout: 200, requestTimeout: 400, connectionsCheckingInterval: 50 });
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await refusedAndClosed(server, 'GET /healthz HTTP/1.1\r\nHost: x\r\n');
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 10_000);
});

describe('the URL a server announces', () => {
  it('keeps a configured host name (localhost) and tells the port it bound', async () => {
    const server = await startTestServer({ host: 'localhost' });
    try {
      expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
      expect(server.url).not.toMatch(/:0$/);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
