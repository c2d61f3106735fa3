/**
 * The SDK's `streamCollector` (how a client reads a whole response body), reading straight into a
 * buffer from a BytePool instead of concatenating chunks into a new array per response.
 *
 * Node streams (what the SDK's Node HTTP handlers return) are read into the pool; a web stream or
 * Blob (not seen on Node, but allowed by the SDK's types) is read the ordinary way. The bytes handed back are a view into a pooled buffer: whoever reads
 * the body gives it back to the pool when done (BedrockInvoker does, once it has parsed the
 * body). Bodies nobody gives back, such as error answers the SDK parses itself, are garbage
 * collected like any other.
 */
import type { Readable } from 'node:stream';

import type { BytePool } from './byte-pool.js';

export type StreamCollector = (stream: unknown) => Promise<Uint8Array>;

/**
 * Set on a response stream by the transport (bedrock-transport.ts) to the body's Content-Length,
 * so the whole body is read into one buffer of the right size. Without it the first answer of a
 * container grew its buffer 256 KiB → 4 MiB, touching twice the memory it needed.
 */
export const EXPECTED_BODY_BYTES = Symbol('expectedBodyBytes');

/** A Content-Length above this is not trusted as a size hint (Bedrock answers are far smaller). */
const MAX_SIZE_HINT_BYTES = 64 * 1024 * 1024;

function sizeHint(stream: Readable): number | undefined {
  const hint = (stream as Readable & { [EXPECTED_BODY_BYTES]?: unknown })[EXPECTED_BODY_BYTES];
  return typeof hint === 'number' &&
    Number.isInteger(hint) &&
    hint >= 0 &&
    hint <= MAX_SIZE_HINT_BYTES
    ? hint
    : undefined;
}

function isNodeReadable(stream: unknown): stream is Readable {
  return (
    typeof stream === 'object' &&
    stream !== null &&
    typeof (stream as Readable).on === 'function' &&
    typeof (stream as Readable).read === 'function'
  );
}

export function pooledStreamCollector(pool: BytePool): StreamCollector {
  // The size of the last body, so the first buffer taken usually fits the whole answer.
  let expectedBytes = 0;

  return (stream) => {
    if (!isNodeReadable(stream)) {
      return new Response(stream as ConstructorParameters<typeof Response>[0])
        .arrayBuffer()
        .then((bytes) => new Uint8Array(bytes));
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      let buffer = pool.take(sizeHint(stream) ?? expectedBytes);
      let length = 0;
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        stream.off('data', onData);
        if (error) {
          pool.give(buffer);
          reject(error);
          return;
        }
        expectedBytes = length;
        resolve(buffer.subarray(0, length));
      };
      const onData = (chunk: Buffer | string) => {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        if (length + bytes.length > buffer.length) {
          const larger = pool.take(Math.max(buffer.length * 2, length + bytes.length));
          buffer.copy(larger, 0, 0, length);
          pool.give(buffer);
          buffer = larger;
        }
        bytes.copy(buffer, length);
        length += bytes.length;
      };
      stream.on('data', onData);
      stream.once('end', () => settle());
      stream.once('error', (error: Error) => settle(error));
      // A stream destroyed mid-body (an abort) closes without 'end' or 'error'.
      stream.once('close', () =>
        settle(new Error('The response body ended before it was complete.')),
      );
    });
  };
}
