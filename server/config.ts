/**
 * The environment of `npm run server` (PROTOCOL.md §1) as one typed value. A bad value stops
 * the start with a message naming the variable, never a silent default.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import type { SyncMode } from './store/sqlite-store';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  verifyUrl: string | undefined;
  verifyPort: number;
  /** Absent when WANGLAI_ADMIN_TOKEN is unset: `resolveAdminToken` makes or reads one. */
  adminToken: string | undefined;
  previewResolve: string;
  previewAllowHttp: boolean;
  sync: SyncMode;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function port(env: Env, name: string, fallback: number): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,5}$/.test(raw)) throw new ConfigError(name, `expected a port number 0-65535, got "${raw}"`);
  const value = Number(raw);
  if (value > 65535) throw new ConfigError(name, `expected a port number 0-65535, got "${raw}"`);
  return value;
}

function flag(env: Env, name: string): boolean {
  const raw = nonEmpty(env, name) ?? '0';
  if (raw === '0' || raw === '1') return raw === '1';
  throw new ConfigError(name, `expected 0 or 1, got "${raw}"`);
}

function httpUrl(env: Env, name: string): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, `expected an http(s) URL, got "${raw}"`);
  // A base URL has paths appended to it: a query, a fragment or credentials in it would end up
  // inside or after those paths, and every verdict would fail closed without a word.
  if (url.username !== '' || url.password !== '' || raw.includes('?') || raw.includes('#')) {
    throw new ConfigError(name, `expected a base URL without credentials, query or fragment, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function syncMode(env: Env): SyncMode {
  const raw = (nonEmpty(env, 'WANGLAI_SYNC') ?? 'full').toLowerCase();
  if (raw === 'full' || raw === 'normal') return raw;
  throw new ConfigError('WANGLAI_SYNC', `expected "full" or "normal", got "${raw}"`);
}

/**
 * What both admin APIs accept in `Authorization: Bearer …` (server/http/bearer.ts): visible
 * ASCII, up to 512 characters. A token the server started with but could never be sent (a space,
 * a letter outside ASCII) would lock the administrator out, so it stops the start; a short one
 * is the operator's choice (PROTOCOL.md §1 sets no length) and only draws a warning.
 */
const ADMIN_TOKEN = /^[\x21-\x7e]{1,512}$/;
/** Below this an admin token is guessable; `npm run server` warns. */
export const ADMIN_TOKEN_STRONG_MIN = 16;
/** A token file the server wrote holds base64url of 32 bytes; anything weaker there is made anew. */
const STORED_TOKEN = /^[A-Za-z0-9._~+/-]{16,512}=*$/;

/** An IP address, or a host name of letters, digits and hyphens; resolved when the server binds. */
function host(env: Env): string {
  const raw = nonEmpty(env, 'WANGLAI_HOST') ?? '127.0.0.1';
  const bare = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  if (isIP(bare) !== 0) return bare;
  const name = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
  // All digits and dots but no IPv4 address (256.1.1.1): a typo, not a name.
  if (!name.test(bare) || /^[\d.]+$/.test(bare)) throw new ConfigError('WANGLAI_HOST', `expected an IP address or a host name, got "${raw}"`);
  return bare;
}

export function parseConfig(env: Env): ServerConfig {
  const adminToken = nonEmpty(env, 'WANGLAI_ADMIN_TOKEN');
  if (adminToken !== undefined && !ADMIN_TOKEN.test(adminToken)) {
    throw new ConfigError('WANGLAI_ADMIN_TOKEN', 'must be 1 to 512 visible ASCII characters (what an Authorization header can carry), without spaces');
  }
  return {
    host: host(env),
    port: port(env, 'WANGLAI_PORT', 3210),
    dataDir: path.resolve(nonEmpty(env, 'WANGLAI_DATA_DIR') ?? './data'),
    verifyUrl: httpUrl(env, 'WANGLAI_VERIFY_URL'),
    verifyPort: port(env, 'WANGLAI_VERIFY_PORT', 3211),
    adminToken,
    previewResolve: nonEmpty(env, 'WANGLAI_PREVIEW_RESOLVE') ?? '',
    previewAllowHttp: flag(env, 'WANGLAI_PREVIEW_ALLOW_HTTP'),
    sync: syncMode(env),
  };
}

const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * The admin token: the configured one, else the one stored in the data dir, else a new random
 * one written there (mode 0600) so that it survives restarts.
 */
export async function resolveAdminToken(dataDir: string, configured: string | undefined): Promise<{ token: string; generated: boolean }> {
  if (configured !== undefined) return { token: configured, generated: false };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const stored = await readStoredAdminToken(dataDir);
  if (stored !== undefined) return { token: stored, generated: false };
  const token = randomBytes(32).toString('base64url');
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  try {
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    // `mode` applies only to a file it creates: one left behind (blank, too short) keeps its own.
    await chmod(file, 0o600);
  } catch (error) {
    throw unusableTokenFile(dataDir, error);
  }
  return { token, generated: true };
}

/** The token stored in the data dir, or undefined when there is none usable (missing, blank, malformed). */
export async function readStoredAdminToken(dataDir: string): Promise<string | undefined> {
  try {
    const stored = (await readFile(path.join(dataDir, ADMIN_TOKEN_FILE), 'utf8')).trim();
    return STORED_TOKEN.test(stored) ? stored : undefined;
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw unusableTokenFile(dataDir, error);
  }
}

/** A token file that is a directory or unreadable is the operator's to fix: named, not a stack trace. */
function unusableTokenFile(dataDir: string, error: unknown): unknown {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code !== 'EISDIR' && code !== 'EACCES' && code !== 'EPERM') return error;
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  return new ConfigError('WANGLAI_DATA_DIR', `${file} cannot be used as the admin token file (${code}); remove it, or set WANGLAI_ADMIN_TOKEN`);
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
