/**
 * Wanglai's chat server as a server under test: started with startChatServer on a free port,
 * on the data directory the harness prepared (BENCH_WANGLAI_DATA_DIR), in the sync mode of
 * WANGLAI_SYNC (the server's own config parser reads it).
 *
 * Rate limits are raised: they are abuse policy, and a benchmark user sending thousands of
 * messages a second on purpose is not an abuser. Everything else is the server's default.
 */
import { startChatServer } from '../../server/chat-server';
import type { ChatLimitOverrides } from '../../server/chat/limits';
import type { Logger } from '../../server/chat/logger';
import { parseConfig } from '../../server/config';
import { BENCH_ADMIN_TOKEN } from '../clients/wanglai-population';
import { serveBench } from './bench-server';

const unlimited = { burst: 1e9, perSecond: 1e9 };
/** The load generator is one address and a few users doing what no person does: no limit may shape a figure. */
const BENCH_LIMITS: ChatLimitOverrides = {
  registrationsPerAddress: unlimited,
  registrationsTotal: unlimited,
  loginsPerAddress: unlimited,
  loginsPerUsername: unlimited,
  messagesPerUser: unlimited,
  contactRequestsPerUser: unlimited,
  groupChangesPerUser: unlimited,
  largeGroupChangesPerUser: unlimited,
  historyPagesPerUser: unlimited,
  listsPerUser: unlimited,
  verdictsPerUser: unlimited,
  readMarksPerUser: unlimited,
  eventsPerSocket: unlimited,
};

/** Errors reach the harness through stderr (shown when a server fails); routine lines are dropped. */
const errorsOnly: Logger = {
  info: () => undefined,
  error: (message, error) => console.error(message, error instanceof Error ? (error.stack ?? error.message) : (error ?? '')),
};

const dataDir = process.env.BENCH_WANGLAI_DATA_DIR;
if (dataDir === undefined || dataDir === '') throw new Error('BENCH_WANGLAI_DATA_DIR must name the data directory');
const config = parseConfig(process.env);

const server = await startChatServer({
  host: '127.0.0.1',
  port: 0,
  dataDir,
  adminToken: BENCH_ADMIN_TOKEN,
  limits: BENCH_LIMITS,
  sync: config.sync,
  logger: errorsOnly,
  // Building a template registers hundreds of users once; its hashes are never verified later
  // (the harness keeps the tokens), so the scrypt cost of that one step is lowered.
  ...(process.env.BENCH_TEMPLATE === '1' ? { scryptCost: { N: 2 ** 10, r: 8, p: 1 } } : {}),
});

serveBench(server.url, {}, () => server.close());
