import { LIMITS } from './limits';

/**
 * An http(s) URL of bounded length, parsed the WHATWG way, or undefined. Every part that
 * accepts a link from outside (server, desktop shell, client) starts from this one check;
 * a verdict, which reads only the host, passes `Infinity` (PROTOCOL.md §4 sets no length).
 */
export function parseHttpUrl(raw: string, maxLength: number = LIMITS.urlMax): URL | undefined {
  if (raw.length > maxLength) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url;
}
