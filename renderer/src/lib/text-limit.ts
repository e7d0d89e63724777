import { codePointLength } from '../../../protocol/limits';

/**
 * A value cut so that, trimmed as the server trims it, it holds at most `max` code points (the
 * server's count: an emoji or a Chinese character is one). The browser's maxLength counts UTF-16
 * units instead, and would stop an emoji name at half its length. Answers whether anything was cut.
 */
export function limitCodePoints(value: string, max: number): { value: string; cut: boolean } {
  if (codePointLength(value.trim()) <= max) return { value, cut: false };
  const start = value.length - value.trimStart().length;
  const kept = [...value.slice(start)].slice(0, max).join('');
  return { value: value.slice(0, start) + kept, cut: true };
}

/**
 * A message's length as the server counts it against `LIMITS.messageTextMax` (`trimmedText` in
 * protocol/schemas.ts): code points of the trimmed text. Spaces and blank lines around a message
 * must not make the composer refuse what the server would take.
 */
export function sendableLength(text: string): number {
  return codePointLength(text.trim());
}
