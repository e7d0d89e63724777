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
  eventsPerSocket: { burst: 1000, perSecond: 500 },
};

export function resolveLimits(overrides: Partial<ChatLimits> | undefined): ChatLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
