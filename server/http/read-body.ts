/**
 * Reads a JSON request body with a hard size cap. Past the cap it stops collecting at once;
 * the caller answers 413 and closes the connection, so a huge upload costs no memory.
 */
import type { IncomingMessage } from 'node:http';
import { err, ok } from '../../protocol';
import type { Result } from '../../protocol';

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type] = header.split(';');
  return type?.trim().toLowerCase() === 'application/json';
}

export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<Result<unknown>> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.resolve(err('too_large', `the body is over ${maxBytes} bytes`));
  if (!isJsonContentType(req.headers['content-type'])) {
    return Promise.resolve(err('invalid_input', 'the body must be application/json'));
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: Result<unknown>) => {
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
    req.on('end', () => {
      if (size === 0) {
        settle(err('invalid_input', 'the body is empty'));
        return;
      }
      try {
        settle(ok(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown));
      } catch {
        settle(err('invalid_input', 'the body is not valid JSON'));
      }
    });
  });
}
