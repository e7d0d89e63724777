/**
 * Finds the links of a message text that may get a preview (DESIGN.md §3.1): linkify-it finds
 * them, as Signal does; only http(s) survive; fuzzy and scheme-relative links become https.
 */
import LinkifyIt from 'linkify-it';
import { BIDI_OVERRIDES, LIMITS } from '../../protocol';

// Emails and bare IP addresses are not links a person means to preview.
const linkify = new LinkifyIt({}, { fuzzyLink: true, fuzzyEmail: false, fuzzyIP: false });

/** The normalised form of an http(s) URL, or null when it is not one we would ever preview. */
export function normaliseLink(candidate: string): string | null {
  if (candidate.length > LIMITS.urlMax) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.hostname === '') return null;
  const href = url.href;
  return href.length > LIMITS.urlMax ? null : href;
}

export function extractLinks(text: string, max: number = LIMITS.linksPerMessage): string[] {
  // Right-to-left overrides can make a link read as a different address than it is.
  if (BIDI_OVERRIDES.test(text)) return [];
  const matches = linkify.match(text) ?? [];
  const links: string[] = [];
  for (const match of matches) {
    if (links.length >= max) break;
    const normalised = normaliseLink(absoluteForm(match.schema, match.raw, match.url));
    if (normalised !== null && !links.includes(normalised)) links.push(normalised);
  }
  return links;
}

function absoluteForm(schema: string, raw: string, url: string): string {
  if (schema === '') return `https://${raw}`;
  if (schema === '//') return `https:${raw}`;
  return url;
}
