/**
 * Bedrock failing in every way the stand-in can imitate (scripts/local/bedrock/README.md, fault
 * triggers), through the whole local stack: each answers its documented status and code (README,
 * "Errors"), its record ends `failed` with that code and no images, and nothing is left `pending`.
 * Also API Gateway's own integration timeout, shortened here so the test does not wait 29 s.
 */
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { startTestStack, type TestStack } from '../stack-fixture.js';
import {
  errorAnswer,
  eventually,
  listKeys,
  postJson,
  RecordsTable,
  s3Client,
  type StoredRecord,
} from './helpers.js';

/**
 * The gateway gives up after this long instead of 29 s. Long enough for a cold start plus the
 * SDK's throttling retries (about 3 s at most) on a busy 2-core machine.
 */
const INTEGRATION_TIMEOUT_MS = 8000;
/** The stand-in waits this long before answering, well past the gateway's patience. */
const SLOW_MODEL_MS = INTEGRATION_TIMEOUT_MS + 2000;
const NOVA = 'amazon.nova-canvas-v1:0';
const STABILITY_CORE = 'stability.stable-image-core-v1:1';
/** The request fields for `model`; a small Nova Canvas picture keeps the stand-in's rendering cheap. */
const fieldsFor = (model: string): Record<string, string | number> =>
  model === NOVA ? { model, width: 512, height: 512 } : { model };
const SMALL_NOVA = fieldsFor(NOVA);

/** A Retry-After header as 'seconds' when it is a whole number of seconds, else as sent. */
const secondsOrValue = (header: string | null): string | null =>
  header !== null && /^\d+$/.test(header) ? 'seconds' : header;
/** Clients are told when to retry a throttled or unavailable model (shared/http/response.ts). */
const expectedRetryAfter = (status: number): string | null =>
  status === 429 || status === 503 ? 'seconds' : null;

type FaultCase = [trigger: string, model: string, status: number, code: string];

const postCases: FaultCase[] = [
  ['[[throttle]]', NOVA, 429, 'THROTTLED'],
  ['[[timeout]]', NOVA, 504, 'MODEL_TIMEOUT'],
  ['[[filter]]', NOVA, 422, 'CONTENT_FILTERED'],
  ['[[filter-output]]', NOVA, 422, 'CONTENT_FILTERED'],
  ['[[filter]]', STABILITY_CORE, 422, 'CONTENT_FILTERED'],
  ['[[error]]', NOVA, 502, 'UPSTREAM_ERROR'],
  // ServiceUnavailableException is transient: a retryable 503 with Retry-After, not a 502.
  ['[[unavailable]]', NOVA, 503, 'SERVICE_UNAVAILABLE'],
  ['[[malformed]]', NOVA, 502, 'UPSTREAM_ERROR'],
  ['[[malformed]]', STABILITY_CORE, 502, 'UPSTREAM_ERROR'],
  ['[[denied]]', NOVA, 503, 'MODEL_UNAVAILABLE'],
  ['[[eol]]', NOVA, 503, 'MODEL_UNAVAILABLE'],
];

/** GET /generate maps function errors through integration responses (openapi.yaml). */
const getCases: FaultCase[] = [
  ['[[throttle]]', NOVA, 429, 'THROTTLED'],
  ['[[timeout]]', NOVA, 504, 'MODEL_TIMEOUT'],
  ['[[filter]]', NOVA, 422, 'CONTENT_FILTERED'],
  ['[[error]]', NOVA, 502, 'UPSTREAM_ERROR'],
  ['[[unavailable]]', NOVA, 503, 'SERVICE_UNAVAILABLE'],
  ['[[eol]]', NOVA, 503, 'MODEL_UNAVAILABLE'],
];

