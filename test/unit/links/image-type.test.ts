import { describe, expect, it } from 'vitest';
import { TINY_GIF, gradientPng, solidGreyJpeg } from '../../../server/demo/demo-images';
import { IMAGE_PIXELS_MAX, IMAGE_SIDE_MAX, checkImage, readImageSize, sniffImageType } from '../../../server/links/image-type';

// Tiny images built by hand: only the headers a size reader looks at, with enough after them
// to be well formed.
const bytes = (...parts: (number[] | Buffer | string)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.isBuffer(p) ? p : Buffer.from(p))));
const be16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const le16 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff];
const le24 = (n: number): number[] => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff];
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A PNG signature and IHDR (CRC not checked), then `rest`. */
const png = (width: number, height: number, rest: Buffer = Buffer.alloc(0)): Buffer =>
  bytes(PNG_SIGNATURE, be32(13), 'IHDR', be32(width), be32(height), [8, 2, 0, 0, 0], [0, 0, 0, 0], rest);

/** A GIF89a: screen, no colour table, then the blocks given. */
const gif = (width: number, height: number, ...blocks: number[][]): Buffer => bytes('GIF89a', le16(width), le16(height), [0, 0, 0], ...blocks);
/** An image descriptor at (left, top), no local colour table, and one byte of LZW data. */
const frame = (left: number, top: number, width: number, height: number): number[] => [
  0x2c, ...le16(left), ...le16(top), ...le16(width), ...le16(height), 0x00, 0x02, 0x02, 0x44, 0x01, 0x00,
];
const GCE = [0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00]; // graphic control extension
const TRAILER = [0x3b];

const segment = (marker: number, payload: number[] | Buffer): Buffer => bytes([0xff, marker], be16(payload.length + 2), payload);
const sof = (marker: number, width: number, height: number): Buffer => segment(marker, [8, ...be16(height), ...be16(width), 1, 1, 0x11, 0]);
const APP0 = segment(0xe0, bytes('JFIF', [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]));
const DQT = segment(0xdb, [0, ...new Array<number>(64).fill(1)]);
const SOS = segment(0xda, [1, 1, 0, 0, 0x3f, 0]);
const jpeg = (...segments: Buffer[]): Buffer => bytes([0xff, 0xd8], ...segments, [0x00, 0xff, 0xd9]);

const riff = (chunk: Buffer): Buffer => bytes('RIFF', le32(4 + chunk.length), 'WEBP', chunk);
const chunk = (fourCc: string, data: number[]): Buffer => bytes(fourCc, le32(data.length), data, data.length % 2 ? [0] : []);
const vp8x = (width: number, height: number): Buffer => riff(bytes(chunk('VP8X', [0x10, 0, 0, 0, ...le24(width - 1), ...le24(height - 1)]), chunk('VP8L', [0x2f, 0, 0, 0, 0])));
const vp8l = (width: number, height: number): Buffer => {
  const bits = (width - 1) | ((height - 1) << 14); // 28 bits; alpha 0, version 0
  return riff(chunk('VP8L', [0x2f, ...le32(bits), 0, 0, 0]));
};
const vp8 = (width: number, height: number): Buffer => riff(chunk('VP8 ', [0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, ...le16(width), ...le16(height), 0, 0]));

describe('readImageSize and checkImage: valid small images', () => {
  it.each([
    ['PNG', png(3, 2), 'image/png', 3, 2],
    ['PNG from the demo shop', gradientPng(64, 48, [0, 0, 0], [255, 255, 255]), 'image/png', 64, 48],
    ['GIF', gif(5, 4, GCE, frame(0, 0, 5, 4), TRAILER), 'image/gif', 5, 4],
    ['GIF from the demo shop', TINY_GIF, 'image/gif', 1, 1],
    ['GIF with a global colour table and two frames', bytes('GIF87a', le16(10), le16(20), [0x81, 0, 0], new Array<number>(12).fill(0), frame(0, 0, 10, 20), frame(2, 3, 4, 5), TRAILER), 'image/gif', 10, 20],
    ['JPEG (SOF0)', jpeg(sof(0xc0, 7, 9), SOS), 'image/jpeg', 7, 9],
    ['JPEG from the demo shop (APP0, DQT, then SOF0)', solidGreyJpeg(90), 'image/jpeg', 8, 8],
    ['JPEG with APP0, APP1, a comment and DQT before a progressive SOF2', jpeg(APP0, segment(0xe1, bytes('Exif\0\0', new Array<number>(300).fill(7))), segment(0xfe, bytes('hi')), DQT, sof(0xc2, 640, 480), SOS), 'image/jpeg', 640, 480],
    ['JPEG with fill bytes before a marker', bytes([0xff, 0xd8], APP0, [0xff, 0xff, 0xff], sof(0xc1, 30, 20), SOS), 'image/jpeg', 30, 20],
    ['WebP VP8X', vp8x(300, 200), 'image/webp', 300, 200],
    ['WebP VP8L', vp8l(1000, 3000), 'image/webp', 1000, 3000],
    ['WebP VP8', vp8(320, 240), 'image/webp', 320, 240],
  ])('%s', (_, image, type, width, height) => {
    expect(checkImage(image)).toEqual({ ok: true, type, width, height });
  });

  it('accepts the limits themselves', () => {
    expect(checkImage(png(IMAGE_SIDE_MAX, 1))).toMatchObject({ ok: true, width: 8192, height: 1 });
    expect(checkImage(png(8000, 5000))).toMatchObject({ ok: true, width: 8000, height: 5000 }); // exactly 40 megapixels
    expect(checkImage(vp8x(1, IMAGE_SIDE_MAX))).toMatchObject({ ok: true, width: 1, height: 8192 });
    expect(IMAGE_PIXELS_MAX).toBe(40_000_000);
  });

  it('ignores a SOF inside an APP1 segment (an EXIF thumbnail), reading the one after it', () => {
    const exifWithHugeSof = segment(0xe1, bytes('Exif\0\0', sof(0xc0, 60000, 60000)));
    expect(checkImage(jpeg(exifWithHugeSof, sof(0xc0, 16, 16), SOS))).toMatchObject({ ok: true, width: 16, height: 16 });
  });
});

