/**
 * The merchant verification service (PROTOCOL.md §4): its own HTTP server, its own SQLite
 * store, and the verdict engine kept in memory in step with the store.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { z } from 'zod';
import { schemas, type Merchant } from '../../protocol';
import { ANSWERED_HERE, answerClientErrors, lacksHost } from '../http/client-errors';
import { listenUrl } from '../http/listen-url';
import { normaliseDomain } from './domain-name';
import { fail, isAdmin, readJsonBody, sendEmpty, sendError, sendJson } from './http-io';
import { createVerdictEngine, type VerdictEngine } from './verdict-rules';
import { openVerifyStore, type VerifyStore, type WriteRefusal } from './verify-store';
import { verdictEntry } from './verdict-entry';

export interface VerifyServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  adminToken: string;
}

export interface RunningVerifyServer {
  /** Base URL, e.g. `http://127.0.0.1:3211`, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** The decoded path parameter of routes that have one. */
  param: string;
}

interface Route {
  method: string;
  /** A fixed path, or a prefix ending in `/` followed by one path segment. */
  path: string;
  withParam: boolean;
  admin: boolean;
  handle(context: Context): Promise<void> | void;
}

function issuesMessage(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** Normalised, de-duplicated domains in the order given, or the message for the first bad one. */
function normaliseDomains(domains: readonly string[]): { ok: true; value: string[] } | { ok: false; message: string } {
  const seen = new Set<string>();
  for (const domain of domains) {
    const normal = normaliseDomain(domain);
    if (!normal.ok) return { ok: false, message: normal.error.message };
    seen.add(normal.value);
  }
  return { ok: true, value: [...seen] };
}

function refuse(res: ServerResponse, refusal: WriteRefusal): void {
  if (refusal.kind === 'not_found') {
    fail(res, 'not_found', 'no such merchant');
    return;
  }
  // The protocol has no conflict code of its own; the 409 status is what tells this case apart.
  sendError(res, { code: 'invalid_input', message: `domain ${refusal.domain} already belongs to merchant ${refusal.merchantId}` }, 409);
}

function createRoutes(store: VerifyStore, engine: VerdictEngine): Route[] {
  const merchantChanged = (merchant: Merchant): void => engine.putMerchant(merchant);

  async function body<S extends z.ZodType>(context: Context, schema: S): Promise<z.output<S> | null> {
    const raw = await readJsonBody(context.req);
    if (!raw.ok) {
      if (raw.error.code === 'too_large') context.res.setHeader('Connection', 'close');
      sendError(context.res, raw.error);
      return null;
    }
    const parsed = schema.safeParse(raw.value);
    if (!parsed.success) {
      fail(context.res, 'invalid_input', issuesMessage(parsed.error));
      return null;
    }
    return parsed.data;
  }

  return [
    { method: 'GET', path: '/healthz', withParam: false, admin: false, handle: ({ res }) => sendJson(res, 200, { ok: true }) },
    {
      method: 'GET',
      path: '/v1/verdict',
      withParam: false,
      admin: false,
      handle({ res, url }) {
        const query = schemas.verdictQuery.safeParse({ url: url.searchParams.get('url') ?? undefined });
        if (!query.success) {
          fail(res, 'invalid_input', issuesMessage(query.error));
          return;
        }
        const verdict = engine.verdict(query.data.url);
        if (verdict.ok) sendJson(res, 200, verdict.value);
        else sendError(res, verdict.error);
      },
    },
    {
      method: 'POST',
      path: '/v1/verdicts',
      withParam: false,
      admin: false,
      async handle(context) {
        const input = await body(context, schemas.verdictsBody);
        if (input) sendJson(context.res, 200, { verdicts: input.urls.map((url) => verdictEntry(engine, url)) });
      },
    },
    {
      method: 'POST',
      path: '/v1/merchants',
      withParam: false,
      admin: true,
      async handle(context) {
        const input = await body(context, schemas.merchantCreateBody);
        if (!input) return;
        const domains = normaliseDomains(input.domains);
        if (!domains.ok) {
          fail(context.res, 'invalid_input', domains.message);
          return;
        }
        const created = store.createMerchant({ name: input.name, domains: domains.value, status: input.status });
        if (!created.ok) {
          refuse(context.res, created.refusal);
          return;
        }
        merchantChanged(created.value);
        sendJson(context.res, 201, { merchant: created.value });
      },
    },
    {
      method: 'PATCH',
      path: '/v1/merchants/',
      withParam: true,
      admin: true,
      async handle(context) {
        const input = await body(context, schemas.merchantPatchBody);
        if (!input) return;
        let domains: string[] | undefined;
        if (input.domains) {
          const normal = normaliseDomains(input.domains);
          if (!normal.ok) {
            fail(context.res, 'invalid_input', normal.message);
            return;
          }
          domains = normal.value;
        }
        const updated = store.updateMerchant(context.param, {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(domains ? { domains } : {}),
          ...(input.status !== undefined ? { status: input.status } : {}),
        });
        if (!updated.ok) {
          refuse(context.res, updated.refusal);
          return;
        }
        merchantChanged(updated.value);
        sendJson(context.res, 200, { merchant: updated.value });
      },
    },
    {
      method: 'GET',
      path: '/v1/merchants/',
      withParam: true,
      admin: false,
      handle({ res, param }) {
        const merchant = store.merchant(param);
        if (merchant) sendJson(res, 200, { merchant });
        else fail(res, 'not_found', 'no such merchant');
      },
    },
    {
      method: 'POST',
      path: '/v1/blocklist',
      withParam: false,
      admin: true,
      async handle(context) {
        const input = await body(context, schemas.blocklistBody);
        if (!input) return;
        const domain = normaliseDomain(input.domain);
        if (!domain.ok) {
          sendError(context.res, domain.error);
          return;
        }
        const entry = store.block(domain.value, input.reason);
        engine.addBlocked(entry.domain);
        sendJson(context.res, 201, { entry });
      },
    },
    {
      method: 'DELETE',
      path: '/v1/blocklist/',
      withParam: true,
      admin: true,
      handle({ res, param }) {
        const domain = normaliseDomain(param);
        if (!domain.ok || !store.unblock(domain.value)) {
          fail(res, 'not_found', 'that domain is not on the blocklist');
          return;
        }
        engine.removeBlocked(domain.value);
        sendEmpty(res, 204);
      },
    },
  ];
}

function matchRoute(routes: readonly Route[], method: string, pathname: string): { route: Route; param: string } | 'no_route' | 'bad_param' {
  for (const route of routes) {
    if (route.method !== method) continue;
    if (!route.withParam) {
      if (pathname === route.path) return { route, param: '' };
      continue;
    }
    if (!pathname.startsWith(route.path)) continue;
    const segment = pathname.slice(route.path.length);
    if (segment === '' || segment.includes('/')) continue;
    try {
      return { route, param: decodeURIComponent(segment) };
    } catch {
      return 'bad_param';
    }
  }
  return 'no_route';
}

export async function startVerifyServer(options: VerifyServerOptions): Promise<RunningVerifyServer> {
  const store = openVerifyStore(options.dataDir);
  const engine = createVerdictEngine({ merchants: store.allMerchants(), blocked: store.allBlocked() });
  const routes = createRoutes(store, engine);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Node bounds the request line with the headers (16 KiB, 431 beyond): a verdict's URL may be
    // as long as that allows.
    if (lacksHost(req)) {
      res.shouldKeepAlive = false;
      fail(res, 'invalid_input', 'an HTTP/1.1 request needs a Host header');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://verify.invalid');
    const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
    if (match === 'no_route') {
      fail(res, 'not_found', 'no such endpoint');
      return;
    }
    if (match === 'bad_param') {
      fail(res, 'not_found', 'malformed path');
      return;
    }
    if (match.route.admin && !isAdmin(req, options.adminToken)) {
      fail(res, 'unauthorized', 'an admin bearer token is required');
      return;
    }
    await match.route.handle({ req, res, url, param: match.param });
  }

  // Deadlines checked every second, not every 30 s (Node's default), so they hold as written.
  const server = createServer({ ...ANSWERED_HERE, connectionsCheckingInterval: 1000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('verify: request failed', error);
      if (!res.headersSent) fail(res, 'internal', 'internal error');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  answerClientErrors(server);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    store.close();
    throw error;
  }

  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the verification server has no TCP address');
  let closing: Promise<void> | null = null;
  return {
    url: listenUrl(options.host, address),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
