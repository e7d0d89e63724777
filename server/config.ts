/**
 * The environment of `npm run server` (PROTOCOL.md §1) as one typed value. A bad value stops
 * the start with a message naming the variable, never a silent default.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseResolveMap } from './links/resolve-map';
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

/**
 * Why `raw` cannot be a service's base URL, or undefined when it can (the admin CLI holds its
 * flags to the same rule). A base URL has paths appended to it: a query, a fragment or
 * credentials in it would end up inside or after those paths, and every verdict would fail
 * closed without a word.
 */
export function baseUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `expected an http(s) URL, got "${raw}"`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `expected an http(s) URL, got "${raw}"`;
  if (url.username !== '' || url.password !== '' || raw.includes('?') || raw.includes('#')) {
    return `expected a base URL without credentials, query or fragment, got "${raw}"`;
  }
  return undefined;
}

function httpUrl(env: Env, name: string): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  const problem = baseUrlProblem(raw);
  if (problem !== undefined) throw new ConfigError(name, problem);
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

export function isAdminToken(token: string): boolean {
  return ADMIN_TOKEN.test(token);
}
/** Below this an admin token is guessable; `npm run server` warns. */
export const ADMIN_TOKEN_STRONG_MIN = 16;

/** An IP address, or a host name of letters, digits and hyphens; resolved when the server binds. */
function host(env: Env): string {
  const raw = nonEmpty(env, 'WANGLAI_HOST') ?? '127.0.0.1';
  const bare = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  // A link-local IPv6 address binds only with a zone (`%eth0`), which URLs cannot carry: the
  // server's own ready line and every browser would get an address they cannot use.
  if (isIP(bare) === 6 && (bare.includes('%') || /^fe[89ab][0-9a-f]?:/i.test(bare))) {
    throw new ConfigError('WANGLAI_HOST', `a link-local IPv6 address (or one with a zone) cannot be served at a URL, got "${raw}"`);
  }
  if (isIP(bare) !== 0) return bare;
  const name = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
  // All digits and dots but no IPv4 address (256.1.1.1): a typo, not a name.
  if (!name.test(bare) || /^[\d.]+$/.test(bare)) throw new ConfigError('WANGLAI_HOST', `expected an IP address or a host name, got "${raw}"`);
  return bare;
}

/** Checked with the rest, before the data directory is touched (the link pipeline reads it again). */
function previewResolve(env: Env): string {
  const raw = nonEmpty(env, 'WANGLAI_PREVIEW_RESOLVE') ?? '';
  const parsed = parseResolveMap(raw);
  if (!parsed.ok) throw new ConfigError('WANGLAI_PREVIEW_RESOLVE', parsed.message.replace(/^WANGLAI_PREVIEW_RESOLVE /, ''));
  return raw;
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
    previewResolve: previewResolve(env),
    previewAllowHttp: flag(env, 'WANGLAI_PREVIEW_ALLOW_HTTP'),
    sync: syncMode(env),
  };
}

const ADMIN_TOKEN_FILE = 'admin-token';

/** What `resolveAdminToken` found, and what the operator should hear about it. */
export interface AdminToken {
  token: string;
  generated: boolean;
  /** Said once at the start: a stored token that is short, a token file others could read (now 0600). */
  warnings: string[];
}

/**
 * The admin token: the configured one, else the one stored in the data dir, else a new random
 * one written there (mode 0600) so that it survives restarts.
 */
export async function resolveAdminToken(dataDir: string, configured: string | undefined): Promise<AdminToken> {
  if (configured !== undefined) return { token: configured, generated: false, warnings: [] };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const warnings: string[] = [];
  const stored = await readStoredAdminToken(dataDir, { warnings });
  if (stored !== undefined) return { token: stored, generated: false, warnings };
  const token = randomBytes(32).toString('base64url');
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  // Written beside and renamed over: a start that stops halfway leaves no half token, and the
  // rename replaces the (blank) entry itself, never a file a link would point to.
  const temp = path.join(dataDir, `${ADMIN_TOKEN_FILE}.${process.pid}.tmp`);
  try {
    // One left by an earlier process of the same pid that stopped halfway (removed, never followed).
    await rm(temp, { force: true });
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw unusableTokenFile(dataDir, error);
  }
  return { token, generated: true, warnings };
}

/**
 * The token stored in the data dir; undefined when there is none (no file, or a blank one). A
 * file holding anything else is the operator's: used when it is a token both admin APIs accept,
 * refused (never replaced) when it is not; a symbolic link is refused too, as the server would
 * otherwise write and chmod whatever it points to. At the server's start (`starting`), a file
 * others could read is made the owner's only, and what the start should say is collected.
 */
export async function readStoredAdminToken(dataDir: string, starting?: { warnings: string[] }): Promise<string | undefined> {
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw unusableTokenFile(dataDir, error);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw unusableTokenFile(dataDir, Object.assign(new Error('a directory'), { code: 'EISDIR' }));
    if (!info.isFile()) throw new ConfigError('WANGLAI_DATA_DIR', `${file} is not a regular file; remove it, or set WANGLAI_ADMIN_TOKEN`);
    const stored = (await handle.readFile('utf8')).trim();
    if (stored === '') return undefined;
    if (!ADMIN_TOKEN.test(stored)) {
      throw new ConfigError('WANGLAI_DATA_DIR', `${file} does not hold an admin token (1 to 512 visible ASCII characters on one line); correct or remove it, or set WANGLAI_ADMIN_TOKEN`);
    }
    if (starting === undefined) return stored;
    if (stored.length < ADMIN_TOKEN_STRONG_MIN) starting.warnings.push(`the admin token in ${file} has ${stored.length} characters; use ${ADMIN_TOKEN_STRONG_MIN} or more outside tests`);
    if ((info.mode & 0o077) !== 0) {
      await handle.chmod(0o600);
      starting.warnings.push(`${file} was readable by others (mode ${(info.mode & 0o777).toString(8)}); it is now readable by its owner only`);
    }
    return stored;
  } catch (error) {
    throw unusableTokenFile(dataDir, error);
  } finally {
    await handle.close();
  }
}

/** A token file that is a directory, a link or unreadable is the operator's to fix: named, not a stack trace. */
function unusableTokenFile(dataDir: string, error: unknown): unknown {
  if (error instanceof ConfigError) return error;
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  if (code === 'ELOOP') return new ConfigError('WANGLAI_DATA_DIR', `${file} is a symbolic link; the admin token file must be a file of its own (remove the link, or set WANGLAI_ADMIN_TOKEN)`);
  if (code !== 'EISDIR' && code !== 'EACCES' && code !== 'EPERM') return error;
  return new ConfigError('WANGLAI_DATA_DIR', `${file} cannot be used as the admin token file (${code}); remove it, or set WANGLAI_ADMIN_TOKEN`);
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
