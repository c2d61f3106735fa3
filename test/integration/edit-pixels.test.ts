/**
 * One test per edit operation and model, through the whole local stack (upload → POST /edits →
 * Bedrock stand-in → S3 → pre-signed URL): the right pixels change, and nothing else. This is the
 * proof of the mask meanings in README.md ("Masks and outpainting"): for inpaint and erase the
 * painted region changes; for Nova/Titan outpaint the painted (or described) region is kept.
 */
import { PNG } from 'pngjs';

import { OUTPAINT_DEFAULT_HALO_PX } from '../../scripts/local/bedrock/models/amazon.js';
import { centralBox } from '../../scripts/local/bedrock/render.js';
import {
  distinctPixels,
  editSessionOnLocalStack,
  pngOf,
  rgbAt,
  type DecodedPng,
} from './edit-fixture.js';
import { postJson, uploadImage } from './hardening/helpers.js';

const NOVA = 'amazon.nova-canvas-v1:0';
const TITAN = 'amazon.titan-image-generator-v2:0';
/** The default edit models: Stability's image services through their us. profiles. */
const STABILITY = undefined;

/** 320×320: Nova Canvas's smallest input size, and a valid input for every model here. */
const SIZE = 320;
const RECT = { x0: 96, y0: 64, x1: 224, y1: 192 };
const inRect = (x: number, y: number) => x >= RECT.x0 && x < RECT.x1 && y >= RECT.y0 && y < RECT.y1;
/** Stability's grow_mask default: the services grow the painted area by 5 px. */
const STABILITY_GROW = 5;
const nearRect = (x: number, y: number, by: number) =>
  x >= RECT.x0 - by && x < RECT.x1 + by && y >= RECT.y0 - by && y < RECT.y1 + by;
const central = centralBox(SIZE, SIZE);
const inCentral = (x: number, y: number) =>
  x >= central.x &&
  x < central.x + central.width &&
  y >= central.y &&
  y < central.y + central.height;

const SOURCE = pngOf(SIZE, SIZE, distinctPixels);
/** The client's mask: the rectangle painted white on black. */
const RECT_MASK = Buffer.from(
  pngOf(SIZE, SIZE, (x, y) => (inRect(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 255])),
).toString('base64');

/**
 * Compares `after` with `before` (offset by `dx`, `dy` inside `after`): pixels where `mayChange`
 * is false must be identical; answers how many changed on each side.
 */
function compare(
  before: DecodedPng,
  after: DecodedPng,
  mayChange: (x: number, y: number) => boolean,
  offset = { dx: 0, dy: 0 },
) {
  const counts = { changedWhereAllowed: 0, allowed: 0, changedElsewhere: 0 };
  for (let y = 0; y < before.height; y += 1) {
    for (let x = 0; x < before.width; x += 1) {
      const changed = rgbAt(before, x, y) !== rgbAt(after, x + offset.dx, y + offset.dy);
      if (mayChange(x, y)) {
        counts.allowed += 1;
        if (changed) counts.changedWhereAllowed += 1;
      } else if (changed) counts.changedElsewhere += 1;
    }
  }
  return counts;
}

