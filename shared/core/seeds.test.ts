import { AMAZON_MAX_SEED } from '../models/index.js';
import { drawAmazonSeed, withDrawnSeed } from './seeds.js';

interface Params {
  prompt?: string;
  seed?: number;
}
const unseeded: Params = { prompt: 'a cat' };

describe('withDrawnSeed', () => {
  it('draws a seed for Nova/Titan requests that have none', () => {
    expect(withDrawnSeed('amazon-image', unseeded, () => 42)).toEqual({
      prompt: 'a cat',
      seed: 42,
    });
  });

  it('keeps a seed the caller sent', () => {
    expect(withDrawnSeed<Params>('amazon-image', { seed: 7 }, () => 42)).toEqual({ seed: 7 });
  });

  it('leaves families that report their seeds alone', () => {
    expect(withDrawnSeed('stability-current', unseeded, () => 42)).toEqual({
      prompt: 'a cat',
    });
  });

  it('draws within the range Nova and Titan accept', () => {
    for (let index = 0; index < 200; index += 1) {
      const seed = drawAmazonSeed();
      expect(Number.isInteger(seed)).toBe(true);
      expect(seed).toBeGreaterThanOrEqual(0);
      expect(seed).toBeLessThanOrEqual(AMAZON_MAX_SEED);
    }
  });
});
