import { createHash } from 'node:crypto';

import { seededUint32Generator } from '../../../shared/seeded-random.js';
import { drawText, GLYPH_HEIGHT, textWidth, type Rgb } from './font.js';
import type { RgbaImage } from './png.js';

export const LABEL_HEADLINE = 'LOCAL STAND-IN \u2014 not a real model';

/**
 * A PRNG in [0, 1) whose stream depends on every part of `key` (model id, seed, request body,
 * index): enough for deterministic pictures.
 */
export function randomFrom(key: string): () => number {
  const next = seededUint32Generator(createHash('sha256').update(key).digest().readUInt32LE(0));
  return () => next() / 2 ** 32;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SynthesizeOptions {
  width: number;
  height: number;
  modelId: string;
  seed: number;
  /** Everything else that should change the picture: the request body, the image index. */
  contentKey: string;
  /** Where the label goes (default: the whole image). Edits put it inside the edited area. */
  labelBox?: Box;
  /** Extra label line, e.g. the task type. */
  caption?: string;
}

function randomColor(random: () => number): Rgb {
  return [Math.floor(random() * 256), Math.floor(random() * 256), Math.floor(random() * 256)];
}

/**
 * Draws a deterministic, clearly fake picture: a gradient with a few discs, plus the label
 * "LOCAL STAND-IN — not a real model", the model id and the seed. Opaque RGBA.
 */
export function synthesizeImage(options: SynthesizeOptions): RgbaImage {
  const { width, height, modelId, seed } = options;
  const random = randomFrom(`${modelId}\n${seed}\n${options.contentKey}`);
  const data = new Uint8Array(width * height * 4);
  const from = randomColor(random);
  const to = randomColor(random);
  const angle = random() * Math.PI * 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const span = Math.abs(cos) * width + Math.abs(sin) * height || 1;
  const origin = Math.min(0, cos * width) + Math.min(0, sin * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const t = (x * cos + y * sin - origin) / span;
      const offset = (y * width + x) * 4;
      data[offset] = from[0] + (to[0] - from[0]) * t;
      data[offset + 1] = from[1] + (to[1] - from[1]) * t;
      data[offset + 2] = from[2] + (to[2] - from[2]) * t;
      data[offset + 3] = 255;
    }
  }
  const image: RgbaImage = { width, height, data };
  const shortSide = Math.min(width, height);
  for (let disc = 0; disc < 6; disc += 1) {
    const cx = random() * width;
    const cy = random() * height;
    const radius = (0.05 + random() * 0.25) * shortSide;
    const color = randomColor(random);
    fillRect(image, cx - radius, cy - radius, radius * 2, radius * 2, color, (px, py) => {
      return (px - cx) ** 2 + (py - cy) ** 2 <= radius ** 2;
    });
  }
  drawLabel(image, options);
  return image;
}

function fillRect(
  image: RgbaImage,
  left: number,
  top: number,
  boxWidth: number,
  boxHeight: number,
  color: Rgb,
  inside: (px: number, py: number) => boolean = () => true,
): void {
  const x0 = Math.max(0, Math.floor(left));
  const y0 = Math.max(0, Math.floor(top));
  const x1 = Math.min(image.width, Math.ceil(left + boxWidth));
  const y1 = Math.min(image.height, Math.ceil(top + boxHeight));
  for (let y = y0; y < y1; y += 1) {
    for (let x = x0; x < x1; x += 1) {
      if (!inside(x, y)) continue;
      const offset = (y * image.width + x) * 4;
      image.data[offset] = color[0];
      image.data[offset + 1] = color[1];
      image.data[offset + 2] = color[2];
      image.data[offset + 3] = 255;
    }
  }
}

function drawLabel(image: RgbaImage, options: SynthesizeOptions): void {
  const box = options.labelBox ?? { x: 0, y: 0, width: image.width, height: image.height };
  const lines = [LABEL_HEADLINE, options.modelId, `seed ${options.seed}`];
  if (options.caption) lines.push(options.caption);
  const padding = 4;
  const longest = Math.max(...lines.map((line) => textWidth(line, 1)));
  // Largest integer scale (1..4) at which the longest line fits the box; small boxes clip.
  const scale = Math.max(1, Math.min(4, Math.floor((box.width - 2 * padding) / longest)));
  const lineHeight = (GLYPH_HEIGHT + 3) * scale;
  const inBox = (px: number, py: number) =>
    px >= box.x && py >= box.y && px < box.x + box.width && py < box.y + box.height;
  fillRect(
    image,
    box.x,
    box.y,
    Math.min(box.width, longest * scale + 2 * padding),
    lines.length * lineHeight + 2 * padding,
    [16, 16, 16],
    inBox,
  );
  lines.forEach((line, index) => {
    const color: Rgb = index === 0 ? [255, 220, 0] : [255, 255, 255];
    drawText(
      image,
      line,
      box.x + padding,
      box.y + padding + index * lineHeight,
      scale,
      color,
      inBox,
    );
  });
}

