/**
 * Helpers for the model, image and service tests: real PNG bytes made with pngjs, and an
 * assertion for AppErrors. Not part of the public API.
 */
import { PNG } from 'pngjs';

import { AppError, type ErrorCode } from '../errors.js';
import type { SourceImage } from './types.js';

/** A real RGBA PNG of the given size; `paint(x, y)` returns [r, g, b, a] for each pixel. */
export function makePng(
  width: number,
  height: number,
  paint: (x: number, y: number) => readonly [number, number, number, number] = () => [0, 0, 0, 255],
): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      png.data.set(paint(x, y), (y * width + x) * 4);
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** A client mask: opaque white where `painted(x, y)`, opaque black elsewhere. */
export function makeMask(
  width: number,
  height: number,
  painted: (x: number, y: number) => boolean,
): Uint8Array {
  return makePng(width, height, (x, y) => (painted(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 255]));
}

/**
 * A source image whose header values are as given. The bytes are a stand-in (adapters only
 * base64 them); sizes come from the declared fields, as they would from probeImage upstream.
 */
export function declaredImage(
  width: number,
  height: number,
  mimeType: SourceImage['mimeType'] = 'image/png',
): SourceImage {
  return { bytes: new Uint8Array([1, 2, 3, 4]), mimeType, width, height };
}

/** Decodes a PNG into rows of grey values (asserting every pixel is grey), for exact comparisons. */
export function greyRows(pngBytes: Uint8Array): number[][] {
  const png = PNG.sync.read(Buffer.from(pngBytes));
  const rows: number[][] = [];
  for (let y = 0; y < png.height; y += 1) {
    const row: number[] = [];
    for (let x = 0; x < png.width; x += 1) {
      const offset = (y * png.width + x) * 4;
      const [red, green, blue] = [png.data[offset], png.data[offset + 1], png.data[offset + 2]];
      if (red !== green || green !== blue) throw new Error(`pixel ${x},${y} is not grey`);
      row.push(red ?? -1);
    }
    rows.push(row);
  }
  return rows;
}

/** The AppError `action` throws; fails the test when it throws nothing or something else. */
export function thrownBy(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an AppError, but nothing was thrown');
}

/** Matches an AppError with `code` whose message contains every one of `messageParts`. */
export function appError(code: ErrorCode, ...messageParts: string[]): unknown {
  const lookaheads = messageParts
    .map((part) => `(?=[\\s\\S]*${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`)
    .join('');
  const message: unknown = expect.stringMatching(new RegExp(`^${lookaheads}`));
  return expect.objectContaining({ code, message });
}

export function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
