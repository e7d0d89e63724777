/**
 * Request bodies: every request's body is read with a hard size cap before it is routed
 * (PROTOCOL.md §2: a body over 64 KiB gets 413 `too_large`, whatever the route does with it).
 * Past the cap reading stops at once; the caller answers 413 and closes the connection, so a
 * huge upload costs no memory.
 */
import type { IncomingMessage } from 'node:http';
import { err, ok } from '../../protocol';
import type { Result } from '../../protocol';

/** The whole body (empty when the request has none), or `too_large` past `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Result<Buffer>> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(err('too_large', `the body is over ${maxBytes} bytes`));
  if (req.readableEnded) return Promise.resolve(ok(Buffer.alloc(0)));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Result<Buffer>) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        settle(err('too_large', `the body is over ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', () => settle(err('invalid_input', 'the body could not be read')));
    // A client that goes away mid-body: nothing is left to answer, but nothing may wait forever.
    req.on('close', () => settle(err('invalid_input', 'the body could not be read')));
    req.on('end', () => settle(ok(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks))));
  });
}

/**
 * JSON is what every body must be. The declared type is not insisted on: `application/json`,
 * any `+json` type, `text/plain` (what fetch sends for a string body with no header) and no
 * type at all are read as JSON. The API authenticates with bearer tokens, never cookies, so a
 * strict type would defend nothing; it would only refuse well-formed JSON. Types that say the
 * body is something else (forms, multipart) are refused.
 */
export function parseJsonBody(req: IncomingMessage, body: Buffer): Result<unknown> {
  if (!isJsonish(req.headers['content-type'])) return err('invalid_input', 'the body must be JSON (application/json)');
  if (body.length === 0) return err('invalid_input', 'the body is empty');
  try {
    return ok(JSON.parse(body.toString('utf8')) as unknown);
  } catch {
    return err('invalid_input', 'the body is not valid JSON');
  }
}

function isJsonish(header: string | undefined): boolean {
  if (header === undefined) return true;
  const type = (header.split(';')[0] ?? '').trim().toLowerCase();
  return type === '' || type === 'application/json' || type.endsWith('+json') || type === 'text/plain';
}
