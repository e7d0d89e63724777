/** Small real images for the demo shop, made at start so no binary files live in the repo. */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A PNG with a vertical gradient between two RGB colours. */
export function gradientPng(width: number, height: number, from: readonly [number, number, number], to: readonly [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // truecolour RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const t = height === 1 ? 0 : y / (height - 1);
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) row[1 + x * 3 + c] = Math.round((from[c] ?? 0) * (1 - t) + (to[c] ?? 0) * t);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 1×1 GIF. */
export const TINY_GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

/**
 * An 8×8 baseline JPEG of one grey level: a single block whose only coefficient is DC, with
 * one-symbol Huffman tables, so the whole scan is a dozen bits.
 */
export function solidGreyJpeg(level: number): Buffer {
  const dc = 8 * (Math.max(0, Math.min(255, Math.round(level))) - 128); // DC of a flat block, quantiser 1
  const magnitude = Math.abs(dc);
  const category = magnitude === 0 ? 0 : Math.floor(Math.log2(magnitude)) + 1;
  // Negative values are sent as their ones' complement in `category` bits.
  const valueBits = dc >= 0 ? dc : dc + (1 << category) - 1;
  const bits: number[] = [0]; // the one DC code
  for (let i = category - 1; i >= 0; i--) bits.push((valueBits >> i) & 1);
  bits.push(0); // the one AC code: end of block
  while (bits.length % 8 !== 0) bits.push(1);
  const scan: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = bits.slice(i, i + 8).reduce((acc, bit) => (acc << 1) | bit, 0);
    scan.push(byte);
    if (byte === 0xff) scan.push(0x00);
  }
  const oneCodeOfLength1 = [1, ...new Array<number>(15).fill(0)];
  return Buffer.from([
    0xff, 0xd8, // SOI
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // JFIF
    0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array<number>(64).fill(1), // quantisation table of ones
    0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08, 0x00, 0x08, 0x01, 0x01, 0x11, 0x00, // 8x8, one component
    0xff, 0xc4, 0x00, 0x14, 0x00, ...oneCodeOfLength1, category, // DC table
    0xff, 0xc4, 0x00, 0x14, 0x10, ...oneCodeOfLength1, 0x00, // AC table
    0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, // start of scan
    ...scan,
    0xff, 0xd9, // EOI
  ]);
}
