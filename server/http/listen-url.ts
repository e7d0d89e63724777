/**
 * The URL a server announces once it listens (PROTOCOL.md §1: `listening on http://HOST:PORT`).
 * A configured host name stays as configured (`localhost` is printed as `localhost`, not as the
 * address it resolved to), an IP literal is printed as bound (IPv6 in brackets), and the port is
 * the one bound, which tells a caller that asked for port 0 which one it got.
 */
import { isIP, type AddressInfo } from 'node:net';

export function listenUrl(configuredHost: string, address: AddressInfo): string {
  const host = configuredHost !== '' && isIP(configuredHost) === 0 ? configuredHost : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
