/**
 * Where a `Refresh` header or a `<meta http-equiv="refresh">` may send a browser opening a page.
 * A browser follows one as it follows a 3xx, so for a preview it is a redirect: a verified shop's
 * page that refreshes to a lookalike is not that shop's verified link (DESIGN.md §3: the verdict
 * is for the final URL).
 *
 * Why every reading and not the standard's one: browsers differ from the HTML standard and from
 * each other in the corners (which of several tags wins, where a quoted URL ends, whether a tag
 * inside a CDATA section or a comment-like run counts, `<base href>`), and a red team turned each
 * corner into a verified card that landed on a phishing page. So every tag that could be a
 * refresh, wherever it sits in the text, and every way of reading its URL, gives a candidate;
 * the page vouches for its link only if all of them stay with the merchant.
 */
import { Parser } from 'htmlparser2';

/** More refresh targets than this on one page is no shop page: the link is not vouched for. */
export const REFRESH_CANDIDATES_MAX = 32;

/**
 * The URL strings a refresh's content may name: `5; url=/next`, `0;URL='https://x'`, `0, url=x`,
 * `0;https://x`. A quoted URL is cut at its first matching quote (the standard), at its last
 * (Chromium), or not at all. None for a plain reload (`30`).
 */
export function refreshUrlStrings(content: string): string[] {
  const match = /^\s*[\d.]*\s*(?:[;,]\s*)?(?:url\s*=\s*)?(.*)$/is.exec(content);
  const raw = (match?.[1] ?? '').trim();
  if (raw === '') return [];
  const quote = raw[0];
  if (quote !== '"' && quote !== "'") return [raw];
  const rest = raw.slice(1);
  const first = rest.indexOf(quote);
  const last = rest.lastIndexOf(quote);
  return [...new Set([first < 0 ? rest : rest.slice(0, first), last < 0 ? rest : rest.slice(0, last), rest])];
}

function absoluteTargets(urls: readonly string[], bases: readonly string[]): string[] {
  const targets: string[] = [];
  for (const raw of urls) {
    for (const base of bases) {
      try {
        const url = new URL(raw, base);
        if (url.protocol === 'http:' || url.protocol === 'https:') targets.push(url.href);
      } catch {
        // Not a URL a browser would go to from here.
      }
    }
  }
  return targets;
}

/**
 * Each tag of `name` in the text carrying `attribute`, wherever it sits, with its attributes as
 * an HTML parser reads them (entities decoded). Tags without the attribute's name are not parsed:
 * a shop page holds thousands of other <meta> tags.
 */
function tagsNamed(html: string, name: 'meta' | 'base', attribute: RegExp): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const tag = new RegExp(`<${name}\\b(?:[^>"']|"[^"]*"|'[^']*')*>?`, 'gi');
  for (const match of html.matchAll(tag)) {
    if (!attribute.test(match[0])) continue;
    const parser = new Parser({
      onopentag(opened, attribs) {
        if (opened === name) found.push(attribs);
      },
    });
    parser.write(match[0].endsWith('>') ? match[0] : `${match[0]}>`);
    parser.end();
  }
  return found;
}

/**
 * Every absolute URL a browser opening this page might be refreshed to: the `Refresh` header's
 * (against the page's URL) and each meta refresh's (against the page's URL and each
 * `<base href>`). `undefined` when there are more than REFRESH_CANDIDATES_MAX: not vouched for.
 */
export function refreshCandidates(html: string, pageUrl: string, header: string | undefined): string[] | undefined {
  const bases = [pageUrl, ...absoluteTargets(tagsNamed(html, 'base', /href/i).flatMap((a) => (a.href === undefined ? [] : [a.href])), [pageUrl])];
  const targets = new Set<string>(header === undefined ? [] : absoluteTargets(refreshUrlStrings(header), [pageUrl]));
  for (const attribs of tagsNamed(html, 'meta', /http-equiv/i)) {
    if ((attribs['http-equiv'] ?? '').trim().toLowerCase() !== 'refresh' || attribs.content === undefined) continue;
    for (const target of absoluteTargets(refreshUrlStrings(attribs.content), bases)) targets.add(target);
    if (targets.size > REFRESH_CANDIDATES_MAX) return undefined;
  }
  targets.delete(pageUrl);
  return [...targets];
}
