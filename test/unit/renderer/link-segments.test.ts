import { domainToUnicode } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LinkPreview } from '../../../protocol';
import { type TextSegment, linkSegments } from '../../../renderer/src/lib/link-segments';
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

/** The segments for links exactly as the server extracts them from the text. */
function asServerSees(text: string, state: LinkPreview['state'] = 'verified'): TextSegment[] {
  return linkSegments(text, extractLinks(text).map((url) => ({ url, state })));
}

const linked = (segments: TextSegment[]): [string, string][] => segments.flatMap((s) => (s.kind === 'link' ? [[s.text, s.link.url] as [string, string]] : []));

describe('linkSegments links only whole URLs (audit 4)', () => {
  const verified: LinkPreview = { url: 'https://shop.test/', state: 'verified' };
  const blocked: LinkPreview = { url: 'https://shop.test.evil-refund.top/', state: 'blocked', reason: 'lookalike' };

  it('never links a longer URL to the listed URL it begins with', () => {
    const text = '正品 https://shop.test/ 别点 https://shop.test.evil-refund.top/';
    for (const links of [[verified, blocked], [blocked, verified]]) {
      expect(linkSegments(text, links)).toEqual([
        { kind: 'text', text: '正品 ' },
        { kind: 'link', text: 'https://shop.test/', link: verified },
        { kind: 'text', text: ' 别点 ' },
        { kind: 'link', text: 'https://shop.test.evil-refund.top/', link: blocked },
      ]);
    }
    expect(linked(linkSegments('https://shop.test.evil-refund.top/', [verified]))).toEqual([]);
    expect(linked(linkSegments('https://shop.test:8443/ https://shop.test/login https://shop.test-evil.top/ https://shop.test@evil.top/', [verified]))).toEqual([]);
  });

  it('never links a bare domain inside another URL or name', () => {
    const bare: LinkPreview = { url: 'https://shop.test/', state: 'verified' };
    for (const text of ['https://evil.top/?u=shop.test', 'https://evil.top/shop.test', 'myshop.test', 'evil.shop.test', 'https://evil.top/(https://shop.test/)', 'jade-garden.shop。shop.test']) {
      expect(linked(linkSegments(text, [bare]))).toEqual([]);
    }
  });

  it('never links a 4th URL the server did not check', () => {
    const text = 'https://a.example/ https://b.example/ https://c.example/ https://a.example.evil.top/x https://b.example/x';
    const links = extractLinks(text).map((url): LinkPreview => ({ url, state: 'verified' }));
    expect(links.map((l) => l.url)).toEqual(['https://a.example/', 'https://b.example/', 'https://c.example/']);
    expect(linked(linkSegments(text, links))).toEqual([
      ['https://a.example/', 'https://a.example/'],
      ['https://b.example/', 'https://b.example/'],
      ['https://c.example/', 'https://c.example/'],
    ]);
  });

  it('links a URL written twice at both places, as both are the checked URL', () => {
    expect(linked(asServerSees('https://shop.test/a 和 https://shop.test/a。'))).toEqual([
      ['https://shop.test/a', 'https://shop.test/a'],
      ['https://shop.test/a', 'https://shop.test/a'],
    ]);
  });

  it('finds scheme-relative links', () => {
    expect(linked(asServerSees('relative //example.com/x here'))).toEqual([['//example.com/x', 'https://example.com/x']]);
  });
});

