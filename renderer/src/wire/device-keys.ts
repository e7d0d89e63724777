/**
 * Device keys the server gave at sign-in (docs/protocol.md): sent with the next sign-in to the
 * same account, they keep this device clear of a lockout that someone else's wrong passwords put
 * on the username. Kept per server and username, apart from the session: a key signs no one in
 * without the password, so it outlives sign-outs.
 */
const KEY = 'wanglai.deviceKeys';
/** The accounts signed in to last on this device; older ones sign in as from a new device. */
const MAX_ENTRIES = 20;

interface Entry {
  account: string;
  key: string;
}

const accountOf = (serverUrl: string, username: string): string => `${serverUrl} ${username.trim().toLowerCase()}`;

function isEntry(value: unknown): value is Entry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.account === 'string' && typeof entry.key === 'string' && entry.key !== '';
}

function entries(): Entry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

export function deviceKeyFor(serverUrl: string, username: string): string | undefined {
  const account = accountOf(serverUrl, username);
  return entries().find((entry) => entry.account === account)?.key;
}

export function rememberDeviceKey(serverUrl: string, username: string, key: string): void {
  const account = accountOf(serverUrl, username);
  const kept = [...entries().filter((entry) => entry.account !== account), { account, key }].slice(-MAX_ENTRIES);
  try {
    localStorage.setItem(KEY, JSON.stringify(kept));
  } catch {
    // Storage full or off: this device signs in as a new one next time, nothing worse.
  }
}
