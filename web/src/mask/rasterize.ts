/** Pixel rasterizing for the mask: pure functions over a one-byte-per-pixel bitmap. */

/** A point in IMAGE pixel coordinates (0,0 is the top-left corner of the top-left pixel). */
export interface Point {
  x: number;
  y: number;
}

/** An inclusive-exclusive pixel rectangle that changed: [x0, x1) × [y0, y1). */
export interface PixelRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One byte per pixel, row-major; 1 = painted (edit here), 0 = keep. */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export function createBitmap(width: number, height: number): Bitmap {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Mask size must be positive integers, got ${width}×${height}`);
  }
  return { width, height, pixels: new Uint8Array(width * height) };
}

/**
 * Sets every pixel whose CENTRE lies within `radius` of the segment a→b to `value`: the union of
 * filled circles of that radius swept along the segment (a "capsule"), so fast strokes leave no gaps.
 * A zero-length segment is a single filled circle. Returns the rectangle touched, or null if none.
 */
export function fillCapsule(
  bitmap: Bitmap,
  a: Point,
  b: Point,
  radius: number,
  value: 0 | 1,
): PixelRect | null {
  const { width, height, pixels } = bitmap;
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - radius));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - radius));
  const x1 = Math.min(width, Math.ceil(Math.max(a.x, b.x) + radius) + 1);
  const y1 = Math.min(height, Math.ceil(Math.max(a.y, b.y) + radius) + 1);
  if (x0 >= x1 || y0 >= y1) return null;

  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const radiusSquared = radius * radius;
  for (let y = y0; y < y1; y++) {
    const cy = y + 0.5;
    for (let x = x0; x < x1; x++) {
      const cx = x + 0.5;
      // Closest point on the segment to the pixel centre, by projecting and clamping t to [0, 1].
      let t = lengthSquared === 0 ? 0 : ((cx - a.x) * dx + (cy - a.y) * dy) / lengthSquared;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = cx - (a.x + t * dx);
      const ey = cy - (a.y + t * dy);
      if (ex * ex + ey * ey <= radiusSquared) pixels[y * width + x] = value;
    }
  }
  return { x0, y0, x1, y1 };
}

export function unionRect(a: PixelRect | null, b: PixelRect | null): PixelRect | null {
  if (!a) return b;
  if (!b) return a;
  return {
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
  };
}
