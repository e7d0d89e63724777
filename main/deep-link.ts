import type { DeepLink } from '../protocol';
import { BIDI_MARKS, BIDI_OVERRIDES, LIMITS, codePointLength, parseHttpUrl } from '../protocol';

export const DEEP_LINK_SCHEME = 'wanglai';

/** Longest raw link we look at: a shared URL plus a full message, both percent-encoded. */
export const DEEP_LINK_MAX = LIMITS.urlMax * 3 + LIMITS.messageTextMax * 12;

// Control characters other than tab and newline: a shared text may span lines, nothing else.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
// eslint-disable-next-line no-control-regex -- a shared URL may hold no control character at all
const FORBIDDEN_IN_URL = /[\u0000-\u001f\u007f-\u009f]/u;
const CONVERSATION_ID = /^[A-Za-z0-9_-]+$/;

/**
 * Parses `wanglai://share?url=…&text=…` and `wanglai://conversation/<id>` strictly; anything
 * else (other hosts, extra parameters, repeated parameters, credentials, ports, fragments,
 * non-http shared URLs, over-long values) is refused with null.
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
  const host = url.hostname.toLowerCase();
  if (host === 'share') return parseShare(url);
  if (host === 'conversation') return parseConversation(url);
  return null;
}

function parseShare(url: URL): DeepLink | null {
  if (url.pathname !== '' && url.pathname !== '/') return null;
  const keys = [...url.searchParams.keys()];
  if (keys.some((k) => k !== 'url' && k !== 'text')) return null;
  if (new Set(keys).size !== keys.length) return null;
  const link: DeepLink = { kind: 'share' };
  const shared = url.searchParams.get('url');
  if (shared !== null) {
    // The page shows and sends the URL as the parser reads it (the href), never the raw text:
    // the URL parser drops tabs and newlines, so the raw text could show one host and name another.
    if (FORBIDDEN_IN_URL.test(shared) || BIDI_OVERRIDES.test(shared) || BIDI_MARKS.test(shared)) return null;
    const href = httpHref(shared);
    if (href === undefined) return null;
    link.url = href;
  }
  const text = url.searchParams.get('text');
  if (text !== null) {
    if (codePointLength(text) > LIMITS.messageTextMax) return null;
    if (FORBIDDEN_TEXT.test(text) || BIDI_OVERRIDES.test(text)) return null;
    link.text = text;
  }
  if (link.url === undefined && link.text === undefined) return null;
  return link;
}

function parseConversation(url: URL): DeepLink | null {
  if (url.search !== '') return null;
  const id = url.pathname.replace(/^\//, '').replace(/\/$/, '');
  if (id.length === 0 || id.length > LIMITS.idMax || !CONVERSATION_ID.test(id)) return null;
  return { kind: 'conversation', conversationId: id };
}

function httpHref(value: string): string | undefined {
  const parsed = parseHttpUrl(value);
  return parsed !== undefined && parsed.username === '' && parsed.password === '' ? parsed.href : undefined;
}

/** The first `wanglai:` argument of a command line (Windows and Linux deliver links this way). */
export function deepLinkFromArgv(argv: readonly string[]): string | undefined {
  return argv.find((arg) => arg.slice(0, DEEP_LINK_SCHEME.length + 1).toLowerCase() === `${DEEP_LINK_SCHEME}:`);
}

/**
 * Holds links until the window has loaded, then delivers them in order. The preload keeps them
 * until the page subscribes, so a link that opened the app is never lost.
 */
export class DeepLinkQueue {
  private pending: DeepLink[] = [];
  private deliver: ((link: DeepLink) => void) | undefined;

  push(link: DeepLink): void {
    if (this.deliver) this.deliver(link);
    else if (this.pending.length < 16) this.pending.push(link);
  }

  /** The window is ready: flush what waited, then deliver directly. */
  attach(deliver: (link: DeepLink) => void): void {
    this.deliver = deliver;
    const waiting = this.pending;
    this.pending = [];
    for (const link of waiting) deliver(link);
  }

  /** The window is gone or reloading: hold links again. */
  detach(): void {
    this.deliver = undefined;
  }
}
