import type { Result } from '../protocol';
import { err, ok, parseHttpUrl } from '../protocol';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:3210';

export interface DesktopConfig {
  /** The chat server's origin, e.g. `http://127.0.0.1:3210` (no trailing slash, no path). */
  serverUrl: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const FLAG = '--server-url';
const URL_VARIABLE = 'WANGLAI_SERVER_URL';
const INSECURE_VARIABLE = 'WANGLAI_ALLOW_INSECURE_SERVER';

/**
 * The chat server comes from `--server-url URL` / `--server-url=URL`, else WANGLAI_SERVER_URL,
 * else the default. It must be a plain http(s) origin: a path, credentials, query or fragment
 * would make the CSP and the link policy talk about something other than the server. Every error
 * starts with the flag or variable it is about, so whoever started the app knows which to fix.
 */
export function resolveConfig(argv: readonly string[], env: Env): Result<DesktopConfig> {
  // Checked even when the URL does not need it, so a typo shows at once, not on the day it matters.
  const allowInsecure = insecureAllowed(env);
  if (!allowInsecure.ok) return allowInsecure;
  const fromFlag = serverUrlFlag(argv);
  if (fromFlag !== undefined && !fromFlag.ok) return fromFlag;
  const fromEnv = nonEmpty(env[URL_VARIABLE]);
  if (fromFlag === undefined && fromEnv === undefined) return ok({ serverUrl: DEFAULT_SERVER_URL });
  const [source, raw] = fromFlag !== undefined ? [FLAG, fromFlag.value] : [URL_VARIABLE, fromEnv ?? ''];
  const origin = serverOrigin(raw);
  if (origin === undefined) return err('invalid_input', `${source}: expected an http(s) origin such as ${DEFAULT_SERVER_URL}, got "${raw.slice(0, 200)}"`);
  const { hostname, port } = new URL(origin);
  // The URL standard takes port 0, but nothing can listen there: the app would only fail to connect.
  if (port === '0') return err('invalid_input', `${source}: port 0 is not a port a server can listen on, got "${raw.slice(0, 200)}"`);
  // The bearer token and every message travel to this origin: in clear only to this computer,
  // unless a developer says otherwise for a test machine.
  if (origin.startsWith('http:') && !isLoopback(hostname) && !allowInsecure.value) {
    return err('invalid_input', `${source}: ${origin} must use https: plain http is only for a server on this computer (set ${INSECURE_VARIABLE}=1 on a test machine)`);
  }
  return ok({ serverUrl: origin });
}

/** 0 or 1 (blank counts as 0), read like the server's boolean variables (server/config.ts). */
function insecureAllowed(env: Env): Result<boolean> {
  const raw = nonEmpty(env[INSECURE_VARIABLE]) ?? '0';
  if (raw === '0' || raw === '1') return ok(raw === '1');
  return err('invalid_input', `${INSECURE_VARIABLE}: expected 0 or 1, got "${raw.slice(0, 200)}"`);
}

/**
 * This computer: a loopback address, `localhost`, or the unspecified address a server bound to all
 * interfaces prints (`npm start` passes that on). Not other `*.localhost` names: Node's fetch,
 * which carries the token, resolves them through DNS like any name, so they may be elsewhere.
 */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '0.0.0.0' || hostname === '[::]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * A repeated flag is refused rather than one of them picked: which one wins would be a guess, and
 * a second `--server-url` slipped onto a command line would otherwise decide where the token goes.
 */
function serverUrlFlag(argv: readonly string[]): Result<string> | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let value: string | undefined;
    if (arg === FLAG) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return err('invalid_input', `${FLAG}: needs a URL`);
      i++;
    } else if (arg?.startsWith(`${FLAG}=`)) value = arg.slice(FLAG.length + 1);
    if (value === undefined) continue;
    if (found !== undefined) return err('invalid_input', `${FLAG}: given more than once; give it once`);
    found = value;
  }
  return found === undefined ? undefined : ok(found);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The origin of an http(s) URL that names nothing but an origin (an optional `/` path). */
export function serverOrigin(raw: string): string | undefined {
  const url = parseHttpUrl(raw);
  if (url === undefined) return undefined;
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
  if (url.pathname !== '/') return undefined;
  return url.origin;
}
