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

/** One service's input-image rules. */
export interface StabilityInputLimits {
  minSide: number;
  minPixels: number;
  maxPixels: number;
  /** Only where the service documents an aspect-ratio rule. */
  maxAspect?: number;
}

/**
 * Input-image rules per service. AWS's page lists the fields; the image rules are Stability's,
 * one per endpoint of https://platform.stability.ai/docs/api-reference (Edit):
 * every side >= 64 px and 4,096-9,437,184 pixels, except Remove Background (4,096-4,194,304);
 * only Outpaint adds the 1:2.5-2.5:1 aspect ratio.
 */
export const STABILITY_INPUT_LIMITS = {
  inpaint: { minSide: 64, minPixels: 4096, maxPixels: 9_437_184 },
  outpaint: { minSide: 64, minPixels: 4096, maxPixels: 9_437_184, maxAspect: 2.5 },
  erase: { minSide: 64, minPixels: 4096, maxPixels: 9_437_184 },
  searchReplace: { minSide: 64, minPixels: 4096, maxPixels: 9_437_184 },
  removeBackground: { minSide: 64, minPixels: 4096, maxPixels: 4_194_304 },
  /** SD3.5 Large and Ultra image-to-image: "minimum 64 px per side" (model pages). */
  imageToImage: { minSide: 64, minPixels: 4096, maxPixels: 9_437_184 },
} as const satisfies Record<string, StabilityInputLimits>;
