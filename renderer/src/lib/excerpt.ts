/**
 * The first words of a text on one line, at most `max` code points and an ellipsis, for names
 * that must stay short enough to be read out (a list item, a button).
 */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const head = chars.slice(0, max);
  // End on a whole word where words are spaced; Chinese has no spaces and is cut anywhere.
  const space = chars[max] === ' ' ? max : head.lastIndexOf(' ');
  const kept = space > max / 2 ? head.slice(0, space) : head;
  return `${kept.join('').trimEnd()}…`;
}
