import * as z from 'zod';

/** The nine aspect ratios of the 2024 Stability models (all three pages below). */
export const ASPECT_RATIOS = [
  '16:9',
  '1:1',
  '21:9',
  '2:3',
  '3:2',
  '4:5',
  '5:4',
  '9:16',
  '9:21',
] as const;
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

const prompt = z.string().max(10000);

/**
 * Stable Image Core (`stability.stable-image-core-v1:1`).
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-stable-image-core-text-image-request-response.html
 */
export const stableImageCoreSchema = z.strictObject({
  prompt,
  negative_prompt: prompt.optional(),
  aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
  seed: z.int().min(0).max(4294967295).optional(),
  // "Supported formats: JPEG, PNG".
  output_format: z.enum(['jpeg', 'png']).optional(),
});

/**
 * Stable Image Ultra (`stability.stable-image-ultra-v1:1`); the page also shows an image-to-image
 * variant with `image` + `strength` (0-1, default 0.35).
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-stable-ultra-text-image-request-response.html
 */
export const stableImageUltraSchema = stableImageCoreSchema.extend({
  image: z.string().optional(),
  strength: z.number().min(0).max(1).optional(),
});

/**
 * Stable Diffusion 3.5 Large (`stability.sd3-5-large-v1:0`). `mode` selects text-to-image or
 * image-to-image, which requires `image` and `strength`; `aspect_ratio` is text-to-image only.
 * The page's image-to-image example omits `mode`, so an `image` without `mode` means
 * image-to-image here; an explicit `text-to-image` with an image is refused.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-3-5-large.html
 */
export const sd35LargeSchema = z
  .strictObject({
    prompt,
    negative_prompt: prompt.optional(),
    mode: z.enum(['text-to-image', 'image-to-image']).optional(),
    aspect_ratio: z.enum(ASPECT_RATIOS).optional(),
    seed: z.int().min(0).max(4294967294).optional(),
    output_format: z.enum(['jpeg', 'png', 'webp']).optional(),
    image: z.string().optional(),
    strength: z.number().min(0).max(1).optional(),
  })
  .superRefine((body, context) => {
    const mode = body.mode ?? (body.image === undefined ? 'text-to-image' : 'image-to-image');
    if (mode === 'image-to-image') {
      if (body.image === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['image'],
          message: 'required when mode is image-to-image',
        });
      }
      if (body.strength === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['strength'],
          message: 'required when mode is image-to-image',
        });
      }
      if (body.aspect_ratio !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['aspect_ratio'],
          message: 'is only valid with mode text-to-image',
        });
      }
    } else {
      for (const field of ['image', 'strength'] as const) {
        if (body[field] !== undefined) {
          context.addIssue({
            code: 'custom',
            path: [field],
            message: 'is only valid with mode image-to-image',
          });
        }
      }
    }
  });

export type StabilityTextToImageBody = z.output<typeof stableImageUltraSchema> &
  z.output<typeof sd35LargeSchema>;
