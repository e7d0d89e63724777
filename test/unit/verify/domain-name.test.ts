/** Domains given by administrators, and IP hosts in every notation. */
import { describe, expect, it } from 'vitest';
import { isIpHost, normaliseDomain } from '../../../server/verify/domain-name';

describe('normaliseDomain', () => {
  it.each([
    ['Shop.COM', 'shop.com'],
    [' shop.com. ', 'shop.com'],
    ['淘宝.com', 'xn--pbt173b.com'],
    ['alice.github.io', 'alice.github.io'],
    ['a.b.co.uk', 'a.b.co.uk'],
  ])('%j → %s', (input, expected) => expect(normaliseDomain(input)).toEqual({ ok: true, value: expected }));

  it.each(['', 'https://shop.com', 'shop.com/path', 'shop.com:443', 'user@shop.com', 'shop .com', 'co.uk', 'github.io', 'com', 'localhost', '127.0.0.1', '0x7f.1', '[::1]', '-shop.com', 'sh_op.com', `${'a'.repeat(64)}.com`])(
    'refuses %j',
    (input) => {
      const result = normaliseDomain(input);
      expect(result.ok ? result.value : result.error.code).toBe('invalid_input');
    },
  );
});

describe('isIpHost', () => {
  it.each(['1.2.3.4', '127.1', '2130706433', '0x7f000001', '0177.0.0.1', '0x7f.1', '0x', '[::1]', '::ffff:127.0.0.1'])('%s is an address', (host) => expect(isIpHost(host)).toBe(true));
  it.each(['shop.com', '1.2.3.com', '0x7g.com', '123.example', 'a.b.c.d.e'])('%s is a name', (host) => expect(isIpHost(host)).toBe(false));
});
