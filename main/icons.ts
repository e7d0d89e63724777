/**
 * The tray icon and the unread overlay are drawn as raw BGRA bitmaps (what
 * nativeImage.createFromBitmap takes), so the app ships no image files it could fail to find.
 */
export interface Bitmap {
  buffer: Buffer;
  width: number;
  height: number;
}

type Colour = readonly [r: number, g: number, b: number];

const BRAND: Colour = [0xd9, 0x3a, 0x2b];
const WHITE: Colour = [0xff, 0xff, 0xff];

function canvas(size: number, paint: (x: number, y: number) => Colour | undefined): Bitmap {
  const buffer = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const colour = paint(x + 0.5, y + 0.5);
      if (colour === undefined) continue;
      const i = (y * size + x) * 4;
      buffer[i] = colour[2];
      buffer[i + 1] = colour[1];
      buffer[i + 2] = colour[0];
      buffer[i + 3] = 0xff;
    }
  }
  return { buffer, width: size, height: size };
}

/** A red rounded square with two white speech lines: Wanglai's mark at tray size. */
export function trayBitmap(size: number): Bitmap {
  const radius = size * 0.22;
  return canvas(size, (x, y) => {
    const dx = Math.max(radius - x, 0, x - (size - radius));
    const dy = Math.max(radius - y, 0, y - (size - radius));
    if (dx * dx + dy * dy > radius * radius) return undefined;
    const line = (top: number, right: number): boolean => y >= size * top && y < size * (top + 0.14) && x >= size * 0.24 && x < size * right;
    return line(0.3, 0.76) || line(0.56, 0.6) ? WHITE : BRAND;
  });
}

/** A solid red dot: the unread overlay on the Windows taskbar button. */
export function unreadDotBitmap(size: number): Bitmap {
  const r = size / 2;
  return canvas(size, (x, y) => ((x - r) ** 2 + (y - r) ** 2 <= r * r ? BRAND : undefined));
}
