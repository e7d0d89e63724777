import { domainToUnicode } from 'node:url';
import { describe, expect, it } from 'vitest';
import { linkSegments } from '../../../renderer/src/lib/link-segments';
import { decodePunycode, hostToUnicode } from '../../../renderer/src/lib/punycode';
import { mediaUrl } from '../../../renderer/src/wire/server-url';
import { extractLinks } from '../../../server/links/link-extract';

describe('linkSegments', () => {
  it('makes links only of URLs the server listed', () => {
    const segments = linkSegments('see https://shop.example/p/1 and https://other.example/x', [{ url: 'https://shop.example/p/1', state: 'verified' }]);
    expect(segments).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://shop.example/p/1', link: { url: 'https://shop.example/p/1', state: 'verified' } },
      { kind: 'text', text: ' and https://other.example/x' },
    ]);
  });

  it('finds a bare domain the server normalised to https with a trailing slash, in any case', () => {
    const segments = linkSegments('go to Shop.Example now', [{ url: 'https://shop.example/', state: 'unverified' }]);
    expect(segments.map((s) => s.kind)).toEqual(['text', 'link', 'text']);
    expect(segments[1]?.text).toBe('Shop.Example');
  });

  it('finds a link with Chinese in its query, as the server percent-encodes it', () => {
    const text = '看看这个 https://shop.example/search?q=茶叶 好看吗';
    const [url] = extractLinks(text);
    expect(url).toBe('https://shop.example/search?q=%E8%8C%B6%E5%8F%B6');
    const segments = linkSegments(text, [{ url: url ?? '', state: 'unverified' }]);
    expect(segments.map((s) => s.text)).toEqual(['看看这个 ', 'https://shop.example/search?q=茶叶', ' 好看吗']);
  });

  it('finds a link whose international host the server wrote in its ASCII form', () => {
    const text = '店在 https://例子.中国/茶?q=龙井 这里';
    const [url] = extractLinks(text);
    expect(url).toMatch(/^https:\/\/xn--fsqu00a\.xn--fiqs8s\//);
    const segments = linkSegments(text, [{ url: url ?? '', state: 'unverified' }]);
    expect(segments.map((s) => s.text)).toEqual(['店在 ', 'https://例子.中国/茶?q=龙井', ' 这里']);
  });

  it('marks a lookalike host typed with a Cyrillic letter, where the warning belongs', () => {
    const text = 'pay at https://shоp.example:8443/checkout now';
    const [url] = extractLinks(text);
    expect(url).toContain('xn--');
    const segments = linkSegments(text, [{ url: url ?? '', state: 'blocked', reason: 'lookalike' }]);
    expect(segments[1]).toMatchObject({ kind: 'link', text: 'https://shоp.example:8443/checkout', link: { state: 'blocked' } });
  });

  it('keeps text with no listed links as one text segment', () => {
    expect(linkSegments('<b>https://x.example</b>', undefined)).toEqual([{ kind: 'text', text: '<b>https://x.example</b>' }]);
  });
});

describe('punycode decoding', () => {
  it('decodes labels as Node does', () => {
    for (const host of ['xn--fsqu00a.xn--fiqs8s', 'xn--bcher-kva.example', 'xn--shp-ped.example', 'xn--80ak6aa92e.com', 'xn--mgbh0fb.xn--kgbechtv', 'plain.example', 'xn--ls8h.la']) {
      expect(hostToUnicode(host)).toBe(domainToUnicode(host));
    }
  });

  it('refuses what is not punycode instead of guessing', () => {
    expect(decodePunycode('a€b')).toBeNull();
    expect(decodePunycode('99999999999999')).toBeNull();
    expect(hostToUnicode('xn--!!.example')).toBe('xn--!!.example');
  });
});

describe('mediaUrl', () => {
  const server = 'http://127.0.0.1:3210';
  it('accepts only the server’s own media path', () => {
    expect(mediaUrl(server, '/api/v1/media/abc')).toBe('http://127.0.0.1:3210/api/v1/media/abc');
    expect(mediaUrl(server, 'http://127.0.0.1:3210/api/v1/media/abc')).toBe('http://127.0.0.1:3210/api/v1/media/abc');
    expect(mediaUrl(server, 'https://tracker.example/api/v1/media/abc')).toBeUndefined();
    expect(mediaUrl(server, '//tracker.example/api/v1/media/abc')).toBeUndefined();
    expect(mediaUrl(server, '/api/v1/me')).toBeUndefined();
    expect(mediaUrl(server, '/api/v1/media/../me')).toBeUndefined();
    expect(mediaUrl(server, undefined)).toBeUndefined();
  });
});
