/**
 * WANGLAI_PREVIEW_RESOLVE (PROTOCOL.md §1): comma-separated `host:port=address:port` entries,
 * like curl's --resolve. The only way a preview fetch may reach loopback or private addresses,
 * so it is parsed strictly and a bad entry stops start-up with its text named.
 */
import { isIP } from 'node:net';

export interface ResolveTarget {
  address: string;
  port: number;
}

/** Keyed by `host:port`, the host lower-cased in its ASCII form, as URL.hostname gives it. */
export type ResolveMap = ReadonlyMap<string, ResolveTarget>;

export type ResolveParse = { ok: true; map: ResolveMap } | { ok: false; message: string };

/** A name written fully qualified (`shop.test.`) is the same host, as its verdict says. */
export const resolveKey = (hostname: string, port: number): string => `${hostname.endsWith('.') ? hostname.slice(0, -1) : hostname}:${port}`;

function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

function splitHostPort(text: string): { host: string; port: string } | null {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') return null;
    return { host: text.slice(1, close), port: text.slice(close + 2) };
  }
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return null;
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/**
 * A DNS name in ASCII form, or an IP literal. curl's `+host` / `-host` prefixes and `*` have no
 * meaning here and the URL parser would take them as names: they are refused, not matched.
 */
const HOST_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

function normaliseHost(host: string): string | null {
  try {
    const hostname = new URL(`http://${host.includes(':') ? `[${host}]` : host}/`).hostname;
    if (hostname.startsWith('[') || isIP(hostname) !== 0) return hostname;
    return HOST_NAME.test(hostname) ? hostname : null;
  } catch {
    return null;
  }
}

export function parseResolveMap(raw: string): ResolveParse {
  const map = new Map<string, ResolveTarget>();
  for (const entry of raw.split(',').map((s) => s.trim())) {
    if (entry === '') continue;
    const bad = (why: string): ResolveParse => ({
      ok: false,
      message: `WANGLAI_PREVIEW_RESOLVE entry "${entry}": ${why} (expected host:port=address:port)`,
    });
    const [from, to, ...rest] = entry.split('=');
    if (from === undefined || to === undefined || rest.length > 0) return bad('needs exactly one "="');
    const left = splitHostPort(from);
    const right = splitHostPort(to);
    if (left === null) return bad('the host side needs a port');
    if (right === null) return bad('the address side needs a port');
    const host = normaliseHost(left.host);
    if (host === null) return bad(`"${left.host}" is not a host name`);
    const fromPort = parsePort(left.port);
    const toPort = parsePort(right.port);
    if (fromPort === null || toPort === null) return bad('ports must be 1-65535');
    if (isIP(right.host) === 0) return bad(`"${right.host}" is not an IP address`);
    // Node reads `fe80::1%eth0` as an address; a zone names an interface, which the fetcher's
    // address checks do not cover (docs/security.md), so it is refused here as everywhere.
    if (right.host.includes('%')) return bad(`"${right.host}" has a zone id; give the address alone`);
    // A second entry for the same host and port would silently win over the first.
    if (map.has(resolveKey(host, fromPort))) return bad(`${host}:${fromPort} is named twice`);
    map.set(resolveKey(host, fromPort), { address: right.host, port: toPort });
  }
  return { ok: true, map };
}
