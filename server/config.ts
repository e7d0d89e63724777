/**
 * The environment of `npm run server` (PROTOCOL.md §1) as one typed value. A bad value stops
 * the start with a message naming the variable, never a silent default.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
  return raw.replace(/\/+$/, '');
}

function syncMode(env: Env): SyncMode {
  const raw = (nonEmpty(env, 'WANGLAI_SYNC') ?? 'full').toLowerCase();
  if (raw === 'full' || raw === 'normal') return raw;
  throw new ConfigError('WANGLAI_SYNC', `expected "full" or "normal", got "${raw}"`);
}

export function parseConfig(env: Env): ServerConfig {
  const adminToken = nonEmpty(env, 'WANGLAI_ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('WANGLAI_ADMIN_TOKEN', 'must be at least 16 characters');
  }
  return {
    host: nonEmpty(env, 'WANGLAI_HOST') ?? '127.0.0.1',
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
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, ADMIN_TOKEN_FILE);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 16) return { token: stored, generated: false };
  } catch (error) {
    if (!isMissingFile(error)) throw error;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
