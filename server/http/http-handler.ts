/**
 * The HTTP entry of the chat server: API routes first, then the web client. Every failure is a
 * coded JSON error; an exception in a handler becomes `internal` and is logged.
 */
import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../chat/logger';
import type { StaticFiles } from '../web/static-files';
import { LIMITS } from '../../protocol';
import { addressKey } from './address-key';
import { lacksHost } from './client-errors';
import { readBody } from './read-body';
import { apiErrorReply, errorReply, writeReply } from './respond';
import type { Router } from './router';

const API_PREFIX = '/api/';

/** The API is called with a bearer token, never cookies, so any origin may call it (the web build and app://). */
const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PATCH, DELETE',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

/** Answers GET /api/v1/media/:id itself (the link pipeline's stored images, with their own type). */
export type MediaResponder = (req: IncomingMessage, res: ServerResponse, id: string) => void;

const MEDIA_PATH = /^\/api\/v1\/media\/([A-Za-z0-9_-]{1,128})$/;

/**
 * Reads each connection's peer address as it opens. A client that resets its connection right
 * after sending a request has no address left to ask the kernel for by the time the request is
 * handled, and every such request shared the key `unknown`, outside its own address's
 * registration and login limits (an audit registered 40 accounts from a spent address). Node
 * keeps the peer name of a socket once it has been read; engine.io reads it at every handshake
 * anyway, so this costs a Socket.IO connection nothing more.
 */
export function keepPeerAddresses(server: HttpServer): void {
  server.on('connection', (socket: Socket) => void socket.remoteAddress);
}

export function createHttpHandler(router: Router, staticFiles: StaticFiles, log: Logger, media?: MediaResponder) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      log.error('http handler failed', error);
      if (!res.headersSent) writeReply(res, errorReply('internal', 'internal error'));
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const address = addressKey(req.socket.remoteAddress);
    if (lacksHost(req)) {
      res.shouldKeepAlive = false;
      writeReply(res, errorReply('invalid_input', 'an HTTP/1.1 request needs a Host header'));
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      writeReply(res, errorReply('invalid_input', 'bad request target'));
      return;
    }
    const pathname = url.pathname;
    const isApi = pathname.startsWith(API_PREFIX) || pathname === '/api';
    // Before routing, so that every request with an oversized body is refused alike, whether
    // or not its route reads a body (PROTOCOL.md §2).
    const body = await readBody(req, LIMITS.httpBodyMax);
    if (!body.ok) {
      // The rest of an oversized body is never read: close the connection after answering.
      res.shouldKeepAlive = false;
      res.once('finish', () => req.socket.destroySoon());
      writeReply(res, { ...apiErrorReply(body.error), headers: CORS_HEADERS }, method === 'HEAD');
      return;
    }
    if (isApi && method === 'OPTIONS') {
      writeReply(res, { status: 204, headers: CORS_HEADERS });
      return;
    }
    const mediaId = MEDIA_PATH.exec(pathname)?.[1];
    if (media !== undefined && mediaId !== undefined && (method === 'GET' || method === 'HEAD')) {
      media(req, res, mediaId);
      return;
    }
    if (media !== undefined && mediaId !== undefined) {
      writeReply(res, errorReply('not_found', `${method} is not supported here; use GET, HEAD`, { ...CORS_HEADERS, Allow: 'GET, HEAD' }));
      return;
    }
    const match = router.match(method, pathname);
    if (match.kind === 'found') {
      const reply = await match.handler({ req, url, params: match.params, address, body: body.value });
      writeReply(res, { ...reply, headers: { ...CORS_HEADERS, ...reply.headers } }, method === 'HEAD');
      return;
    }
    if (match.kind === 'wrong_method') {
      writeReply(res, errorReply('not_found', `${method} is not supported here; use ${match.allowed.join(', ')}`, { ...CORS_HEADERS, Allow: match.allowed.join(', ') }));
      return;
    }
    if (isApi || pathname === '/healthz' || (method !== 'GET' && method !== 'HEAD')) {
      writeReply(res, errorReply('not_found', `no route for ${method} ${pathname}`));
      return;
    }
    await staticFiles.serve(req, res, pathname);
  }
}
