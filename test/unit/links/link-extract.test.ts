import { describe, expect, it } from 'vitest';
import { extractLinks, normaliseLink } from '../../../server/links/link-extract';

describe('extractLinks', () => {
  it('finds http and https links and normalises them', () => {
    expect(extractLinks('see HTTPS://Jade-Garden.SHOP/products/teapot?id=1 and http://example.com')).toEqual([
      'https://jade-garden.shop/products/teapot?id=1',
      'http://example.com/',
    ]);
  });

  it('turns schemeless and fuzzy links into https', () => {
    expect(extractLinks('去看看 www.jade-garden.shop/tea 吧')).toEqual(['https://www.jade-garden.shop/tea']);
    expect(extractLinks('jade-garden.shop is nice')).toEqual(['https://jade-garden.shop/']);
    expect(extractLinks('relative //example.com/x here')).toEqual(['https://example.com/x']);
  });

  it('keeps at most three distinct links, in order', () => {
    const text = 'https://a.com https://a.com/ https://b.com https://c.com https://d.com';
    expect(extractLinks(text)).toEqual(['https://a.com/', 'https://b.com/', 'https://c.com/']);
  });

  it('dedupes links that normalise to the same URL', () => {
    expect(extractLinks('https://EXAMPLE.com:443/a https://example.com/a')).toEqual(['https://example.com/a']);
  });

  it('yields nothing for text with bidi embeddings, overrides or isolates', () => {
    for (const control of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(extractLinks(`https://example.com ${control}moc.live`)).toEqual([]);
    }
  });

  it('drops non-http schemes, emails and bare IPs', () => {
    expect(extractLinks('ftp://example.com/file mailto:a@b.com a@b.com javascript:alert(1) 10.0.0.1')).toEqual([]);
  });

  it('keeps IP and credential URLs so the verdict can mark them', () => {
    expect(extractLinks('http://127.0.0.1/admin https://shop.com@evil.com/')).toEqual([
      'http://127.0.0.1/admin',
      'https://shop.com@evil.com/',
    ]);
  });

  it('puts international names in their ASCII form', () => {
    expect(extractLinks('https://例子.shop/茶')).toEqual(['https://xn--fsqu00a.shop/%E8%8C%B6']);
  });

  it('finds links glued to Chinese text and leaves full-width punctuation out', () => {
    expect(extractLinks('看https://jade-garden.shop/a。')).toEqual(['https://jade-garden.shop/a']);
    expect(extractLinks('链接：https://jade-garden.shop/products/jade-teapot，很好')).toEqual(['https://jade-garden.shop/products/jade-teapot']);
    expect(extractLinks('（https://jade-garden.shop/b）和「jade-garden.shop/c」')).toEqual(['https://jade-garden.shop/b', 'https://jade-garden.shop/c']);
    expect(extractLinks('去www.jade-garden.shop/tea！')).toEqual(['https://www.jade-garden.shop/tea']);
    expect(extractLinks('https://jade-garden.shop/f?q=茶叶')).toEqual(['https://jade-garden.shop/f?q=%E8%8C%B6%E5%8F%B6']);
  });

  it('reads names under the common new endings phishing uses as links without a scheme, not file names', () => {
    expect(extractLinks('claim it at jade-garden-refund.top/claim now')).toEqual(['https://jade-garden-refund.top/claim']);
    expect(extractLinks('www.jade-garden-refund.top and lucky-deals.xyz')).toEqual(['https://www.jade-garden-refund.top/', 'https://lucky-deals.xyz/']);
    expect(extractLinks('退款请到 玉园.商城 办理')).toEqual([new URL('https://玉园.商城/').href]);
    expect(extractLinks('see notes.zip and report.pdf, run setup.exe')).toEqual([]);
  });

  it('reads a host written fully qualified (a trailing dot) on into its port, path, query or fragment', () => {
    expect(extractLinks('http://shop.test./p/y')).toEqual(['http://shop.test./p/y']);
    expect(extractLinks('see (http://shop.test./p/y).')).toEqual(['http://shop.test./p/y']);
    expect(extractLinks('https://www.example.com./dp/B01 ok')).toEqual(['https://www.example.com./dp/B01']);
    expect(extractLinks('http://shop.test.:8080/p')).toEqual(['http://shop.test.:8080/p']);
    expect(extractLinks('http://shop.test.?q=1')).toEqual(['http://shop.test./?q=1']);
    expect(extractLinks('www.shop.com./p/y.')).toEqual(['https://www.shop.com./p/y']);
    // The path's own look-alike of a link is part of it, not a second link.
    expect(extractLinks('http://shop.test./www.evil.com/')).toEqual(['http://shop.test./www.evil.com/']);
    // A dot that ends a sentence is no part of the link.
    expect(extractLinks('Go to http://shop.test. Then')).toEqual(['http://shop.test/']);
    expect(extractLinks('at http://shop.test.: nice')).toEqual(['http://shop.test/']);
    expect(extractLinks('x http://shop.test.')).toEqual(['http://shop.test/']);
  });

  it('finds nothing in plain text', () => {
    expect(extractLinks('你好，今天喝茶吗？')).toEqual([]);
  });
});

