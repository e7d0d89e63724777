/**
 * Whether an IP address lies where a preview fetch must never go (DESIGN.md §3, the safe
 * fetcher): loopback, private, link-local, CGNAT, multicast, reserved, and every IPv6 form
 * that carries such an IPv4 address inside it. Anything that does not parse is blocked.
 */

type Ipv4Range = readonly [base: number, prefix: number];

const ip4 = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const BLOCKED_IPV4: readonly Ipv4Range[] = [
  [ip4(0, 0, 0, 0), 8], // "this network", unspecified
  [ip4(10, 0, 0, 0), 8], // private
  [ip4(100, 64, 0, 0), 10], // CGNAT shared space
  [ip4(127, 0, 0, 0), 8], // loopback
  [ip4(169, 254, 0, 0), 16], // link-local, cloud metadata 169.254.169.254
  [ip4(172, 16, 0, 0), 12], // private
  [ip4(192, 0, 0, 0), 24], // IETF protocol assignments
  [ip4(192, 0, 2, 0), 24], // documentation TEST-NET-1
  [ip4(192, 88, 99, 0), 24], // deprecated 6to4 relay anycast
  [ip4(192, 168, 0, 0), 16], // private
  [ip4(198, 18, 0, 0), 15], // benchmarking
  [ip4(198, 51, 100, 0), 24], // documentation TEST-NET-2
  [ip4(203, 0, 113, 0), 24], // documentation TEST-NET-3
  [ip4(224, 0, 0, 0), 4], // multicast
  [ip4(240, 0, 0, 0), 4], // reserved, and the broadcast 255.255.255.255
];

function inIpv4Range(address: number, [base, prefix]: Ipv4Range): boolean {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return ((address & mask) >>> 0) === base;
}

export function isBlockedIpv4Number(address: number): boolean {
  return BLOCKED_IPV4.some((range) => inIpv4Range(address, range));
}

/** Strict dotted-quad only: the WHATWG URL parser and dns.lookup both produce this form. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** Eight 16-bit groups, or null. Accepts `::` compression and a dotted IPv4 tail. */
export function parseIpv6(text: string): number[] | null {
  if (text.includes('%')) return null; // a zone id only means something for link-local
  let head = text;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    tail.push(v4 >>> 16, v4 & 0xffff);
    head = text.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::", "a::1.2.3.4" leaves "a::", "a:b:c:d:e:f:1.2.3.4" leaves "...f:"
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const groups: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      groups.push(parseInt(g, 16));
    }
    return groups;
  };
  const left = parseGroups(halves[0] ?? '');
  if (left === null) return null;
  if (halves.length === 1) {
    const groups = [...left, ...tail];
    return groups.length === 8 ? groups : null;
  }
  const right = parseGroups(halves[1] ?? '');
  if (right === null) return null;
  const fill = 8 - left.length - right.length - tail.length;
  if (fill < 1) return null;
  return [...left, ...new Array<number>(fill).fill(0), ...right, ...tail];
}

const v4From = (hi: number, lo: number): number => ((hi << 16) | lo) >>> 0;

function isBlockedIpv6Groups(g: readonly number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const low32 = v4From(g6, g7);
  const first96Zero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;

  // ::/96 holds the unspecified address, loopback and the deprecated IPv4-compatible form
  // (RFC 4291 §2.5.5.1): nothing legitimate is reached there, so all of it is blocked.
  if (first96Zero && g5 === 0) return true;
  if (first96Zero && g5 === 0xffff) return isBlockedIpv4Number(low32); // IPv4-mapped
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765)
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) return isBlockedIpv4Number(low32);
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052) carries the IPv4 address in its low bits.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isBlockedIpv4Number(low32);
  // 64:ff9b:1::/48 is the local-use NAT64 prefix (RFC 8215): local by definition.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return true;
  // 100::/64 discard-only (RFC 6666).
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return true;

  // Outside 2000::/3 nothing is global unicast: unique-local fc00::/7, link-local fe80::/10,
  // site-local fec0::/10, multicast ff00::/8 and the unassigned rest are all refused.
  if ((g0 & 0xe000) !== 0x2000) return true;

  if (g0 === 0x2001 && g1 === 0) {
    // Teredo 2001::/32: the server's IPv4 in bits 32-63, the client's inverted in the last 32.
    return isBlockedIpv4Number(v4From(g2, g3)) || isBlockedIpv4Number((~low32) >>> 0);
  }
  if (g0 === 0x2002) return isBlockedIpv4Number(v4From(g1, g2)); // 6to4 (RFC 3056)
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  if (g0 === 0x3fff && g1 <= 0x0fff) return true; // documentation 3fff::/20 (RFC 9637)
  if (g0 === 0x2001 && g1 === 0x0002 && g2 === 0) return true; // benchmarking 2001:2::/48
  if (g0 === 0x2001 && (g1 & 0xfff0) === 0x0010) return true; // ORCHID 2001:10::/28
  if (g0 === 0x2001 && (g1 & 0xfff0) === 0x0020) return true; // ORCHIDv2 2001:20::/28
  return false;
}

/** The one question the fetcher asks of every address it would connect to. */
export function isBlockedAddress(address: string): boolean {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const v4 = parseIpv4(text);
  if (v4 !== null) return isBlockedIpv4Number(v4);
  const v6 = parseIpv6(text);
  if (v6 !== null) return isBlockedIpv6Groups(v6);
  return true;
}
