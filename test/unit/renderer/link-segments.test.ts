import { describe, expect, it } from 'vitest';
import { linkSegments } from '../../../renderer/src/lib/link-segments';
import { mediaUrl } from '../../../renderer/src/wire/server-url';

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

  it('keeps text with no listed links as one text segment', () => {
    expect(linkSegments('<b>https://x.example</b>', undefined)).toEqual([{ kind: 'text', text: '<b>https://x.example</b>' }]);
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
