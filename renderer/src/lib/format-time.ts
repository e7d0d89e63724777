/** Times as a chat list shows them: a clock today, "Yesterday", a weekday this week, else a date. */
const DAY_MS = 86_400_000;

// Building an Intl formatter costs far more than using one; a long list formats thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (found === undefined) {
    found = new Intl.DateTimeFormat(language, options);
    formatters.set(key, found);
  }
  return found;
}

const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };
const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: 'short' };
const SHORT_DATE: Intl.DateTimeFormatOptions = { year: '2-digit', month: 'numeric', day: 'numeric' };
/** Chinese dates begin with the year: with two digits, 26/12/7 reads as a day. */
const SHORT_DATE_FULL_YEAR: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'numeric', day: 'numeric' };
const DAY_THIS_YEAR: Intl.DateTimeFormatOptions = { month: 'long', day: 'numeric', weekday: 'short' };
const DAY_OTHER_YEAR: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' };

export function startOfDay(time: number): number {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

export function clockTime(time: number, language: string): string {
  return formatter(language, CLOCK).format(time);
}

export function listTime(time: number, now: number, language: string, yesterday: string): string {
  const days = Math.round((startOfDay(now) - startOfDay(time)) / DAY_MS);
  if (days <= 0) return clockTime(time, language);
  if (days === 1) return yesterday;
  if (days < 7) return formatter(language, WEEKDAY).format(time);
  return formatter(language, language.startsWith('zh') ? SHORT_DATE_FULL_YEAR : SHORT_DATE).format(time);
}

export function dayLabel(time: number, now: number, language: string, today: string, yesterday: string): string {
  const days = Math.round((startOfDay(now) - startOfDay(time)) / DAY_MS);
  if (days === 0) return today;
  if (days === 1) return yesterday;
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return formatter(language, sameYear ? DAY_THIS_YEAR : DAY_OTHER_YEAR).format(time);
}
