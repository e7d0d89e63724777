/**
 * The image type the bytes themselves say, by magic number. A Content-Type header is the
 * server's claim; stored media is served with the type its bytes prove, or not at all.
 *
 * And the size the header declares: every recipient's client decodes a preview image, so an
 * 8 KB file that claims 100000×100000 pixels (a decompression bomb for the decoder) is refused
 * like a file over the byte cap. Headers are read with every offset checked against the buffer;
 * a header that is cut short or does not parse is not an image.
 */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** The longest side, in pixels, a stored image may declare. */
export const IMAGE_SIDE_MAX = 8192;
/** The most pixels (width × height) a stored image may declare: 40 megapixels. */
export const IMAGE_PIXELS_MAX = 40_000_000;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}

export interface ImageSize {
  width: number;
  height: number;
}

// Readers that give undefined when the bytes they need are not all there.
const u8 = (b: Uint8Array, at: number): number | undefined => (at >= 0 && at < b.length ? b[at] : undefined);
const u16be = (b: Uint8Array, at: number): number | undefined => (at >= 0 && at + 2 <= b.length ? ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0) : undefined);
const u16le = (b: Uint8Array, at: number): number | undefined => (at >= 0 && at + 2 <= b.length ? (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) : undefined);
const u24le = (b: Uint8Array, at: number): number | undefined =>
  at >= 0 && at + 3 <= b.length ? (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) : undefined;
const u32be = (b: Uint8Array, at: number): number | undefined =>
  at >= 0 && at + 4 <= b.length ? (b[at] ?? 0) * 0x1000000 + (((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) : undefined;
const u32le = (b: Uint8Array, at: number): number | undefined =>
  at >= 0 && at + 4 <= b.length ? (b[at + 3] ?? 0) * 0x1000000 + (((b[at + 2] ?? 0) << 16) | ((b[at + 1] ?? 0) << 8) | (b[at] ?? 0)) : undefined;

const size = (width: number | undefined, height: number | undefined): ImageSize | undefined =>
  width !== undefined && height !== undefined && width > 0 && height > 0 ? { width, height } : undefined;

/** PNG: the first chunk must be IHDR (13 bytes), width and height big-endian. */
function pngSize(b: Uint8Array): ImageSize | undefined {
  if (u32be(b, 8) !== 13 || !startsWith(b, ascii('IHDR'), 12) || b.length < 8 + 8 + 13 + 4) return undefined;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  // The PNG specification caps both at 2^31 - 1.
  if (width === undefined || height === undefined || width > 0x7fffffff || height > 0x7fffffff) return undefined;
  return size(width, height);
}

/**
 * GIF: the logical screen, and every image (frame) in the file, walked block by block: a
 * decoder may grow the screen to fit a frame, so a frame is held to the same limits. The
 * first frame must be there; a stream cut short after it is shown as far as it goes.
 */
function gifSize(b: Uint8Array): ImageSize | undefined {
  const screen = size(u16le(b, 6), u16le(b, 8));
  const flags = u8(b, 10);
  if (screen === undefined || flags === undefined || b.length < 13) return undefined;
  let width = screen.width;
  let height = screen.height;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 0x07) + 1) : 0);
  let frames = 0;
  /** Skips data sub-blocks; the offset after the terminator, or undefined when cut short. */
  const skipSubBlocks = (from: number): number | undefined => {
    let p = from;
    for (;;) {
      const length = u8(b, p);
      if (length === undefined) return undefined;
      p += 1 + length;
      if (length === 0) return p;
    }
  };
  for (;;) {
    const introducer = u8(b, at);
    if (introducer === 0x3b) break; // trailer
    if (introducer === 0x21) {
      // Extension: a label, then sub-blocks.
      const next = skipSubBlocks(at + 2);
      if (next === undefined) break;
      at = next;
    } else if (introducer === 0x2c) {
      const left = u16le(b, at + 1);
      const top = u16le(b, at + 3);
      const frame = size(u16le(b, at + 5), u16le(b, at + 7));
      const frameFlags = u8(b, at + 9);
      if (left === undefined || top === undefined || frame === undefined || frameFlags === undefined) break;
      frames++;
      width = Math.max(width, left + frame.width);
      height = Math.max(height, top + frame.height);
      if (!withinLimits({ width, height })) return { width, height };
      // Local colour table, the LZW minimum code size, then the image data.
      const next = skipSubBlocks(at + 10 + (frameFlags & 0x80 ? 3 * 2 ** ((frameFlags & 0x07) + 1) : 0) + 1);
      if (next === undefined) break;
      at = next;
    } else break; // cut short, or not a block: stop reading
  }
  return frames > 0 ? { width, height } : undefined;
}

