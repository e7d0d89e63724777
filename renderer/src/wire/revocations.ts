/**
 * Session tokens whose sign-out could not reach the server. Forgetting such a token would leave
 * it valid on the server, so it waits here, and nowhere else, until the server takes the logout.
 * This list is kept apart from the session on purpose: nothing here ever signs anyone in.
 */
import type { HttpResult } from './http-api';

export interface PendingRevocation {
  serverUrl: string;
  token: string;
}

const KEY = 'wanglai.revoke';
/** A user who signs out offline again and again keeps the latest few; the oldest are given up. */
const MAX_ENTRIES = 10;

function isRevocation(value: unknown): value is PendingRevocation {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.serverUrl === 'string' && typeof entry.token === 'string' && entry.token !== '';
}

export function pendingRevocations(): PendingRevocation[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isRevocation) : [];
  } catch {
    return [];
  }
}

function store(entries: readonly PendingRevocation[]): void {
  if (entries.length === 0) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, JSON.stringify(entries.slice(-MAX_ENTRIES)));
}

export function rememberRevocation(entry: PendingRevocation): void {
  const others = pendingRevocations().filter((e) => e.token !== entry.token);
  store([...others, { serverUrl: entry.serverUrl, token: entry.token }]);
}

/** The server has ended the session (a 2xx), or it was already gone (401): nothing left to do. */
export function revocationSettled(result: HttpResult<void>): boolean {
  return result.ok || result.code === 'unauthorized';
}

type Logout = (serverUrl: string, token: string) => Promise<HttpResult<void>>;

let queue: Promise<void> = Promise.resolve();

/**
 * Sends the logout of every waiting token of this server and drops those the server answered.
 * A token is only ever sent to the server that issued it. Runs one after another, so two
 * triggers at once (the online event and the reconnect) never read and write the list together.
 */
export function revokePending(serverUrl: string, logout: Logout): Promise<void> {
  queue = queue.then(async () => {
    for (const entry of pendingRevocations()) {
      if (entry.serverUrl !== serverUrl) continue;
      if (!revocationSettled(await logout(entry.serverUrl, entry.token))) continue;
      store(pendingRevocations().filter((e) => e.token !== entry.token));
    }
  });
  return queue;
}
