import type { LinkPreview } from '../../../protocol';
import { hostToUnicode } from './punycode';

export type TextSegment = { kind: 'text'; text: string } | { kind: 'link'; text: string; link: LinkPreview };

/** The URL with its host as the sender may have typed it: international labels in Unicode. */
function unicodeHost(url: string): string | null {
  const parts = /^(https?:\/\/)([^/?#:]+)(.*)$/i.exec(url);
  if (parts === null || !parts[2]?.includes('xn--')) return null;
  return `${parts[1] ?? ''}${hostToUnicode(parts[2])}${parts[3] ?? ''}`;
}

/**
 * The forms a server-normalised URL can take in what the sender typed: linkify adds `http://`
 * to a bare domain, URL parsing adds a trailing `/` to a bare origin, percent-encodes
 * non-ASCII characters and writes international host names in their ASCII (`xn--`) form.
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
    if (form.startsWith('https://')) forms.add(form.slice('https://'.length));
  }
  // Longest first, so that a full URL is preferred to the bare domain inside it.
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/**
 * Splits message text into plain text and links. Only URLs the server listed in `links` ever
 * become links; anything else that merely looks like a URL stays text.
 */
export function linkSegments(text: string, links: readonly LinkPreview[] | undefined): TextSegment[] {
  if (links === undefined || links.length === 0) return text === '' ? [] : [{ kind: 'text', text }];
  // Hosts are case-insensitive and arrive lower-cased; search a lower-cased copy when that keeps every offset.
  const lowered = text.toLowerCase();
  const foldCase = lowered.length === text.length;
  const haystack = foldCase ? lowered : text;
  const found: { start: number; end: number; link: LinkPreview }[] = [];
  for (const link of links) {
    let from = 0;
    for (;;) {
      let best: { start: number; end: number } | null = null;
      for (const form of spellings(link.url)) {
        const start = haystack.indexOf(foldCase ? form.toLowerCase() : form, from);
        if (start >= 0 && (best === null || start < best.start)) best = { start, end: start + form.length };
      }
      if (best === null) break;
      const range = best;
      if (!found.some((f) => range.start < f.end && f.start < range.end)) found.push({ ...range, link });
      from = range.end;
    }
  }
  found.sort((a, b) => a.start - b.start);
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
