import { randomBytes } from 'node:crypto';

import { BytePool } from './byte-pool.js';
import {
  LIFT_MIN_CHARS,
  liftLongBase64,
  parseJsonDecodingBase64,
  stringifyWithBase64,
  type ByteAllocator,
} from './json-bytes.js';

/** The document parseJsonDecodingBase64 describes, with each placeholder re-encoded as base64. */
function parseJsonBytes(bytes: Uint8Array): unknown {
  const { value, decoded } = parseJsonDecodingBase64(bytes);
  const restore = (node: unknown): unknown => {
    if (typeof node === 'string') return decoded.get(node)?.toString('base64') ?? node;
    if (Array.isArray(node)) return node.map(restore);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, restore(item)]));
  };
  return restore(value);
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const reference = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;
/** Base64 of `bytes` random bytes: long enough to be lifted when bytes > 3072. */
const base64 = (bytes: number) => randomBytes(bytes).toString('base64');
const IMAGE = base64(LIFT_MIN_CHARS); // ~5.5k characters, padded

function expectSameAsJsonParse(text: string): void {
  const bytes = utf8(text);
  expect(parseJsonBytes(bytes)).toEqual(reference(bytes));
}

function expectSameError(text: string): void {
  const bytes = utf8(text);
  let expected: unknown;
  try {
    reference(bytes);
  } catch (error) {
    expected = error;
  }
  expect(expected).toBeInstanceOf(SyntaxError);
  expect(() => parseJsonBytes(bytes)).toThrow((expected as Error).message);
}

