import { BytePool } from './byte-pool.js';

describe('BytePool', () => {
  it('hands a given-back buffer out again, and never one that is still taken', () => {
    const pool = new BytePool();
    const first = pool.take(1000);
    const second = pool.take(1000);
    expect(first.length).toBeGreaterThanOrEqual(1000);
    expect(second.buffer).not.toBe(first.buffer);

    pool.give(first.subarray(10, 20)); // any view into the buffer gives it back
    expect(pool.take(900).buffer).toBe(first.buffer);
    expect(pool.take(900).buffer).not.toBe(second.buffer);
  });

  it('ignores a second give and buffers it never handed out', () => {
    const pool = new BytePool();
    const taken = pool.take(100);
    pool.give(taken);
    pool.give(taken);
    pool.give(Buffer.allocUnsafeSlow(1 << 20));
    const [a, b] = [pool.take(100), pool.take(100)];
    expect(a.buffer).toBe(taken.buffer);
    expect(b.buffer).not.toBe(taken.buffer);
  });

  it('picks the smallest free buffer that fits', () => {
    const pool = new BytePool();
    const small = pool.take(300_000);
    const large = pool.take(3_000_000);
    pool.give(large);
    pool.give(small);
    expect(pool.take(200_000).buffer).toBe(small.buffer);
    expect(pool.take(200_000).buffer).toBe(large.buffer);
    expect(pool.take(200_000).buffer).not.toBe(large.buffer);
  });

  it('keeps at most maxFreeBytes, preferring the larger buffers', () => {
    const MiB = 1024 * 1024;
    const pool = new BytePool(3 * MiB);
    const [one, two, three] = [pool.take(MiB), pool.take(2 * MiB), pool.take(3 * MiB)];
    pool.give(one);
    pool.give(two);
    expect(pool.retainedBytes).toBe(3 * MiB);
    pool.give(three); // only fits alone: the smaller ones go
    expect(pool.retainedBytes).toBe(3 * MiB);
    expect(pool.take(MiB).buffer).toBe(three.buffer);
    pool.give(pool.take(4 * MiB)); // larger than the limit: not kept
    expect(pool.retainedBytes).toBe(0);
  });
});
