/** Times as a chat list shows them: a clock today, "Yesterday", a weekday this week, else a date. */
const DAY_MS = 86_400_000;

function startOfDay(time: number): number {
  const d = new Date(time);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export function sameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

export function clockTime(time: number, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hour12: false }).format(time);
}

export function listTime(time: number, now: number, language: string, yesterday: string): string {
  const days = Math.round((startOfDay(now) - startOfDay(time)) / DAY_MS);
  if (days <= 0) return clockTime(time, language);
  if (days === 1) return yesterday;
  if (days < 7) return new Intl.DateTimeFormat(language, { weekday: 'short' }).format(time);
  return new Intl.DateTimeFormat(language, { year: '2-digit', month: 'numeric', day: 'numeric' }).format(time);
}

export function dayLabel(time: number, now: number, language: string, today: string, yesterday: string): string {
  const days = Math.round((startOfDay(now) - startOfDay(time)) / DAY_MS);
  if (days === 0) return today;
  if (days === 1) return yesterday;
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(language, sameYear ? { month: 'long', day: 'numeric', weekday: 'short' } : { year: 'numeric', month: 'long', day: 'numeric' }).format(time);
}
