/**
 * The key under which a peer's address is limited (registrations, logins) and given turns (the
 * heavy lane). An IPv4 address is its own key, also when a dual-stack socket reports it mapped
 * (`::ffff:192.0.2.1`). An IPv6 address is keyed by its /64: a host, or a home network, is
 * routinely given a whole /64 and may pick any address in it, so per-address limits keyed by the
 * full address would give one client 2^64 budgets.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { parseIpv6 } from '../links/blocked-addresses';

export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  // A zone (`fe80::1%eth0`) names the interface, not the address.
  const groups = parseIpv6(address.split('%', 1)[0] ?? '');
  if (groups === null) return address;
  const [, , , , , sixth = 0, high = 0, low = 0] = groups;
  if (groups.slice(0, 5).every((g) => g === 0) && sixth === 0xffff) return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
