/**
 * Reading and answering requests of the verification service: bounded JSON bodies, JSON
 * answers, coded errors (`{error: {code, message}}`, PROTOCOL.md conventions).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTP_STATUS, LIMITS, err, ok, type ApiError, type ErrorCode, type HttpErrorBody, type Result } from '../../protocol';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Cache-Control': 'no-store' });
  res.end();
}

/** `status` overrides the code's usual status where the protocol names another (409 for a taken domain). */
export function sendError(res: ServerResponse, error: ApiError, status: number = HTTP_STATUS[error.code]): void {
  const body: HttpErrorBody = { error };
  sendJson(res, status, body);
}

export function fail(res: ServerResponse, code: ErrorCode, message: string): void {
  sendError(res, { code, message });
}

/**
 * The request body parsed as JSON, at most 64 KiB: `too_large` past that (the rest is not
 * read), `invalid_input` for anything that is not JSON.
 */
export function readJsonBody(req: IncomingMessage): Promise<Result<unknown>> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > LIMITS.httpBodyMax) {
      resolve(err('too_large', `the body is over ${LIMITS.httpBodyMax} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > LIMITS.httpBodyMax) {
        settled = true;
        resolve(err('too_large', `the body is over ${LIMITS.httpBodyMax} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(ok(JSON.parse(text) as unknown));
      } catch {
        resolve(err('invalid_input', 'the body is not valid JSON'));
      }
    });
    req.on('error', () => {
      if (settled) return;
      settled = true;
      resolve(err('invalid_input', 'the body could not be read'));
    });
  });
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether the request carries `Authorization: Bearer <adminToken>`. The comparison is on
 * fixed-length digests, so its time says nothing about the token, not even its length.
 */
export function isAdmin(req: IncomingMessage, adminToken: string): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const given = match?.[1];
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(adminToken));
}
