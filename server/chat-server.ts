/**
 * The Wanglai chat server (DESIGN.md §2): HTTP API, Socket.IO, the SQLite store and the built
 * web client on one port. Everything a test, a benchmark or `server/main.ts` needs is an option.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Accounts } from './chat/accounts';
import type { ChatDeps } from './chat/chat-deps';
import { ContactsService } from './chat/contacts';
import { ConversationsService } from './chat/conversations';
import { DeviceKeys, loadDeviceKeySecret } from './chat/device-keys';
import type { Fanout } from './chat/fanout';
import { GroupsService } from './chat/groups';
import type { ChatLimitOverrides } from './chat/limits';
import { resolveLimits } from './chat/limits';
import type { Logger } from './chat/logger';
import { consoleLogger } from './chat/logger';
import { MemberCache } from './chat/member-cache';
import { announceMerchant } from './chat/announce-merchant';
import { type MerchantBadgeOptions, MerchantBadges } from './chat/merchant-badges';
import { MessageWriter } from './chat/message-writer';
import { MessagesService } from './chat/messages';
import type { ScryptCost } from './chat/passwords';
import { DEFAULT_SCRYPT_COST } from './chat/passwords';
import { searchUsers } from './chat/user-search';
import { addAccountRoutes } from './http/account-routes';
import { ANSWERED_HERE, answerClientErrors } from './http/client-errors';
import { createHttpHandler, keepPeerAddresses } from './http/http-handler';
import type { MediaResponder } from './http/http-handler';
import { addLinkRoutes } from './http/link-routes';
import { listenUrl } from './http/listen-url';
import { Router } from './http/router';
import type { LinkServices } from './links/link-services';
import { withDeadline } from './deadline';
import { EventDispatcher } from './socket/dispatch';
import { eventHandlers } from './socket/event-handlers';
import { ioFanout } from './socket/io-fanout';
import { PresenceTracker } from './socket/presence-tracker';
import { createSocketServer, disconnectSession } from './socket/socket-server';
import type { ChatIo } from './socket/types';
import type { ChatStore } from './store/chat-store';
import type { SyncMode } from './store/sqlite-store';
import { openSqliteStore } from './store/sqlite-store';
import { StaticFiles } from './web/static-files';

export interface ChatServerOptions {
  host: string;
  /** 0 picks a free port; `url` tells which. */
  port: number;
  dataDir: string;
  /** Bearer token of POST /api/v1/admin/merchant-links. */
  adminToken: string;
  links?: LinkServices;
  /** Serves GET /api/v1/media/:id (the link pipeline's `media` handler). */
  media?: MediaResponder;
  /** Rate limit overrides (tests and benchmarks); see DEFAULT_LIMITS. */
  limits?: ChatLimitOverrides;
  /** Folder of the built web client; default dist/renderer of the repository. */
  webRoot?: string;
  /** `full` (default): every acknowledged write is on disk; `normal`: no sync before the ack. */
  sync?: SyncMode;
  /** A socket holding more than this unread by its peer is dropped (default 16 MiB). */
  socketBacklogMaxBytes?: number;
  /** How often merchant badges are checked with the verification service (merchant-badges.ts). */
  merchantBadges?: MerchantBadgeOptions;
  /** The clock of messages, members and contacts (default Date.now); tests freeze it. */
  now?: () => number;
  /** Password hashing cost; lower it in tests only. */
  scryptCost?: ScryptCost;
  logger?: Logger;
}

export interface RunningChatServer {
  /** `http://host:port` of the running server. */
  url: string;
  io: ChatIo;
  store: ChatStore;
  /**
   * Graceful and bounded: refuses new sessions and events, lets answers under way finish and
   * reach their clients, stops accepting, ends every connection, then closes the database.
   */
  close(): Promise<void>;
}

const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'renderer');
const PREVIEW_DRAIN_MS = 2000;
/**
 * How long a closing server waits for its clients to take their last answers and close (websocket
 * or long-polling), then for the HTTP answers under way (socket-server.ts).
 */
const SOCKET_CLOSE_MS = 2000;