describe('parseJsonBytes', () => {
  it('parses the answers of every Bedrock image family as JSON.parse does', () => {
    const second = base64(6000);
    expectSameAsJsonParse(
      JSON.stringify({ seeds: [7, 8], finish_reasons: [null, null], images: [IMAGE, second] }),
    );
    expectSameAsJsonParse(
      JSON.stringify({
        result: 'success',
        artifacts: [{ seed: 0, base64: IMAGE, finishReason: 'SUCCESS' }],
      }),
    );
    expectSameAsJsonParse(JSON.stringify({ images: [IMAGE], error: null }));
    expectSameAsJsonParse(`\n { "images" :\t[ "${IMAGE}" ] , "x":"y" }\r\n`);
  });

  it('parses only a small remainder: every long base64 string is decoded out of it', () => {
    const second = base64(6000);
    const body = Buffer.from(
      JSON.stringify({ seeds: [1, 2], images: [IMAGE, second], note: 'not base64. '.repeat(512) }),
    );
    const lifted = liftLongBase64(body);
    expect(lifted?.images.map((image) => image.toString('base64'))).toEqual([IMAGE, second]);
    expect(lifted?.skeleton.length).toBeLessThan(body.length - IMAGE.length - second.length + 200);
    expect(liftLongBase64(Buffer.from(JSON.stringify({ images: [IMAGE.slice(0, 4000)] })))).toBe(
      undefined,
    );
  });

  it('hands back the bytes behind placeholders, as Buffer.from(…, "base64") would decode them', () => {
    const bytes = randomBytes(100_000);
    const { value, decoded } = parseJsonDecodingBase64(
      utf8(JSON.stringify({ images: [bytes.toString('base64')], seeds: [3] })),
    );
    const { images, seeds } = value as { images: string[]; seeds: number[] };
    expect(seeds).toEqual([3]);
    expect(decoded.get(images[0]!)?.equals(bytes)).toBe(true);
    // base64url characters decode as Node's decoder (and decodeModelImage before) read them.
    const urlSafe = IMAGE.replace(/\+/g, '-').replace(/\//g, '_');
    const parsed = parseJsonDecodingBase64(utf8(JSON.stringify([urlSafe])));
    const [placeholder] = parsed.value as string[];
    expect(parsed.decoded.get(placeholder!)?.equals(Buffer.from(urlSafe, 'base64'))).toBe(true);
  });

  it('decodes nothing when there is nothing long to decode', () => {
    expect(parseJsonDecodingBase64(utf8('{"images":["aGk="]}'))).toEqual({
      value: { images: ['aGk='] },
      decoded: new Map(),
    });
  });

  it('keeps escapes, non-ASCII text and short strings next to lifted ones exact', () => {
    expectSameAsJsonParse(
      JSON.stringify({
        message: 'quote " backslash \\ tab \t newline \n unicode é 漢字 🎨 \u0000',
        images: [IMAGE],
        'ключ "escaped"': ['a\\', '\\"', IMAGE.slice(0, 100)],
      }),
    );
    expectSameAsJsonParse(`{"a":"\\u00e9\\"","b":"${IMAGE}","c":"\\\\","d":"${IMAGE}"}`);
  });

  it('leaves long strings that are not clean base64 to JSON.parse', () => {
    const longText = 'é'.repeat(LIFT_MIN_CHARS) + ' and more';
    expectSameAsJsonParse(JSON.stringify({ text: longText, images: [IMAGE] }));
    // Escaped slashes (some encoders write \/) and wrapped lines are valid JSON, not lifted.
    expectSameAsJsonParse(`{"images":["${IMAGE.replace(/\//g, '\\/')}"]}`);
    expectSameAsJsonParse(`{"images":["${IMAGE.slice(0, 76)}\\n${IMAGE.slice(76)}"]}`);
    expectSameAsJsonParse(`{"images":["${IMAGE.slice(0, 100)}"]}`);
  });

  it('handles long base64 used as a key, as the whole document, and twice', () => {
    expectSameAsJsonParse(`{"${IMAGE}":"${IMAGE}"}`);
    expectSameAsJsonParse(`"${IMAGE}"`);
    expectSameAsJsonParse(`[["${IMAGE}"],{"a":"${IMAGE}"}]`);
    expectSameAsJsonParse(`{"__proto__":"${IMAGE}","b":1}`);
  });

  it('falls back to JSON.parse when the document holds its placeholders itself', () => {
    const marker = '\u0000base64-test:';
    for (const text of [
      JSON.stringify({ fake: `${marker}0`, images: [IMAGE] }),
      JSON.stringify({ images: [IMAGE], fake: `${marker}0` }),
      JSON.stringify({ [`${marker}0`]: 1, images: [IMAGE] }),
      JSON.stringify({ fake: `${marker}7`, images: [IMAGE] }),
    ]) {
      const bytes = utf8(text);
      expect(parseJsonDecodingBase64(bytes, { marker })).toEqual({
        value: reference(bytes),
        decoded: new Map(),
      });
    }
    // Without a look-alike the same marker works as usual.
    const plain = parseJsonDecodingBase64(utf8(JSON.stringify({ images: [IMAGE] })), {
      marker,
    });
    expect(plain.value).toEqual({ images: [`${marker}0`] });
  });

  it('rejects malformed bodies with the error JSON.parse gives', () => {
    expectSameError(`{"images":["${IMAGE}"]`);
    expectSameError(`{"images":["${IMAGE}]}`);
    expectSameError(`{"images":["${IMAGE}" "x"]}`);
    expectSameError(`{"images":["${IMAGE.slice(0, 100)}\n${IMAGE.slice(100)}"]}`);
    expectSameError(`{"images":[x"${IMAGE}"]}`);
    expectSameError('');
    expectSameError('<html>Bad Gateway</html>');
  });

  it('matches JSON.parse on random documents', () => {
    const pieces = [
      () => IMAGE,
      () => base64(3072 + Math.floor(Math.random() * 4000)),
      () => 'short',
      () => 'with "quotes" and \\ and \n',
      () => 'ü'.repeat(5000),
      () => '',
    ];
    const randomValue = (depth: number): unknown => {
      const roll = Math.random();
      if (depth > 3 || roll < 0.4) {
        const piece = pieces[Math.floor(Math.random() * pieces.length)]!;
        return roll < 0.05 ? Math.random() : roll < 0.1 ? null : piece();
      }
      if (roll < 0.7) return Array.from({ length: 3 }, () => randomValue(depth + 1));
      return Object.fromEntries(
        Array.from({ length: 3 }, (_, index) => [`k${index}`, randomValue(depth + 1)]),
      );
    };
    for (let round = 0; round < 200; round += 1) {
      expectSameAsJsonParse(JSON.stringify(randomValue(0), null, round % 2 ? 2 : undefined));
    }
  });
});

describe('stringifyWithBase64', () => {
  const pool = new BytePool();
  const taken: Buffer[] = [];
  const allocate: ByteAllocator = {
    take: (bytes) => {
      const buffer = pool.take(bytes).subarray(0, bytes);
      taken.push(buffer);
      return buffer;
    },
    give: (buffer) => pool.give(buffer),
  };
  const expectSameBytes = (value: unknown) => {
    const written = stringifyWithBase64(value, allocate);
    const text = typeof written === 'string' ? written : new TextDecoder().decode(written);
    expect(text).toBe(JSON.stringify(value));
    return written;
  };

  it('writes exactly the UTF-8 of JSON.stringify, copying long base64 strings in as they are', () => {
    const edit = {
      taskType: 'INPAINTING',
      inPaintingParams: { image: IMAGE, maskImage: base64(5000), text: 'a "red" bike — ünïcode ✓' },
      imageGenerationConfig: { numberOfImages: 2, seed: 7, quality: 'premium' },
      images: [IMAGE, base64(4000), 'short', null, 1.5, true],
      nested: [[{ deep: base64(6000) }]],
    };
    const written = expectSameBytes(edit);
    expect(written).toBeInstanceOf(Uint8Array);
    expect(taken.some((buffer) => buffer.buffer === (written as Uint8Array).buffer)).toBe(true);
  });

  it('leaves small bodies, long text and near-base64 strings to JSON.stringify', () => {
    expect(typeof expectSameBytes({ prompt: 'cat', seed: 1 })).toBe('string');
    expect(typeof expectSameBytes({ text: 'x '.repeat(5000) })).toBe('string');
    const urlSafe = IMAGE.replace(/\+/g, '-').replace(/\//g, '_');
    const withNewline = `${IMAGE.slice(0, 3000)}\n${IMAGE.slice(3000)}`;
    const withQuote = `${IMAGE}"`;
    for (const near of [urlSafe, withNewline, withQuote]) {
      expect(typeof expectSameBytes({ image: near })).toBe('string');
    }
    expect(expectSameBytes({ image: IMAGE, keepsUnicode: 'ß\u0000\u2028' })).toBeInstanceOf(
      Uint8Array,
    );
  });

  it('falls back to JSON.stringify when a value looks like its placeholder', () => {
    // A string that starts like a placeholder, next to a lifted image: still the same bytes.
    expectSameBytes({ image: IMAGE, other: '\u0000base64-' });
  });
});
