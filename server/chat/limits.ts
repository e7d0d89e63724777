/**
 * Rate limits of the chat server (DESIGN.md §2), and the bounds on password hashing and sessions. The defaults are documented in
 * docs/security.md; tests and benchmarks override them through `startChatServer({ limits })`.
 */
import type { RateRule } from './rate-limiter';

export interface ChatLimits {
  /** Failed logins for one username, from anywhere. */
  loginFailuresPerUsername: RateRule;
  /** Failed logins from one address, for any username. */
  loginFailuresPerAddress: RateRule;
  /**
   * Every login attempt for one username, right password or not (a user signing in on several
   * devices stays far below it). Checked before the password is hashed.
   */
  loginsPerUsername: RateRule;
  /** Every login attempt from one address, for any username. */
  loginsPerAddress: RateRule;
  /**
   * Registrations from one address. Generous, since the integration and end-to-end suites
   * register many users quickly from 127.0.0.1; `registrationsTotal` and the hashing bound
   * below keep many addresses together from saturating the server.
   */
  registrationsPerAddress: RateRule;
  /** Registrations from all addresses together (one key). */
  registrationsTotal: RateRule;
  messagesPerUser: RateRule;
  typingPerUser: RateRule;
  searchesPerUser: RateRule;
  contactRequestsPerUser: RateRule;
  groupChangesPerUser: RateRule;
  /**
   * The reads that cost most to answer, per user whatever the number of sockets: a history
   * page is up to 100 messages (1.6 MB of 4000-character texts); a list or a sync builds a view
   * of every conversation (500 members each). Without these, one account on many sockets kept
   * the event loop busy for seconds.
   */
  historyPagesPerUser: RateRule;
  /** Changes (and creations) of groups over 100 members: each costs tens of milliseconds. */
  largeGroupChangesPerUser: RateRule;
  /** messages:sync, conversations:list, contacts:list. */
  listsPerUser: RateRule;
  /** links:verdict: each asks the verification service afresh. */
  verdictsPerUser: RateRule;
  /** messages:read: each moving mark is a write and a WAL sync. */
  readMarksPerUser: RateRule;
  /** Every event of one connection, whatever it is: a ceiling against floods. */
  eventsPerSocket: RateRule;
}

export const DEFAULT_LIMITS: ChatLimits = {
  loginFailuresPerUsername: { burst: 10, perSecond: 1 / 30 },
  loginFailuresPerAddress: { burst: 100, perSecond: 1 },
  loginsPerUsername: { burst: 20, perSecond: 1 / 6 },
  loginsPerAddress: { burst: 100, perSecond: 2 },
  registrationsPerAddress: { burst: 100, perSecond: 2 },
  registrationsTotal: { burst: 200, perSecond: 5 },
  messagesPerUser: { burst: 200, perSecond: 50 },
  typingPerUser: { burst: 10, perSecond: 2 },
  searchesPerUser: { burst: 30, perSecond: 5 },
  contactRequestsPerUser: { burst: 50, perSecond: 1 },
  groupChangesPerUser: { burst: 100, perSecond: 5 },
  historyPagesPerUser: { burst: 60, perSecond: 20 },
  largeGroupChangesPerUser: { burst: 10, perSecond: 1 },
  listsPerUser: { burst: 60, perSecond: 3 },
  verdictsPerUser: { burst: 30, perSecond: 5 },
  readMarksPerUser: { burst: 100, perSecond: 20 },
  eventsPerSocket: { burst: 1000, perSecond: 500 },
};

/**
 * Bounds that are counts, not token buckets. They are kept apart from ChatLimits, whose every
 * field is a RateRule (the socket dispatcher looks rules up by name), but are overridden the
 * same way: `startChatServer({ limits })` passes its overrides to `resolveLimits` as they are.
 */
export interface AccountBounds {
  /**
   * Password hashes (scrypt: ~190 ms of CPU and 32 MiB each at the production cost) running at
   * once, for registrations and logins alike. scrypt runs on libuv's 4-thread pool, which also
   * runs the WAL `fdatasync` every durable ack waits for (server/store/wal-sync.ts): 2 leaves
   * threads for the syncs and a core for the event loop.
   */
  passwordHashConcurrency: number;
  /** Password hashes waiting (FIFO) behind those; when full, register and login answer `rate_limited` at once. */
  passwordHashQueue: number;
  /** Open sessions per user; a login beyond it ends the user's oldest session. */
  sessionsPerUser: number;
}

export const DEFAULT_ACCOUNT_BOUNDS: AccountBounds = {
  passwordHashConcurrency: 2,
  passwordHashQueue: 64,
  sessionsPerUser: 50,
};

/** What tests and benchmarks may override. */
export type ChatLimitOverrides = Partial<ChatLimits & AccountBounds>;

export function resolveLimits(overrides: ChatLimitOverrides | undefined): ChatLimits & AccountBounds {
  return { ...DEFAULT_LIMITS, ...DEFAULT_ACCOUNT_BOUNDS, ...overrides };
}
