import { z } from 'zod';
import type { OpenExternalResult } from '../protocol';
import { LIMITS, parseHttpUrl } from '../protocol';

export interface LinkOpenerOptions {
  serverUrl: string;
  /** The signed-in user's bearer token, if any: the verdict endpoint needs it. */
  token(): Promise<string | undefined>;
  /** shell.openExternal */
  openExternal(url: string): Promise<void>;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export type LinkOpener = (url: string, options?: { acceptRisk?: boolean }) => Promise<OpenExternalResult>;

const verdictSchema = z.object({
  verdict: z.enum(['verified', 'unverified', 'blocked']),
  reason: z.string().max(64).optional(),
});

type Verdict = 'open' | 'blocked' | 'verification_unavailable' | 'no_longer_verified';

/**
 * The link policy: only http(s) URLs, and only after a fresh verdict from the chat server
 * (never a cached one: a shop can be suspended between the preview and the click). Only a link
 * still `verified` opens (DESIGN.md §3: an unverified link is plain text that cannot be clicked),
 * also when the page's own check was never made: `window.open` and target=_blank come here
 * straight from the navigation policy. Anything else is refused unless the user accepted the
 * risk on the interstitial; a URL of any other scheme is refused whatever the user accepted.
 */
export function createLinkOpener(options: LinkOpenerOptions): LinkOpener {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;

  async function askServer(url: string): Promise<Verdict> {
    const token = await options.token();
    if (token === undefined) return 'verification_unavailable';
    try {
      const response = await doFetch(`${options.serverUrl}/api/v1/links/verdict?url=${encodeURIComponent(url)}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      if (response.status !== 200) return 'verification_unavailable';
      const parsed = verdictSchema.safeParse(await response.json());
      if (!parsed.success) return 'verification_unavailable';
      if (parsed.data.verdict === 'blocked') return 'blocked';
      // The server answers this reason when it could not ask the verification service.
      if (parsed.data.reason === 'verification_unavailable') return 'verification_unavailable';
      // Unverified (an IP host, a pending merchant, an unknown shop) is not clickable in the page,
      // so it does not open from here either.
      return parsed.data.verdict === 'verified' ? 'open' : 'no_longer_verified';
    } catch {
      return 'verification_unavailable';
    }
  }

  return async (raw, openOptions) => {
    const url = normaliseHttpUrl(raw);
    if (url === undefined) return { opened: false, reason: 'invalid_url' };
    const verdict = await askServer(url);
    if (verdict !== 'open' && openOptions?.acceptRisk !== true) return { opened: false, reason: verdict };
    await options.openExternal(url);
    return { opened: true };
  };
}

/** The URL as the browser will receive it, or undefined unless it is a plain http(s) URL. */
export function normaliseHttpUrl(raw: string): string | undefined {
  const url = parseHttpUrl(raw);
  if (url === undefined) return undefined;
  if (url.href.length > LIMITS.urlMax) return undefined;
  return url.href;
}
