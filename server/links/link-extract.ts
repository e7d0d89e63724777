/**
 * Finds the links of a message text that may get a preview (DESIGN.md §3.1): linkify-it finds
 * them, as Signal does; only http(s) survive; fuzzy and scheme-relative links become https.
 */
import LinkifyIt from 'linkify-it';
import { LIMITS } from '../../protocol';
import { endsInHost, markSplitsHost, prepareText, sentIndex } from './link-text';

// Emails and bare IP addresses are not links a person means to preview.
const linkify = new LinkifyIt({}, { fuzzyLink: true, fuzzyEmail: false, fuzzyIP: false });

/**
 * Endings a name without `https://` or `www.` is read as a link under, besides linkify-it's own
 * (com, net, org, shop, ... and every two-letter country code). Phishing runs on cheap new
 * endings: `refund-jade.top/claim` read as plain text got no red warning and could be copied
 * into a browser. Common ones only: every ending there is would turn file names (`notes.zip`)
 * into links that could only ever be unverified.
 */
const MORE_ENDINGS = [
  'top', 'xyz', 'online', 'site', 'store', 'club', 'vip', 'icu', 'buzz', 'live', 'app', 'dev', 'cloud', 'link',
  'click', 'support', 'help', 'win', 'bid', 'loan', 'work', 'fun', 'space', 'website', 'tech', 'life', 'world',
  'today', 'news', 'email', 'services', 'center', 'company', 'business', 'sale', 'deals', 'gift', 'money',
  'finance', 'bank', 'cam', 'rest', 'monster', 'cyou', 'sbs', 'lol', 'quest', 'bar', 'best', 'ltd', 'mobi',
  'page', 'blog', 'wang', 'ren', 'xin', 'market', 'trade', 'pay', 'security', 'secure', 'login', 'account',
  '中国', '公司', '网络', '商城', '在线', '网店', '购物',
];
linkify.tlds(MORE_ENDINGS, true);

// Embeddings, overrides and isolates reorder what is shown, so a link can read as a different
// address than it is: text carrying them gets no links at all (DESIGN.md §3.1). Plain direction
// marks do not reorder characters; they only end a link (link-text.ts).
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/u;

// User info kept when an over-long URL is cut: enough to show it, and its presence alone
// makes the verdict `deceptive_url`.
const USER_INFO_KEPT = 64;

/**
 * The normalised form of an http(s) URL, or null when it is not one we would ever preview.
 * A URL longer than the protocol's limit (LIMITS.urlMax, also the verification service's) is
 * kept as its origin with its user info, `https://[user@]host[:port]/`: the verdict depends on
 * nothing else, so a host padded past the limit still gets its verdict and a warning, and a
 * verified one previews the site's front page rather than a page nobody wrote. Only a host of
 * nearly 2048 characters gives no link: no such name resolves (DNS allows 253).
 */
export function normaliseLink(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.hostname === '') return null;
  if (url.href.length <= LIMITS.urlMax) return url.href;
  url.username = cutEscaped(url.username, USER_INFO_KEPT);
  url.password = cutEscaped(url.password, USER_INFO_KEPT);
  url.pathname = '/';
  url.search = '';
  url.hash = '';
  return url.href.length <= LIMITS.urlMax ? url.href : null;
}

/** The first `max` characters of a percent-encoded string, never ending inside an escape. */
function cutEscaped(value: string, max: number): string {
  const cut = value.slice(0, max);
  return cut.replace(/%[0-9a-f]?$/i, '');
}

/**
 * linkify-it's matches looked at in one text, whatever they give. Each costs up to a scan of its
 * run of text and a URL parse: a 4000-character text of 800 look-alike matches (`é.co%` again
 * and again) took 120 ms a message, and a burst of them held the server for seconds. A person's
 * message with 3 links to preview has them among its first matches.
 */
const MATCHES_MAX = 32;

export function extractLinks(text: string, max: number = LIMITS.linksPerMessage): string[] {
  if (BIDI_CONTROLS.test(text)) return [];
  const prepared = prepareText(text);
  const matches = (linkify.match(prepared.text) ?? []).slice(0, MATCHES_MAX);
  const links: string[] = [];
  // The end of the last run read whole: a match inside it would read the same run again.
  let runEnd = -1;
  for (const match of matches) {
    if (links.length >= max) break;
    if (match.index < runEnd) continue;
    const start = sentIndex(prepared, match.index);
    const end = sentIndex(prepared, match.lastIndex - 1) + 1;
    if (markSplitsHost(text, start, end, match.raw)) continue;
    let candidate: string | null;
    if (escapeTouchesHost(match.raw, prepared.text, match.index, match.lastIndex)) {
      const run = wholeRun(prepared.text, match.index, match.lastIndex);
      runEnd = run.end;
      candidate = run.link;
    } else {
      const dotted = throughTrailingDot(match.raw, prepared.text, match.lastIndex);
      if (dotted !== undefined) runEnd = dotted.end;
      candidate = absoluteForm(match.schema, dotted?.raw ?? withUserInfo(match.raw, prepared.text, match.lastIndex));
    }
    const normalised = candidate === null ? null : normaliseLink(candidate);
    if (normalised !== null && !links.includes(normalised)) links.push(normalised);
  }
  return links;
}

