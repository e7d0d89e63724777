/**
 * The safe fetcher (DESIGN.md §3): the only way the chat server reaches the open web. Every
 * hop of a fetch — the first request and each redirect — passes the same checks: scheme, port,
 * credentials, URL length, and every address the name resolves to; the connection then goes to
 * the exact address that was checked, so a second DNS answer cannot rebind it. Failures are
 * values with a reason; nothing here throws for a hostile site.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';
import { LIMITS } from '../../protocol';
import { isBlockedAddress } from './blocked-addresses';
import { FairSlots } from './fair-slots';
import { LookupGate } from './lookup-gate';
import { ExpiringCache, InFlight } from './fetch-limits';
import { type ResolveMap, resolveKey } from './resolve-map';

export type FetchKind = 'page' | 'image';

export type FetchFailureReason =
  | 'invalid_url'
  | 'url_too_long'
  | 'bad_scheme'
  | 'bad_port'
  | 'credentials'
  | 'dns_failure'
  | 'blocked_address'
  | 'connect_failed'
  | 'tls_failed'
  | 'timeout'
  | 'too_many_redirects'
  | 'redirect_loop'
  | 'redirect_refused'
  | 'http_status'
  | 'wrong_type'
  | 'bad_encoding'
  | 'too_large'
  | 'busy'
  | 'closed';

export interface FetchedBody {
  ok: true;
  /** The URL the body came from, after redirects. */
  url: string;
  /** The media type, lower case, without parameters. */
  mediaType: string;
  /** The full Content-Type header, for the charset. */
  contentType: string;
  body: Buffer;
  /** A page longer than the cap is cut, and parsed as far as it goes. */
  truncated: boolean;
  /** The `Refresh` header, if any: a redirect a browser follows from a 200 (refresh-target.ts). */
  refresh?: string;
}

export interface FetchFailure {
  ok: false;
  reason: FetchFailureReason;
  detail: string;
  url: string;
}

export type FetchResult = FetchedBody | FetchFailure;

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface SafeFetchOptions {
  allowHttp?: boolean;
  resolve?: ResolveMap;
  connectTimeoutMs?: number;
  totalTimeoutMs?: number;
  maxRedirects?: number;
  maxBytes?: number;
  maxConcurrent?: number;
  /** Fetches running at once for one site (registrable domain, else the host). */
  maxPerHost?: number;
  maxQueued?: number;
  /** Longest wait for a slot; past it the fetch fails as `busy`. */
  maxQueueWaitMs?: number;
  cacheTtlMs?: number;
  failureCacheTtlMs?: number;
  cacheMaxBytes?: number;
  userAgent?: string;
  /** Extra trusted CA certificates (tests with a self-signed shop). */
  ca?: string | Buffer;
  /** Name resolution; defaults to dns.lookup with all addresses. Tests pass a fake. */
  lookup?: HostLookup;
  /** Name lookups under way at once, abandoned ones included (lookup-gate.ts); 1 by default. */
  maxConcurrentLookups?: number;
  /**
   * Asked before following a redirect: the pipeline lets a verified page redirect only to
   * another URL verified for the same merchant. Without it, only the address checks apply.
   */
  allowRedirect?: (original: string, target: string, kind: FetchKind) => Promise<boolean>;
}

export interface FetchRequestOptions {
  /**
   * Whom the fetch is for (the sender's user id): slots are shared round-robin across owners.
   * Fetches without one share a single key.
   */
  owner?: string;
}

export interface SafeFetcher {
  fetch(url: string, kind: FetchKind, options?: FetchRequestOptions): Promise<FetchResult>;
  /** Fetches currently holding a connection slot. */
  readonly running: number;
  /** Fetches waiting for a slot. */
  readonly waiting: number;
  close(): void;
}

export const PAGE_TYPES: readonly string[] = ['text/html', 'application/xhtml+xml'];
// SVG is a document that can carry script, so it is never an acceptable image.
export const IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

const ACCEPT: Record<FetchKind, string> = {
  page: 'text/html,application/xhtml+xml;q=0.9',
  image: 'image/png,image/jpeg,image/gif,image/webp',
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const defaultLookup: HostLookup = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family }));
};

