import { randomBytes } from 'node:crypto';

import { LIFT_MIN_CHARS, liftLongStrings, parseJsonBytes } from './json-bytes.js';

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

  it('parses only a small remainder: every long base64 string is cut out', () => {
    const second = base64(6000);
    const body = Buffer.from(
      JSON.stringify({
        seeds: [1, 2],
        images: [IMAGE, second],
        note: 'not base64. '.repeat(LIFT_MIN_CHARS / 8),
      }),
    );
    const lifted = liftLongStrings(body);
    expect(lifted?.strings).toEqual([IMAGE, second]);
    expect(lifted?.skeleton.length).toBeLessThan(body.length - IMAGE.length - second.length + 200);
    expect(liftLongStrings(Buffer.from(JSON.stringify({ images: [IMAGE.slice(0, 4000)] })))).toBe(
      undefined,
    );
  });

  it('gives back long base64 as strings that decode to the original bytes', () => {
    const bytes = randomBytes(100_000);
    const parsed = parseJsonBytes(utf8(JSON.stringify({ images: [bytes.toString('base64')] })));
    const [image] = (parsed as { images: string[] }).images;
    expect(Buffer.from(image!, 'base64').equals(bytes)).toBe(true);
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

  it('is not fooled by a document that contains its placeholders', () => {
    const parsed = parseJsonBytes(
      utf8(JSON.stringify({ fake: '\u0000lifted-abc:0', images: [IMAGE] })),
    ) as { fake: string; images: string[] };
    expect(parsed).toEqual({ fake: '\u0000lifted-abc:0', images: [IMAGE] });
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
