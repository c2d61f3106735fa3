/** Order statistics for bench samples: medians and percentiles by the nearest-rank method. */

export interface Summary {
  count: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * The nearest-rank percentile (https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method):
 * always one of the samples, so a p95 of 200 samples is the 190th smallest, not an interpolation.
 */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new Error('percentile of no samples');
  if (!(fraction > 0 && fraction <= 1))
    throw new Error(`fraction must be in (0, 1], got ${fraction}`);
  const sorted = sortedCopy(values);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summary of no samples');
  const sorted = sortedCopy(values);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted[sorted.length - 1] as number,
    mean: total / sorted.length,
  };
}