describe('readImageSize and checkImage: huge declared dimensions are refused as too_large', () => {
  // An 8 KB file whose header asks every recipient's client to decode 10^10 pixels.
  const filler = Buffer.alloc(8 * 1024);
  it.each([
    ['PNG 100000×100000 in 8 KB', png(100_000, 100_000, filler), 100_000, 100_000],
    ['PNG one side over', png(8193, 1), 8193, 1],
    ['PNG over 40 megapixels', png(8000, 5001), 8000, 5001],
    ['PNG 2^31-1 wide', png(0x7fffffff, 1), 0x7fffffff, 1],
    ['GIF screen', gif(65535, 65535, frame(0, 0, 1, 1), TRAILER), 65535, 65535],
    ['GIF side over', gif(8193, 1, frame(0, 0, 1, 1), TRAILER), 8193, 1],
    ['JPEG SOF0', jpeg(APP0, DQT, sof(0xc0, 65535, 65535), SOS), 65535, 65535],
    ['JPEG SOF2 over 40 megapixels', jpeg(sof(0xc2, 7000, 7000), SOS), 7000, 7000],
    ['WebP VP8X', vp8x(16_777_216, 16_777_216), 16_777_216, 16_777_216],
    ['WebP VP8L', vp8l(16384, 16384), 16384, 16384],
    ['WebP VP8 side over', vp8(16383, 2), 16383, 2],
    ['WebP VP8 over 40 megapixels', vp8(7000, 7000), 7000, 7000],
  ])('%s', (_, image, width, height) => {
    const type = sniffImageType(image);
    expect(type).toBeDefined();
    if (type !== undefined) expect(readImageSize(image, type)).toEqual({ width, height });
    expect(checkImage(image)).toEqual({ ok: false, reason: 'too_large' });
  });

  it('holds a GIF frame that reaches past a small screen to the same limits', () => {
    expect(checkImage(gif(1, 1, GCE, frame(0, 0, 60000, 60000), TRAILER))).toEqual({ ok: false, reason: 'too_large' });
    expect(checkImage(gif(1, 1, frame(0, 0, 1, 1), frame(8000, 0, 200, 1), TRAILER))).toEqual({ ok: false, reason: 'too_large' });
    expect(checkImage(gif(100, 100, frame(50, 50, 100, 100), TRAILER))).toMatchObject({ ok: true, width: 150, height: 150 });
  });
});

