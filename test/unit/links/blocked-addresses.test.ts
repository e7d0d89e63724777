import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isBlockedAddress, parseIpv6 } from '../../../server/links/blocked-addresses';

const blockedV4 = [
  '0.0.0.0', '0.1.2.3', '10.0.0.1', '10.255.255.255', '100.64.0.1', '100.127.255.254', '127.0.0.1', '127.1.2.3',
  '169.254.169.254', '169.254.0.1', '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.0.2.1', '192.88.99.1',
  '192.168.1.1', '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250',
  '240.0.0.1', '255.255.255.255',
];
const publicV4 = ['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.1', '172.15.255.255', '172.32.0.1', '192.167.1.1', '198.17.1.1', '198.20.0.1', '223.255.255.255', '93.184.216.34'];

describe('isBlockedAddress, IPv4', () => {
  it.each(blockedV4)('blocks %s', (a) => expect(isBlockedAddress(a)).toBe(true));
  it.each(publicV4)('allows %s', (a) => expect(isBlockedAddress(a)).toBe(false));
  it.each(['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '0x7f.0.0.1', '2130706433', '', 'localhost', '1.2.3.-1'])(
    'blocks unparsable %j (fail closed)',
    (a) => expect(isBlockedAddress(a)).toBe(true),
  );
});

const blockedV6 = [
  '::', '::1', '0:0:0:0:0:0:0:1', '[::1]', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', 'fc00::1', 'fd12:3456::1',
  'ff02::1', 'ff05::2',
  // IPv4-mapped, in every spelling
  '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1', '::FFFF:169.254.169.254', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1',
  '::ffff:0:127.0.0.1', // IPv4-translated
  // IPv4-compatible (deprecated: all of ::/96)
  '::127.0.0.1', '::7f00:1', '::8.8.8.8', '::a00:1',
  // 6to4 with blocked embedded IPv4
  '2002:7f00:1::', '2002:a9fe:a9fe::1', '2002:c0a8:101::1', '2002:0a00:0001:0:0:0:0:1',
  // Teredo: client IPv4 inverted in the low 32 bits (127.0.0.1 -> 80ff:fffe), or a blocked server
  '2001:0:4136:e378:8000:63bf:80ff:fffe', '2001:0:4136:e378:8000:63bf:5601:5656', '2001:0:a00:1::1',
  // NAT64 well-known prefix with blocked IPv4, and the local-use prefix
  '64:ff9b::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b::10.1.2.3', '64:ff9b:1::8.8.8.8', '64:ff9b:1:abcd::1',
  // documentation, benchmarking, ORCHID, discard, unassigned space
  '2001:db8::1', '3fff::1', '2001:2::1', '2001:10::1', '2001:20::1', '100::1', '4000::1', '::2:0:0:1', '1::',
];
const publicV6 = [
  '2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001:80b::200e', '2002:808:808::1', '64:ff9b::8.8.8.8',
  '64:ff9b::808:808', '2001:0:4136:e378:8000:63bf:f7f7:f7f7', '::ffff:8.8.8.8', '2400:cb00::1',
];

describe('isBlockedAddress, IPv6', () => {
  it.each(blockedV6)('blocks %s', (a) => expect(isBlockedAddress(a)).toBe(true));
  it.each(publicV6)('allows %s', (a) => expect(isBlockedAddress(a)).toBe(false));
  it.each([':::', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', '12345::1', '::ffff:1.2.3', '::ffff:300.1.1.1', '1:2:3:4:5:6:7'])(
    'blocks unparsable %j (fail closed)',
    (a) => expect(isBlockedAddress(a)).toBe(true),
  );
});

describe('parseIpv6', () => {
  it('expands compression and dotted tails', () => {
    expect(parseIpv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseIpv6('1:2:3:4:5:6:1.2.3.4')).toEqual([1, 2, 3, 4, 5, 6, 0x0102, 0x0304]);
    expect(parseIpv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6('1:2:3:4:5:6:7::')).toEqual([1, 2, 3, 4, 5, 6, 7, 0]);
    expect(parseIpv6('1:2:3:4:5:6:7:8::')).toBeNull();
  });
});

describe('isBlockedAddress against an independent reference', () => {
  // node:net BlockList built from the CIDR list as written in RFC 6890 and friends.
  const reference = new BlockList();
  for (const cidr of ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4']) {
    const [net, prefix] = cidr.split('/');
    reference.addSubnet(net ?? '', Number(prefix), 'ipv4');
  }
  // A deterministic generator, so that a failure can be replayed.
  let seed = 0x2545f491;
  const next = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const samples = Array.from({ length: 20_000 }, next);
  // Bias a share of samples to range edges, where mask errors show.
  for (const edge of [0x0a000000, 0x64400000, 0x647fffff, 0x64800000, 0xac0fffff, 0xac100000, 0xac1fffff, 0xac200000, 0xc6120000, 0xc613ffff, 0xc6140000, 0xdfffffff, 0xe0000000, 0xffffffff]) {
    samples.push(edge, (edge + 1) >>> 0, (edge - 1) >>> 0);
  }
  const dotted = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  const hex = (n: number): string => `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;

  it('agrees with BlockList on IPv4, and every embedding of an IPv4 agrees with it', () => {
    const mismatches: string[] = [];
    for (const n of samples) {
      const v4 = dotted(n);
      const expected = reference.check(v4, 'ipv4');
      const forms = [v4, `::ffff:${v4}`, `::ffff:${hex(n)}`, `64:ff9b::${v4}`, `64:ff9b::${hex(n)}`, `2002:${hex(n)}::1`, `2001:0:808:808:0:0:${hex(~n >>> 0)}`];
      for (const form of forms) if (isBlockedAddress(form) !== expected) mismatches.push(`${form} (${v4})`);
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});
