import * as z from 'zod';

import { STYLE_PRESETS } from './stability-sdxl.js';
import { ASPECT_RATIOS } from './stability-text-to-image.js';

/*
 * The other eight Stability AI Image Services on Bedrock: Search and Recolor, Control Sketch,
 * Control Structure, Style Guide, Style Transfer, Creative / Conservative / Fast Upscale. Every
 * field, range and default below comes from
 * https://docs.aws.amazon.com/bedrock/latest/userguide/stable-image-services.html
 * (written from the page, not from shared/models, so a disagreement shows up as a failing test).
 */

const text = z.string().max(10000);
const seed = z.int().min(0).max(4294967294);
const outputFormat = z.enum(['jpeg', 'png', 'webp']);
const unit = z.number().min(0).max(1);

export const searchRecolorSchema = z.strictObject({
  prompt: text,
  image: z.string(),
  select_prompt: text,
  grow_mask: z.int().min(0).max(20).optional(),
  style_preset: z.enum(STYLE_PRESETS).optional(),
  negative_prompt: text.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
});

/** Control Sketch and Control Structure take the same fields. */
export const controlSchema = z.strictObject({
  prompt: text,
  image: z.string(),
  // control_strength: 0-1, default 0.7.
  control_strength: unit.optional(),
  negative_prompt: text.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
  style_preset: z.enum(STYLE_PRESETS).optional(),
});

export const styleGuideSchema = z.strictObject({
  prompt: text,
  image: z.string(),
  aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
  // fidelity: 0-1, default 0.5.
  fidelity: unit.optional(),
  negative_prompt: text.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
  style_preset: z.enum(STYLE_PRESETS).optional(),
});

export const styleTransferSchema = z.strictObject({
  init_image: z.string(),
  style_image: z.string(),
  prompt: text.optional(),
  negative_prompt: text.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
  // composition_fidelity 0-1 (0.9), style_strength 0-1 (1), change_strength 0.1-1 (0.9).
  composition_fidelity: unit.optional(),
  style_strength: unit.optional(),
  change_strength: z.number().min(0.1).max(1).optional(),
});

export const creativeUpscaleSchema = z.strictObject({
  prompt: text,
  image: z.string(),
  // creativity: 0.1-0.5, default 0.3.
  creativity: z.number().min(0.1).max(0.5).optional(),
  negative_prompt: text.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
  style_preset: z.enum(STYLE_PRESETS).optional(),
});

export const conservativeUpscaleSchema = z.strictObject({
  prompt: text,
  image: z.string(),
  // creativity: 0.1-0.5, default 0.35.
  creativity: z.number().min(0.1).max(0.5).optional(),
  negative_prompt: text.optional(),
  seed: seed.optional(),
  output_format: outputFormat.optional(),
});

export const fastUpscaleSchema = z.strictObject({
  image: z.string(),
  output_format: outputFormat.optional(),
});

export interface ImageRules {
  minSide: number;
  maxSide?: number;
  minPixels?: number;
  maxPixels: number;
  /** Longer side / shorter side at most this. */
  maxAspect?: number;
}

/**
 * Input rules per service. The Bedrock page defers to Stability's API reference for image rules
 * (https://platform.stability.ai/docs/api-reference), which gives the 1:2.5-2.5:1 aspect ratio to
 * the control, style and conservative-upscale endpoints but not to search-and-recolor.
 */
export const MORE_SERVICES_INPUT_RULES = {
  // Search and Recolor: >= 64 px a side, 4,096-9,437,184 px.
  recolor: { minSide: 64, minPixels: 4_096, maxPixels: 9_437_184 },
  // Control Sketch / Structure, Style Guide, Style Transfer: the same, and 1:2.5-2.5:1.
  common: { minSide: 64, minPixels: 4_096, maxPixels: 9_437_184, maxAspect: 2.5 },
  // Creative Upscale: "between 64x64 and 1 megapixel".
  creative: { minSide: 64, minPixels: 4_096, maxPixels: 1_048_576 },
  // Conservative Upscale: >= 64 px a side, 4,096-9,437,184 px, 1:2.5-2.5:1.
  conservative: { minSide: 64, minPixels: 4_096, maxPixels: 9_437_184, maxAspect: 2.5 },
  // Fast Upscale: width and height 32-1,536 px, 1,024-1,048,576 px in total.
  fast: { minSide: 32, maxSide: 1_536, minPixels: 1_024, maxPixels: 1_048_576 },
} as const satisfies Record<string, ImageRules>;
