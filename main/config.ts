import type { Result } from '../protocol';
import { err, ok, parseHttpUrl } from '../protocol';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:3210';

export interface DesktopConfig {
  /** The chat server's origin, e.g. `http://127.0.0.1:3210` (no trailing slash, no path). */
  serverUrl: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The chat server comes from `--server-url URL` / `--server-url=URL`, else WANGLAI_SERVER_URL,
 * else the default. It must be a plain http(s) origin: a path, credentials, query or fragment
 * would make the CSP and the link policy talk about something other than the server.
 */
export function resolveConfig(argv: readonly string[], env: Env): Result<DesktopConfig> {
  const fromFlag = serverUrlFlag(argv);
  if (fromFlag !== undefined && !fromFlag.ok) return fromFlag;
  const raw = fromFlag?.value ?? nonEmpty(env.WANGLAI_SERVER_URL) ?? DEFAULT_SERVER_URL;
  const origin = serverOrigin(raw);
  if (origin === undefined) return err('invalid_input', `server URL must be an http(s) origin such as ${DEFAULT_SERVER_URL}, got "${raw.slice(0, 200)}"`);
  // The bearer token and every message travel to this origin: in clear only to this computer,
  // unless a developer says otherwise for a test machine.
  if (origin.startsWith('http:') && !isLoopback(new URL(origin).hostname) && env.WANGLAI_ALLOW_INSECURE_SERVER !== '1') {
    return err('invalid_input', `server URL ${origin} must use https: plain http is only for a server on this computer (set WANGLAI_ALLOW_INSECURE_SERVER=1 on a test machine)`);
  }
  return ok({ serverUrl: origin });
}

/**
 * This computer: a loopback address, `localhost`, or the unspecified address a server bound to all
 * interfaces prints (`npm start` passes that on). Not other `*.localhost` names: Node's fetch,
 * which carries the token, resolves them through DNS like any name, so they may be elsewhere.
 */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '0.0.0.0' || hostname === '[::]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function serverUrlFlag(argv: readonly string[]): Result<string> | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--server-url') {
      const value = argv[i + 1];
      return value === undefined || value.startsWith('--') ? err('invalid_input', '--server-url needs a URL') : ok(value);
    }
    if (arg?.startsWith('--server-url=')) return ok(arg.slice('--server-url='.length));
  }
  return undefined;
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
