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

  it('yields nothing for text with bidi overrides or isolates', () => {
    for (const mark of ['\u202e', '\u202d', '\u202a', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u061c']) {
      expect(extractLinks(`https://example.com ${mark}moc.live`)).toEqual([]);
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

  it('drops links longer than the URL limit', () => {
    expect(extractLinks(`https://example.com/${'a'.repeat(2100)}`)).toEqual([]);
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

  it('finds nothing in plain text', () => {
    expect(extractLinks('你好，今天喝茶吗？')).toEqual([]);
  });
});

describe('normaliseLink', () => {
  it('accepts only parseable http(s) URLs with a host', () => {
    expect(normaliseLink('https://example.com')).toBe('https://example.com/');
    expect(normaliseLink('file:///etc/passwd')).toBeNull();
    expect(normaliseLink('data:text/html,hi')).toBeNull();
    expect(normaliseLink('not a url')).toBeNull();
  });
});