describe('readImageSize and checkImage: unreadable headers are refused as not_an_image', () => {
  const cuts = (image: Buffer, upTo: number): Buffer[] => Array.from({ length: upTo }, (_, n) => image.subarray(0, n));
  it.each([
    ['PNG', png(3, 2), 33],
    ['GIF (to the end of the first image descriptor)', gif(5, 4, GCE, frame(0, 0, 5, 4), TRAILER), 6 + 7 + GCE.length + 10],
    ['JPEG', jpeg(APP0, DQT, sof(0xc0, 7, 9)), 2 + APP0.length + DQT.length + 13],
    ['WebP VP8X', vp8x(3, 2), 30],
    ['WebP VP8L', vp8l(3, 2), 25],
    ['WebP VP8', vp8(3, 2), 30],
  ])('%s cut anywhere in its header', (_, image, headerEnd) => {
    expect(checkImage(image).ok).toBe(true);
    for (const cut of cuts(image, headerEnd)) expect(checkImage(cut)).toEqual({ ok: false, reason: 'not_an_image' });
  });

  it.each([
    ['PNG whose first chunk is not IHDR', bytes(PNG_SIGNATURE, be32(13), 'IDAT', be32(1), be32(1), [8, 2, 0, 0, 0, 0, 0, 0, 0])],
    ['PNG with a short IHDR', bytes(PNG_SIGNATURE, be32(8), 'IHDR', be32(1), be32(1), [0, 0, 0, 0], new Array<number>(10).fill(0))],
    ['PNG 0 wide', png(0, 5)],
    ['PNG over 2^31-1', png(0x80000000, 1)],
    ['PNG of garbage after the signature', bytes(PNG_SIGNATURE, 'garbage garbage garbage garbage')],
    ['GIF with no frame', gif(5, 4, GCE, TRAILER)],
    ['GIF 0 high', gif(5, 0, frame(0, 0, 5, 1), TRAILER)],
    ['GIF of garbage after the screen', gif(5, 4, [0x99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])],
    ['GIF with an extension running off the end', gif(5, 4, [0x21, 0xff, 0x0b, 1, 2, 3])],
    ['GIF with a global colour table running off the end', bytes('GIF89a', le16(5), le16(4), [0x87, 0, 0], new Array<number>(40).fill(0))],
    ['JPEG with a scan before any SOF', jpeg(APP0, DQT, SOS, sof(0xc0, 7, 9))],
    ['JPEG ending before any SOF', bytes([0xff, 0xd8], APP0, [0xff, 0xd9])],
    ['JPEG with a segment length past the end', bytes([0xff, 0xd8], [0xff, 0xe1, 0xff, 0xf0], sof(0xc0, 7, 9))],
    ['JPEG with a segment length under 2', bytes([0xff, 0xd8], [0xff, 0xe1, 0x00, 0x01], sof(0xc0, 7, 9))],
    ['JPEG with a SOF too short for its fields', bytes([0xff, 0xd8], segment(0xc0, [8, 0, 9, 0]), [0, 7, 1, 1, 0x11, 0])],
    ['JPEG whose SOF leaves the height to a DNL (0)', jpeg(sof(0xc0, 7, 0), SOS)],
    ['JPEG of garbage after the magic bytes', bytes([0xff, 0xd8, 0xff], 'garbage garbage garbage garbage')],
    ['JPEG with garbage where a marker belongs', bytes([0xff, 0xd8], APP0, 'xx', sof(0xc0, 7, 9))],
    ['JPEG of only fill bytes', bytes([0xff, 0xd8], new Array<number>(64).fill(0xff))],
    ['WebP with an unknown first chunk', riff(chunk('ALPH', new Array<number>(20).fill(0)))],
    ['WebP VP8X with a short chunk', riff(chunk('VP8X', [0, 0, 0, 0, 1, 0, 0, 1]))],
    ['WebP VP8L with a wrong signature', riff(chunk('VP8L', [0x2e, 0, 0, 0, 0]))],
    ['WebP VP8L of an unknown version', riff(chunk('VP8L', [0x2f, 0, 0, 0, 0x20]))],
    ['WebP VP8 without its start code', riff(chunk('VP8 ', [0x50, 0x02, 0x00, 0x9d, 0x01, 0x2b, 1, 0, 1, 0]))],
    ['WebP VP8 that is not a key frame', riff(chunk('VP8 ', [0x51, 0x02, 0x00, 0x9d, 0x01, 0x2a, 1, 0, 1, 0]))],
    ['WebP of garbage after the magic bytes', bytes('RIFF', le32(40), 'WEBP', 'garbage garbage garbage garbage garbage!')],
  ])('%s', (_, image) => {
    expect(checkImage(image)).toEqual({ ok: false, reason: 'not_an_image' });
  });

  it('is not an image without magic bytes', () => {
    for (const bad of ['', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'RIFF....WAVE']) {
      expect(checkImage(Buffer.from(bad, 'latin1'))).toEqual({ ok: false, reason: 'not_an_image' });
    }
  });

  it('never reads past the buffer, whatever the bytes (random garbage after each magic)', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff;
    const magics = [bytes(PNG_SIGNATURE), bytes([0xff, 0xd8, 0xff]), bytes('GIF89a'), bytes('RIFF', le32(100), 'WEBP')];
    for (let i = 0; i < 2000; i++) {
      const magic = magics[i % magics.length] ?? Buffer.alloc(0);
      const image = bytes(magic, Array.from({ length: i % 97 }, random));
      const result = checkImage(image);
      if (result.ok) {
        expect(result.width * result.height).toBeLessThanOrEqual(IMAGE_PIXELS_MAX);
        expect(Math.max(result.width, result.height)).toBeLessThanOrEqual(IMAGE_SIDE_MAX);
      } else expect(['not_an_image', 'too_large']).toContain(result.reason);
    }
  });
});
