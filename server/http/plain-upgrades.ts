/**
 * A request may ask to switch protocols (`Upgrade: h2c` from `curl --http2`, `Upgrade: websocket`
 * to any path); HTTP lets a server ignore that and answer as usual. But Node hands every request
 * carrying `Upgrade` to the server's 'upgrade' listeners once one exists (Socket.IO's), never to
 * its request handler, and engine.io ended those outside its own path without a byte: /healthz,
 * login and every API route answered nothing. Such a request is given back to the HTTP server as
 * the plain request it also is: its request line and headers, without those asking for the
 * switch, then the bytes read after them, replayed on the same connection.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Connection options that only make sense with the switch (RFC 9110 §7.8, RFC 7540 §3.2). */
const SWITCH_TOKENS = new Set(['upgrade', 'http2-settings']);

/** The request line and headers as they came, less the switch, in the bytes Node parsed them from. */
export function plainRequestHead(request: IncomingMessage): Buffer {
  const lines = [`${request.method ?? 'GET'} ${request.url ?? '/'} HTTP/${request.httpVersion}`];
  const raw = request.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    let value = raw[i + 1] ?? '';
    const lower = name.toLowerCase();
    if (SWITCH_TOKENS.has(lower)) continue;
    if (lower === 'connection') {
      value = value
        .split(',')
        .map((token) => token.trim())
        .filter((token) => token !== '' && !SWITCH_TOKENS.has(token.toLowerCase()))
        .join(', ');
      if (value === '') continue;
    }
    lines.push(`${name}: ${value}`);
  }
  // Node's parser reads header bytes as latin1, so latin1 gives back the bytes that came.
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * Answers upgrade requests outside `ownedPrefix` (the Socket.IO path, whose upgrades engine.io
 * takes) as plain requests. Socket.IO must be created with `destroyUpgrade: false`.
 */
export function answerUpgradesAsPlainRequests(server: Server, ownedPrefix: string): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((request.url ?? '').startsWith(ownedPrefix)) return;
    socket.unshift(Buffer.concat([plainRequestHead(request), head]));
    server.emit('connection', socket);
  });
}
