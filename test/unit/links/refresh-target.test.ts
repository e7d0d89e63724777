import { describe, expect, it } from 'vitest';
import { refreshTarget } from '../../../server/links/refresh-target';

const BASE = 'https://shop.example/a/page';

describe('refreshTarget', () => {
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
