import { describe, expect, it } from 'vitest';
import { decodeHtml } from '../../../server/links/preview-extract';
import { refreshCandidates } from '../../../server/links/refresh-target';

const BASE = 'https://shop.example/a/page';

describe('a Refresh header’s target', () => {
  /** The first reading (the standard's), as the header alone gives it. */
  const refreshTarget = (content: string, base: string): string | undefined => refreshCandidates('', base, content)?.[0];

  it.each([
    ['0; url=https://evil.example/x', 'https://evil.example/x'],
    ['0;URL=https://evil.example/x', 'https://evil.example/x'],
    ["5; URL='https://evil.example/x'", 'https://evil.example/x'],
    ['3, url="/next?a=1"', 'https://shop.example/next?a=1'],
    ['0;https://evil.example/y', 'https://evil.example/y'],
    ['  1.5 ;  url = other', 'https://shop.example/a/other'],
    ["0; url='https://evil.example/z", 'https://evil.example/z'],
  ])('reads %j as a redirect to %s', (content, target) => {
    expect(refreshTarget(content, BASE)).toBe(target);
  });

  it.each(['', '0', '10;', '5; url=', "0; url=javascript:alert(1)", '0; url=ftp://x.example/'])('names no http(s) target in %j', (content) => {
    expect(refreshTarget(content, BASE)).toBeUndefined();
  });
});

describe('refreshCandidates: every way a browser may read a page’s refreshes', () => {
  const PAGE = 'http://shop.example/p';
  const html = (head: string): string => `<!doctype html><html><head><title>t</title>${head}</head><body>x</body></html>`;

  it('takes every meta refresh, not only the first, and the header besides', () => {
    expect(refreshCandidates(html('<meta http-equiv="refresh" content="5;url=/"><meta http-equiv="refresh" content="0;url=http://phish.example/a">'), PAGE, undefined)).toEqual([
      'http://shop.example/',
      'http://phish.example/a',
    ]);
    expect(refreshCandidates(html('<meta http-equiv="refresh" content="30"><meta http-equiv="Refresh" content="0;url=http://phish.example/b">'), PAGE, undefined)).toEqual(['http://phish.example/b']);
    expect(refreshCandidates(html('<meta http-equiv="refresh" content="0;url=http://phish.example/c">'), PAGE, '60;url=http://shop.example/')).toEqual([
      'http://shop.example/',
      'http://phish.example/c',
    ]);
  });

  it('resolves a relative target against <base href> too', () => {
    expect(refreshCandidates(html('<base href="http://phish.example/"><meta http-equiv="refresh" content="0;url=steal">'), PAGE, undefined)).toContain('http://phish.example/steal');
  });

  it('sees a tag where an HTML parser might hide it (a CDATA run, a comment-like run) and decodes entities', () => {
    expect(refreshCandidates(html('<![CDATA[ x ><meta http-equiv="refresh" content="0;url=http://phish.example/d"> ]]>'), PAGE, undefined)).toEqual(['http://phish.example/d']);
    expect(refreshCandidates(html('<meta http-equiv="refresh" content="0;url=http&#58;//phish.example/e">'), PAGE, undefined)).toEqual(['http://phish.example/e']);
  });

  it('reads a quoted URL cut at its first quote and at its last (browsers differ)', () => {
    const found = refreshCandidates(html(`<meta http-equiv="refresh" content="0;url='http://shop.example'@phish.example/steal'">`), PAGE, undefined) ?? [];
    expect(found.map((target) => new URL(target).hostname)).toEqual(expect.arrayContaining(['shop.example', 'phish.example']));
  });

  it('gives up (undefined) past 32 targets, and none for a page without refreshes', () => {
    const many = Array.from({ length: 40 }, (_, i) => `<meta http-equiv="refresh" content="0;url=/x${i}">`).join('');
    expect(refreshCandidates(html(many), PAGE, undefined)).toBeUndefined();
    expect(refreshCandidates(html('<meta name="description" content="0;url=http://phish.example/">'), PAGE, undefined)).toEqual([]);
  });
});

describe('decodeHtml as a browser decides the charset', () => {
  it('reads a page declaring UTF-16 in a meta as UTF-8, and honours a UTF-16 byte order mark', () => {
    const page = '<meta charset="utf-16"><meta http-equiv="refresh" content="0;url=http://phish.example/">';
    expect(decodeHtml(Buffer.from(page, 'utf8'), 'text/html')).toBe(page);
    expect(decodeHtml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<title>小</title>', 'utf16le')]), 'text/html')).toBe('<title>小</title>');
  });
});
