// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, codePointLength } from '../../../protocol/limits';
import { captureShareRequest, shareText } from '../../../renderer/src/ui/share-request';
import { useUi } from '../../../renderer/src/store/ui-store';

afterEach(() => {
  useUi.setState({ share: null });
  window.history.replaceState(null, '', '/');
});

function share(query: string): string | undefined {
  window.history.replaceState(null, '', `/share?${query}`);
  captureShareRequest();
  return useUi.getState().share?.text;
}

const q = encodeURIComponent;

describe("the web build's /share request", () => {
  it('opens the share dialog with the text and the URL as the parser reads it, then tidies the address', () => {
    expect(share(`text=${q('看看')}&url=${q('HTTPS://Shop.Example/a b')}`)).toBe('看看 https://shop.example/a%20b');
    expect(window.location.pathname).toBe('/');
  });

  it('keeps direction marks in the text (Arabic, Hebrew), as the desktop does', () => {
    expect(share(`text=${q('\u200fمرحبا')}`)).toBe('\u200fمرحبا');
  });

  // The same request as wanglai://share would be refused by the desktop (test/main/deep-link.test.ts).
  it.each([
    ['a javascript: URL', `text=hi&url=${q('javascript:alert(1)')}`],
    ['a URL that does not parse', `text=hi&url=${q('https://')}`],
    ['credentials in the URL', `url=${q('https://bank.example@evil.example/')}`],
    ['a newline in the URL', `url=${q('https://shop.exam\nple.evil.example/')}`],
    ['a control character in the URL', `url=${q('https://shop.example/\u0007')}`],
    ['a bidi override in the URL', `url=${q('https://evil.example/\u202Egpj.exe')}`],
    ['a direction mark in the URL', `url=${q('https://shop.example\u200f.evil.example/')}`],
    ['a URL that percent-encoding makes longer than the limit', `url=${q(`https://a.example/${'看'.repeat(300)}`)}`],
    ['a control character in the text', `text=${q('a\u0007b')}`],
    ['a bidi override in the text', `text=${q('abc\u202Etxt.exe')}`],
    ['a text over the message limit', `text=${q('字'.repeat(LIMITS.messageTextMax + 1))}`],
    ['an unknown parameter', 'text=hi&then=x'],
    ['a repeated parameter', 'text=a&text=b'],
    ['nothing to share', ''],
  ])('refuses the whole request for %s, and still tidies the address', (_what, query) => {
    expect(share(query)).toBeUndefined();
    expect(window.location.pathname).toBe('/');
  });
});

describe('shareText', () => {
  const url = 'https://shop.example/item?id=1';

  it('keeps the URL whole and cuts the text, by code points, to fit the message limit', () => {
    const text = shareText(url, '看'.repeat(3990));
    expect(text.endsWith(` ${url}`)).toBe(true);
    expect(codePointLength(text)).toBe(LIMITS.messageTextMax);
    expect(text.startsWith('看')).toBe(true);
  });

  it('never splits a character outside the BMP', () => {
    const text = shareText(url, '😀'.repeat(LIMITS.messageTextMax));
    expect(text.endsWith(` ${url}`)).toBe(true);
    expect(codePointLength(text)).toBe(LIMITS.messageTextMax);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('keeps the longest URL a request may carry whole beside a full text', () => {
    const longest = `https://a.example/${'x'.repeat(LIMITS.urlMax - 'https://a.example/'.length)}`;
    const text = shareText(longest, '字'.repeat(LIMITS.messageTextMax));
    expect(text.endsWith(` ${longest}`)).toBe(true);
    expect(codePointLength(text)).toBe(LIMITS.messageTextMax);
  });

  it('leaves a text that fits, or a URL or text alone, as it is', () => {
    expect(shareText(url, ' 看看 ')).toBe(`看看 ${url}`);
    expect(shareText(url, undefined)).toBe(url);
    expect(shareText(undefined, '看看')).toBe('看看');
  });
});
