/** Writing replies: JSON bodies, coded errors, and the headers every response carries. */
import type { ServerResponse } from 'node:http';
import { HTTP_STATUS } from '../../protocol';
import type { ApiError, ErrorCode, HttpErrorBody } from '../../protocol';
import type { Reply } from './router';

export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function errorReply(code: ErrorCode, message: string, headers?: Readonly<Record<string, string>>): Reply {
  const body: HttpErrorBody = { error: { code, message } };
  return headers === undefined ? { status: HTTP_STATUS[code], body } : { status: HTTP_STATUS[code], body, headers };
}

export function apiErrorReply(error: ApiError): Reply {
  return errorReply(error.code, error.message);
}

export function writeReply(res: ServerResponse, reply: Reply, headOnly = false): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { ...BASE_HEADERS, 'Cache-Control': 'no-store', ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const payload = JSON.stringify(reply.body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(headOnly ? undefined : payload);
}
