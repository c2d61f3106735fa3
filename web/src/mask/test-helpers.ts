import { PNG } from 'pngjs';
import { Buffer } from 'node:buffer';

export interface DecodedMask {
  width: number;
  height: number;
  /** True where the PNG pixel is white (painted), read from the red channel after decoding. */
  isWhite(x: number, y: number): boolean;
}

/** Decodes the base64 PNG the encoder produced with an independent decoder (pngjs checks CRCs). */
export function decodeMask(base64: string): DecodedMask {
  const png = PNG.sync.read(Buffer.from(base64, 'base64'));
  return {
    width: png.width,
    height: png.height,
    isWhite(x, y) {
      const value = png.data[(y * png.width + x) * 4];
      if (value !== 0 && value !== 255) throw new Error(`Pixel ${x},${y} is grey (${value})`);
      return value === 255;
    },
  };
}

/** Distance from the centre of pixel (x, y) to segment a→b: the definition of "covered by a stroke". */
export function distanceToSegment(
  x: number,
  y: number,
  a: { x: number; y: number },
  b: { x: number; y: number },
): number {
  const px = x + 0.5;
  const py = y + 0.5;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return Math.hypot(px - a.x, py - a.y);
  const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / (length * length)));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}
