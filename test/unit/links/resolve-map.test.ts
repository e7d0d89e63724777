import { describe, expect, it } from 'vitest';
import { parseResolveMap } from '../../../server/links/resolve-map';

describe('parseResolveMap', () => {
  it('parses host:port=address:port entries, IPv6 included', () => {
    const parsed = parseResolveMap(' Jade-Garden.Shop:80=127.0.0.1:4100, secure.test:443=[::1]:4443 ,');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect([...parsed.map]).toEqual([
      ['jade-garden.shop:80', { address: '127.0.0.1', port: 4100 }],
      ['secure.test:443', { address: '::1', port: 4443 }],
    ]);
  });

  it('is empty for an empty value', () => {
    const parsed = parseResolveMap('');
    expect(parsed.ok && parsed.map.size).toBe(0);
  });

  it.each([
    ['shop.test=127.0.0.1:80', 'the host side needs a port'],
    ['shop.test:80=127.0.0.1', 'the address side needs a port'],
    ['shop.test:80=localhost:80', 'not an IP address'],
    ['shop.test:0=127.0.0.1:80', 'ports must be 1-65535'],
    ['shop.test:80=127.0.0.1:70000', 'ports must be 1-65535'],
    ['shop.test:80=127.0.0.1:80=1', 'exactly one "="'],
    ['sh op:80=127.0.0.1:80', 'not a host name'],
    ['+shop.test:80=127.0.0.1:80', 'not a host name'],
    ['-shop.test:80=127.0.0.1:80', 'not a host name'],
    ['*:80=127.0.0.1:80', 'not a host name'],
    ['shop.test:80=[fe80::1%eth0]:80', 'has a zone id'],
    ['shop.test:80=[fe80::1%251]:80', 'has a zone id'],
  ])('rejects %j naming the entry', (raw, why) => {
    const parsed = parseResolveMap(`ok.test:80=127.0.0.1:1,${raw}`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toContain(raw);
    expect(parsed.message).toContain(why);
  });

  it('refuses a host and port named twice, whatever the case: the second would silently win', () => {
    const parsed = parseResolveMap('shop.test:80=127.0.0.1:80,Shop.Test:80=127.0.0.2:80');
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining('shop.test:80 is named twice') as unknown });
  });
});
