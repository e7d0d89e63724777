/**
 * The chat server's client of the merchant verification service (PROTOCOL.md §4). Answers are
 * cached briefly, one question per URL is in flight at a time, and anything but a well-formed
 * answer in time — timeout, refused connection, an error status, a malformed body — is the
 * fail-closed verdict `unverified` / `verification_unavailable`: no preview on doubt.
 */
import { z } from 'zod';
import { LIMITS, type LinkVerdict, type MerchantRef, type VerdictReason } from '../../protocol';
import { ExpiringCache } from './fetch-limits';

export interface VerifyClientOptions {
  /** Base URL of the service, e.g. http://127.0.0.1:3211 */
  baseUrl: string;
  timeoutMs?: number;
  cacheTtlMs?: number;
}

export type MerchantLookup = { ok: true; merchant: MerchantRef } | { ok: false; reason: 'not_found' | 'unavailable' };

export interface VerifyClient {
  /** `fresh` skips the cache (click time) and refreshes it. */
  verdict(url: string, options?: { fresh?: boolean }): Promise<LinkVerdict>;
  /** Verdicts in the same order, asked in one batch for those not cached. */
  verdicts(urls: readonly string[]): Promise<LinkVerdict[]>;
  /**
   * Never cached: a merchant's status decides whether it may share now (a suspension or an
   * approval takes effect at once), and these questions are rare.
   */
  merchant(id: string): Promise<MerchantLookup>;
  close(): void;
}

const REASONS = ['deceptive_url', 'ip_host', 'phishing', 'suspended', 'pending', 'lookalike', 'verification_unavailable'] as const;

// The service may answer a MerchantRef or a full merchant record; either maps to a MerchantRef.
const merchantShape = z.object({
  id: z.string().min(1).max(LIMITS.idMax),
  name: z.string().min(1).max(256),
  verified: z.boolean().optional(),
  status: z.enum(['verified', 'pending', 'suspended']).optional(),
});

/**
 * A host as the service may name it: a URL's host has no length limit of its own (a name over
 * 253 characters never resolves, but it still gets its verdict), and its ASCII form can be
 * several times the 2048 characters of the URL asked. Only an absurd answer is refused.
 */
const HOST_MAX = 16 * 1024;

const verdictShape = z.object({
  url: z.string(),
  verdict: z.enum(['verified', 'unverified', 'blocked']),
  reason: z.string().optional(),
  merchant: merchantShape.optional(),
  host: z.string().max(HOST_MAX).optional(),
  registrableDomain: z.string().max(HOST_MAX).optional(),
  imitates: z.string().max(HOST_MAX).optional(),
});

/**
 * For a query string or a path: a lone UTF-16 surrogate (a JSON string may carry one) made
 * encodeURIComponent throw, and a click-time verdict answered `internal`. It becomes U+FFFD,
 * as the WHATWG URL parser and a percent-decoded query both make it.
 */
function uriComponent(text: string): string {
  return encodeURIComponent(text.replace(/\p{Cs}/gu, '\uFFFD'));
}

// Entries are checked one by one: the service answers an unparsable URL with `{url, error}`.
const verdictsShape = z.object({ verdicts: z.array(z.unknown()) });
const merchantAnswer = z.object({ merchant: merchantShape });
/** A batch's body stays under the service's 64 KiB limit, whatever the URLs' lengths. */
const BATCH_BODY_MAX = 60 * 1024;