/**
 * linkify-it reads at most 50 characters of user info, so `https://shop.com:<60 characters>@evil.top/`
 * comes back as `https://shop.com` while a browser goes to evil.top. When the text right after
 * a link that ends in its host still belongs to its authority (an `@` before any space, `/`,
 * `?` or `#`), the link is read on to the next space, as a browser reads it.
 */
function withUserInfo(raw: string, text: string, end: number): string {
  AUTHORITY_GOES_ON.lastIndex = end;
  if (!endsInHost(raw) || !AUTHORITY_GOES_ON.test(text)) return raw;
  UP_TO_SPACE.lastIndex = end;
  return raw + (UP_TO_SPACE.exec(text)?.[0] ?? '');
}

const AUTHORITY_GOES_ON = /[^\s/?#]*@/uy;

/**
 * linkify-it ends a host at a trailing dot (`shop.test.`, a name written fully qualified), so
 * `http://shop.test./p/1` came back as `http://shop.test` and previewed the front page under a
 * link to another page (or port: `shop.test.:8080/p`). When a path, port, query or fragment
 * follows that dot, the rest is read as linkify-it reads a link (its trailing punctuation left
 * out) with the dot put back; a dot that ends a sentence stays out.
 */
function throughTrailingDot(raw: string, text: string, end: number): { raw: string; end: number } | undefined {
  DOT_GOES_ON.lastIndex = end;
  if (!endsInHost(raw) || !DOT_GOES_ON.test(text)) return undefined;
  UP_TO_SPACE.lastIndex = end + 1;
  const rest = UP_TO_SPACE.exec(text)?.[0] ?? '';
  const again = linkify.match(raw + rest)?.[0];
  if (again === undefined || again.index !== 0 || again.lastIndex <= raw.length) return undefined;
  return { raw: `${raw}.${again.raw.slice(raw.length)}`, end: end + 1 + (again.lastIndex - raw.length) };
}

const DOT_GOES_ON = /\.(?=[/:?#])/uy;
const UP_TO_SPACE = /\S*/uy;

/**
 * linkify-it ends a host at a percent escape, but a URL parser decodes escapes in a host:
 * `http://shop.com%2Eevil.top/` goes to shop.com.evil.top, and `http://%65vil.top/` to
 * evil.top. Read as linkify-it reads them, they gave shop.com's verified card to a phishing
 * link, and an unverified mark to a blocked one. Such a link is an escape right after a link
 * that ends in its host (before any space, `/`, `?` or `#`), or right before a link.
 */
function escapeTouchesHost(raw: string, text: string, start: number, end: number): boolean {
  ESCAPE_GOES_ON.lastIndex = end;
  if (endsInHost(raw) && ESCAPE_GOES_ON.test(text)) return true;
  return ESCAPE_BEFORE.test(text.slice(Math.max(0, start - 3), start));
}

const ESCAPE_GOES_ON = /[^\s/?#]*%/uy;
const ESCAPE_BEFORE = /%[0-9a-f]{0,2}$/iu;

/**
 * The link as a browser reads the text around it: the whole run between spaces, from its
 * `http(s)://` when it has one (else as a schemeless link), and where the run ends. The link is
 * null when that run is no URL at all: then the text gets no link, rather than one for a host
 * the reader does not see.
 */
function wholeRun(text: string, start: number, end: number): { link: string | null; end: number } {
  const from = Math.max(text.lastIndexOf(' ', start) + 1, lastWhitespaceBefore(text, start));
  UP_TO_SPACE.lastIndex = end;
  const rest = UP_TO_SPACE.exec(text)?.[0] ?? '';
  const run = text.slice(from, end) + rest;
  const runEnd = end + rest.length;
  const scheme = /https?:\/\//iu.exec(run);
  if (scheme !== null) return { link: run.slice(scheme.index), end: runEnd };
  return { link: /^[\p{L}\p{N}%]/u.test(run) ? `https://${run}` : null, end: runEnd };
}

function lastWhitespaceBefore(text: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) if (/\s/u.test(text[i] ?? '')) return i + 1;
  return 0;
}

function absoluteForm(schema: string, raw: string): string {
  if (schema === '') return `https://${raw}`;
  if (schema === '//') return `https:${raw}`;
  return raw;
}