/**
 * JPEG: walks the marker segments from SOI to the first start-of-frame (SOF0-SOF15 but DHT,
 * JPG and DAC), each length checked against the buffer; a scan, an end of image or anything
 * that is not a marker before it means the header is unreadable.
 */
function jpegSize(b: Uint8Array): ImageSize | undefined {
  let at = 2; // after SOI
  for (;;) {
    if (u8(b, at) !== 0xff) return undefined;
    let marker = u8(b, at + 1);
    while (marker === 0xff) {
      at++; // fill bytes
      marker = u8(b, at + 1);
    }
    if (marker === undefined || marker === 0x00 || marker === 0xd8 || marker === 0xd9 || marker === 0xda) return undefined;
    at += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // TEM, RSTn: no length
    const length = u16be(b, at);
    if (length === undefined || length < 2 || at + length > b.length) return undefined;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      // Length, precision, height, width, component count.
      if (length < 8) return undefined;
      return size(u16be(b, at + 5), u16be(b, at + 3));
    }
    at += length;
  }
}

/**
 * WebP: the first chunk after the RIFF header says it all: VP8X gives the canvas (every frame
 * lies within it), VP8L the lossless image, VP8 the lossy key frame.
 */
function webpSize(b: Uint8Array): ImageSize | undefined {
  const chunkSize = u32le(b, 16);
  if (chunkSize === undefined) return undefined;
  const data = 20;
  if (startsWith(b, ascii('VP8X'), 12)) {
    if (chunkSize < 10) return undefined;
    const w = u24le(b, data + 4);
    const h = u24le(b, data + 7);
    return w === undefined || h === undefined ? undefined : size(w + 1, h + 1);
  }
  if (startsWith(b, ascii('VP8L'), 12)) {
    const b1 = u8(b, data + 1);
    const b2 = u8(b, data + 2);
    const b3 = u8(b, data + 3);
    const b4 = u8(b, data + 4);
    if (chunkSize < 5 || u8(b, data) !== 0x2f || b1 === undefined || b2 === undefined || b3 === undefined || b4 === undefined) return undefined;
    if (b4 >> 5 !== 0) return undefined; // version 0 is the only one
    return size(1 + (b1 | ((b2 & 0x3f) << 8)), 1 + ((b2 >> 6) | (b3 << 2) | ((b4 & 0x0f) << 10)));
  }
  if (startsWith(b, ascii('VP8 '), 12)) {
    const frameTag = u8(b, data);
    // A key frame (bit 0 clear), then the start code 9d 01 2a; 14 bits each, 2 of scale.
    if (chunkSize < 10 || frameTag === undefined || frameTag & 0x01 || !startsWith(b, [0x9d, 0x01, 0x2a], data + 3)) return undefined;
    const w = u16le(b, data + 6);
    const h = u16le(b, data + 8);
    return w === undefined || h === undefined ? undefined : size(w & 0x3fff, h & 0x3fff);
  }
  return undefined;
}

/** The width and height the header of an image of `type` declares, or undefined when it cannot be read. */
export function readImageSize(bytes: Uint8Array, type: ImageType): ImageSize | undefined {
  switch (type) {
    case 'image/png':
      return pngSize(bytes);
    case 'image/gif':
      return gifSize(bytes);
    case 'image/jpeg':
      return jpegSize(bytes);
    case 'image/webp':
      return webpSize(bytes);
  }
}

export function withinLimits({ width, height }: ImageSize): boolean {
  return width <= IMAGE_SIDE_MAX && height <= IMAGE_SIDE_MAX && width * height <= IMAGE_PIXELS_MAX;
}

export type ImageCheck = { ok: true; type: ImageType; width: number; height: number } | { ok: false; reason: 'not_an_image' | 'too_large' };

/**
 * What a stored image must pass: a type proven by its bytes, a header that reads, and declared
 * dimensions within IMAGE_SIDE_MAX per side and IMAGE_PIXELS_MAX in all.
 */
export function checkImage(bytes: Uint8Array): ImageCheck {
  const type = sniffImageType(bytes);
  if (type === undefined) return { ok: false, reason: 'not_an_image' };
  const declared = readImageSize(bytes, type);
  if (declared === undefined) return { ok: false, reason: 'not_an_image' };
  if (!withinLimits(declared)) return { ok: false, reason: 'too_large' };
  return { ok: true, type, ...declared };
}