describe('full stops inside a host (audit 1)', () => {
  it('reads 。 ． ｡ between host labels as a dot, as browsers do', () => {
    for (const stop of ['。', '．', '｡']) {
      expect(extractLinks(`https://shop.test${stop}evil-refund.top/login`)).toEqual(['https://shop.test.evil-refund.top/login']);
    }
    expect(extractLinks('https://evil-refund。top/')).toEqual(['https://evil-refund.top/']);
    expect(extractLinks('看看https://shop.test。evil-refund。top，好吗')).toEqual(['https://shop.test.evil-refund.top/']);
    expect(extractLinks('see //shop.test。evil-refund.top/x')).toEqual(['https://shop.test.evil-refund.top/x']);
    expect(extractLinks('去 shop.com。evil.com 看看')).toEqual(['https://shop.com.evil.com/']);
  });

  it('reads on through a digit or a Chinese label when the name reaches a public suffix', () => {
    expect(extractLinks('https://shop.test。例子。com/login')).toEqual(['https://shop.test.xn--fsqu00a.com/login']);
    expect(extractLinks('https://shop.test。例子。com。谢谢')).toEqual(['https://shop.test.xn--fsqu00a.com/']);
    expect(extractLinks('https://shop.test。1evil.top/')).toEqual(['https://shop.test.1evil.top/']);
    expect(extractLinks('https://shop.test。谢谢。evil。top')).toEqual(['https://shop.test.xn--lg3aa.evil.top/']);
  });

  it('still ends a link at a stop that ends a Chinese sentence', () => {
    expect(extractLinks('看看 https://shop.test/p。谢谢')).toEqual(['https://shop.test/p']);
    expect(extractLinks('https://shop.test。')).toEqual(['https://shop.test/']);
    expect(extractLinks('https://shop.test。 下次')).toEqual(['https://shop.test/']);
    expect(extractLinks('https://shop.test。谢谢')).toEqual(['https://shop.test/']);
    expect(extractLinks('https://shop.test。3点见')).toEqual(['https://shop.test/']);
    expect(extractLinks('去淘宝 taobao.com。很便宜。')).toEqual(['https://taobao.com/']);
    expect(extractLinks('https://shop.test/a.b。c')).toEqual(['https://shop.test/a.b']);
    expect(extractLinks('好的。www.jade-garden.shop')).toEqual(['https://www.jade-garden.shop/']);
    expect(extractLinks('链接：https://jade-garden.shop。https://example.com。')).toEqual(['https://jade-garden.shop/', 'https://example.com/']);
  });

  it('gives no link when a stop after a port leaves no valid URL', () => {
    expect(extractLinks('https://shop.test:443。evil-refund.top/')).toEqual([]);
  });
});

describe('direction marks (audit 2)', () => {
  const marks = ['\u200e', '\u200f', '\u061c'];

  it('keeps checking the links of text that carries marks anywhere', () => {
    for (const mark of marks) {
      expect(extractLinks(`https://evil-refund.top/login ${mark}`)).toEqual(['https://evil-refund.top/login']);
      expect(extractLinks(`${mark}https://jade-garden.shop/tea${mark} and ${mark}example.com${mark}`)).toEqual(['https://jade-garden.shop/tea', 'https://example.com/']);
    }
  });

  it('finds links in Arabic and Hebrew sentences marked for direction', () => {
    expect(extractLinks('زوروا \u200fhttps://jade-garden.shop/tea\u200f الآن')).toEqual(['https://jade-garden.shop/tea']);
    expect(extractLinks('בקרו באתר \u200ejade-garden.shop\u200e היום')).toEqual(['https://jade-garden.shop/']);
  });

  it('ends a link at a mark in its path or before a new link, so its host still gets a verdict', () => {
    expect(extractLinks('https://evil-refund.top/log\u200ein')).toEqual(['https://evil-refund.top/log']);
    expect(extractLinks('https://jade-garden.shop\u200fhttps://evil-refund.top/')).toEqual(['https://jade-garden.shop/', 'https://evil-refund.top/']);
  });

  it('never cuts a host at a mark nor joins it across one', () => {
    for (const mark of marks) {
      expect(extractLinks(`https://shop.test${mark}.evil-refund.top/login`)).toEqual([]);
      expect(extractLinks(`https://shop.test.${mark}evil-refund.top/login`)).toEqual([]);
      expect(extractLinks(`https://shop.te${mark}st/`)).toEqual([]);
      expect(extractLinks(`evil${mark}.jade-garden.shop`)).toEqual([]);
    }
  });
});

