/**
 * Rate limits of the chat server (DESIGN.md §2). The defaults are documented in
 * docs/security.md; tests and benchmarks override them through `startChatServer({ limits })`.
 */
import type { RateRule } from './rate-limiter';

export interface ChatLimits {
  /** Failed logins for one username, from anywhere. */
  loginFailuresPerUsername: RateRule;
  /** Failed logins from one address, for any username. */
  loginFailuresPerAddress: RateRule;
  /** Registrations from one address; generous, since test suites register many users from 127.0.0.1. */
  registrationsPerAddress: RateRule;
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
  registrationsPerAddress: { burst: 100, perSecond: 2 },
  messagesPerUser: { burst: 200, perSecond: 50 },
  typingPerUser: { burst: 10, perSecond: 2 },
  searchesPerUser: { burst: 30, perSecond: 5 },
  contactRequestsPerUser: { burst: 50, perSecond: 1 },
  groupChangesPerUser: { burst: 100, perSecond: 5 },
  historyPagesPerUser: { burst: 60, perSecond: 20 },
  listsPerUser: { burst: 30, perSecond: 3 },
  verdictsPerUser: { burst: 30, perSecond: 5 },
  readMarksPerUser: { burst: 100, perSecond: 20 },
  eventsPerSocket: { burst: 1000, perSecond: 500 },
};

export function resolveLimits(overrides: Partial<ChatLimits> | undefined): ChatLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
