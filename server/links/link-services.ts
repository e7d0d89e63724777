/**
 * The seam between the chat server and the link-safety pipeline (DESIGN.md §3). The chat
 * server sees links only through this interface, so that sending a message never waits on a
 * verdict, a fetch or a slow site.
 */
import type { LinkPreview, LinkVerdict, MerchantRef, ProductCard, Result } from '../../protocol';

/** Whom page fetches are for: the safe fetcher shares its slots round-robin across owners. */
export interface FetchOwner {
  /** The sender's (or sharer's) user id; without it, fetches share one key. */
  owner?: string;
}

export interface LinkServices {
  /** The URLs of a message text to preview: at most 3; none when the text carries bidi overrides. */
  extract(text: string): string[];
  /**
   * Final previews, one per URL in the same order; never rejects, fails closed per link.
   * `fetchPages: false` gives the verdicts only, without fetching a page: a link the service
   * verifies then shows as `unverified` with reason `not_checked`, since where a browser opening
   * it lands (a redirect) is known only from its page. `owner`: see FetchOwner.
   */
  preview(urls: readonly string[], options?: { fetchPages?: boolean } & FetchOwner): Promise<LinkPreview[]>;
  /**
   * Today's verdicts, one per URL in order, cached briefly (as for previews); fail closed per
   * URL. Messages read back from the store show previews only as far as these still allow.
   */
  verdicts(urls: readonly string[]): Promise<LinkVerdict[]>;
  /** A fresh verdict (click time): `invalid_input` for a URL that does not parse or is not http(s). */
  verdict(url: string): Promise<Result<LinkVerdict>>;
  /**
   * A product card for a URL on the given merchant's own domains: `not_verified` when the
   * merchant is not verified or the URL is not on its domains, `preview_failed` when the page
   * cannot be fetched or read. `owner`: see FetchOwner.
   */
  productCard(url: string, merchantId: string, options?: FetchOwner): Promise<Result<ProductCard>>;
  /** The merchant as the verification service knows it now; `not_found` when it does not exist. */
  merchant(merchantId: string): Promise<Result<MerchantRef>>;
}
