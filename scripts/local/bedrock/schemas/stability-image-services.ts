import * as z from 'zod';

import { STYLE_PRESETS } from './stability-sdxl.js';

/*
 * Stability AI Image Services on Bedrock: Inpaint, Outpaint, Erase Object, Search and Replace,
 * Remove Background. Every schema below comes from
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html
 */

const text = z.string().max(10000);
const seed = z.int().min(0).max(4294967294);
const outputFormat = z.enum(['jpeg', 'png', 'webp']);
// grow_mask: 0-20 px, default 5.
const growMask = z.int().min(0).max(20);

export const inpaintSchema = z.strictObject({
  prompt: text,
  image: z.string(),
  mask: z.string().optional(),
  grow_mask: growMask.optional(),
  style_preset: z.enum(STYLE_PRESETS).optional(),
  negative_prompt: text.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
});

const outpaintSide = z.int().min(0).max(2000);

export const outpaintSchema = z
  .strictObject({
    image: z.string(),
    left: outpaintSide.optional(),
    right: outpaintSide.optional(),
    up: outpaintSide.optional(),
    down: outpaintSide.optional(),
    creativity: z.number().min(0.1).max(1).optional(),
    prompt: text.optional(),
    style_preset: z.enum(STYLE_PRESETS).optional(),
    seed: seed.optional(),
    output_format: outputFormat.optional(),
  })
  .superRefine((body, context) => {
    if (!body.left && !body.right && !body.up && !body.down) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'at least one of left, right, up, down must be greater than 0',
      });
    }
  });

export const eraseObjectSchema = z.strictObject({
  image: z.string(),
  mask: z.string().optional(),
  grow_mask: growMask.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
});

export const searchReplaceSchema = z.strictObject({
  prompt: text,
  image: z.string(),
  search_prompt: text,
  grow_mask: growMask.optional(),
  style_preset: z.enum(STYLE_PRESETS).optional(),
  negative_prompt: text.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
});

// Remove Background answers with transparency, so only the formats that carry alpha
// (the Stability API's remove-background endpoint: png, webp).
export const removeBackgroundSchema = z.strictObject({
  image: z.string(),
  output_format: z.enum(['png', 'webp']).optional(),
});

/**
 * Input-image limits shared by the edit services: every side >= 64 px, at most 9,437,184 pixels,
 * aspect ratio between 1:2.5 and 2.5:1 (same page).
 */
export const STABILITY_INPUT_LIMITS = {
  minSide: 64,
  maxPixels: 9_437_184,
  maxAspect: 2.5,
} as const;