describe('linkSegments with full stops and direction marks (audits 1, 2)', () => {
  it('links the whole text of a host written with full stops to the host it names', () => {
    for (const stop of ['。', '．', '｡']) {
      const text = `看看 https://shop.test${stop}evil-refund.top/login 吧`;
      expect(linked(asServerSees(text, 'blocked'))).toEqual([[`https://shop.test${stop}evil-refund.top/login`, 'https://shop.test.evil-refund.top/login']]);
    }
  });

  it('never links the part of such a host before the stop', () => {
    const verified: LinkPreview = { url: 'https://shop.test/', state: 'verified' };
    expect(linked(linkSegments('https://shop.test。evil-refund.top/login', [verified]))).toEqual([]);
    // The server reads on through `。谢谢` only when it reaches a public suffix, which the
    // renderer cannot tell: it leaves such text unlinked, the verdict shows under the message.
    expect(linked(linkSegments('https://shop.test。例子。com/login', [verified]))).toEqual([]);
    expect(linked(linkSegments('https://shop.test。谢谢', [verified]))).toEqual([]);
  });

  it('still ends links at Chinese sentence punctuation', () => {
    expect(asServerSees('看看 https://shop.test/p。谢谢').map((s) => s.text)).toEqual(['看看 ', 'https://shop.test/p', '。谢谢']);
    expect(asServerSees('https://shop.test。').map((s) => s.text)).toEqual(['https://shop.test', '。']);
    expect(asServerSees('https://shop.test。 下次').map((s) => s.text)).toEqual(['https://shop.test', '。 下次']);
    expect(asServerSees('链接：https://jade-garden.shop/products/jade-teapot，很好').map((s) => s.text)).toEqual(['链接：', 'https://jade-garden.shop/products/jade-teapot', '，很好']);
    expect(asServerSees('（https://jade-garden.shop/b）和「jade-garden.shop/c」').map((s) => s.text)).toEqual(['（', 'https://jade-garden.shop/b', '）和「', 'jade-garden.shop/c', '」']);
    expect(asServerSees('看https://jade-garden.shop/a。').map((s) => s.text)).toEqual(['看', 'https://jade-garden.shop/a', '。']);
    expect(asServerSees('我喜欢这家店。jade-garden.shop 很好').map((s) => s.text)).toEqual(['我喜欢这家店。', 'jade-garden.shop', ' 很好']);
  });

  it('links URLs in right-to-left text with direction marks', () => {
    const text = 'زوروا \u200fhttps://jade-garden.shop/tea\u200f الآن';
    expect(asServerSees(text).map((s) => s.text)).toEqual(['زوروا \u200f', 'https://jade-garden.shop/tea', '\u200f الآن']);
    expect(linked(asServerSees('בקרו באתר \u200ejade-garden.shop\u200e היום'))).toEqual([['jade-garden.shop', 'https://jade-garden.shop/']]);
  });

  it('never links a host that a mark splits', () => {
    const verified: LinkPreview = { url: 'https://shop.test/', state: 'verified' };
    for (const mark of ['\u200e', '\u200f', '\u061c']) {
      expect(linked(linkSegments(`https://shop.test${mark}.evil-refund.top/`, [verified]))).toEqual([]);
      expect(linked(linkSegments(`https://shop.test${mark}1.evil-refund.top/`, [verified]))).toEqual([]);
    }
  });
});

describe('linkSegments with over-long URLs (audit 3)', () => {
  it('never makes a clickable link of a URL cut for its verdict', () => {
    const text = `看 https://evil-refund.top/${'a'.repeat(2100)} 吧`;
    const links = extractLinks(text).map((url): LinkPreview => ({ url, state: 'unverified' }));
    expect(links).toEqual([{ url: 'https://evil-refund.top/', state: 'unverified' }]);
    expect(linked(linkSegments(text, links))).toEqual([]);
  });

  it('still links a long URL under the limit', () => {
    const url = `https://jade-garden.shop/p?ref=${'a'.repeat(1900)}`;
    expect(linked(asServerSees(`看 ${url} 吧`))).toEqual([[url, url]]);
  });
});

describe('linkSegments agrees with the server', () => {
  const texts = [
    'see HTTPS://Jade-Garden.SHOP/products/teapot?id=1 and http://example.com.',
    '去看看 www.jade-garden.shop/tea 吧',
    '店在 https://例子.中国/茶?q=龙井 这里',
    'https://shop.test。evil-refund.top/login https://shop.test/ https://evil-refund。top/',
    'https://shop.test。例子。com。谢谢 https://shop.test/',
    '(https://jade-garden.shop/a), "https://jade-garden.shop/b"! <https://jade-garden.shop/c>',
    'https://jade-garden.shop/a?x=1&y=2#frag https://jade-garden.shop/a?x=1',
    '\u200fhttps://jade-garden.shop/\u200f https://shop.test\u200f.evil-refund.top/ https://jade-garden.shop',
  ];

  it('links a piece of text only to the URL the server reads in that very piece', () => {
    for (const text of texts) {
      const pieces = linked(asServerSees(text));
      expect(pieces.length).toBeGreaterThan(0);
      for (const [piece, url] of pieces) expect(extractLinks(piece)).toEqual([url]);
    }
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
    // All-ASCII "punycode" decodes, but is no international name: it stays as written.
    expect(decodePunycode('taobao-')).toBe('taobao');
    expect(hostToUnicode('xn--taobao-.evil.tld')).toBe('xn--taobao-.evil.tld');
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
