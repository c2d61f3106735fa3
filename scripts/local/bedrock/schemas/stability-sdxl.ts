import * as z from 'zod';

/**
 * The 17 style presets. Source:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-1-0-text-image.html
 * (the Stability Image Services page reuses the same list for `style_preset`).
 */
export const STYLE_PRESETS = [
  '3d-model',
  'analog-film',
  'anime',
  'cinematic',
  'comic-book',
  'digital-art',
  'enhance',
  'fantasy-art',
  'isometric',
  'line-art',
  'low-poly',
  'modeling-compound',
  'neon-punk',
  'origami',
  'photographic',
  'pixel-art',
  'tile-texture',
] as const;

/** The only width x height pairs SDXL 1.0 accepts on Bedrock (same page). */
export const SDXL_SIZES = [
  [1024, 1024],
  [1152, 896],
  [1216, 832],
  [1344, 768],
  [1536, 640],
  [640, 1536],
  [768, 1344],
  [832, 1216],
  [896, 1152],
] as const;

/**
 * Stability SDXL 1.0 text to image (`stability.stable-diffusion-xl-v1`, end of life 2025-05-20).
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-1-0-text-image.html
 * Image-to-image (`init_image`) and masking are not imitated: the model is retired.
 */
export const sdxlTextToImageSchema = z
  .strictObject({
    text_prompts: z
      .array(
        z.strictObject({
          text: z.string().max(2000),
          // A weight below zero declares a negative prompt; default 1.
          weight: z.number().optional(),
        }),
      )
      .min(1),
    height: z.int().optional(),
    width: z.int().optional(),
    cfg_scale: z.number().min(0).max(35).optional(),
    clip_guidance_preset: z
      .enum(['FAST_BLUE', 'FAST_GREEN', 'NONE', 'SIMPLE', 'SLOW', 'SLOWER', 'SLOWEST'])
      .optional(),
    sampler: z
      .enum([
        'DDIM',
        'DDPM',
        'K_DPMPP_2M',
        'K_DPMPP_2S_ANCESTRAL',
        'K_DPM_2',
        'K_DPM_2_ANCESTRAL',
        'K_EULER',
        'K_EULER_ANCESTRAL',
        'K_HEUN',
        'K_LMS',
      ])
      .optional(),
    // "Currently Amazon Bedrock supports generating one image ... the value must be one".
    samples: z.literal(1).optional(),
    seed: z.int().min(0).max(4294967295).optional(),
    steps: z.int().min(10).max(50).optional(),
    style_preset: z.enum(STYLE_PRESETS).optional(),
    extras: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((body, context) => {
    const width = body.width ?? 1024;
    const height = body.height ?? 1024;
    if (!SDXL_SIZES.some(([w, h]) => w === width && h === height)) {
      context.addIssue({
        code: 'custom',
        path: ['width'],
        message: `${width}x${height} is not a supported size; use one of ${SDXL_SIZES.map(([w, h]) => `${w}x${h}`).join(', ')}`,
      });
    }
  });

export type SdxlTextToImageBody = z.output<typeof sdxlTextToImageSchema>;
