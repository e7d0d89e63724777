/**
 * The key under which a peer's address is limited (registrations, logins) and given turns (the
 * heavy lane). An IPv4 address is its own key, also when a dual-stack socket reports it mapped
 * (`::ffff:192.0.2.1`). An IPv6 address is keyed by its /64: a host, or a home network, is
 * routinely given a whole /64 and may pick any address in it, so per-address limits keyed by the
 * full address would give one client 2^64 budgets.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  const [, , , , , sixth = 0, high = 0, low = 0] = groups;
  if (groups.slice(0, 5).every((g) => g === 0) && sixth === 0xffff) return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 literal (a zone, `%eth0`, ignored). */
function ipv6Groups(address: string): number[] | undefined {
  const bare = address.split('%', 1)[0] ?? '';
  const halves = bare.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (isIPv4(piece)) {
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
        out.push((a << 8) | b, (c << 8) | d);
      } else out.push(Number.parseInt(piece, 16));
    }
    return out.some((g) => Number.isNaN(g)) ? undefined : out;
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}
