/**
 * Helpers for tests that drive the stand-in through the real BedrockRuntimeClient. Not a test
 * file itself; other packages' tests may import it too.
 */
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';

import { encodePng, type RgbaImage } from './png.js';
import { startBedrock, type BedrockStandIn } from './server.js';

export type Rgba = readonly [number, number, number, number];

/**
 * A stand-in on a free port and a localClient pointed at it, for the enclosing describe block:
 * started beforeAll, closed afterAll. The fields are set once beforeAll has run.
 */
export function standInForSuite(): { standIn: BedrockStandIn; client: BedrockRuntimeClient } {
  const suite = {} as { standIn: BedrockStandIn; client: BedrockRuntimeClient };
  beforeAll(async () => {
    suite.standIn = await startBedrock({});
    suite.client = localClient(suite.standIn.url);
  });
  afterAll(async () => {
    suite.client.destroy();
    await suite.standIn.close();
  });
  return suite;
}

/** A client like the Lambdas', pointed at the stand-in, with retries off. */
export function localClient(
  url: string,
  extra: Partial<ConstructorParameters<typeof BedrockRuntimeClient>[0]> = {},
) {
  return new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    ...extra,
  });
}

/** Invokes `modelId` with `body` (object or raw string) and parses the JSON answer. */
export async function invokeJson<T = Record<string, unknown>>(
  client: BedrockRuntimeClient,
  modelId: string,
  body: unknown,
): Promise<T> {
  const response = await client.send(
    new InvokeModelCommand({
      modelId,
      contentType: 'application/json',
      accept: 'application/json',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  return JSON.parse(response.body.transformToString()) as T;
}

/** Builds an RGBA image from a per-pixel function. */
export function makeImage(
  width: number,
  height: number,
  pixel: (x: number, y: number) => Rgba,
): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return { width, height, data };
}

/** Same, encoded as a base64 PNG with alpha. */
export function makePngBase64(
  width: number,
  height: number,
  pixel: (x: number, y: number) => Rgba,
): string {
  return encodePng(makeImage(width, height, pixel), true).toString('base64');
}

/** A busy, deterministic test picture: every pixel differs from its neighbours. */
export function testPattern(x: number, y: number): Rgba {
  return [(x * 7) % 256, (y * 13) % 256, (x * y) % 256, 255];
}

/**
 * A lossless WebP (VP8L) of one solid colour, written by hand: no transforms, no colour cache, and
 * five "simple" prefix codes of one symbol each, so every pixel costs zero bits.
 * https://developers.google.com/speed/webp/docs/webp_lossless_bitstream_specification
 */
export function solidWebpBase64(
  width: number,
  height: number,
  [red, green, blue]: readonly number[],
): string {
  const bits: number[] = [];
  const put = (value: number, count: number) => {
    for (let bit = 0; bit < count; bit += 1) bits.push((value >> bit) & 1);
  };
  put(width - 1, 14);
  put(height - 1, 14);
  put(0, 1); // alpha_is_used
  put(0, 3); // version
  put(0, 1); // no transform
  put(0, 1); // no colour cache
  put(0, 1); // no meta prefix codes
  for (const symbol of [green ?? 0, red ?? 0, blue ?? 0, 255]) {
    put(1, 1); // simple code
    put(0, 1); // one symbol
    put(1, 1); // 8-bit symbol
    put(symbol, 8);
  }
  put(1, 1); // distance code: simple, one 1-bit symbol, 0
  put(0, 1);
  put(0, 1);
  put(0, 1);
  const payload = [0x2f];
  for (let index = 0; index < bits.length; index += 8) {
    let byte = 0;
    for (let bit = 0; bit < 8; bit += 1) byte |= (bits[index + bit] ?? 0) << bit;
    payload.push(byte);
  }
  // The chunk size excludes the pad byte that keeps RIFF chunks at even lengths.
  const chunkSize = payload.length;
  if (payload.length % 2) payload.push(0);
  const chunk = Buffer.concat([Buffer.from('VP8L'), le32(chunkSize), Buffer.from(payload)]);
  return Buffer.concat([
    Buffer.from('RIFF'),
    le32(4 + chunk.length),
    Buffer.from('WEBP'),
    chunk,
  ]).toString('base64');
}

function le32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

/** Pixel at (x, y) as [r, g, b, a]. */
export function pixelAt(image: RgbaImage, x: number, y: number): number[] {
  const offset = (y * image.width + x) * 4;
  return [...image.data.subarray(offset, offset + 4)];
}

/** Whether a pixel has the same colour (alpha aside) in both images. */
export function samePixel(a: RgbaImage, b: RgbaImage, x: number, y: number): boolean {
  return pixelAt(a, x, y).slice(0, 3).join() === pixelAt(b, x, y).slice(0, 3).join();
}

/**
 * Counts the pixels whose colour changed from `before` to `after`, split by whether `edited(x, y)`
 * says they may change: `changedInside` of `inside`, and `changedOutside`.
 */
export function changedPixels(
  before: RgbaImage,
  after: RgbaImage,
  edited: (x: number, y: number) => boolean,
) {
  const counts = { changedInside: 0, inside: 0, changedOutside: 0 };
  for (let y = 0; y < before.height; y += 1) {
    for (let x = 0; x < before.width; x += 1) {
      const changed = !samePixel(before, after, x, y);
      if (edited(x, y)) {
        counts.inside += 1;
        if (changed) counts.changedInside += 1;
      } else if (changed) counts.changedOutside += 1;
    }
  }
  return counts;
}

/** Awaits a call that must fail with ValidationException and returns its message. */
export async function validationError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ValidationException)) {
    const got =
      error === undefined
        ? 'an answer'
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : 'a rejection that is not an Error';
    throw new Error(`Expected a ValidationException, got ${got}`);
  }
  return error.message;
}
