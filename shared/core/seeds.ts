/** Seeds the caller can see for every model, including those whose answers carry none. */
import { randomInt } from 'node:crypto';

import { AMAZON_MAX_SEED } from '../models/index.js';
import type { ModelFamily } from '../models/types.js';

/** A seed in the range Nova Canvas and Titan accept (see AMAZON_MAX_SEED). */
export function drawAmazonSeed(): number {
  return randomInt(0, AMAZON_MAX_SEED + 1);
}

/**
 * Nova Canvas and Titan answer without the seed they used (Stability's answers carry `seeds`), so
 * a request for them without a seed gets one drawn here: the adapter sends it, the result and the
 * record report it, and sending it again repeats the picture. Other families are left alone.
 */
export function withDrawnSeed<P extends { seed?: number }>(
  family: ModelFamily,
  params: P,
  draw: () => number = drawAmazonSeed,
): P {
  if (family !== 'amazon-image' || params.seed !== undefined) return params;
  return { ...params, seed: draw() };
}
