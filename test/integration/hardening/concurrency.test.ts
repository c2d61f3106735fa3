/**
 * 100 generations at once through the whole local stack: 100 distinct objects, 100 records (read
 * straight from DynamoDB with the real SDK), all succeeded, and 100 working image URLs.
 *
 * All 100 requests are in flight together (no client-side pool). The local Lambda runtime gives
 * each concurrent invocation its own execution environment, as Lambda does, so this starts about
 * 100 cold environments on a 2-core machine, where on AWS each would have its own CPU. The
 * gateway, function and Bedrock deadlines are therefore raised for this stack: the test is about
 * correctness under concurrency (no key collisions, no lost or half-written records), not latency.
 */
import { randomUUID } from 'node:crypto';
import { PNG } from 'pngjs';
import { startTestStack, type TestStack } from '../stack-fixture.js';
import { postJson, RecordsTable, type ImageAnswer } from './helpers.js';

const REQUESTS = 100;
/** Generous deadlines for 100 cold starts sharing two cores (see above). */
const SLOW_MACHINE_TIMEOUT_MS = 150_000;
/** Nova Canvas's smallest size keeps the stand-in's rendering (on the test's own thread) cheap. */
const SMALLEST_NOVA = { model: 'amazon.nova-canvas-v1:0', width: 320, height: 320 } as const;

interface Outcome {
  status: number;
  body: string;
}

describe('100 simultaneous generations through the local stack', () => {
  let stack: TestStack;
  let records: RecordsTable;
  const marker = `concurrency-${randomUUID()}`;
  let outcomes: Outcome[];
  let answers: ImageAnswer[];

  beforeAll(async () => {
    stack = await startTestStack({
      integrationTimeoutMs: SLOW_MACHINE_TIMEOUT_MS,
      functionTimeoutMs: { generate: SLOW_MACHINE_TIMEOUT_MS },
      functionEnv: { BEDROCK_TIMEOUT_MS: String(SLOW_MACHINE_TIMEOUT_MS) },
    });
    records = new RecordsTable(stack);

    // Every request is sent before any answer is awaited: 100 in flight, one connection each
    // (undici opens as many connections per origin as there are requests).
    outcomes = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, index) => {
        const response = await postJson(`${stack.invokeUrl}/generate`, {
          prompt: `${marker} #${index}: a paper boat on a puddle`,
          ...SMALLEST_NOVA,
        });
        return { status: response.status, body: await response.text() };
      }),
    );
    answers = outcomes.flatMap((outcome) =>
      outcome.status === 200 ? [JSON.parse(outcome.body) as ImageAnswer] : [],
    );
  }, SLOW_MACHINE_TIMEOUT_MS + 30_000);

  afterAll(async () => {
    records?.destroy();
    await stack?.destroy();
  });

  it('answers every one with 200', () => {
    const failures = outcomes.filter((outcome) => outcome.status !== 200);
    expect(failures).toEqual([]);
    expect(answers).toHaveLength(REQUESTS);
  });

  it('gives 100 distinct ids and 100 distinct object keys', () => {
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(REQUESTS);
    const keys = answers.flatMap((answer) => answer.images.map((image) => image.key));
    expect(keys).toHaveLength(REQUESTS);
    expect(new Set(keys).size).toBe(REQUESTS);
  });

  it('stores 100 succeeded records, each pointing at its own answer’s object', async () => {
    const stored = await records.withPromptContaining(marker);
    expect(stored).toHaveLength(REQUESTS);
    expect(stored.filter((record) => record.status !== 'succeeded')).toEqual([]);
    const storedKeys = Object.fromEntries(stored.map((record) => [record.id, record.outputKeys]));
    const answeredKeys = Object.fromEntries(
      answers.map((answer) => [answer.id, answer.images.map((image) => image.key)]),
    );
    expect(storedKeys).toEqual(answeredKeys);
  });

  it('serves all 100 URLs as 320×320 PNGs', async () => {
    const images = await Promise.all(
      answers.map(async (answer) => {
        const response = await fetch(answer.image_url);
        const bytes = Buffer.from(await response.arrayBuffer());
        const png = response.status === 200 ? PNG.sync.read(bytes) : undefined;
        return {
          status: response.status,
          type: response.headers.get('content-type'),
          size: png ? `${png.width}×${png.height}` : null,
        };
      }),
    );
    expect(images).toHaveLength(REQUESTS);
    expect(images.filter((image) => image.status !== 200)).toEqual([]);
    expect(new Set(images.map((image) => `${image.type} ${image.size}`))).toEqual(
      new Set(['image/png 320×320']),
    );
  });
});
