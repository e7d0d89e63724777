import { describe, expect, it } from 'vitest';
import { DEEP_LINK_MAX, deepLinkFromArgv, parseDeepLink } from '../../main/deep-link';
import { LIMITS } from '../../protocol';

describe('parseDeepLink', () => {
  it('reads a share link with a URL and a text', () => {
    const link = parseDeepLink(`wanglai://share?url=${encodeURIComponent('https://shop.example/item?id=1')}&text=${encodeURIComponent('看看这个\nnice')}`);
    expect(link).toEqual({ kind: 'share', url: 'https://shop.example/item?id=1', text: '看看这个\nnice' });
  });

  it('keeps directional marks in a shared text (Arabic, Hebrew), not in a shared URL', () => {
    expect(parseDeepLink(`wanglai://share?text=${encodeURIComponent('\u200fمرحبا')}`)).toEqual({ kind: 'share', text: '\u200fمرحبا' });
    expect(parseDeepLink(`wanglai://share?url=${encodeURIComponent('https://shop.example/\u200f')}`)).toBeNull();
  });

  it('gives the shared URL as the parser reads it', () => {
    expect(parseDeepLink(`wanglai://share?url=${encodeURIComponent('HTTPS://Shop.Example:443/a b')}`)).toEqual({ kind: 'share', url: 'https://shop.example/a%20b' });
  });

  it('reads a share link with only a text', () => {
    expect(parseDeepLink('wanglai://share?text=hi')).toEqual({ kind: 'share', text: 'hi' });
  });

  it('leaves a blank text out beside a URL', () => {
    expect(parseDeepLink(`wanglai://share?url=${encodeURIComponent('https://shop.example/')}&text=`)).toEqual({ kind: 'share', url: 'https://shop.example/' });
  });

  it('refuses conversation links: a web page knowing an id could switch the conversation and mark it read', () => {
    for (const raw of ['wanglai://conversation/c_123-abc', 'wanglai://conversation/c1/', 'WANGLAI://Conversation/c1']) expect(parseDeepLink(raw)).toBeNull();
  });

  it.each([
    ['another scheme', 'https://share?url=https://a.example'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['no host', 'wanglai:share?text=hi'],
    ['an unknown host', 'wanglai://settings?x=1'],
    ['an unknown parameter', 'wanglai://share?text=hi&then=x'],
    ['a repeated parameter', 'wanglai://share?text=a&text=b'],
    ['nothing to share', 'wanglai://share'],
    ['an empty text alone', 'wanglai://share?text='],
    ['a blank text alone', `wanglai://share?text=${encodeURIComponent(' \n ')}`],
    ['a javascript: URL shared', `wanglai://share?url=${encodeURIComponent('javascript:alert(1)')}`],
    ['a file: URL shared', `wanglai://share?url=${encodeURIComponent('file:///etc/passwd')}`],
    ['credentials in the shared URL', `wanglai://share?url=${encodeURIComponent('https://bank.example@evil.example/')}`],
    ['a control character in the text', `wanglai://share?text=${encodeURIComponent('a\u0007b')}`],
    ['a bidi override in the text', `wanglai://share?text=${encodeURIComponent('abc\u202Etxt.exe')}`],
    ['a newline in the shared URL', `wanglai://share?url=${encodeURIComponent('https://shop.exam\nple.evil.example/')}`],
    ['a bidi override in the shared URL', `wanglai://share?url=${encodeURIComponent('https://evil.example/\u202Egpj.exe')}`],
    ['a path on share', 'wanglai://share/x?text=hi'],
    ['a fragment', 'wanglai://share?text=hi#x'],
    ['credentials', 'wanglai://user:pw@share?text=hi'],
    ['a port', 'wanglai://share:8080?text=hi'],
    ['not a URL at all', 'not a link'],
  ])('refuses %s', (_what, raw) => {
    expect(parseDeepLink(raw)).toBeNull();
  });

  it('refuses over-long values and over-long links', () => {
    expect(parseDeepLink(`wanglai://share?text=${'字'.repeat(4001)}`)).toBeNull();
    expect(parseDeepLink(`wanglai://share?text=${'字'.repeat(4000)}`)).not.toBeNull();
    expect(parseDeepLink(`wanglai://share?url=${encodeURIComponent(`https://a.example/${'x'.repeat(2048)}`)}`)).toBeNull();
    expect(parseDeepLink(`wanglai://share?text=${'a'.repeat(DEEP_LINK_MAX)}`)).toBeNull();
  });

  it('measures the shared URL as it is passed on: percent-encoding may lengthen it past the limit', () => {
    const fits = `https://a.example/${'看'.repeat(225)}`;
    const grows = `https://a.example/${'看'.repeat(300)}`;
    expect(grows.length).toBeLessThanOrEqual(LIMITS.urlMax);
    expect(new URL(grows).href.length).toBeGreaterThan(LIMITS.urlMax);
    expect(parseDeepLink(`wanglai://share?url=${encodeURIComponent(grows)}`)).toBeNull();
    expect(parseDeepLink(`wanglai://share?url=${encodeURIComponent(fits)}`)).toEqual({ kind: 'share', url: new URL(fits).href });
  });

  it('finds the link among command-line arguments', () => {
    expect(deepLinkFromArgv(['/opt/wanglai', '--flag', 'WANGLAI://share?text=hi'])).toBe('WANGLAI://share?text=hi');
    expect(deepLinkFromArgv(['/opt/wanglai', '.'])).toBeUndefined();
  });
});
