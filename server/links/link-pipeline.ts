/**
 * The link pipeline behind the LinkServices seam (DESIGN.md §3): verdict first, and only a
 * `verified` link is ever fetched — through the safe fetcher, its image stored and served by
 * the chat server. The merchant's name always comes from the verification service.
 */
import { type LinkPreview, type LinkVerdict, type MerchantRef, type ProductCard, type Result, err, ok, parseHttpUrl } from '../../protocol';
import { extractLinks } from './link-extract';
import type { LinkServices } from './link-services';
import { type MediaHandler, type MediaStore, createMediaHandler, openMediaStore, storeRemoteImage } from './media-store';
import { type PageFields, decodeHtml, extractPreviewYielding } from './preview-extract';
import { parseResolveMap } from './resolve-map';
import { refreshCandidates } from './refresh-target';
import { type FetchFailureReason, type FetchKind, type HostLookup, type SafeFetcher, createSafeFetcher } from './safe-fetch';
import { createVerifyClient } from './verify-client';

export interface LinkPipelineOptions {
  /** Base URL of the verification service. */
  verifyUrl: string;
  /** The chat server's data directory; images go to `<dataDir>/media`. */
  dataDir: string;
  /** WANGLAI_PREVIEW_ALLOW_HTTP=1 */
  allowHttp: boolean;
  /** The raw WANGLAI_PREVIEW_RESOLVE value. */
  resolve: string;
  verifyTimeoutMs?: number;
  verdictCacheTtlMs?: number;
  fetchConnectTimeoutMs?: number;
  fetchTotalTimeoutMs?: number;
  maxConcurrentFetches?: number;
  /** Fetches running at once for one site (2 by default). */
  maxFetchesPerSite?: number;
  /** Longest wait for a fetch slot before the fetch fails as `busy` (10 s by default). */
  fetchQueueWaitMs?: number;
  fetchCacheTtlMs?: number;
  /** Extra trusted CA for https fetches (tests with a self-signed shop). */
  ca?: string | Buffer;
  /** Name resolution for the fetcher (tests); dns.lookup by default. */
  lookup?: HostLookup;
}

export interface LinkPipeline {
  services: LinkServices;
  /** Mount at GET /api/v1/media/:id: `media(req, res, id)`. */
  media: MediaHandler;
  mediaStore: MediaStore;
  /** The safe fetcher's slots now: fetches running and waiting (tests, diagnostics). */
  fetchSlots(): { running: number; waiting: number };
  close(): Promise<void>;
}

/** A bad WANGLAI_PREVIEW_RESOLVE: thrown at start-up, its message names the entry. */
export class LinkConfigError extends Error {
  override name = 'LinkConfigError';
}

type PageRead = { ok: true; fields: PageFields; image?: string } | { ok: false; reason: FetchFailureReason | 'not_fetched'; refusedRedirect?: string };