interface Target {
  /** The address the socket connects to: checked, or taken from the resolve map. */
  address: string;
  port: number;
  /** The name for SNI and certificate checks; absent for an IP literal. */
  servername?: string;
}

type Hop =
  | { kind: 'redirect'; location: string }
  | { kind: 'body'; mediaType: string; contentType: string; body: Buffer; truncated: boolean; refresh?: string }
  | { kind: 'failure'; reason: FetchFailureReason; detail: string };

class Deadline {
  readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  expired = false;

  constructor(ms: number) {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort();
    }, ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

export function createSafeFetcher(options: SafeFetchOptions = {}): SafeFetcher {
  const allowHttp = options.allowHttp ?? false;
  const resolveMap: ResolveMap = options.resolve ?? new Map();
  const connectTimeoutMs = options.connectTimeoutMs ?? 3000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 6000;
  const maxRedirects = options.maxRedirects ?? 3;
  const maxBytes = options.maxBytes ?? LIMITS.mediaBytesMax;
  const cacheTtlMs = options.cacheTtlMs ?? 60_000;
  const failureCacheTtlMs = options.failureCacheTtlMs ?? 15_000;
  const userAgent = options.userAgent ?? 'WanglaiPreview/1.0 (link preview)';
  const lookup = options.lookup ?? defaultLookup;
  const lookups = new LookupGate(options.maxConcurrentLookups ?? 1);

  const maxQueueWaitMs = options.maxQueueWaitMs ?? 10_000;
  const slots = new FairSlots({
    maxRunning: options.maxConcurrent ?? 8,
    maxPerHost: options.maxPerHost ?? 2,
    maxWaiting: options.maxQueued ?? 512,
    maxWaitMs: maxQueueWaitMs,
  });
  const cache = new ExpiringCache<FetchResult>(1000, options.cacheMaxBytes ?? 32 * 1024 * 1024);
  const inFlight = new InFlight<FetchResult>();
  const open = new Set<AbortController>();
  let closed = false;

  const fail = (url: string, reason: FetchFailureReason, detail: string): FetchFailure => ({ ok: false, reason, detail, url });

  /** Everything decided before a socket is opened, for one hop. */
  async function checkTarget(url: URL, signal: AbortSignal): Promise<Target | FetchFailure> {
    const href = url.href;
    if (href.length > LIMITS.urlMax) return fail(href, 'url_too_long', `URL is ${href.length} characters`);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowHttp)) {
      return fail(href, 'bad_scheme', `scheme ${url.protocol} is not fetched`);
    }
    if (url.username !== '' || url.password !== '') return fail(href, 'credentials', 'URL carries credentials');
    // URL drops a port equal to the scheme's default, so any port left is non-standard.
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const hostname = url.hostname;
    const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
    const servername = isIP(bare) === 0 ? { servername: bare } : {};

    // A WANGLAI_PREVIEW_RESOLVE entry names its host AND port (PROTOCOL.md §1), so a URL with a
    // non-standard port is fetched when, and only when, an entry names exactly that port.
    const mapped = resolveMap.get(resolveKey(hostname, port));
    if (mapped) return { address: mapped.address, port: mapped.port, ...servername };
    if (url.port !== '') return fail(href, 'bad_port', `port ${url.port} is not standard`);

