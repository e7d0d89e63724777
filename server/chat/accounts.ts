/** Registration, login, sessions (PROTOCOL.md §2). */
import { randomUUID } from 'node:crypto';
import { err, ok } from '../../protocol';
import type { AuthResult, Result, User } from '../../protocol';
import type { ChatStore } from '../store/chat-store';
import type { DeviceKeys } from './device-keys';
import { HashGate } from './hash-gate';
import type { AccountBounds, ChatLimits } from './limits';
import { hashPassword, verifyPassword } from './passwords';
import type { ScryptCost } from './passwords';
import { RateLimiter } from './rate-limiter';
import { hashToken, newToken } from './tokens';

export interface Session {
  user: User;
  tokenHash: string;
}

/** The one key of the limiter shared by every address. */
const ALL = '*';

export class Accounts {
  private readonly registrationsByAddress: RateLimiter;
  private readonly registrationsTotal: RateLimiter;
  private readonly loginsByUsername: RateLimiter;
  private readonly loginsByAddress: RateLimiter;
  private readonly failuresByUsername: RateLimiter;
  private readonly failuresByAddress: RateLimiter;
  /**
   * Logins with a device key (device-keys.ts), with the username's rules: failures by key, so
   * that no one else's lock a device out; all logins by the account, so that keys (each login
   * answers a new one) cannot be chained into a loop of correct-password logins, which would
   * hold the password hashing for everyone (an audit did, with one account).
   */
  private readonly keyedLoginsByUser: RateLimiter;
  private readonly failuresByDevice: RateLimiter;
  /** Every scrypt of this server runs through it (see hash-gate.ts). */
  private readonly hashing: HashGate;
  private readonly sessionsPerUser: number;
  private readonly sessionEndedListeners: ((session: Session) => void)[] = [];
  /** Verified against when the username is unknown, so that timing does not tell which names exist. */
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly store: ChatStore,
    limits: ChatLimits & AccountBounds,
    private readonly scryptCost: ScryptCost,
    private readonly devices: DeviceKeys,
    private readonly now: () => number = Date.now,
  ) {
    this.registrationsByAddress = new RateLimiter(limits.registrationsPerAddress, now);
    this.registrationsTotal = new RateLimiter(limits.registrationsTotal, now);
    this.loginsByUsername = new RateLimiter(limits.loginsPerUsername, now);
    this.loginsByAddress = new RateLimiter(limits.loginsPerAddress, now);
    this.failuresByUsername = new RateLimiter(limits.loginFailuresPerUsername, now);
    this.failuresByAddress = new RateLimiter(limits.loginFailuresPerAddress, now);
    this.keyedLoginsByUser = new RateLimiter(limits.loginsPerUsername, now);
    this.failuresByDevice = new RateLimiter(limits.loginFailuresPerUsername, now);
    this.hashing = new HashGate({ concurrency: limits.passwordHashConcurrency, maxQueued: limits.passwordHashQueue });
    if (!Number.isInteger(limits.sessionsPerUser) || limits.sessionsPerUser < 1) throw new Error('sessionsPerUser must be a positive integer');
    this.sessionsPerUser = limits.sessionsPerUser;
    const decoy = () => hashPassword(randomUUID(), scryptCost);
    // The gate is empty when the server starts, so this never falls back.
    this.decoyHash = this.hashing.tryRun(decoy) ?? decoy();
  }

  /** Called with each session a login ends to stay within `sessionsPerUser` (so that its sockets can be closed). */
  onSessionEnded(listener: (session: Session) => void): void {
    this.sessionEndedListeners.push(listener);
  }

  async register(input: { username: string; password: string; displayName: string }, address: string): Promise<Result<AuthResult>> {
    if (!this.registrationsByAddress.allows(address) || !this.registrationsTotal.allows(ALL)) {
      return err('rate_limited', 'too many registrations; try again later');
    }
    // Synchronous from the checks above to the charges below: no other request runs in between.
    let hashed: Promise<string> | undefined;
    if (this.store.credentialsByUsername(input.username) === undefined) {
      hashed = this.hashing.tryRun(() => hashPassword(input.password, this.scryptCost));
      if (hashed === undefined) return busy();
    }
    this.registrationsByAddress.charge(address);
    this.registrationsTotal.charge(ALL);
    if (hashed === undefined) return err('username_taken', 'that username is taken');
    const passwordHash = await hashed;
    const user: User = { id: randomUUID(), username: input.username, displayName: input.displayName };
    const created = this.store.createUser({ ...user, passwordHash, createdAt: this.now() });
    if (created === 'username_taken') return err('username_taken', 'that username is taken');
    return ok({ user, token: this.openSession(user.id), deviceKey: this.devices.issue(user.id) });
  }

  /**
   * Every attempt counts against the username and the address (PROTOCOL.md §2), failures also
   * against their stricter limits; all are checked before any hashing. A wrong password and an
   * unknown username take the same path: one scrypt through the gate, then `invalid_credentials`.
   * An attempt with a device key of that account (device-keys.ts) counts against the key's and the
   * account's keyed buckets instead of the username's, so that no one else's attempts lock that
   * device out.
   */
  async login(input: { username: string; password: string; deviceKey?: string | undefined }, address: string): Promise<Result<AuthResult>> {
    const credentials = this.store.credentialsByUsername(input.username);
    const device = input.deviceKey === undefined ? undefined : this.devices.verify(input.deviceKey);
    const known = device !== undefined && credentials !== undefined && device.userId === credentials.user.id;
    const [failures, failureKey, logins, loginKey] = known
      ? [this.failuresByDevice, device.id, this.keyedLoginsByUser, device.userId]
      : [this.failuresByUsername, input.username, this.loginsByUsername, input.username];
    if (!failures.allows(failureKey) || !this.failuresByAddress.allows(address)) {
      return err('rate_limited', 'too many failed logins; try again later');
    }
    if (!logins.allows(loginKey) || !this.loginsByAddress.allows(address)) {
      return err('rate_limited', 'too many logins; try again later');
    }
    const checked = this.hashing.tryRun(async () => verifyPassword(input.password, credentials?.passwordHash ?? (await this.decoyHash)));
    if (checked === undefined) return busy();
    logins.charge(loginKey);
    this.loginsByAddress.charge(address);
    const matches = await checked;
    if (credentials === undefined || !matches) {
      failures.charge(failureKey);
      this.failuresByAddress.charge(address);
      return err('invalid_credentials', 'wrong username or password');
    }
    const { user } = credentials;
    return ok({ user, token: this.openSession(user.id, user), deviceKey: this.devices.issue(user.id) });
  }

  /** The session a bearer token opens, if it is current. */
  authenticate(token: string): Session | undefined {
    const tokenHash = hashToken(token);
    const userId = this.store.sessionUserId(tokenHash);
    if (userId === undefined) return undefined;
    const user = this.store.userById(userId);
    return user === undefined ? undefined : { user, tokenHash };
  }

  logout(session: Session): void {
    this.store.deleteSession(session.tokenHash);
  }

  /**
   * Opens a session; for an existing `user`, first ends its oldest sessions so that at most
   * `sessionsPerUser` stay open, the new one included. Ending them before the new one is
   * written means the new one is never taken for the oldest, even within one millisecond.
   */
  private openSession(userId: string, user?: User): string {
    if (user !== undefined) {
      while (this.store.sessionCount(userId) >= this.sessionsPerUser) {
        const oldest = this.store.oldestSession(userId);
        if (oldest === undefined || !this.store.deleteSession(oldest)) break;
        for (const listener of this.sessionEndedListeners) listener({ user, tokenHash: oldest });
      }
    }
    const token = newToken();
    this.store.createSession(hashToken(token), userId, this.now());
    return token;
  }
}

function busy(): Result<never> {
  return err('rate_limited', 'the server is busy; try again shortly');
}
