import { BIDI_MARKS, BIDI_OVERRIDES, LIMITS, codePointLength } from './limits';
import { parseHttpUrl } from './urls';

/** What a share request (`wanglai://share?…`, the web build's `/share?…`) carries once checked. */
export interface SharedContent {
  url?: string;
  text?: string;
}

// Control characters other than tab and newline: a shared text may span lines, nothing else.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
// eslint-disable-next-line no-control-regex -- a shared URL may hold no control character at all
const FORBIDDEN_IN_URL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * The `url` and `text` parameters of a share request, checked the same way on the desktop and
 * on the web, or undefined when the request is refused as a whole: another or a repeated
 * parameter, a URL that is not a plain http(s) URL of at most LIMITS.urlMax characters as the
 * parser reads it, a character that could make the shown text differ from what is sent, a text
 * over the message limit, or nothing to share.
 */
export function checkShareParams(params: URLSearchParams): SharedContent | undefined {
  const keys = [...params.keys()];
  if (keys.some((k) => k !== 'url' && k !== 'text')) return undefined;
  if (new Set(keys).size !== keys.length) return undefined;
  const content: SharedContent = {};
  const url = params.get('url');
  if (url !== null) {
    const href = sharedUrl(url);
    if (href === undefined) return undefined;
    content.url = href;
  }
  const text = params.get('text');
  if (text !== null) {
    if (!sharedTextAllowed(text)) return undefined;
    // A blank text shares nothing: `?text=` alone is refused, beside a URL it is left out.
    if (text.trim() !== '') content.text = text;
  }
  return content.url === undefined && content.text === undefined ? undefined : content;
}

/**
 * The URL as the parser reads it (its href), never the raw text: the parser drops tabs and
 * newlines, so the raw text could show one host and name another. The href is what travels on,
 * and percent-encoding can make it much longer than the raw value, so its length is what counts
 * (the bridge and the server refuse or cut a longer one).
 */
function sharedUrl(raw: string): string | undefined {
  if (FORBIDDEN_IN_URL.test(raw) || BIDI_OVERRIDES.test(raw) || BIDI_MARKS.test(raw)) return undefined;
  const parsed = parseHttpUrl(raw);
  if (parsed === undefined || parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href.length <= LIMITS.urlMax ? parsed.href : undefined;
}

/** Direction marks stay: they are common in Arabic and Hebrew text and reorder nothing. */
function sharedTextAllowed(text: string): boolean {
  return codePointLength(text) <= LIMITS.messageTextMax && !FORBIDDEN_IN_TEXT.test(text) && !BIDI_OVERRIDES.test(text);
}