    if (isIP(bare) !== 0) {
      return isBlockedAddress(bare) ? fail(href, 'blocked_address', `${bare} is in a blocked range`) : { address: bare, port };
    }
    let answers: ResolvedAddress[];
    try {
      answers = await raceSignal(lookups.run(bare, () => lookup(bare), signal), signal);
    } catch (error) {
      if (signal.aborted) return fail(href, 'timeout', 'deadline passed while resolving');
      return fail(href, 'dns_failure', `cannot resolve ${bare}: ${errorCode(error)}`);
    }
    const first = answers[0];
    if (first === undefined) return fail(href, 'dns_failure', `${bare} has no address`);
    const blocked = answers.find((a) => isBlockedAddress(a.address));
    if (blocked) return fail(href, 'blocked_address', `${bare} resolves to ${blocked.address}, a blocked range`);
    return { address: first.address, port, ...servername };
  }

  function requestOnce(url: URL, target: Target, kind: FetchKind, deadline: Deadline): Promise<Hop> {
    return new Promise<Hop>((resolve) => {
      let settled = false;
      let connectTimer: NodeJS.Timeout | undefined;
      const settle = (hop: Hop): void => {
        if (settled) return;
        settled = true;
        if (connectTimer) clearTimeout(connectTimer);
        resolve(hop);
      };
      const isHttps = url.protocol === 'https:';
      const requestOptions: https.RequestOptions = {
        host: target.address,
        port: target.port,
        method: 'GET',
        path: `${url.pathname}${url.search}`,
        headers: { host: url.host, 'user-agent': userAgent, accept: ACCEPT[kind], 'accept-encoding': 'identity' },
        agent: false,
        signal: deadline.signal,
        ...(target.servername !== undefined ? { servername: target.servername } : {}),
        ...(isHttps && options.ca !== undefined ? { ca: options.ca } : {}),
      };
      const req = (isHttps ? https : http).request(requestOptions);

      req.on('socket', (socket) => {
        connectTimer = setTimeout(() => {
          settle({ kind: 'failure', reason: 'timeout', detail: `no connection within ${connectTimeoutMs} ms` });
          req.destroy();
        }, connectTimeoutMs);
        socket.once(isHttps ? 'secureConnect' : 'connect', () => {
          if (connectTimer) clearTimeout(connectTimer);
        });
      });

      req.on('error', (error) => {
        if (deadline.expired) settle({ kind: 'failure', reason: 'timeout', detail: `no answer within ${totalTimeoutMs} ms` });
        else if (closed) settle({ kind: 'failure', reason: 'closed', detail: 'fetcher closed' });
        else settle({ kind: 'failure', reason: isTlsError(error) ? 'tls_failed' : 'connect_failed', detail: errorCode(error) });
      });

      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (REDIRECT_STATUSES.has(status)) {
          res.destroy();
          const location = res.headers.location;
          if (typeof location !== 'string' || location === '') {
            settle({ kind: 'failure', reason: 'http_status', detail: `${status} without a Location` });
          } else settle({ kind: 'redirect', location });
          return;
        }
        if (status !== 200) {
          res.destroy();
          settle({ kind: 'failure', reason: 'http_status', detail: `status ${status}` });
          return;
        }
        const contentType = res.headers['content-type'] ?? '';
        const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
        const accepted = kind === 'page' ? PAGE_TYPES : IMAGE_TYPES;
        if (!accepted.includes(mediaType)) {
          res.destroy();
          settle({ kind: 'failure', reason: 'wrong_type', detail: `Content-Type "${contentType.slice(0, 100)}"` });
          return;
        }
        const encoding = (res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
        if (encoding !== 'identity' && encoding !== '') {
          res.destroy();
          settle({ kind: 'failure', reason: 'bad_encoding', detail: `Content-Encoding "${encoding.slice(0, 50)}"` });
          return;
        }
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (kind === 'image' && declared > maxBytes) {
          res.destroy();
          settle({ kind: 'failure', reason: 'too_large', detail: `Content-Length ${declared}` });
          return;
        }
        const refreshHeader = res.headers.refresh;
        const refresh = typeof refreshHeader === 'string' && refreshHeader !== '' ? { refresh: refreshHeader } : {};
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          if (received + chunk.length > maxBytes) {
            res.destroy();
            if (kind === 'image') {
              settle({ kind: 'failure', reason: 'too_large', detail: `more than ${maxBytes} bytes` });
              return;
            }
            chunks.push(chunk.subarray(0, maxBytes - received));
            settle({ kind: 'body', mediaType, contentType, body: Buffer.concat(chunks), truncated: true, ...refresh });
            return;
          }
          received += chunk.length;
          chunks.push(chunk);
        });
        res.on('end', () => settle({ kind: 'body', mediaType, contentType, body: Buffer.concat(chunks), truncated: false, ...refresh }));
        res.on('error', () => {
          if (deadline.expired) settle({ kind: 'failure', reason: 'timeout', detail: `body not done within ${totalTimeoutMs} ms` });
          else settle({ kind: 'failure', reason: 'connect_failed', detail: 'connection lost in the body' });
        });
        res.on('close', () => {
          if (!res.complete) settle({ kind: 'failure', reason: deadline.expired ? 'timeout' : 'connect_failed', detail: 'body cut short' });
        });
      });
      req.end();
    });
  }

  async function fetchChain(start: string, kind: FetchKind): Promise<FetchResult> {
    let url: URL;
    try {
      url = new URL(start);
    } catch {
      return fail(start.slice(0, 200), 'invalid_url', 'not a URL');
    }
    const deadline = new Deadline(totalTimeoutMs);
    open.add(deadline.controller);
    try {
      const seen = new Set<string>();
      for (let hop = 0; ; hop++) {
        url.hash = '';
        if (seen.has(url.href)) return fail(url.href, 'redirect_loop', `${url.href} seen twice`);
        seen.add(url.href);
        const target = await checkTarget(url, deadline.signal);
        if ('ok' in target) return target;
        const result = await requestOnce(url, target, kind, deadline);
        if (result.kind === 'failure') return fail(url.href, result.reason, result.detail);
        if (result.kind === 'body') {
          const { mediaType, contentType, body, truncated, refresh } = result;
          return { ok: true, url: url.href, mediaType, contentType, body, truncated, ...(refresh !== undefined ? { refresh } : {}) };
        }
        if (hop >= maxRedirects) return fail(url.href, 'too_many_redirects', `more than ${maxRedirects} redirects`);
        let next: URL;
        try {
          next = new URL(result.location, url);
        } catch {
          return fail(url.href, 'invalid_url', 'redirect Location is not a URL');
        }
        if (options.allowRedirect && !(await options.allowRedirect(start, next.href, kind))) {
          return fail(next.href, 'redirect_refused', `redirect to ${next.href.slice(0, 200)} not allowed`);
        }
        if (deadline.expired) return fail(next.href, 'timeout', `no answer within ${totalTimeoutMs} ms`);
        url = next;
      }
    } finally {
      deadline.clear();
      open.delete(deadline.controller);
    }
  }

  async function limited(url: string, kind: FetchKind, owner: string): Promise<FetchResult> {
    const slot = await slots.acquire(owner, siteOf(url));
    if (!slot.ok) {
      if (slot.reason === 'closed' || closed) return fail(url, 'closed', 'fetcher closed');
      return fail(url, 'busy', slot.reason === 'queue_full' ? 'too many fetches waiting' : `no fetch slot within ${maxQueueWaitMs} ms`);
    }
    try {
      if (closed) return fail(url, 'closed', 'fetcher closed');
      return await fetchChain(url, kind);
    } finally {
      slot.release();
    }
  }

  return {
    async fetch(url, kind, { owner = '' } = {}) {
      if (closed) return fail(url, 'closed', 'fetcher closed');
      const key = `${kind} ${url}`;
      const cached = cache.get(key);
      if (cached) return cached;
      // A URL already being fetched (for any owner) is shared, and takes no second slot.
      return inFlight.run(key, async () => {
        const result = await limited(url, kind, owner);
        if (result.ok) cache.set(key, result, cacheTtlMs, result.body.length);
        else if (result.reason !== 'busy' && result.reason !== 'closed') cache.set(key, result, failureCacheTtlMs);
        return result;
      });
    },
    get running() {
      return slots.running;
    },
    get waiting() {
      return slots.waiting;
    },
    close() {
      closed = true;
      slots.close();
      for (const controller of open) controller.abort();
      cache.clear();
    },
  };
}

const PSL_OPTIONS = { allowPrivateDomains: true, extractHostname: false, detectIp: false, validateHostname: false } as const;

/**
 * The key of the per-site cap: the registrable domain (so one site's many subdomains, all
 * verified with it, share its slots), else the host as the URL parser gives it (IP literals,
 * single labels). The URL the fetch starts at decides; its redirects count against that site.
 */
export function siteOf(url: string): string {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return '';
  }
  const host = hostname.replace(/\.+$/, '') || hostname;
  if (host.startsWith('[') || isIP(host) !== 0) return host;
  return parseDomain(host, PSL_OPTIONS).domain ?? host;
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function errorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return typeof code === 'string' ? code : error.message.slice(0, 200);
  }
  return 'unknown error';
}

function isTlsError(error: unknown): boolean {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO/.test(code));
}
