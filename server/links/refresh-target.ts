/**
 * Where a `Refresh` header or `<meta http-equiv="refresh">` sends a browser: `5; url=/next`,
 * `0;URL='https://x'`, `0, url=x` (the HTML standard's "shared declarative refresh steps").
 * A browser opening the page follows it as it follows a 3xx, so for a preview it is a redirect:
 * a verified shop's page that refreshes to a lookalike is not that shop's verified link.
 */

/** The absolute http(s) URL the refresh goes to, or undefined when it names none (a reload) or none that parses. */
export function refreshTarget(content: string, base: string): string | undefined {
  const match = /^\s*[\d.]*\s*(?:[;,]\s*)?(?:url\s*=\s*)?(.*)$/is.exec(content);
  let raw = (match?.[1] ?? '').trim();
  if (raw === '') return undefined;
  const quote = raw[0];
  if (quote === '"' || quote === "'") {
    const end = raw.indexOf(quote, 1);
    raw = end < 0 ? raw.slice(1) : raw.slice(1, end);
  }
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