describe('edits through the local stack change the right pixels and nothing else', () => {
  const session = editSessionOnLocalStack(SOURCE);
  const source = PNG.sync.read(Buffer.from(SOURCE));

  /** POST /edits, then the first output image, decoded. */
  async function edit(body: Record<string, unknown>, imageKey?: string): Promise<DecodedPng> {
    return (await session.edit(body, imageKey)).image;
  }

  describe.each([
    ['inpaint', { prompt: 'a window' }],
    ['erase', {}],
  ])('%s: the painted region changes', (operation, extra) => {
    it.each([
      ['Nova Canvas', NOVA, 0],
      ['Titan', TITAN, 0],
      ['Stability (default)', STABILITY, STABILITY_GROW],
    ])('%s', async (_label, model, grow) => {
      const output = await edit({
        operation,
        mask: RECT_MASK,
        ...extra,
        ...(model ? { model } : {}),
      });
      expect([output.width, output.height]).toEqual([SIZE, SIZE]);
      const counts = compare(source, output, (x, y) => nearRect(x, y, grow));
      expect(counts.changedElsewhere).toBe(0);
      const inside = compare(source, output, inRect);
      expect(inside.changedWhereAllowed).toBeGreaterThan(inside.allowed * 0.9);
    });
  });

  it.each([
    ['Nova Canvas', NOVA, 0],
    ['Titan', TITAN, 0],
    ['Stability (default)', STABILITY, STABILITY_GROW],
  ])('search-replace: %s changes the region maskPrompt names', async (_label, model, grow) => {
    const output = await edit({
      operation: 'search-replace',
      maskPrompt: 'the square',
      prompt: 'a round window',
      ...(model ? { model } : {}),
    });
    const grownCentral = (x: number, y: number) =>
      x >= central.x - grow &&
      x < central.x + central.width + grow &&
      y >= central.y - grow &&
      y < central.y + central.height + grow;
    expect(compare(source, output, grownCentral).changedElsewhere).toBe(0);
    const inside = compare(source, output, inCentral);
    expect(inside.changedWhereAllowed).toBeGreaterThan(inside.allowed * 0.9);
  });

  describe.each([
    ['Nova Canvas', NOVA],
    ['Titan', TITAN],
  ])('outpaint with %s: the painted or described region is kept', (_label, model) => {
    it('PRECISE keeps the painted region exactly and regenerates the rest', async () => {
      const output = await edit({
        operation: 'outpaint',
        model,
        mask: RECT_MASK,
        prompt: 'a beach',
        outPaintingMode: 'PRECISE',
      });
      const outside = compare(source, output, (x, y) => !inRect(x, y));
      expect(outside.changedElsewhere).toBe(0);
      expect(outside.changedWhereAllowed).toBeGreaterThan(outside.allowed * 0.9);
    });

    it('DEFAULT may blend the kept edge, and keeps everything deeper than the halo', async () => {
      const output = await edit({
        operation: 'outpaint',
        model,
        mask: RECT_MASK,
        prompt: 'a beach',
        outPaintingMode: 'DEFAULT',
      });
      const halo = OUTPAINT_DEFAULT_HALO_PX;
      const deepInside = (x: number, y: number) =>
        x >= RECT.x0 + halo && x < RECT.x1 - halo && y >= RECT.y0 + halo && y < RECT.y1 - halo;
      expect(compare(source, output, (x, y) => !deepInside(x, y)).changedElsewhere).toBe(0);
      const outside = compare(source, output, (x, y) => !inRect(x, y));
      expect(outside.changedWhereAllowed).toBeGreaterThan(outside.allowed * 0.9);
    });

    it('maskPrompt names the region to keep, like the painted mask', async () => {
      const output = await edit({
        operation: 'outpaint',
        model,
        maskPrompt: 'the square',
        prompt: 'a beach',
        outPaintingMode: 'PRECISE',
      });
      const outside = compare(source, output, (x, y) => !inCentral(x, y));
      expect(outside.changedElsewhere).toBe(0);
      expect(outside.changedWhereAllowed).toBeGreaterThan(outside.allowed * 0.9);
    });
  });

  it.each([
    [
      'an unknown mode',
      { model: NOVA, mask: RECT_MASK, outPaintingMode: 'EXACT' },
      'INVALID_REQUEST',
    ],
    [
      'a mode for Stability, whose outpaint adds margins',
      { outpaint: { left: 8, right: 0, up: 0, down: 0 }, outPaintingMode: 'PRECISE' },
      'INVALID_PARAMETER',
    ],
    [
      'a mode on inpaint',
      { operation: 'inpaint', model: NOVA, mask: RECT_MASK, outPaintingMode: 'PRECISE' },
      'INVALID_PARAMETER',
    ],
  ])('refuses outPaintingMode with %s, naming the field', async (_label, fields, code) => {
    const response = await postJson(
      `${session.stack.invokeUrl}/edits`,
      { imageKey: session.sourceKey, operation: 'outpaint', prompt: 'a beach', ...fields },
      { authorization: session.user.idToken },
    );
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect({ status: response.status, code: answer.error.code }).toEqual({ status: 400, code });
    expect(answer.error.message).toContain('outPaintingMode');
  });

  it('outpaint with Stability: the whole picture is kept and the margins are generated', async () => {
    const margins = { left: 32, right: 16, up: 48, down: 0 };
    const output = await edit({ operation: 'outpaint', outpaint: margins });
    expect([output.width, output.height]).toEqual([
      SIZE + margins.left + margins.right,
      SIZE + margins.up + margins.down,
    ]);
    const kept = compare(source, output, () => false, { dx: margins.left, dy: margins.up });
    expect(kept.changedElsewhere).toBe(0);
  });

  it.each([
    ['Nova Canvas', NOVA],
    ['Titan', TITAN],
    ['Stability (default)', STABILITY],
  ])('remove-background with %s: the subject stays, the background goes', async (_label, model) => {
    const subject = (x: number, y: number) => inRect(x, y);
    const photo = pngOf(SIZE, SIZE, (x, y) =>
      subject(x, y) ? [220, 30, 30, 255] : [40, 120, 200, 255],
    );
    const key = await uploadImage(session.stack, session.user.idToken, photo);
    const output = await edit({ operation: 'remove-background', ...(model ? { model } : {}) }, key);
    let wrong = 0;
    for (let y = 0; y < SIZE; y += 1) {
      for (let x = 0; x < SIZE; x += 1) {
        const offset = (y * SIZE + x) * 4;
        const pixel = [...output.data.subarray(offset, offset + 4)].join();
        const expected = subject(x, y) ? '220,30,30,255' : undefined;
        if (expected ? pixel !== expected : output.data[offset + 3] !== 0) wrong += 1;
      }
    }
    expect(wrong).toBe(0);
  });

  it('a transparent PNG (a remove-background result) is flattened onto white for Nova', async () => {
    const cutout = pngOf(SIZE, SIZE, (x, y) =>
      x < SIZE / 2 ? distinctPixels(x, y) : [9, 9, 9, 0],
    );
    const key = await uploadImage(session.stack, session.user.idToken, cutout);
    const output = await edit(
      { operation: 'inpaint', model: NOVA, mask: RECT_MASK, prompt: 'a window' },
      key,
    );
    const flattened = pngOf(SIZE, SIZE, (x, y) =>
      x < SIZE / 2 ? distinctPixels(x, y) : [255, 255, 255, 255],
    );
    const expected = PNG.sync.read(Buffer.from(flattened));
    expect(compare(expected, output, inRect).changedElsewhere).toBe(0);
  });
});
