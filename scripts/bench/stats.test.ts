import { median, percentile, summarize } from './stats.js';

describe('percentile', () => {
  it('takes the nearest rank, so the result is always one of the samples', () => {
    const values = [15, 20, 35, 40, 50];
    expect(percentile(values, 0.05)).toBe(15);
    expect(percentile(values, 0.3)).toBe(20);
    expect(percentile(values, 0.4)).toBe(20);
    expect(percentile(values, 0.5)).toBe(35);
    expect(percentile(values, 1)).toBe(50);
  });

  it('sorts a copy and leaves the input alone', () => {
    const values = [3, 1, 2];
    expect(percentile(values, 0.5)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
  });

  it('puts p95 of 200 samples at the 190th smallest', () => {
    const values = Array.from({ length: 200 }, (_, index) => 200 - index);
    expect(percentile(values, 0.95)).toBe(190);
  });

  it('refuses an empty list and fractions outside (0, 1]', () => {
    expect(() => percentile([], 0.5)).toThrow('no samples');
    expect(() => percentile([1], 0)).toThrow('fraction');
    expect(() => percentile([1], 1.5)).toThrow('fraction');
  });
});

describe('summarize', () => {
  it('reports count, extremes, median, p95 and mean', () => {
    const values = Array.from({ length: 20 }, (_, index) => index + 1);
    expect(summarize(values)).toEqual({ count: 20, min: 1, p50: 10, p95: 19, max: 20, mean: 10.5 });
  });

  it('takes the lower middle as the median of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2);
  });
});