export function createLinkServices(options: LinkPipelineOptions): LinkPipeline {
  const resolve = parseResolveMap(options.resolve);
  if (!resolve.ok) throw new LinkConfigError(resolve.message);

  const verify = createVerifyClient({
    baseUrl: options.verifyUrl,
    ...(options.verifyTimeoutMs !== undefined ? { timeoutMs: options.verifyTimeoutMs } : {}),
    ...(options.verdictCacheTtlMs !== undefined ? { cacheTtlMs: options.verdictCacheTtlMs } : {}),
  });

  /** The first of `targets` a page at `original` may not send a browser to (allowRedirect), asked in one batch. */
  async function firstRefused(original: string, targets: readonly string[]): Promise<string | undefined> {
    if (targets.length === 0) return undefined;
    const [from, ...to] = await verify.verdicts([original, ...targets]);
    return targets.find((_, i) => {
      const verdict = to[i];
      return !(verdict?.verdict === 'verified' && verdict.merchant !== undefined && verdict.merchant.id === from?.merchant?.id);
    });
  }

  /** A page may redirect only within what is verified for the same merchant; images anywhere safe and not blocked. */
  async function allowRedirect(original: string, target: string, kind: FetchKind): Promise<boolean> {
    if (kind === 'image') return imageAllowed(target, original);
    return (await firstRefused(original, [target])) === undefined;
  }

  const fetcher = createSafeFetcher({
    allowHttp: options.allowHttp,
    resolve: resolve.map,
    allowRedirect,
    ...(options.fetchConnectTimeoutMs !== undefined ? { connectTimeoutMs: options.fetchConnectTimeoutMs } : {}),
    ...(options.fetchTotalTimeoutMs !== undefined ? { totalTimeoutMs: options.fetchTotalTimeoutMs } : {}),
    ...(options.maxConcurrentFetches !== undefined ? { maxConcurrent: options.maxConcurrentFetches } : {}),
    ...(options.maxFetchesPerSite !== undefined ? { maxPerHost: options.maxFetchesPerSite } : {}),
    ...(options.fetchQueueWaitMs !== undefined ? { maxQueueWaitMs: options.fetchQueueWaitMs } : {}),
    ...(options.fetchCacheTtlMs !== undefined ? { cacheTtlMs: options.fetchCacheTtlMs, failureCacheTtlMs: Math.min(options.fetchCacheTtlMs, 15_000) } : {}),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
    ...(options.lookup !== undefined ? { lookup: options.lookup } : {}),
  });
  const mediaStore = openMediaStore(options.dataDir);

  /** The fetcher as seen by one owner: its page and image fetches queue under that owner's key. */
  function fetcherFor(owner: string | undefined): SafeFetcher {
    if (owner === undefined) return fetcher;
    return {
      fetch: (url, kind) => fetcher.fetch(url, kind, { owner }),
      get running() {
        return fetcher.running;
      },
      get waiting() {
        return fetcher.waiting;
      },
      close: () => fetcher.close(),
    };
  }

  /** Fetches and reads a page already known to be verified. */
  async function readPage(url: URL, owner: string | undefined): Promise<PageRead> {
    if (url.protocol === 'http:' && !options.allowHttp) return { ok: false, reason: 'not_fetched' };
    const owned = fetcherFor(owner);
    const page = await owned.fetch(url.href, 'page');
    if (!page.ok) return page.reason === 'redirect_refused' ? { ok: false, reason: page.reason, refusedRedirect: page.url } : { ok: false, reason: page.reason };
    const html = decodeHtml(page.body, page.contentType);
    // A `Refresh` header or a meta refresh sends a browser on as a 3xx does: held to the same
    // rule, every reading of it (refresh-target.ts).
    const refreshes = refreshCandidates(html, page.url, page.refresh);
    if (refreshes === undefined) return { ok: false, reason: 'invalid_url' };
    const refused = await firstRefused(url.href, refreshes);
    if (refused !== undefined) return { ok: false, reason: 'redirect_refused', refusedRedirect: refused };
    const fields = await extractPreviewYielding(html, page.url);
    if (fields.image === undefined || !(await imageAllowed(fields.image, page.url))) return { ok: true, fields };
    const stored = await storeRemoteImage(owned, mediaStore, fields.image);
    return stored.ok ? { ok: true, fields, image: stored.url } : { ok: true, fields };
  }

  /**
   * A page's image may live anywhere the address checks allow (a CDN), but never on a host the
   * verification service blocks: fetching it would tell a phishing site the server's address, and
   * its picture would sit inside a verified card.
   */
  async function imageAllowed(imageUrl: string, from: string): Promise<boolean> {
    // On the host of the page (or image) it comes from, which was just asked about: no new question.
    if (sameHost(imageUrl, from)) return true;
    const [verdict] = await verify.verdicts([imageUrl]);
    return verdict !== undefined && verdict.verdict !== 'blocked';
  }

  function productOf(url: string, fields: PageFields, image: string | undefined, merchant: MerchantRef): ProductCard | undefined {
    if (fields.title === undefined) return undefined;
    return {
      url,
      title: fields.title,
      ...(fields.price !== undefined && fields.currency !== undefined ? { price: fields.price, currency: fields.currency } : {}),
      ...(image !== undefined ? { image } : {}),
      merchant,
    };
  }

  async function previewOne(url: string, verdict: LinkVerdict, fetchPage: boolean, owner: string | undefined): Promise<LinkPreview> {
    const reason = verdict.reason !== undefined ? { reason: verdict.reason } : {};
    if (verdict.verdict === 'blocked') {
      return {
        url,
        state: 'blocked',
        ...reason,
        ...(verdict.imitates !== undefined && verdict.reason === 'lookalike' ? { imitates: verdict.imitates } : {}),
        ...(verdict.merchant ? { merchant: verdict.merchant } : {}),
      };
    }
    const merchant = verdict.merchant;
    const parsed = parseHttpUrl(url);
    if (verdict.verdict !== 'verified' || merchant?.verified !== true || parsed === undefined) {
      return { url, state: 'unverified', ...reason };
    }
    const base: LinkPreview = { url, state: 'verified', merchant, siteName: merchant.name };
    // Where a browser opening the link lands is known only from its page: one not fetched (a
    // sender's backlog, which a sender can fill at will; plain http without
    // WANGLAI_PREVIEW_ALLOW_HTTP) could redirect anywhere, an open redirect on the shop included.
    // Shown as less than verified: when in doubt, show less.
    const unchecked: LinkPreview = { url, state: 'unverified', reason: 'not_checked' };
    if (!fetchPage) return unchecked;
    const page = await readPage(parsed, owner);
    // A page that could not be read (an error status, a timeout, more redirects than followed, a
    // body that is not HTML) may send a browser anywhere the fetch did not see: not vouched for.
    if (!page.ok) return page.refusedRedirect !== undefined ? await redirectedElsewhere(url, page.refusedRedirect) : unchecked;
    const { title, description, price } = page.fields;
    const product = price !== undefined ? productOf(url, page.fields, page.image, merchant) : undefined;
    return {
      ...base,
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(page.image !== undefined ? { image: page.image } : {}),
      ...(product !== undefined ? { product } : {}),
    };
  }

  /**
   * A verified link whose page redirects off its merchant's verified domains (an open redirect,
   * `?next=`, a hijacked path): a browser opening it lands there, and the verdict is for the
   * final URL (DESIGN.md §3). It shows as blocked when that address is (a lookalike, a phishing
   * domain), else as unverified; never as the merchant's.
   */
  async function redirectedElsewhere(url: string, target: string): Promise<LinkPreview> {
    const [verdict] = await verify.verdicts([target]);
    if (verdict?.verdict === 'blocked') {
      return {
        url,
        state: 'blocked',
        ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
        ...(verdict.imitates !== undefined && verdict.reason === 'lookalike' ? { imitates: verdict.imitates } : {}),
        ...(verdict.merchant ? { merchant: verdict.merchant } : {}),
      };
    }
    return { url, state: 'unverified', reason: 'redirects_elsewhere' };
  }

  function sameHost(a: string, b: string): boolean {
    return URL.canParse(a) && URL.canParse(b) && new URL(a).host === new URL(b).host;
  }

  const services: LinkServices = {
    extract: (text) => extractLinks(text),

    async preview(urls, { fetchPages = true, owner } = {}) {
      try {
        const verdicts = await verify.verdicts(urls);
        return await Promise.all(
          urls.map((url, i) =>
            previewOne(url, verdicts[i] ?? { url, verdict: 'unverified', reason: 'verification_unavailable' }, fetchPages, owner).catch(
              (): LinkPreview => ({ url, state: 'unverified', reason: 'verification_unavailable' }),
            ),
          ),
        );
      } catch {
        return urls.map((url): LinkPreview => ({ url, state: 'unverified', reason: 'verification_unavailable' }));
      }
    },

    async verdicts(urls) {
      try {
        return await verify.verdicts(urls);
      } catch {
        return urls.map((url): LinkVerdict => ({ url, verdict: 'unverified', reason: 'verification_unavailable' }));
      }
    },

    async verdict(url) {
      // Rule 1 is decided here, so that a service that fails in any way, a 400 included, is the
      // fail-closed verdict (PROTOCOL.md §4), never an error for a URL that parses.
      if (parseHttpUrl(url, Infinity) === undefined) return err('invalid_input', 'not an http(s) URL');
      return ok(await verify.verdict(url, { fresh: true }));
    },

    async productCard(url, merchantId, { owner } = {}): Promise<Result<ProductCard>> {
      // No length limit here: the caller passes the parsed href, whose percent-encoding can
      // take a short URL past 2048; the fetcher applies its own limit (preview_failed).
      const parsed = parseHttpUrl(url, Infinity);
      if (parsed === undefined) return err('invalid_input', 'not an http(s) URL');
      const found = await verify.merchant(merchantId);
      if (!found.ok || !found.merchant.verified) return err('not_verified', 'the merchant is not verified');
      const verdict = await verify.verdict(url, { fresh: true });
      if (verdict.verdict !== 'verified' || verdict.merchant?.id !== merchantId) {
        return err('not_verified', "the URL is not on the merchant's verified domains");
      }
      const page = await readPage(parsed, owner);
      if (!page.ok) return err('preview_failed', `the page could not be read (${page.reason})`);
      const card = productOf(url, page.fields, page.image, found.merchant);
      return card ? ok(card) : err('preview_failed', 'the page has no title');
    },

    async merchant(merchantId) {
      const found = await verify.merchant(merchantId);
      if (found.ok) return ok(found.merchant);
      return found.reason === 'not_found' ? err('not_found', 'no such merchant') : err('internal', 'the verification service is unavailable');
    },
  };

  return {
    services,
    media: createMediaHandler(mediaStore),
    mediaStore,
    fetchSlots: () => ({ running: fetcher.running, waiting: fetcher.waiting }),
    async close() {
      fetcher.close();
      verify.close();
    },
  };
}
