/**
 * What Node's HTTP layer refuses before any handler sees a request (a malformed request line or
 * header, a Content-Length it cannot read, a request line and headers over its 16 KiB limit, an
 * `Expect` other than 100-continue, a CONNECT) gets the contract's error body (PROTOCOL.md: an
 * HTTP error is always `{ "error": { "code", "message" } }`) instead of Node's bare status line
 * or a silent close. After a parse error or a CONNECT the connection closes, both ways, whatever
 * the peer does: nothing more on it can be read reliably.
 */
import { type IncomingMessage, STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode, HttpErrorBody } from '../../protocol';
import { BASE_HEADERS } from './respond';

interface ParserError extends Error {
  code?: string;
  /** The bytes the parser had read when it gave up (Node sets it for parse errors). */
  rawPacket?: Buffer;
}

interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/** How long a refused connection may take to hand its answer to the kernel before it is cut. */
const ANSWER_DEADLINE_MS = 2000;

/** A Content-Length of digits only, which Node could not read because it does not fit 64 bits: over any limit. */
const HUGE_CONTENT_LENGTH = /\r\ncontent-length:[ \t]*\d{16,}[ \t]*\r\n/i;

export function refusalFor(error: ParserError): Refusal {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'too_large', message: 'the request line and headers are over 16 KiB' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'too_large', message: 'the chunk extensions are too long' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'invalid_input', message: 'the request did not arrive in time' };
    case 'HPE_INVALID_CONTENT_LENGTH':
      if (error.rawPacket !== undefined && HUGE_CONTENT_LENGTH.test(error.rawPacket.toString('latin1'))) {
        return { status: 413, code: 'too_large', message: 'the request body is over the limit' };
      }
      return { status: 400, code: 'invalid_input', message: 'the Content-Length header is malformed' };
    default:
      return { status: 400, code: 'invalid_input', message: 'malformed HTTP request' };
  }
}

export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    // As Node's own handler: nothing is written over a response already under way, or to a
    // peer that has gone.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    refuseAndClose(socket, refusalFor(error));
  });
  // Without a listener Node answers 417 with an empty body.
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const body: HttpErrorBody = { error: { code: 'invalid_input', message: `unsupported Expect: ${request.headers.expect ?? ''}`.slice(0, 200) } };
    const payload = JSON.stringify(body);
    response.writeHead(417, { ...BASE_HEADERS, 'Cache-Control': 'no-store', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(payload)) });
    response.end(payload);
  });
  // Without a listener Node closes a CONNECT's connection without a word. This is no proxy.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    refuseAndClose(socket, { status: 405, code: 'invalid_input', message: 'CONNECT is not supported' });
  });
}

/**
 * HTTP/1.1 requires a Host header (RFC 9112 §3.2). Node's own check (`requireHostHeader`) answers
 * a bare 400 with no body, so the servers turn it off and ask this instead, answering the error
 * body themselves.
 */
export function lacksHost(request: IncomingMessage): boolean {
  return request.httpVersion === '1.1' && request.headers.host === undefined;
}

/** Options of `http.createServer` that leave the answers above to these handlers. */
export const ANSWERED_HERE = { requireHostHeader: false } as const;

/** Writes the refusal with the contract's error body on a connection no HTTP response owns, and closes it. */
function refuseAndClose(socket: Duplex, refusal: Refusal): void {
  const body: HttpErrorBody = { error: { code: refusal.code, message: refusal.message } };
  const payload = JSON.stringify(body);
  const headers = {
    ...BASE_HEADERS,
    'Cache-Control': 'no-store',
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(payload)),
    Connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // end() alone only half-closes: a peer that never reads or closes (slowloris) kept the file
  // descriptor, 300 of them 35 s after their 408 in an audit. Once the answer and the FIN are
  // handed to the kernel the socket is destroyed, as Node's own handler does; one the kernel
  // cannot take them from (a peer advertising no window) is destroyed after a short bound.
  const bound = setTimeout(() => socket.destroy(), ANSWER_DEADLINE_MS);
  bound.unref();
  socket.once('close', () => clearTimeout(bound));
  socket.end(`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\n${head}\r\n${payload}`, () => socket.destroy());
}
