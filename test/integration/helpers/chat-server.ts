/**
 * Starts a real chat server for a test: port 0, a fresh temp data dir, a cheap scrypt cost.
 * `close()` shuts the server down and removes the directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startChatServer } from '../../../server/chat-server';
import type { ChatServerOptions, RunningChatServer } from '../../../server/chat-server';
import { consoleLogger, silentLogger } from '../../../server/chat/logger';
import type { ScryptCost } from '../../../server/chat/passwords';

/** Far below production (see DEFAULT_SCRYPT_COST): tests register many users. */
export const TEST_SCRYPT_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer {
  url: string;
  server: RunningChatServer;
  dataDir: string;
  close(): Promise<void>;
}

export async function makeTempDir(prefix = 'wanglai-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * Options default to: 127.0.0.1, port 0, a new temp dir, TEST_ADMIN_TOKEN, TEST_SCRYPT_COST, and
 * no logging unless WANGLAI_TEST_LOG=1 (then server errors go to the console).
 */
export async function startTestServer(options: Partial<ChatServerOptions> = {}): Promise<TestServer> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await makeTempDir());
  const server = await startChatServer({
    host: '127.0.0.1',
    port: 0,
    adminToken: TEST_ADMIN_TOKEN,
    scryptCost: TEST_SCRYPT_COST,
    logger: process.env.WANGLAI_TEST_LOG === '1' ? consoleLogger : silentLogger,
    ...options,
    dataDir,
  });
  return {
    url: server.url,
    server,
    dataDir,
    close: async () => {
      await server.close();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
