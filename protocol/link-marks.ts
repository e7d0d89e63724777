/**
 * Direction marks (LRM, RLM, ALM) next to a host, read the same way by the server's link
 * extraction (server/links/link-text.ts) and the client's link bounds
 * (renderer/src/lib/link-bounds.ts): a mark may end a link, but never join or split a host, so
 * both sides must agree on when a mark sits inside one.
 */
import { BIDI_MARKS } from './limits';

/** A dot, or a full stop a browser reads as one inside a host (host-stops.ts). */
const DOTS = '.\u3002\uff0e\uff61';
const MARK_THEN_HOST = /[.\u3002\uff0e\uff61]*[\u200e\u200f\u061c]+[.\u3002\uff0e\uff61]*(?!https?:\/\/)[\p{L}\p{N}\p{M}_-]/iuy;
const HOST_CHAR_LAST = /[\p{L}\p{N}\p{M}_-]$/u;

/** Whether marks (with dots or stops around them) and then host characters follow at `at`. */
export function markThenHost(text: string, at: number): boolean {
  MARK_THEN_HOST.lastIndex = at;
  return MARK_THEN_HOST.test(text);
}

/** Whether host characters, dots or stops, direction marks, dots or stops come just before `at`. */
export function hostThenMark(text: string, at: number): boolean {
  let i = at;
  while (i > 0 && DOTS.includes(text[i - 1] ?? '')) i--;
  const afterMarks = i;
  while (i > 0 && BIDI_MARKS.test(text[i - 1] ?? '')) i--;
  if (i === afterMarks) return false;
  while (i > 0 && DOTS.includes(text[i - 1] ?? '')) i--;
  return HOST_CHAR_LAST.test(text.slice(Math.max(0, i - 2), i));
}
