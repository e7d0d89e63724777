/**
 * Where the admin CLI sends a request, and with which token: its flags, else the variables
 * `npm run server` reads (PROTOCOL.md §1), held to the server's own rules so that a bad value is
 * a usage error naming where it came from rather than a failed request.
 */
import path from 'node:path';
import { baseUrlProblem, isAdminToken, readStoredAdminToken } from '../config';
import { type AdminRequest, type TargetFlags, UsageError } from './admin-cli-args';

type Env = Readonly<Record<string, string | undefined>>;

/** Empty variables count as unset, as they do for the server. */
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * The base URL of the service the request goes to. Only that service's settings are read: a
 * broken WANGLAI_CHAT_URL must not stop a command that never talks to the chat server.
 */
export function serviceUrl(service: AdminRequest['service'], flags: TargetFlags, env: Env): string {
  if (service === 'verify') {
    if (flags.verifyUrl !== undefined) return baseUrl(flags.verifyUrl, '--verify-url');
    const configured = nonEmpty(env.WANGLAI_VERIFY_URL);
    // The embedded service binds WANGLAI_HOST too (server/main.ts).
    return configured !== undefined ? baseUrl(configured, 'WANGLAI_VERIFY_URL') : urlFromServerEnv(env, 'WANGLAI_VERIFY_PORT', 3211);
  }
  if (flags.chatUrl !== undefined) return baseUrl(flags.chatUrl, '--chat-url');
  const configured = nonEmpty(env.WANGLAI_CHAT_URL);
  return configured !== undefined ? baseUrl(configured, 'WANGLAI_CHAT_URL') : urlFromServerEnv(env, 'WANGLAI_PORT', 3210);
}

/** The rule `npm run server` holds WANGLAI_VERIFY_URL to (server/config.ts). */
function baseUrl(raw: string, name: string): string {
  const problem = baseUrlProblem(raw);
  if (problem !== undefined) throw new UsageError(`${name}: ${problem}`);
  return raw.replace(/\/+$/, '');
}

/** http://HOST:PORT as `npm run server` binds it (an IPv6 host in brackets), its port checked as the server checks it. */
function urlFromServerEnv(env: Env, portVariable: string, fallback: number): string {
  const rawPort = nonEmpty(env[portVariable]);
  if (rawPort !== undefined && (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65535)) {
    throw new UsageError(`${portVariable}: expected a port number 0-65535, got "${rawPort}"`);
  }
  const host = nonEmpty(env.WANGLAI_HOST) ?? '127.0.0.1';
  const url = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${rawPort ?? fallback}`;
  if (!URL.canParse(url)) throw new UsageError(`WANGLAI_HOST: expected an IP address or a host name, got "${host}"`);
  return url;
}

/**
 * The rule main/config.ts gives the desktop app, copied: the token crosses the network in clear
 * only to this computer, unless the operator opts in for a test machine.
 */
export function checkTokenTransport(url: string, env: Env): void {
  const insecureAllowed = insecureOptIn(env);
  const { protocol, hostname, origin } = new URL(url);
  if (protocol === 'https:' || isThisComputer(hostname) || insecureAllowed) return;
  throw new UsageError(`the admin token is not sent over plain http to ${origin}: use https, or set WANGLAI_ALLOW_INSECURE_SERVER=1 on a test machine`);
}

/** 0 or 1 (blank counts as 0), as the desktop app reads it: a typo must not pass for either. */
function insecureOptIn(env: Env): boolean {
  const raw = nonEmpty(env.WANGLAI_ALLOW_INSECURE_SERVER) ?? '0';
  if (raw === '0' || raw === '1') return raw === '1';
  throw new UsageError(`WANGLAI_ALLOW_INSECURE_SERVER: expected 0 or 1, got "${raw.slice(0, 200)}"`);
}

/** Not other `*.localhost` names: fetch resolves them through DNS like any name. */
function isThisComputer(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '0.0.0.0' || hostname === '[::]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function checkedToken(token: string, source: string): string {
  // The message names where the token came from, never the token.
  if (!isAdminToken(token)) throw new UsageError(`${source} must be 1 to 512 visible ASCII characters, without spaces or line breaks`);
  return token;
}

/** The admin token: read, never made (the server makes it at its first start). */
export async function adminToken(flag: string | undefined, env: Env): Promise<string> {
  if (flag !== undefined) return checkedToken(flag, '--token');
  const configured = nonEmpty(env.WANGLAI_ADMIN_TOKEN);
  if (configured !== undefined) return checkedToken(configured, 'WANGLAI_ADMIN_TOKEN');
  const dataDir = path.resolve(nonEmpty(env.WANGLAI_DATA_DIR) ?? './data');
  let stored: string | undefined;
  try {
    stored = await readStoredAdminToken(dataDir);
  } catch (error) {
    throw new UsageError(`cannot read the admin token in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (stored === undefined) {
    throw new UsageError(`no admin token is stored in ${dataDir}: pass --token, set WANGLAI_ADMIN_TOKEN, or point WANGLAI_DATA_DIR at the server's data directory`);
  }
  return stored;
}