export async function startChatServer(options: ChatServerOptions): Promise<RunningChatServer> {
  const log = options.logger ?? consoleLogger;
  const limits = resolveLimits(options.limits);
  const store = openSqliteStore({ dataDir: options.dataDir, sync: options.sync ?? 'full', log });
  const devices = new DeviceKeys(loadDeviceKeySecret(options.dataDir, (line) => log.info(line)));
  const accounts = new Accounts(store, limits, options.scryptCost ?? DEFAULT_SCRYPT_COST, devices);
  // Node checks these deadlines every `connectionsCheckingInterval` (30 s by default), so a
  // trickled request held its socket 30-60 s whatever the deadline said.
  const httpServer = createServer({ ...ANSWERED_HERE, requestTimeout: 30_000, headersTimeout: 10_000, connectionsCheckingInterval: 1000 });
  answerClientErrors(httpServer);

  // Services are built before Socket.IO exists, and reach it only once it does.
  const fanoutRef: { current?: Fanout } = {};
  const lateFanout = (): Fanout => {
    if (fanoutRef.current === undefined) throw new Error('fanout used before Socket.IO started');
    return fanoutRef.current;
  };
  const presence = new PresenceTracker(store, lateFanout);
  const deps: ChatDeps = {
    store,
    presence,
    members: new MemberCache(store),
    log,
    now: options.now ?? Date.now,
    fanout: {
      toUsers: (...args) => lateFanout().toUsers(...args),
      toUsersExcept: (...args) => lateFanout().toUsersExcept(...args),
    },
  };
  // Readers are taken at each send's commit; group changes announce after earlier sends (seq order).
  const writer = new MessageWriter(store, log, undefined, (conversationId, seq) => deps.members.readersOf(conversationId, seq));
  const messages = new MessagesService(deps, writer, options.links);
  const handlers = eventHandlers({
    contacts: new ContactsService(deps, options.links),
    conversations: new ConversationsService(deps),
    groups: new GroupsService(deps, limits.largeGroupChangesPerUser, () => writer.settled()),
    messages,
    search: (userId, query) => searchUsers(store, userId, query),
    users: (userIds) => ({ users: [...store.usersByIds([...new Set(userIds)]).values()] }),
    ...(options.links === undefined ? {} : { links: options.links }),
  });
  const dispatcher = new EventDispatcher(handlers, limits, log);

  const router = new Router();
  router.add('GET', '/healthz', () => ({ status: 200, body: { ok: true } }));
  // Attached BEFORE Socket.IO: engine.io takes over the request listeners that exist when it
  // attaches and passes them only what is not under /socket.io/. A listener added after it
  // would also answer Socket.IO's long-polling requests, and the second answer to the same
  // request threw ERR_HTTP_HEADERS_SENT out of the process.
  keepPeerAddresses(httpServer);
  httpServer.on('request', createHttpHandler(router, new StaticFiles(options.webRoot ?? DEFAULT_WEB_ROOT), log, options.media));
  const { io, refuseSessions, close: closeSockets } = createSocketServer(httpServer, { accounts, dispatcher, presence, log, ...(options.socketBacklogMaxBytes !== undefined ? { backlogMaxBytes: options.socketBacklogMaxBytes } : {}) });
  fanoutRef.current = ioFanout(io);
  addAccountRoutes(router, accounts, {
    onLogout: (session) => {
      disconnectSession(io, session.user.id, session.tokenHash).catch((error: unknown) => log.error('closing sockets at logout failed', error));
    },
  });
  const links = options.links;
  const badges = links === undefined ? undefined : new MerchantBadges(deps, (merchantId) => links.merchant(merchantId), options.merchantBadges);
  if (links !== undefined) {
    addLinkRoutes(router, {
      accounts,
      store,
      links,
      adminToken: options.adminToken,
      verdictLimiter: dispatcher.limiterFor('verdictsPerUser'),
      merchantChanged: (userId) => announceMerchant(deps, userId),
    });
  }

  try {
    await listen(httpServer, options.host, options.port);
  } catch (error) {
    io.close();
    await store.close();
    throw error;
  }
  const address = httpServer.address() as AddressInfo;
  badges?.start();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // The HTTP server keeps accepting until the sockets are closed: a long-polling client
      // collects its last answers over new requests. New sessions and events are refused.
      refuseSessions();
      await dispatcher.drain();
      await badges?.stop();
      await writer.close();
      await withDeadline(messages.close(), PREVIEW_DRAIN_MS);
      presence.stop();
      // The answers just given are held for the rest of this turn (write-coalescer.ts): they
      // leave first, then the sockets close and every connection ends, within deadlines.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await closeSockets(SOCKET_CLOSE_MS);
      await store.close();
    })();
    return closing;
  };

  return { url: listenUrl(options.host, address), io, store, close };
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
