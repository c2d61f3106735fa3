import { randomInt } from 'node:crypto';

import { BedrockError } from '../errors.js';
import { decodeImage, ImageDecodeError, type DecodedImage } from '../image-codec.js';
import type { ImageFormat } from '../png.js';
import type { Triggers } from '../triggers.js';

/** What every model handler gets besides the parsed JSON body. */
export interface InvocationContext {
  /** The base model id, without inference-profile prefix or ARN. */
  modelId: string;
  /** The request body as sent, so identical requests draw identical pictures. */
  rawBody: string;
  triggers: Triggers;
}

/** A model family: validates the body and answers with the model's JSON (status 200). */
export type ModelHandler = (body: unknown, context: InvocationContext) => unknown;

/**
 * Seed 0 or omitted means "random" for the Stability models; they report the seed they drew.
 * Drawn from 1..max so the reported seed is never mistaken for "random" again.
 */
export function resolveRandomSeed(seed: number | undefined, max: number): number {
  return seed ? seed : randomInt(1, max);
}

/** The key that, with model id and seed, fully determines a picture. */
export function contentKey(context: InvocationContext, seed: number, index = 0): string {
  return `${context.rawBody}\n${seed}\n${index}`;
}

/** Decodes an input image or answers ValidationException naming the field. */
export function readImage(
  base64: string,
  at: string,
  formats: readonly ImageFormat[],
): DecodedImage {
  try {
    return decodeImage(base64, formats);
  } catch (error) {
    if (error instanceof ImageDecodeError) {
      throw new BedrockError('ValidationException', `${at}: the image ${error.message}.`);
    }
    throw error;
  }
}

export function invalidImage(at: string, problem: string): BedrockError {
  return new BedrockError('ValidationException', `${at}: ${problem}.`);
}
