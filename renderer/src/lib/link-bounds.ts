/**
 * Where a link may start and end in message text. The server found its links with linkify-it
 * (server/links/link-extract.ts); these checks do not redo that, they only refuse a place where
 * the server may have read a longer or different URL: `https://shop.test` inside
 * `https://shop.test.evil.top/`, a bare domain inside a path, a 4th link the server never
 * checked that begins like a checked one. When in doubt the text stays text; the verdict still
 * shows under the message.
 */
import { BIDI_MARKS } from '../../../protocol/limits';
import { hostThenMark, markThenHost } from '../../../protocol/link-marks';

const STOPS = '\u3002\uff0e\uff61';
const HOST_CHAR_FIRST = /^[\p{L}\p{N}\p{M}_-]/u;
// A character of a host with its port, full stops included.
const RUN_CHAR = /^[\p{L}\p{N}\p{M}_.:\u3002\uff0e\uff61-]$/u;
// Whitespace, direction marks, and the CJK and full-width punctuation the server reads as spaces.
const SEPARATOR = /[\s\u200e\u200f\u061c\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]/u;
// ASCII punctuation linkify-it leaves out at the end of a link when a separator follows.
const TRAILING = /[.,;!?'")\]}>]/u;
const OPENING = /[(["'<{]/u;
const SCHEME_FIRST = /^(?:https?:)?\/\//i;
const GLUED_FIRST = /^(?:https?:\/\/|www\.)/i;
const DOTS = '.\u3002\uff0e\uff61';
const HOST_CHAR_LAST = /[\p{L}\p{N}\p{M}_-]$/u;

/** The length of the part of `form` before any path, query or fragment. */
export function authorityLength(form: string): number {
  const scheme = /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.exec(form)?.[0].length ?? 0;
  const rest = form.slice(scheme).search(/[/?#]/);
  return rest < 0 ? form.length : scheme + rest;
}

/** Whether the link spelled `form` may start at `start` of `text`. */
export function startsLink(text: string, start: number, form: string): boolean {
  const schemeFirst = SCHEME_FIRST.test(form);
  // A direction mark glued to a host: the server drops such a link (the host reads on across it).
  if (!schemeFirst && hostThenMark(text, start)) return false;
  let at = start;
  while (at > 0 && OPENING.test(text[at - 1] ?? '')) at--;
  const before = text[at - 1];
  if (before === undefined) return true;
  // A stop after a host may be a dot: `shop.com。evil.com` names shop.com.evil.com.
  if (STOPS.includes(before)) return schemeFirst || !hostBeforeStop(text, at - 1);
  if (SEPARATOR.test(before)) return true;
  // The server starts a link at `https://` or `www.` glued to Chinese text, and nowhere else.
  return at === start && GLUED_FIRST.test(form) && before.charCodeAt(0) > 0x7f;
}

/** Whether the link spelled `form` may end at `end` of `text`. */
export function endsLink(text: string, end: number, form: string): boolean {
  const inHost = authorityLength(form) === form.length;
  if (inHost && markThenHost(text, end)) return false;
  let at = end;
  while (at < text.length && TRAILING.test(text[at] ?? '')) at++;
  const after = text[at];
  if (after === undefined || BIDI_MARKS.test(after)) return true;
  // In a host, a stop before a label may be a dot the server read on through.
  if (STOPS.includes(after)) return !(inHost && at === end && HOST_CHAR_FIRST.test(text.slice(at + 1, at + 3)));
  return SEPARATOR.test(after);
}

/**
 * Whether the text before the full stop at `stop` may be a host the server read on through it:
 * a label right before it, and a dot, stop or port in the same run or a `//` before the run
 * (server/links/host-stops.ts reads a stop as a dot only in such a host).
 */
function hostBeforeStop(text: string, stop: number): boolean {
  if (!HOST_CHAR_LAST.test(text.slice(Math.max(0, stop - 2), stop))) return false;
  let i = stop;
  while (i > 0) {
    const unit = text.charCodeAt(i - 1);
    const char = text.slice(unit >= 0xdc00 && unit <= 0xdfff ? Math.max(0, i - 2) : i - 1, i);
    if (!RUN_CHAR.test(char)) break;
    if (DOTS.includes(char) || char === ':') return true;
    i -= char.length;
  }
  return i >= 2 && text.startsWith('//', i - 2);
}