describe('over-long URLs (audit 3)', () => {
  it('keeps a URL past the limit as its origin, so its host still gets a verdict', () => {
    expect(extractLinks(`https://evil-refund.top/${'a'.repeat(2100)}`)).toEqual(['https://evil-refund.top/']);
    expect(extractLinks(`看 https://evil-refund.top/login?next=${'%41'.repeat(1000)}#${'b'.repeat(500)} 吧`)).toEqual(['https://evil-refund.top/']);
    expect(extractLinks(`https://jade-garden.shop:8443/${'茶'.repeat(300)}`)).toEqual(['https://jade-garden.shop:8443/']);
  });

  it('keeps URLs up to the limit whole', () => {
    const path = `/p?${'a'.repeat(2048 - 'https://jade-garden.shop/p?'.length)}`;
    expect(extractLinks(`https://jade-garden.shop${path}`)).toEqual([`https://jade-garden.shop${path}`]);
    expect(extractLinks(`https://jade-garden.shop${path}b`)).toEqual(['https://jade-garden.shop/']);
  });

  it('keeps user info past linkify-it’s 50 characters, as a browser reads it', () => {
    const padding = 'x'.repeat(60);
    expect(extractLinks(`https://jade-garden.shop:${padding}@evil-refund.top/login 看`)).toEqual([`https://jade-garden.shop:${padding}@evil-refund.top/login`]);
    expect(extractLinks(`https://jade-garden.shop:${'x'.repeat(3000)}@evil-refund.top/`)).toEqual([`https://jade-garden.shop:${'x'.repeat(64)}@evil-refund.top/`]);
  });

  it('gives no link for a host no DNS name could be', () => {
    expect(extractLinks(`https://${'a'.repeat(60)}.${'b'.repeat(2100)}.com/`)).toEqual([]);
  });
});

describe('normaliseLink', () => {
  it('accepts only parseable http(s) URLs with a host', () => {
    expect(normaliseLink('https://example.com')).toBe('https://example.com/');
    expect(normaliseLink('file:///etc/passwd')).toBeNull();
    expect(normaliseLink('data:text/html,hi')).toBeNull();
    expect(normaliseLink('not a url')).toBeNull();
  });

  it('never changes the host or drops the user info when it cuts', () => {
    for (const url of [`https://evil-refund.top/${'a'.repeat(3000)}`, `https://u:${'p'.repeat(3000)}@evil-refund.top/x`, `http://${'a'.repeat(3000)}@jade-garden.shop:8080/`]) {
      const cut = normaliseLink(url);
      expect(cut?.length).toBeLessThanOrEqual(2048);
      expect(new URL(cut ?? '').host).toBe(new URL(url).host);
      const userInfo = (u: URL): boolean => u.username !== '' || u.password !== '';
      expect(userInfo(new URL(cut ?? ''))).toBe(userInfo(new URL(url)));
    }
  });
});

describe('extractLinks with percent escapes touching a host', () => {
  it.each([
    ['http://shopbrand.com%2Eevilshop.com/login', ['http://shopbrand.com.evilshop.com/login']],
    ['see http://shopbrand.com%2e%65vilshop.com/login now', ['http://shopbrand.com.evilshop.com/login']],
    ['http://shopbrand.com%E3%80%82evilshop.com/login', ['http://shopbrand.com.evilshop.com/login']],
    ['shopbrand.com%2Eevilshop.com/login', ['https://shopbrand.com.evilshop.com/login']],
    ['http://%65vilshop.com/login', ['http://evilshop.com/login']],
    ['看http://shopbrand.com%2Eevilshop.com/login。好', ['http://shopbrand.com.evilshop.com/login']],
  ])('reads %s as a browser does, never as the host before the escape', (text, links) => {
    expect(extractLinks(text)).toEqual(links);
  });

  it('gives no link when the run around the escape is no URL, and leaves escapes after the host alone', () => {
    expect(extractLinks('https://shop.com,100%25')).toEqual([]);
    expect(extractLinks('https://shop.com/a%20b and https://shop.com, 100%')).toEqual(['https://shop.com/a%20b', 'https://shop.com/']);
  });

  it('looks at the first 32 candidates only: a link after 32 repeats of another is not read', () => {
    const repeats = (n: number) => Array.from({ length: n }, () => 'shop.com').join(' ');
    expect(extractLinks(`${repeats(31)} https://other.com/`)).toEqual(['https://shop.com/', 'https://other.com/']);
    expect(extractLinks(`${repeats(32)} https://other.com/`)).toEqual(['https://shop.com/']);
    // 800 look-alike matches in one run read as one run: no link (no host a reader sees), at once.
    expect(extractLinks('é.co%'.repeat(800))).toEqual([]);
  });
});
