import { seededUint32Generator } from './seeded-random.js';

describe('seededUint32Generator (mulberry32)', () => {
  it('gives the values other mulberry32 implementations publish for seed 1985', () => {
    const next = seededUint32Generator(1985);
    expect([next(), next()]).toEqual([3527837133, 3112574143]);
  });

  it('replays the same stream for the same seed, and another for another seed', () => {
    const draw = (seed: number) => {
      const next = seededUint32Generator(seed);
      return Array.from({ length: 8 }, () => next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('answers unsigned 32-bit integers spread over the whole range', () => {
    const next = seededUint32Generator(7);
    const values = Array.from({ length: 10_000 }, () => next());
    expect(values.every((value) => Number.isInteger(value) && value >= 0 && value < 2 ** 32)).toBe(
      true,
    );
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length / 2 ** 32;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    expect(new Set(values.map((value) => value & 0xff)).size).toBe(256);
  });
});
