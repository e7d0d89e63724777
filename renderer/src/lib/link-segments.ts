import type { LinkPreview } from '../../../protocol';
import { authorityLength, endsLink, startsLink } from './link-bounds';
import { hostToUnicode } from './punycode';

export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; link: LinkPreview };

/** The URL with its host as the sender may have typed it: international labels in Unicode. */
function unicodeHost(url: string): string | null {
  const parts = /^(https?:\/\/)([^/?#:]+)(.*)$/i.exec(url);
  if (parts === null || !parts[2]?.includes('xn--')) return null;
  return `${parts[1] ?? ''}${hostToUnicode(parts[2])}${parts[3] ?? ''}`;
}

/**
 * The forms a server-normalised URL can take in what the sender typed: the server adds
 * `https://` to a bare or scheme-relative domain, URL parsing adds a trailing `/` to a bare
 * origin, percent-encodes non-ASCII characters and writes international host names in their
 * ASCII (`xn--`) form.
 */
function spellings(url: string): string[] {
  const forms = new Set<string>([url]);
  const typed = unicodeHost(url);
  if (typed !== null) forms.add(typed);
  // The server percent-encodes what the sender typed in Chinese (`?q=茶叶` arrives as `?q=%E8%8C%B6...`).
  for (const form of [...forms]) {
    try {
      forms.add(decodeURI(form));
    } catch {
      // A malformed escape: the encoded form is the only one.
    }
  }
  for (const form of [...forms]) if (form.endsWith('/')) forms.add(form.slice(0, -1));
  for (const form of [...forms]) {
    if (form.startsWith('http://')) forms.add(form.slice('http://'.length));
    if (form.startsWith('https://')) {
      forms.add(form.slice('https://'.length));
      forms.add(form.slice('https:'.length));
    }
  }
  return [...forms].filter((f) => f.length > 0);
}

// Browsers read these full stops as dots in a host (UTS #46), and so does the server
// (server/links/host-stops.ts): `shop.test。evil.top` is found as shop.test.evil.top.
const FULL_STOPS = /[\u3002\uff0e\uff61]/gu;
const FULL_STOPS_ONE = /[\u3002\uff0e\uff61]/u;

interface Found {
  start: number;
  end: number;
  link: LinkPreview;
}

/**
 * Splits message text into plain text and links. Only URLs the server listed in `links` ever
 * become links, and a piece of text becomes a link only when it is that URL as a whole: a
 * listed URL that is only the beginning of a longer one (`https://shop.test` in
 * `https://shop.test.evil.top/`, or in a 4th link the server never checked) stays text. Where
 * two listed URLs could claim the same text, the longest wins.
 */
export function linkSegments(text: string, links: readonly LinkPreview[] | undefined): TextSegment[] {
  if (links === undefined || links.length === 0) return text === '' ? [] : [{ kind: 'text', text }];
  // Hosts are case-insensitive and arrive lower-cased; search a lower-cased copy when that keeps every offset.
  const lowered = text.toLowerCase();
  const foldCase = lowered.length === text.length;
  const haystack = (foldCase ? lowered : text).replace(FULL_STOPS, '.');
  const candidates: Found[] = [];
  for (const link of links) {
    for (const form of spellings(link.url)) {
      const needle = foldCase ? form.toLowerCase() : form;
      for (let start = haystack.indexOf(needle); start >= 0; start = haystack.indexOf(needle, start + 1)) {
        const end = start + needle.length;
        if (wholeLink(text, start, end, form)) candidates.push({ start, end, link });
      }
    }
  }
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const found: Found[] = [];
  for (const candidate of candidates) {
    const last = found[found.length - 1];
    if (last === undefined || candidate.start >= last.end) found.push(candidate);
  }
  const segments: TextSegment[] = [];
  let at = 0;
  for (const match of found) {
    if (match.start > at) segments.push({ kind: 'text', text: text.slice(at, match.start) });
    segments.push({ kind: 'link', text: text.slice(match.start, match.end), link: match.link });
    at = match.end;
  }
  if (at < text.length) segments.push({ kind: 'text', text: text.slice(at) });
  return segments;
}

/** Whether text[start, end) is the URL spelled `form` and nothing more or less of one. */
function wholeLink(text: string, start: number, end: number, form: string): boolean {
  // A full stop stands for a dot only in the host; in a path the server ended the link there.
  const host = authorityLength(form);
  for (let i = start + host; i < end; i++) if (FULL_STOPS_ONE.test(text[i] ?? '')) return false;
  return startsLink(text, start, form) && endsLink(text, end, form);
}
