/**
 * The faults that need the functions configured differently from faults.test.ts, so they get a
 * stack of their own: a short Bedrock client deadline (BEDROCK_TIMEOUT_MS) and a bucket that does
 * not exist, so every S3 PutObject really fails with NoSuchBucket from the real SDK.
 * Documented answers: README "Errors" (504 MODEL_TIMEOUT, 502 UPSTREAM_ERROR with the record
 * marked failed, 400 USE_JOBS for a request that cannot finish in time).
 */
import { randomUUID } from 'node:crypto';
import { startTestStack, type TestStack } from '../stack-fixture.js';
import { errorAnswer, postJson, RecordsTable } from './helpers.js';

/**
 * The smallest allowed deadline that still admits a small Nova Canvas picture: the synchronous
 * routes refuse (USE_JOBS) requests estimated to outlast it (shared/core/latency-estimate.ts), and
 * every model's estimate is at least 2.5 s.
 */
const BEDROCK_TIMEOUT_MS = 3000;
const SMALL_NOVA = { model: 'amazon.nova-canvas-v1:0', width: 512, height: 512 } as const;
const MISSING_BUCKET = 'imagegen-local-missing';

describe('storage failures and the Bedrock deadline through the local stack', () => {
  let stack: TestStack;
  let records: RecordsTable;
  const marker = `storage-${randomUUID()}`;

  beforeAll(async () => {
    stack = await startTestStack({
      functionEnv: { BEDROCK_TIMEOUT_MS: String(BEDROCK_TIMEOUT_MS), BUCKET_NAME: MISSING_BUCKET },
    });
    records = new RecordsTable(stack);
  });

  afterAll(async () => {
    records?.destroy();
    await stack?.destroy();
  });

  it('answers 504 MODEL_TIMEOUT when the model outlasts BEDROCK_TIMEOUT_MS', async () => {
    const caseMarker = `${marker} ${randomUUID()}`;
    const response = await postJson(`${stack.invokeUrl}/generate`, {
      prompt: `${caseMarker} [[slow:${BEDROCK_TIMEOUT_MS + 3000}]]`,
      ...SMALL_NOVA,
    });
    expect(await errorAnswer(response)).toEqual({
      status: 504,
      code: 'MODEL_TIMEOUT',
      problems: [],
    });
    expect(await records.withPromptContaining(caseMarker)).toEqual([
      expect.objectContaining({ status: 'failed', errorCode: 'MODEL_TIMEOUT', outputKeys: [] }),
    ]);
  });

  it('refuses a request estimated to outlast the deadline with 400 USE_JOBS, before Bedrock', async () => {
    const caseMarker = `${marker} ${randomUUID()}`;
    const callsBefore = stack.bedrockStats?.().invocations;
    const response = await postJson(`${stack.invokeUrl}/generate`, {
      prompt: caseMarker,
      model: 'amazon.nova-canvas-v1:0',
      // About 6 s by the estimate for one megapixel (more than the 3 s deadline).
      width: 1024,
      height: 1024,
    });
    expect(await errorAnswer(response)).toEqual({ status: 400, code: 'USE_JOBS', problems: [] });
    expect(stack.bedrockStats?.().invocations).toBe(callsBefore);
    expect(await records.withPromptContaining(caseMarker)).toEqual([]);
  });

  it.each([
    [
      'POST',
      () => postJson(`${stack.invokeUrl}/generate`, { prompt: `${marker} post`, ...SMALL_NOVA }),
    ],
    [
      'GET',
      () => {
        const query = new URLSearchParams({
          prompt: `${marker} get`,
          model: SMALL_NOVA.model,
          width: String(SMALL_NOVA.width),
          height: String(SMALL_NOVA.height),
        });
        return fetch(`${stack.invokeUrl}/generate?${query.toString()}`, { redirect: 'manual' });
      },
    ],
  ])(
    '%s /generate answers 502 UPSTREAM_ERROR when S3 refuses the write, and marks the record failed',
    async (method, send) => {
      const callsBefore = stack.bedrockStats?.().invocations ?? 0;
      const response = await send();
      expect(await errorAnswer(response)).toEqual({
        status: 502,
        code: 'UPSTREAM_ERROR',
        problems: [],
      });
      // The model did run: the failure is the write that came after it.
      expect(stack.bedrockStats?.().invocations).toBe(callsBefore + 1);
      expect(await records.withPromptContaining(`${marker} ${method.toLowerCase()}`)).toEqual([
        expect.objectContaining({ status: 'failed', errorCode: 'UPSTREAM_ERROR', outputKeys: [] }),
      ]);
    },
  );

  it('leaves every record of this file failed, none pending', async () => {
    const mine = await records.withPromptContaining(marker);
    // MODEL_TIMEOUT, and the POST and GET write failures (USE_JOBS wrote no record).
    expect(mine).toHaveLength(3);
    expect(mine.filter((record) => record.status !== 'failed')).toEqual([]);
  });
});
