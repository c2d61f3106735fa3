import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';

import { BytePool } from './byte-pool.js';
import { EXPECTED_BODY_BYTES, pooledStreamCollector } from './pooled-stream-collector.js';

const chunksOf = (bytes: Buffer, size: number) => {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
};

describe('pooledStreamCollector', () => {
  it('reads a Node stream into one pooled buffer, growing it when the body is larger', async () => {
    const pool = new BytePool();
    const collect = pooledStreamCollector(pool);
    const body = randomBytes(700_000); // larger than the first buffer taken (nothing seen yet)

    const bytes = await collect(Readable.from(chunksOf(body, 16_384)));
    expect(Buffer.from(bytes).equals(body)).toBe(true);

    // The bytes are a view into a pool buffer: given back, it is the next one handed out.
    pool.give(bytes);
    expect(pool.take(body.length).buffer).toBe(bytes.buffer);
  });

  it('reads a body announced by its Content-Length into one buffer of that size', async () => {
    const pool = new BytePool();
    const collect = pooledStreamCollector(pool);
    const body = randomBytes(3_000_000);
    const stream = Object.assign(Readable.from(chunksOf(body, 16_384)), {
      [EXPECTED_BODY_BYTES]: body.length,
    });

    const bytes = await collect(stream);

    expect(Buffer.from(bytes).equals(body)).toBe(true);
    expect(bytes.buffer.byteLength).toBe(3 * 1024 * 1024); // no growth on the way
    expect(pool.retainedBytes).toBe(0); // so no smaller buffers were given back either
  });

  it('does not trust an absurd Content-Length', async () => {
    const pool = new BytePool();
    const stream = Object.assign(Readable.from([Buffer.from('{}')]), {
      [EXPECTED_BODY_BYTES]: 2 ** 40,
    });
    const bytes = await pooledStreamCollector(pool)(stream);
    expect(bytes.buffer.byteLength).toBeLessThan(1024 * 1024);
  });

  it('starts the next body in a buffer the size of the last one', async () => {
    const pool = new BytePool();
    const collect = pooledStreamCollector(pool);
    const first = await collect(Readable.from(chunksOf(randomBytes(2_000_000), 65_536)));
    pool.give(first);
    const body = randomBytes(1_900_000);
    const second = await collect(Readable.from(chunksOf(body, 65_536)));
    expect(second.buffer).toBe(first.buffer);
    expect(Buffer.from(second).equals(body)).toBe(true);
  });

  it('fails on a stream error or a stream closed before its end, and gives its buffer back', async () => {
    const pool = new BytePool();
    const collect = pooledStreamCollector(pool);

    const failing = new PassThrough();
    const failed = collect(failing);
    failing.write(randomBytes(1000));
    failing.destroy(new Error('connection reset'));
    await expect(failed).rejects.toThrow('connection reset');

    const cut = new PassThrough();
    const closed = collect(cut);
    cut.write(randomBytes(1000));
    cut.destroy();
    await expect(closed).rejects.toThrow(/ended before it was complete/);
    expect(pool.retainedBytes).toBeGreaterThan(0); // the buffers went back to the pool

    const fine = await collect(Readable.from([Buffer.from('ok')]));
    expect(Buffer.from(fine).toString()).toBe('ok');
  });

  it('reads a web stream the ordinary way', async () => {
    const collect = pooledStreamCollector(new BytePool());
    const bytes = await collect(new Blob(['{"a":1}']).stream());
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
  });
});
