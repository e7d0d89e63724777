/**
 * The message text as linkify-it should read it, with a map back to the text as sent.
 */
import { hostThenMark, markThenHost } from '../../protocol/link-marks';
import { hostStops } from './host-stops';

// People writing Chinese put no space around a link: "看https://…。" must find the link and
// leave the full-width punctuation after it out. These ranges are CJK and full-width
// punctuation (not full-width letters or digits), never typed as part of an address, so they
// separate links like spaces do — except a full stop between host labels (host-stops.ts).
// Left-to-right, right-to-left and Arabic letter marks are common in Arabic and Hebrew text
// around a link, invisible, and never part of an address: they end a link like a space too.
const SEPARATORS = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u200e\u200f\u061c]/gu;
// A link glued after Chinese text starts a link all the same: a space goes in before it.
const GLUED_LINK_START = /(?<=\P{ASCII})(?=https?:\/\/|www\.)/giu;

export interface PreparedText {
  text: string;
  /** Where spaces were inserted into `text`, in ascending order. */
  inserted: readonly number[];
}

const NOTHING_INSERTED: readonly number[] = [];

export function prepareText(sent: string): PreparedText {
  const dots = hostStops(sent);
  // A replacer function is slow even where nothing matches; most messages need none.
  const mapped = dots.size === 0 ? sent.replace(SEPARATORS, ' ') : sent.replace(SEPARATORS, (_: string, at: number) => (dots.has(at) ? '.' : ' '));
  GLUED_LINK_START.lastIndex = 0;
  if (!GLUED_LINK_START.test(mapped)) return { text: mapped, inserted: NOTHING_INSERTED };
  const inserted: number[] = [];
  const text = mapped.replace(GLUED_LINK_START, (_: string, at: number) => {
    // Each space inserted before shifts this one by one more.
    inserted.push(at + inserted.length);
    return ' ';
  });
  return { text, inserted };
}

/** The index in the text as sent of the character at `index` of the prepared text (not an inserted space). */
export function sentIndex(prepared: PreparedText, index: number): number {
  let shift = 0;
  for (const at of prepared.inserted) if (at < index) shift++;
  return index - shift;
}

/**
 * Whether a direction mark splits the host of the link at [start, end) of the text as sent:
 * `https://shop.test\u200f.evil.top` shows as shop.test.evil.top, so a verdict for shop.test
 * would be for a different host than the reader sees. Such a link is dropped rather than cut
 * at the mark (and never joined across it); the text on the other side is read on its own.
 */
export function markSplitsHost(sent: string, start: number, end: number, raw: string): boolean {
  if (endsInHost(raw) && markThenHost(sent, end)) return true;
  const schemeless = !/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(raw);
  return schemeless && hostThenMark(sent, start);
}

/** Whether the link text ends before any path, query or fragment. */
export function endsInHost(raw: string): boolean {
  return !/[/?#]/.test(raw.replace(/^(?:[a-z][a-z0-9+.-]*:)?\/\//i, ''));
}
