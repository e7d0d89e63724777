/** Registration, login, sessions (PROTOCOL.md §2). */
import { randomUUID } from 'node:crypto';
import { err, ok } from '../../protocol';
import type { AuthResult, Result, User } from '../../protocol';
import type { ChatStore } from '../store/chat-store';
import type { ChatLimits } from './limits';
import { hashPassword, verifyPassword } from './passwords';
import type { ScryptCost } from './passwords';
import { RateLimiter } from './rate-limiter';
import { hashToken, newToken } from './tokens';

export interface Session {
  user: User;
  tokenHash: string;
}

export class Accounts {
  private readonly registrations: RateLimiter;
  private readonly failuresByUsername: RateLimiter;
  private readonly failuresByAddress: RateLimiter;
  /** Verified against when the username is unknown, so that timing does not tell which names exist. */
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly store: ChatStore,
    limits: ChatLimits,
    private readonly scryptCost: ScryptCost,
    private readonly now: () => number = Date.now,
  ) {
    this.registrations = new RateLimiter(limits.registrationsPerAddress, now);
    this.failuresByUsername = new RateLimiter(limits.loginFailuresPerUsername, now);
    this.failuresByAddress = new RateLimiter(limits.loginFailuresPerAddress, now);
    this.decoyHash = hashPassword(randomUUID(), scryptCost);
  }

  async register(input: { username: string; password: string; displayName: string }, address: string): Promise<Result<AuthResult>> {
    if (!this.registrations.take(address)) return err('rate_limited', 'too many registrations from this address; try again later');
    if (this.store.credentialsByUsername(input.username) !== undefined) return err('username_taken', 'that username is taken');
    const passwordHash = await hashPassword(input.password, this.scryptCost);
    const user: User = { id: randomUUID(), username: input.username, displayName: input.displayName };
    const created = this.store.createUser({ ...user, passwordHash, createdAt: this.now() });
    if (created === 'username_taken') return err('username_taken', 'that username is taken');
    return ok({ user, token: this.openSession(user.id) });
  }

  async login(input: { username: string; password: string }, address: string): Promise<Result<AuthResult>> {
    if (!this.failuresByUsername.allows(input.username) || !this.failuresByAddress.allows(address)) {
      return err('rate_limited', 'too many failed logins; try again later');
    }
    const credentials = this.store.credentialsByUsername(input.username);
    const matches = await verifyPassword(input.password, credentials?.passwordHash ?? (await this.decoyHash));
    if (credentials === undefined || !matches) {
      this.failuresByUsername.charge(input.username);
      this.failuresByAddress.charge(address);
      return err('invalid_credentials', 'wrong username or password');
    }
    return ok({ user: credentials.user, token: this.openSession(credentials.user.id) });
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

  private openSession(userId: string): string {
    const token = newToken();
    this.store.createSession(hashToken(token), userId, this.now());
    return token;
  }
}
