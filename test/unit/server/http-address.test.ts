/**
 * The address a route is given is the peer's as the request arrived: a client that resets its
 * connection right after sending had none by the time the body was read, and those requests all
 * shared the key `unknown`, outside their address's registration and login limits (an audit
 * registered 40 accounts from an address whose budget was spent).
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../server/chat/logger';
import { createHttpHandler, keepPeerAddresses } from '../../../server/http/http-handler';
import { Router } from '../../../server/http/router';
import { StaticFiles } from '../../../server/web/static-files';

describe('the address a route is given', () => {
  let server: Server | undefined;
  let webRoot: string | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    if (webRoot !== undefined) await rm(webRoot, { recursive: true, force: true });
  });

  it('is the peer address of a request whose connection was reset as soon as it was sent', async () => {
    webRoot = await mkdtemp(path.join(os.tmpdir(), 'wanglai-web-'));
    const seen: string[] = [];
    const router = new Router().add('POST', '/api/v1/register', ({ address }) => {
      seen.push(address);
      return { status: 201, body: {} };
    });
    server = createServer(createHttpHandler(router, new StaticFiles(webRoot), silentLogger));
    keepPeerAddresses(server);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const body = JSON.stringify({ username: 'reset-after-send', password: 'password123', displayName: 'x' });
    const client = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.5' }, () => {
      client.write(`POST /api/v1/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`, () => client.resetAndDestroy());
    });
    client.on('error', () => undefined);
    await expect.poll(() => seen).toHaveLength(1);
    expect(seen).toEqual(['127.0.0.5']);
  });
});
