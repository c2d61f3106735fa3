/**
 * A deterministic pseudo-random stream for pictures and test data that must replay from a seed
 * (never for anything secret): mulberry32 (Tommy Ettinger, 2017), a tiny, well-mixed 32-bit PRNG.
 * Each call answers the next unsigned 32-bit integer.
 */
export function seededUint32Generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
