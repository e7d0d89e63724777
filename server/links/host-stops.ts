/**
 * Full-width and ideographic full stops (`。` U+3002, `．` U+FF0E, `｡` U+FF61) inside a host.
 * Browsers map them to `.` there (UTS #46), so `https://shop.test。evil.top/login` names
 * shop.test.evil.top; ending the link at the stop would give a verdict for shop.test instead.
 * The same `。` ends a Chinese sentence (`看 https://shop.test/p。谢谢`), so it must still end a
 * link there. The rule (docs/security.md, "Reading links from text"): a stop is read as a dot
 * only between two host labels — in the host of a `scheme://` or `//` link, or after a bare
 * domain that already has a dot and a last label with a letter — and only when the label after
 * it starts with an ASCII letter, or when the name read through it reaches a known public
 * suffix (`。例子。com`, `。1evil.top`). An ASCII letter may begin a suffix we do not know (an
 * internal or new name), so it always continues; a digit or a Chinese character after a stop
 * is how the next sentence starts (`。3点见`, `。谢谢`), and continues only onto a name that can
 * exist. In a path, query or fragment a stop always ends the link: browsers percent-encode it
 * there, so the host is unchanged. A stop before `http://` or `https://` starts a new link.
 */
import { parse as parseDomain } from 'tldts';

const STOPS = '\u3002\uff0e\uff61';
const ANY_STOP = /[\u3002\uff0e\uff61]/u;
const EVERY_STOP = /[\u3002\uff0e\uff61]/gu;
// A host with its port, stops included; a run is cut at `/`, `@`, whitespace and punctuation.
const RUN_CHAR = /^[\p{L}\p{N}\p{M}_.:\u3002\uff0e\uff61-]$/u;
const RUN_AFTER = /[\p{L}\p{N}\p{M}_.:\u3002\uff0e\uff61-]*/uy;
const PART = /([.:\u3002\uff0e\uff61])/u;
const LABEL_START = /^[\p{L}\p{N}\p{M}]/u;
const ASCII_LETTER = /^[a-z]/i;
const LETTER = /\p{L}/u;
const NEW_LINK = /^https?:\/\//i;
// Just before a bare domain, these put it inside a URL (path, query, fragment, user info).
const INSIDE_URL = '/?#=&@';

/** The indexes of the stops in `text` that a browser would read as dots between host labels. */
export function hostStops(text: string): Set<number> {
  const dots = new Set<number>();
  // Most text with a stop is a Chinese sentence without any address in it.
  if (!ANY_STOP.test(text) || (!text.includes('.') && !text.includes('//'))) return dots;
  let decided = 0;
  for (const stop of text.matchAll(EVERY_STOP)) {
    if (stop.index < decided) continue;
    const start = runStart(text, stop.index, decided);
    RUN_AFTER.lastIndex = stop.index;
    const end = stop.index + (RUN_AFTER.exec(text)?.[0].length ?? 0);
    decideRun(text, start, text.slice(start, end), dots);
    decided = end;
  }
  return dots;
}

/** Where the run of host characters that ends at `at` begins, looking no further back than `floor`. */
function runStart(text: string, at: number, floor: number): number {
  let i = at;
  while (i > floor) {
    const unit = text.charCodeAt(i - 1);
    const width = unit >= 0xdc00 && unit <= 0xdfff && i - 2 >= floor ? 2 : 1;
    if (!RUN_CHAR.test(text.slice(i - width, i))) break;
    i -= width;
  }
  return i;
}

type Context = 'scheme' | 'bare' | null;

function contextBefore(text: string, at: number): Context {
  if (text.startsWith('//', at - 2)) return 'scheme';
  const before = text[at - 1];
  return before !== undefined && INSIDE_URL.includes(before) ? null : 'bare';
}

function decideRun(text: string, start: number, run: string, dots: Set<number>): void {
  // parts = [label, separator, label, separator, ..., label]
  const parts = run.split(PART);
  const labels = parts.filter((_, i) => i % 2 === 0);
  let reachesSuffix: boolean[] | undefined;
  let context = contextBefore(text, start);
  let dotted = false;
  let at = start + (labels[0]?.length ?? 0);
  for (let j = 0; j < labels.length - 1; j++) {
    const separator = parts[2 * j + 1] ?? '';
    const label = labels[j] ?? '';
    const next = labels[j + 1] ?? '';
    if (STOPS.includes(separator)) {
      const inHost = context !== null && label !== '' && (context === 'scheme' || (dotted && LETTER.test(label)));
      const continues = LABEL_START.test(next) && !NEW_LINK.test(text.slice(at + 1, at + 9)) && (ASCII_LETTER.test(next) || (reachesSuffix ??= suffixAhead(parts, labels))[j + 1] === true);
      if (inHost && continues) {
        dots.add(at);
        dotted = true;
      } else {
        // The stop ends whatever came before; what follows starts after punctuation.
        context = 'bare';
        dotted = false;
      }
    } else if (separator === '.') {
      dotted = true;
    }
    at += separator.length + next.length;
  }
}

/**
 * For each label: whether a name read on from it, through dots and stops, ends in a public
 * suffix (PSL, private section included). One pass from the right, so a long run stays linear.
 */
function suffixAhead(parts: readonly string[], labels: readonly string[]): boolean[] {
  const ahead: boolean[] = new Array<boolean>(labels.length).fill(false);
  for (let j = labels.length - 1; j >= 0; j--) {
    const separator = parts[2 * j + 1];
    const chained = separator !== undefined && separator !== ':' && LABEL_START.test(labels[j + 1] ?? '') && ahead[j + 1] === true;
    ahead[j] = chained || isPublicSuffix(labels[j] ?? '');
  }
  return ahead;
}

// Every top-level suffix is letters only, or punycode.
const SUFFIX_SHAPED = /^(?:[\p{L}\p{M}]+|xn--[a-z0-9-]+)$/iu;

// The same few words follow a stop again and again; the list of suffixes changes only with a release.
const suffixCache = new Map<string, boolean>();
const SUFFIX_CACHE_MAX = 4096;

function isPublicSuffix(label: string): boolean {
  if (!SUFFIX_SHAPED.test(label)) return false;
  const key = label.toLowerCase();
  const cached = suffixCache.get(key);
  if (cached !== undefined) return cached;
  const parsed = parseDomain(`x.${key}`, { allowPrivateDomains: true });
  const known = parsed.isIcann === true || parsed.isPrivate === true;
  if (suffixCache.size >= SUFFIX_CACHE_MAX) suffixCache.clear();
  suffixCache.set(key, known);
  return known;
}
