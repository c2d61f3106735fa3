/**
 * What the edit suites that run through the whole local stack share (edit-pixels, edit-services):
 * test pictures, reading their pixels, and a fresh stack with a signed-in user who uploaded the
 * source picture.
 */
import { PNG } from 'pngjs';

import { createSignedInUser, type SignedInUser } from './cognito-user.js';
import { postJson, uploadImage, type ImageAnswer } from './hardening/helpers.js';
import { startTestStack, type TestStack } from './stack-fixture.js';

export type Rgba = [number, number, number, number];

export function pngOf(
  width: number,
  height: number,
  paint: (x: number, y: number) => Rgba,
): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) png.data.set(paint(x, y), (y * width + x) * 4);
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** Every pixel differs from its neighbours, so any change shows. */
export const distinctPixels = (x: number, y: number): Rgba => [
  (x * 7) % 256,
  (y * 13) % 256,
  (x * y) % 256,
  255,
];

export interface DecodedPng {
  width: number;
  height: number;
  data: Uint8Array;
}

/** One pixel's colour as "r,g,b", to compare pixels by value. */
export function rgbAt(image: DecodedPng, x: number, y: number): string {
  const offset = (y * image.width + x) * 4;
  return [...image.data.subarray(offset, offset + 3)].join();
}

/** GET a pre-signed URL, expecting 200, and decode the PNG. */
export async function fetchPng(url: string | undefined): Promise<DecodedPng> {
  const image = await fetch(url ?? '');
  expect(image.status).toBe(200);
  return PNG.sync.read(Buffer.from(await image.arrayBuffer()));
}

export interface EditSession {
  stack: TestStack;
  user: SignedInUser;
  /** The uploaded source picture. */
  sourceKey: string;
  /** POST /edits on `imageKey` (the source by default), expecting 200: the answer and its first image, decoded. */
  edit(
    body: Record<string, unknown>,
    imageKey?: string,
  ): Promise<{ answer: ImageAnswer; image: DecodedPng }>;
}

/**
 * For the enclosing describe block (beforeAll/afterAll): a fresh local stack, a signed-in user and
 * `source` uploaded by that user. The fields are set once beforeAll has run.
 */
export function editSessionOnLocalStack(source: Uint8Array): EditSession {
  const session = {
    edit: async (body: Record<string, unknown>, imageKey = session.sourceKey) => {
      const response = await postJson(
        `${session.stack.invokeUrl}/edits`,
        { imageKey, ...body },
        { authorization: session.user.idToken },
      );
      const text = await response.text();
      expect({ status: response.status, body: response.status === 200 ? 'ok' : text }).toEqual({
        status: 200,
        body: 'ok',
      });
      const answer = JSON.parse(text) as ImageAnswer;
      return { answer, image: await fetchPng(answer.images[0]?.url) };
    },
  } as EditSession;

  beforeAll(async () => {
    session.stack = await startTestStack();
    session.user = await createSignedInUser(session.stack);
    session.sourceKey = await uploadImage(session.stack, session.user.idToken, source);
  });

  afterAll(async () => {
    await session.stack?.destroy();
  });

  return session;
}
