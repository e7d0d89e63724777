import { LIMITS } from './limits';

/**
 * An http(s) URL of bounded length, parsed the WHATWG way, or undefined. Every part that
 * accepts a link from outside (server, desktop shell, client) starts from this one check.
 */
export function parseHttpUrl(raw: string): URL | undefined {
  if (raw.length > LIMITS.urlMax) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url;
}
