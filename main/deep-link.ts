import type { DeepLink } from '../protocol';
import { LIMITS } from '../protocol';
import { checkShareParams } from '../protocol/share-checks';

export const DEEP_LINK_SCHEME = 'wanglai';

/** Longest raw link we look at: a shared URL plus a full message, both percent-encoded. */
export const DEEP_LINK_MAX = LIMITS.urlMax * 3 + LIMITS.messageTextMax * 12;

/**
 * Parses `wanglai://share?url=…&text=…` strictly, the only link DESIGN.md §3.10 names; anything
 * else (other hosts, extra or repeated parameters, credentials, ports, fragments, non-http
 * shared URLs, over-long values) is refused with null. A link only ever opens the share dialog,
 * where the user decides: nothing a web page puts in a link acts by itself.
 */
export function parseDeepLink(raw: string): DeepLink | null {
  if (raw.length > DEEP_LINK_MAX) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return null;
  if (url.username !== '' || url.password !== '' || url.port !== '' || url.hash !== '') return null;
  if (url.hostname.toLowerCase() !== 'share') return null;
  if (url.pathname !== '' && url.pathname !== '/') return null;
  const content = checkShareParams(url.searchParams);
  return content === undefined ? null : { kind: 'share', ...content };
}

/** The first `wanglai:` argument of a command line (Windows and Linux deliver links this way). */
export function deepLinkFromArgv(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.slice(0, DEEP_LINK_SCHEME.length + 1).toLowerCase() === `${DEEP_LINK_SCHEME}:`);
}
