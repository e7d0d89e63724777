/** HTTP calls against a test server: JSON in, status + parsed JSON out. */
import { type Server, request } from 'node:http';
import type { AuthResult } from '../../../protocol';

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON, or undefined when empty. */
  body: unknown;
}

export interface HttpOptions {
  method?: string;
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

export async function http(baseUrl: string, path: string, options: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(new URL(path, baseUrl), { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

export interface RawRequest {
  method: string;
  path: string;
  token?: string;
  /** Written one by one without a content type; chunked unless `declareLength`. */
  chunks: readonly string[];
  /** Sends a content-length (Node sends no chunked body for GET: it needs one to send a body at all). */
  declareLength?: boolean;
}

/** What fetch cannot send: a GET with a body, a chunked body, a body with no content type. */
export function rawRequest(baseUrl: string, options: RawRequest): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
    if (options.declareLength === true) headers['content-length'] = String(options.chunks.reduce((n, chunk) => n + Buffer.byteLength(chunk), 0));
    const req = request(new URL(options.path, baseUrl), { method: options.method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: unknown = undefined;
        try {
          body = text === '' ? undefined : (JSON.parse(text) as unknown);
        } catch {
          body = text;
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') responseHeaders.set(name, value);
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body });
      });
    });
    // The server may close the connection after a 413 while the rest of the body is still being written.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (const chunk of options.chunks) req.write(chunk);
    req.end();
  });
}

let counter = 0;

/** A username no other test in this process uses (3-32 of a-z 0-9 _ . -). */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}${process.pid % 10000}_${counter}_${Math.floor(Math.random() * 1e6)}`.slice(0, 32).toLowerCase();
}

export interface RegisteredUser extends AuthResult {
  password: string;
}

/** Registers through POST /api/v1/register; throws unless it answers 201. */
export async function registerUser(baseUrl: string, fields: { username?: string; password?: string; displayName?: string } = {}): Promise<RegisteredUser> {
  const username = fields.username ?? uniqueUsername();
  const password = fields.password ?? 'correct horse battery';
  const displayName = fields.displayName ?? `Name ${username}`;
  const result = await http(baseUrl, '/api/v1/register', { body: { username, password, displayName } });
  if (result.status !== 201) throw new Error(`register ${username}: ${result.status} ${JSON.stringify(result.body)}`);
  return { ...(result.body as AuthResult), password };
}

/** Stops a test's own HTTP server at once, cutting the connections it still has (kept-alive or hanging). */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