/** The URLs in batches of at most 100 and at most BATCH_BODY_MAX of JSON each (a longer URL goes alone). */
function batches(urls: readonly string[]): string[][] {
  const out: string[][] = [];
  let chunk: string[] = [];
  let bytes = 0;
  for (const url of urls) {
    const size = Buffer.byteLength(JSON.stringify(url)) + 1;
    if (chunk.length > 0 && (chunk.length >= LIMITS.verdictBatchMax || bytes + size > BATCH_BODY_MAX)) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(url);
    bytes += size;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}

/**
 * The largest answer read: a batch of 100 verdicts is a few tens of KiB. A service answering
 * more (broken, or hostile) is cut off, not parsed: a 200 MB body took the event loop for
 * seconds and the heap to gigabytes.
 */
const ANSWER_MAX_BYTES = 512 * 1024;

/** The body as text, or undefined once it passes `max` bytes (the request is then aborted). */
async function readCapped(res: Response, max: number, controller: AbortController): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max || res.body === null) {
    controller.abort();
    return declared > max ? undefined : '';
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      controller.abort();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Above this, a URL is asked in a POST body rather than the query string. */
const GET_QUERY_MAX = 8 * 1024;

function toRef(m: z.infer<typeof merchantShape>): MerchantRef | undefined {
  // A merchant is verified only when the service says so in one of its two spellings.
  const verified = m.verified ?? (m.status === undefined ? undefined : m.status === 'verified');
  return verified === undefined ? undefined : { id: m.id, name: m.name, verified };
}

export const unavailableVerdict = (url: string): LinkVerdict => ({ url, verdict: 'unverified', reason: 'verification_unavailable' });

/**
 * In a batch, a verdict counts only for the URL it names: an answer out of order, or about
 * another URL, would otherwise give one link another's verdict (a blocked page fetched as a
 * verified card). The service may echo the URL normalised, so equal hrefs match too. A single
 * question has one answer and no order to get wrong: its `url` is not compared (a service may
 * normalise further than the WHATWG parser does).
 */
function sameUrl(asked: string, answered: string): boolean {
  if (asked === answered) return true;
  try {
    return new URL(asked).href === new URL(answered).href;
  } catch {
    return false;
  }
}

/** The service's answer for our URL; undefined when it does not hold together. */
function toVerdict(url: string, answer: z.infer<typeof verdictShape>): LinkVerdict | undefined {
  const merchant = answer.merchant ? toRef(answer.merchant) : undefined;
  if (answer.verdict === 'verified' && merchant?.verified !== true) return undefined;
  const reason = REASONS.find((r) => r === answer.reason) as VerdictReason | undefined;
  return {
    url,
    verdict: answer.verdict,
    ...(reason !== undefined ? { reason } : {}),
    ...(merchant !== undefined ? { merchant } : {}),
    ...(answer.host !== undefined ? { host: answer.host } : {}),
    ...(answer.registrableDomain !== undefined ? { registrableDomain: answer.registrableDomain } : {}),
    ...(answer.imitates !== undefined ? { imitates: answer.imitates } : {}),
  };
}

export function createVerifyClient(options: VerifyClientOptions): VerifyClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 1500;
  const ttl = options.cacheTtlMs ?? 30_000;
  const verdictCache = new ExpiringCache<LinkVerdict>(10_000, Number.MAX_SAFE_INTEGER);
  const pending = new Map<string, Promise<LinkVerdict>>();
  const open = new Set<AbortController>();

  async function getJson(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown } | undefined> {
    const controller = new AbortController();
    open.add(controller);
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      // The deadline covers the body too: the timer aborts the read as well as the request.
      const res = await fetch(`${base}${path}`, { ...init, signal: controller.signal, redirect: 'error' });
      const text = await readCapped(res, ANSWER_MAX_BYTES, controller);
      if (text === undefined) return undefined;
      try {
        return { status: res.status, body: JSON.parse(text) as unknown };
      } catch {
        return { status: res.status, body: undefined };
      }
    } catch {
      return undefined;
    } finally {
      clearTimeout(timer);
      open.delete(controller);
    }
  }

  /**
   * One fresh verdict. GET for a URL whose query fits comfortably in a request line (the
   * service's Node bounds line and headers at 16 KiB), else a batch of one in a POST body.
   * Anything but a coherent verdict (a 400 included: rule 1 is checked before asking) is the
   * fail-closed verdict, and is not cached.
   */
  async function askOne(url: string): Promise<LinkVerdict> {
    const query = uriComponent(url);
    if (query.length > GET_QUERY_MAX) return (await askMany([url]))[0] ?? unavailableVerdict(url);
    const answer = await getJson(`/v1/verdict?url=${query}`);
    const parsed = answer?.status === 200 ? verdictShape.safeParse(answer.body) : undefined;
    const verdict = parsed?.success ? toVerdict(url, parsed.data) : undefined;
    if (verdict === undefined) return unavailableVerdict(url);
    verdictCache.set(url, verdict, ttl);
    return verdict;
  }

  async function askMany(urls: readonly string[]): Promise<LinkVerdict[]> {
    const answer = await getJson('/v1/verdicts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ urls }),
    });
    const parsed = answer?.status === 200 ? verdictsShape.safeParse(answer.body) : undefined;
    if (!parsed?.success || parsed.data.verdicts.length !== urls.length) return urls.map(unavailableVerdict);
    return urls.map((url, i) => {
      const item = verdictShape.safeParse(parsed.data.verdicts[i]);
      const verdict = item.success && sameUrl(url, item.data.url) ? toVerdict(url, item.data) : undefined;
      if (verdict === undefined) return unavailableVerdict(url);
      verdictCache.set(url, verdict, ttl);
      return verdict;
    });
  }

  /** Registers one pending promise per URL, so concurrent askers share one question. */
  function share(urls: readonly string[], ask: () => Promise<LinkVerdict[]>): void {
    const all = ask();
    urls.forEach((url, i) => {
      const one = all.then((verdicts) => verdicts[i] ?? unavailableVerdict(url)).finally(() => {
        if (pending.get(url) === one) pending.delete(url);
      });
      pending.set(url, one);
    });
  }

  const client: VerifyClient = {
    async verdict(url, { fresh = false } = {}) {
      if (!fresh) {
        const cached = verdictCache.get(url);
        if (cached) return cached;
      }
      const inFlight = pending.get(url);
      if (inFlight) return inFlight;
      share([url], async () => [await askOne(url)]);
      return pending.get(url) ?? unavailableVerdict(url);
    },
    async verdicts(urls) {
      const unique = [...new Set(urls)];
      const missing = unique.filter((url) => verdictCache.get(url) === undefined && !pending.has(url));
      if (missing.length === 1) share(missing, async () => [await askOne(missing[0] ?? '')]);
      if (missing.length > 1) for (const chunk of batches(missing)) share(chunk, () => askMany(chunk));
      return Promise.all(urls.map((url) => verdictCache.get(url) ?? pending.get(url) ?? client.verdict(url)));
    },
    async merchant(id) {
      const answer = await getJson(`/v1/merchants/${uriComponent(id)}`);
      if (answer?.status === 404) return { ok: false, reason: 'not_found' };
      const parsed = answer?.status === 200 ? merchantAnswer.safeParse(answer.body) : undefined;
      const merchant = parsed?.success ? toRef(parsed.data.merchant) : undefined;
      if (merchant === undefined) return { ok: false, reason: 'unavailable' };
      return { ok: true, merchant };
    },
    close() {
      for (const controller of open) controller.abort();
      verdictCache.clear();
    },
  };
  return client;
}
