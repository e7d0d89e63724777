/**
 * Where the session token lives: the desktop app keeps it with safeStorage through the bridge;
 * the web build keeps it in localStorage. The user record is cached so an offline start can
 * still show the conversations typed into before.
 */
import type { User } from '../../../protocol';
import { bridge } from './bridge';

export interface Session {
  serverUrl: string;
  token: string;
  user: User;
}

const TOKEN_KEY = 'wanglai.session';
const USER_KEY = 'wanglai.user';

interface WebSession {
  serverUrl: string;
  token: string;
}

function readJson<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function cachedUser(): User | null {
  return readJson<User>(USER_KEY);
}

export function cacheUser(user: User): void {
  localStorage.setItem(USER_KEY, JSON.stringify(user));
}

export async function loadToken(): Promise<{ serverUrl: string; token: string } | null> {
  const desktop = bridge();
  if (desktop) {
    const stored = await desktop.credentials.load();
    return stored ? { serverUrl: stored.serverUrl, token: stored.token } : null;
  }
  const stored = readJson<WebSession>(TOKEN_KEY);
  return stored && typeof stored.token === 'string' && typeof stored.serverUrl === 'string' ? stored : null;
}

export async function saveSession(session: Session): Promise<void> {
  cacheUser(session.user);
  const desktop = bridge();
  if (desktop) {
    await desktop.credentials.save({ serverUrl: session.serverUrl, token: session.token, userId: session.user.id });
    return;
  }
  localStorage.setItem(TOKEN_KEY, JSON.stringify({ serverUrl: session.serverUrl, token: session.token } satisfies WebSession));
}

export async function clearSession(): Promise<void> {
  localStorage.removeItem(USER_KEY);
  const desktop = bridge();
  if (desktop) await desktop.credentials.clear();
  else localStorage.removeItem(TOKEN_KEY);
}
