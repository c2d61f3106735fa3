import { createBitmap, fillCapsule, unionRect } from './rasterize.js';
import type { Bitmap, PixelRect, Point } from './rasterize.js';

/** One brush or eraser stroke, in image pixel coordinates. */
export interface Stroke {
  points: Point[];
  radius: number;
  erase: boolean;
}

export type MaskAction =
  { kind: 'stroke'; stroke: Stroke } | { kind: 'invert' } | { kind: 'clear' };

/**
 * The mask being painted over one image: a binary bitmap at the image's natural size, built from a
 * history of actions so every action can be undone and redone. Pure: no DOM, no canvas.
 *
 * @example
 * const mask = new MaskDocument(640, 480);
 * mask.beginStroke({ x: 10, y: 10 }, 8, false);
 * mask.extendStroke({ x: 200, y: 40 });
 * mask.endStroke();
 * mask.undo();
 */
export class MaskDocument {
  readonly width: number;
  readonly height: number;
  private bitmap: Bitmap;
  private readonly done: MaskAction[] = [];
  private readonly undone: MaskAction[] = [];
  private activeStroke: Stroke | null = null;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.bitmap = createBitmap(width, height);
  }

  /** The current pixels, 1 = painted. Read-only view: change it through the methods. */
  get pixels(): Readonly<Uint8Array> {
    return this.bitmap.pixels;
  }

  get canUndo(): boolean {
    return this.done.length > 0 || this.activeStroke !== null;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  get isDrawing(): boolean {
    return this.activeStroke !== null;
  }

  isEmpty(): boolean {
    return !this.bitmap.pixels.includes(1);
  }

  /** How many pixels are painted: lets the UI say "nothing painted yet". */
  paintedCount(): number {
    let count = 0;
    for (const value of this.bitmap.pixels) count += value;
    return count;
  }

  /** Starts a stroke and paints its first dot. Returns the rectangle that changed. */
  beginStroke(point: Point, radius: number, erase: boolean): PixelRect | null {
    if (this.activeStroke) this.endStroke();
    if (!(radius > 0)) throw new RangeError(`Brush radius must be positive, got ${radius}`);
    this.activeStroke = { points: [point], radius, erase };
    return fillCapsule(this.bitmap, point, point, radius, erase ? 0 : 1);
  }

  /** Adds a point to the stroke in progress and paints the segment to it. */
  extendStroke(point: Point): PixelRect | null {
    const stroke = this.activeStroke;
    if (!stroke) return null;
    const previous = stroke.points[stroke.points.length - 1] ?? point;
    stroke.points.push(point);
    return fillCapsule(this.bitmap, previous, point, stroke.radius, stroke.erase ? 0 : 1);
  }

  /** Commits the stroke in progress to the history (a new action clears the redo stack). */
  endStroke(): void {
    const stroke = this.activeStroke;
    if (!stroke) return;
    this.activeStroke = null;
    this.record({ kind: 'stroke', stroke });
  }

  /** Paints a whole stroke at once (tests, or replaying a saved mask). */
  addStroke(stroke: Stroke): void {
    const [first, ...rest] = stroke.points;
    if (!first) return;
    this.beginStroke(first, stroke.radius, stroke.erase);
    for (const point of rest) this.extendStroke(point);
    this.endStroke();
  }

  invert(): void {
    this.endStroke();
    invertPixels(this.bitmap.pixels);
    this.record({ kind: 'invert' });
  }

  clear(): void {
    this.endStroke();
    if (this.isEmpty() && this.done.at(-1)?.kind === 'clear') return;
    this.bitmap.pixels.fill(0);
    this.record({ kind: 'clear' });
  }

  undo(): boolean {
    this.endStroke();
    const action = this.done.pop();
    if (!action) return false;
    this.undone.push(action);
    if (action.kind === 'invert') invertPixels(this.bitmap.pixels);
    else this.replay();
    return true;
  }

  redo(): boolean {
    this.endStroke();
    const action = this.undone.pop();
    if (!action) return false;
    this.done.push(action);
    applyAction(this.bitmap, action);
    return true;
  }

  private record(action: MaskAction): void {
    this.done.push(action);
    this.undone.length = 0;
  }

  /** Rebuilds the bitmap from the history; everything before the last clear cannot matter. */
  private replay(): void {
    let start = 0;
    for (let index = this.done.length - 1; index >= 0; index--) {
      if (this.done[index]?.kind === 'clear') {
        start = index + 1;
        break;
      }
    }
    this.bitmap = createBitmap(this.width, this.height);
    for (const action of this.done.slice(start)) applyAction(this.bitmap, action);
  }
}

function invertPixels(pixels: Uint8Array): void {
  for (let index = 0; index < pixels.length; index++) pixels[index] = pixels[index] ? 0 : 1;
}

function applyAction(bitmap: Bitmap, action: MaskAction): PixelRect | null {
  switch (action.kind) {
    case 'invert':
      invertPixels(bitmap.pixels);
      return { x0: 0, y0: 0, x1: bitmap.width, y1: bitmap.height };
    case 'clear':
      bitmap.pixels.fill(0);
      return { x0: 0, y0: 0, x1: bitmap.width, y1: bitmap.height };
    case 'stroke': {
      const { points, radius, erase } = action.stroke;
      const value = erase ? 0 : 1;
      let changed: PixelRect | null = null;
      let previous = points[0];
      for (const point of points) {
        if (previous)
          changed = unionRect(changed, fillCapsule(bitmap, previous, point, radius, value));
        previous = point;
      }
      return changed;
    }
  }
}