describe('Bedrock faults through the local stack', () => {
  let stack: TestStack;
  let records: RecordsTable;
  let s3: S3Client;
  /** Prompts written in this file carry this, so the table scan finds exactly their records. */
  const marker = `fault-${randomUUID()}`;
  const gatewayTimeoutMarker = `${marker} gateway-timeout`;

  beforeAll(async () => {
    stack = await startTestStack({ integrationTimeoutMs: INTEGRATION_TIMEOUT_MS });
    records = new RecordsTable(stack);
    s3 = s3Client(stack);
  });

  afterAll(async () => {
    records?.destroy();
    s3?.destroy();
    await stack?.destroy();
  });

  /** The records whose prompt carries `caseMarker` (one, when all went as designed). */
  async function recordOf(caseMarker: string): Promise<StoredRecord[]> {
    return records.withPromptContaining(caseMarker);
  }

  it('answers 504 GATEWAY_TIMEOUT when the function outlasts the integration timeout', async () => {
    const response = await postJson(`${stack.invokeUrl}/generate`, {
      prompt: `${gatewayTimeoutMarker} [[slow:${SLOW_MODEL_MS}]]`,
      ...SMALL_NOVA,
    });
    expect(await errorAnswer(response)).toEqual({
      status: 504,
      code: 'GATEWAY_TIMEOUT',
      problems: [],
    });
  });

  it.each(postCases)(
    'POST /generate: %s on %s answers %i %s and marks its record failed',
    async (trigger, model, status, code) => {
      const caseMarker = `${marker} ${randomUUID()}`;
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: `${caseMarker} ${trigger}`,
        ...fieldsFor(model),
      });
      const retryAfter = response.headers.get('retry-after');
      expect({ ...(await errorAnswer(response)), retryAfter: secondsOrValue(retryAfter) }).toEqual({
        status,
        code,
        problems: [],
        retryAfter: expectedRetryAfter(status),
      });
      expect(await recordOf(caseMarker)).toEqual([
        expect.objectContaining({ status: 'failed', errorCode: code, outputKeys: [] }),
      ]);
    },
  );

  it.each(getCases)(
    'GET /generate: %s on %s answers %i %s without a redirect and marks its record failed',
    async (trigger, model, status, code) => {
      const caseMarker = `${marker} ${randomUUID()}`;
      const query = new URLSearchParams({
        prompt: `${caseMarker} ${trigger}`,
        ...Object.fromEntries(
          Object.entries(fieldsFor(model)).map(([name, value]) => [name, String(value)]),
        ),
      });
      const response = await fetch(`${stack.invokeUrl}/generate?${query.toString()}`, {
        redirect: 'manual',
      });
      const location = response.headers.get('location');
      expect(await errorAnswer(response)).toEqual({ status, code, problems: [] });
      expect(location).toBeNull();
      expect(await recordOf(caseMarker)).toEqual([
        expect.objectContaining({ status: 'failed', errorCode: code, outputKeys: [] }),
      ]);
    },
  );

  it('leaves no record pending and no image behind a failed record', async () => {
    const mine = await eventually(
      () => recordOf(marker),
      (found) => found.every((record) => record.status !== 'pending'),
      SLOW_MODEL_MS,
    );
    expect(mine).toHaveLength(1 + postCases.length + getCases.length);
    expect(mine.filter((record) => record.status === 'pending')).toEqual([]);
    // As on AWS the function ran on after the gateway gave up, and finished its record.
    expect(mine.find((record) => record.prompt.includes(gatewayTimeoutMarker))?.status).toBe(
      'succeeded',
    );
    const keys = await listKeys(s3, stack.bucket, 'generated/');
    const failedIds = mine.filter((record) => record.status === 'failed').map(({ id }) => id);
    expect(
      keys.filter((key) => failedIds.some((id) => key.startsWith(`generated/${id}/`))),
    ).toEqual([]);
  });

  it('still generates normally afterwards', async () => {
    const response = await postJson(`${stack.invokeUrl}/generate`, {
      prompt: `${marker} all is well`,
      ...SMALL_NOVA,
    });
    expect(response.status).toBe(200);
  });
});
