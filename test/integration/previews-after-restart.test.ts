/**
 * A message's previews still pending when the server stops (the verification service had not
 * answered yet) are resolved once the message is read after a restart, and announced as the
 * first resolution would have been: without that, a phishing warning never came.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createLinkServices } from '../../server/links/link-pipeline';
import { startVerifyServer } from '../../server/verify/verify-server';
import { makeTempDir } from './helpers/chat-server';
import { createChatWorld } from './helpers/chat-world';
import { closeHttpServer } from './helpers/http';
import { call, waitForEvent } from './helpers/sockets';

const ADMIN = 'restart-previews-admin-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A verification service that never answers: previews stay pending while it is asked. */
async function silentService(): Promise<string> {
  const server = http.createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => closeHttpServer(server));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('previews pending at a restart', () => {
  it('are resolved when the message is read again, and announced with message:updated', async () => {
    const dir = await makeTempDir('wanglai-restart-previews-');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const chatDir = path.join(dir, 'chat');
    const url = 'https://login.phish-after-restart.example/verify';

    // First run: the service never answers, and the server stops with the preview pending.
    const silent = createLinkServices({ verifyUrl: await silentService(), dataDir: chatDir, allowHttp: true, resolve: '', verifyTimeoutMs: 30_000 });
    const first = await createChatWorld({ dataDir: chatDir, links: silent.services, media: silent.media });
    const ann = await first.user({ username: 'ann_restart', password: 'restart password', displayName: 'Ann' });
    const bo = await first.user({ username: 'bo_restart', password: 'restart password', displayName: 'Bo' });
    const { conversation } = await first.contacts(ann, bo);
    const { message } = await call(ann.socket, 'messages:send', { conversationId: conversation.id, clientId: 'restart-preview-1', text: `careful: ${url}` });
    expect(message.links).toEqual([{ url, state: 'pending' }]);
    await first.close();
    await silent.close();

    // Second run: a working service that blocks the domain.
    const verify = await startVerifyServer({ host: '127.0.0.1', port: 0, dataDir: path.join(dir, 'verify'), adminToken: ADMIN });
    cleanups.push(() => verify.close());
    const blocked = await fetch(`${verify.url}/v1/blocklist`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'phish-after-restart.example', reason: 'phishing kit' }),
    });
    expect(blocked.status).toBe(201);
    const working = createLinkServices({ verifyUrl: verify.url, dataDir: chatDir, allowHttp: true, resolve: '' });
    cleanups.push(() => working.close());
    const second = await createChatWorld({ dataDir: chatDir, links: working.services, media: working.media });
    cleanups.push(() => second.close());
    // The session survives the restart: Bo's token opens a socket on the new server.
    const bo2 = await second.device(bo);
    const updated = waitForEvent(bo2, 'message:updated', { filter: (u) => u.messageId === message.id });
    const pendingPage = await call(bo2, 'messages:history', { conversationId: conversation.id });
    expect(pendingPage.messages.find((m) => m.id === message.id)?.links).toEqual([{ url, state: 'pending' }]);
    expect((await updated).links).toMatchObject([{ url, state: 'blocked', reason: 'phishing' }]);
    const page = await call(bo2, 'messages:history', { conversationId: conversation.id });
    expect(page.messages.find((m) => m.id === message.id)?.links).toMatchObject([{ url, state: 'blocked', reason: 'phishing' }]);
  });
});