/**
 * Per-pixel edit strength, 0 (keep) to 255 (replace), the common currency of every mask
 * convention once it has been read.
 */
export type Strength = Uint8Array;

/** Grows the edited area by `radius` pixels (square neighbourhood); Stability's `grow_mask`. */
export function growStrength(
  strength: Strength,
  width: number,
  height: number,
  radius: number,
): Strength {
  if (radius <= 0) return strength;
  // Plain comparisons and hoisted bounds: this loop runs radius × pixels times, and Math.* calls
  // in it made edits take seconds inside jest's module sandbox.
  const horizontal = new Uint8Array(strength.length);
  for (let y = 0; y < height; y += 1) {
    const row = y * width;
    for (let x = 0; x < width; x += 1) {
      const from = x - radius > 0 ? x - radius : 0;
      const to = x + radius < width - 1 ? x + radius : width - 1;
      let max = 0;
      for (let dx = from; dx <= to; dx += 1) {
        const value = strength[row + dx] ?? 0;
        if (value > max) max = value;
      }
      horizontal[row + x] = max;
    }
  }
  const grown = new Uint8Array(strength.length);
  for (let y = 0; y < height; y += 1) {
    const from = y - radius > 0 ? y - radius : 0;
    const to = y + radius < height - 1 ? y + radius : height - 1;
    for (let x = 0; x < width; x += 1) {
      let max = 0;
      for (let dy = from; dy <= to; dy += 1) {
        const value = horizontal[dy * width + x] ?? 0;
        if (value > max) max = value;
      }
      grown[y * width + x] = max;
    }
  }
  return grown;
}

/** Smallest box holding every pixel with strength > 0, or undefined when nothing is edited. */
export function editedBox(strength: Strength, width: number, height: number): Box | undefined {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!strength[y * width + x]) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * Mixes `replacement` into `original` by strength: 0 keeps the original pixel exactly, 255 takes
 * the replacement exactly. The result is opaque, like the models' RGB output.
 */
export function blendByStrength(
  original: RgbaImage,
  replacement: RgbaImage,
  strength: Strength,
): RgbaImage {
  const data = new Uint8Array(original.data.length);
  for (let pixel = 0; pixel < strength.length; pixel += 1) {
    const weight = (strength[pixel] ?? 0) / 255;
    for (let channel = 0; channel < 3; channel += 1) {
      const index = pixel * 4 + channel;
      const from = original.data[index] ?? 0;
      const to = replacement.data[index] ?? 0;
      data[index] = Math.round(from + (to - from) * weight);
    }
    data[pixel * 4 + 3] = 255;
  }
  return { width: original.width, height: original.height, data };
}

/** Strength 255 inside `box`, 0 elsewhere: the stand-in's stand-in for mask prompts. */
export function boxStrength(width: number, height: number, box: Box): Strength {
  const strength = new Uint8Array(width * height);
  for (let y = box.y; y < Math.min(height, box.y + box.height); y += 1) {
    strength.fill(255, y * width + box.x, y * width + Math.min(width, box.x + box.width));
  }
  return strength;
}

/** The middle half of the picture, used where the real model would locate an object by text. */
export function centralBox(width: number, height: number): Box {
  return {
    x: Math.floor(width / 4),
    y: Math.floor(height / 4),
    width: Math.max(1, Math.floor(width / 2)),
    height: Math.max(1, Math.floor(height / 2)),
  };
}

/**
 * Background removal: pixels close in colour to the average border colour become transparent.
 * Crude, but deterministic and it keeps a subject drawn on a plain background.
 */
export function removeBackground(image: RgbaImage): RgbaImage {
  const { width, height, data } = image;
  let red = 0;
  let green = 0;
  let blue = 0;
  let count = 0;
  const addBorderPixel = (x: number, y: number) => {
    const offset = (y * width + x) * 4;
    red += data[offset] ?? 0;
    green += data[offset + 1] ?? 0;
    blue += data[offset + 2] ?? 0;
    count += 1;
  };
  for (let x = 0; x < width; x += 1) {
    addBorderPixel(x, 0);
    addBorderPixel(x, height - 1);
  }
  for (let y = 0; y < height; y += 1) {
    addBorderPixel(0, y);
    addBorderPixel(width - 1, y);
  }
  const background: Rgb = [red / count, green / count, blue / count];
  const out = new Uint8Array(data);
  const threshold = 48;
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    const offset = pixel * 4;
    const distance = Math.hypot(
      (data[offset] ?? 0) - background[0],
      (data[offset + 1] ?? 0) - background[1],
      (data[offset + 2] ?? 0) - background[2],
    );
    if (distance <= threshold) out[offset + 3] = 0;
  }
  return { width, height, data: out };
}
