import * as z from 'zod';

import {
  AMAZON_DEFAULTS,
  novaSizeProblem,
  titanOutputSizeProblem,
  type AmazonImageModel,
} from './amazon-image.js';

/*
 * IMAGE_VARIATION and COLOR_GUIDED_GENERATION, the generation tasks that start from images.
 * Titan Image Generator v2: https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html
 * Nova Canvas: https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html
 * - imageVariationParams: images (1-5), similarityStrength 0.2-1.0, text, negativeText;
 * - colorGuidedGenerationParams: colors (1-10 hex "#RRGGBB"), referenceImage, text, negativeText;
 * - imageGenerationConfig: the generation config with width and height.
 */

/** Nova: text and negativeText are 1-1024 characters; Titan: at most 512. */
const TEXT_MAX: Record<AmazonImageModel, number> = { nova: 1024, titan: 512 };

function schemasFor(model: AmazonImageModel) {
  const text = z.string().min(1).max(TEXT_MAX[model]);
  const generationConfig = z
    .strictObject({
      quality: z.enum(['standard', 'premium']).optional(),
      cfgScale: z.number().min(1.1).max(10).optional(),
      seed: z.int().min(0).max(2147483646).optional(),
      numberOfImages: z.int().min(1).max(5).optional(),
      width: z.int().optional(),
      height: z.int().optional(),
    })
    .superRefine((value, context) => {
      const width = value.width ?? AMAZON_DEFAULTS[model].width;
      const height = value.height ?? AMAZON_DEFAULTS[model].height;
      const problem =
        model === 'nova' ? novaSizeProblem(width, height) : titanOutputSizeProblem(width, height);
      if (problem) context.addIssue({ code: 'custom', path: ['width'], message: problem });
    });
  return {
    IMAGE_VARIATION: z.strictObject({
      taskType: z.literal('IMAGE_VARIATION'),
      imageVariationParams: z.strictObject({
        images: z.array(z.string()).min(1).max(5),
        similarityStrength: z.number().min(0.2).max(1).optional(),
        text: text.optional(),
        negativeText: text.optional(),
      }),
      imageGenerationConfig: generationConfig.optional(),
    }),
    COLOR_GUIDED_GENERATION: z.strictObject({
      taskType: z.literal('COLOR_GUIDED_GENERATION'),
      colorGuidedGenerationParams: z.strictObject({
        colors: z
          .array(z.string().regex(/^#[0-9A-Fa-f]{6}$/))
          .min(1)
          .max(10),
        referenceImage: z.string().optional(),
        text,
        negativeText: text.optional(),
      }),
      imageGenerationConfig: generationConfig.optional(),
    }),
  };
}

export const AMAZON_GUIDED_SCHEMAS = { nova: schemasFor('nova'), titan: schemasFor('titan') };
export const GUIDED_TASKS = ['IMAGE_VARIATION', 'COLOR_GUIDED_GENERATION'] as const;
