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

// People writing Chinese put no space around a link: "看https://…。" must find the link and
// leave the full-width punctuation after it out. These ranges are CJK and full-width
// punctuation (not full-width letters or digits), never typed as part of an address, so they
// separate links like spaces do.
const CJK_PUNCTUATION = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/gu;
const GLUED_LINK_START = /(?<=\P{ASCII})(?=https?:\/\/|www\.)/giu;

export function extractLinks(text: string, max: number = LIMITS.linksPerMessage): string[] {
  // Right-to-left overrides can make a link read as a different address than it is.
  if (BIDI_OVERRIDES.test(text)) return [];
  const matches = linkify.match(text.replace(CJK_PUNCTUATION, ' ').replace(GLUED_LINK_START, ' ')) ?? [];
  const links: string[] = [];
  for (const match of matches) {
    if (links.length >= max) break;
    const normalised = normaliseLink(absoluteForm(match.schema, match.raw));
    if (normalised !== null && !links.includes(normalised)) links.push(normalised);
  }
  return links;
}

function absoluteForm(schema: string, raw: string): string {
  if (schema === '') return `https://${raw}`;
  if (schema === '//') return `https:${raw}`;
  return raw;
}
