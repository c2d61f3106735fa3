/**
 * History records when the function running the request dies or the record goes away mid-request,
 * through the local stack. The edits function gets a Lambda timeout (4 s) shorter than its Bedrock
 * deadline (6 s), so a slow model call gets the function killed like a crash: nothing writes an
 * outcome, and the reader must.
 */
import { createSignedInUser, type SignedInUser } from '../cognito-user.js';
import { json, startTestStack, type TestStack } from '../stack-fixture.js';
import {
  errorAnswer,
  eventually,
  listKeys,
  pngOf,
  postJson,
  s3Client,
  uploadImage,
} from './helpers.js';

const BEDROCK_TIMEOUT_MS = 6000;
const EDITS_LAMBDA_TIMEOUT_MS = 4000;
/** The record's deadline: the Bedrock deadline plus RECORD_GRACE_SECONDS (10 s). */
const RECORD_DEADLINE_MS = BEDROCK_TIMEOUT_MS + 10_000;
const SIZE = 64;

interface HistoryPage {
  items: { id: string; prompt: string; status: string; errorCode?: string }[];
}

describe('records of requests that crash or lose their record', () => {
  let stack: TestStack;
  let user: SignedInUser;
  let imageKey: string;
  const mask = pngOf(SIZE, SIZE, (x) => x < SIZE / 2).toString('base64');

  beforeAll(async () => {
    stack = await startTestStack({
      functionEnv: { BEDROCK_TIMEOUT_MS: String(BEDROCK_TIMEOUT_MS) },
      functionTimeoutMs: { edits: EDITS_LAMBDA_TIMEOUT_MS },
    });
    user = await createSignedInUser(stack);
    imageKey = await uploadImage(stack, user.idToken, pngOf(SIZE, SIZE));
    // A warm edits function, so the timings below are the model's, not a cold start's.
    const warm = await postJson(
      `${stack.invokeUrl}/edits`,
      { imageKey, prompt: 'warm up', mask },
      { authorization: user.idToken },
    );
    if (warm.status !== 200) throw new Error(`warm-up edit answered ${warm.status}`);
  });

  afterAll(async () => {
    await stack?.destroy();
  });

  function edit(prompt: string): Promise<Response> {
    return postJson(
      `${stack.invokeUrl}/edits`,
      { imageKey, prompt, mask },
      { authorization: user.idToken },
    );
  }

  async function history(): Promise<HistoryPage['items']> {
    const response = await fetch(`${stack.invokeUrl}/history?limit=50`, {
      headers: { authorization: user.idToken },
    });
    expect(response.status).toBe(200);
    return (await json<HistoryPage>(response)).items;
  }

  const itemFor = async (prompt: string) =>
    (await history()).find((item) => item.prompt === prompt);

  it('reads a record left pending by a killed function as failed once its deadline passed', async () => {
    const prompt = `killed mid-call [[slow:${BEDROCK_TIMEOUT_MS - 500}]]`;
    const started = Date.now();
    const response = await edit(prompt);
    // The Lambda timed out: API Gateway's own 502, and no outcome was ever written.
    expect(response.status).toBe(502);
    expect(await itemFor(prompt)).toMatchObject({ status: 'pending' });

    const settled = await eventually(
      () => itemFor(prompt),
      (item) => item?.status !== 'pending',
      RECORD_DEADLINE_MS + 10_000,
    );
    expect(settled).toMatchObject({ status: 'failed', errorCode: 'MODEL_TIMEOUT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(RECORD_DEADLINE_MS);
  }, 60_000);

  it('answers an edit whose record was deleted meanwhile with 409 CONFLICT, keeping nothing', async () => {
    const prompt = 'deleted while running [[slow:2000]]';
    const running = edit(prompt);
    const pending = await eventually(
      () => itemFor(prompt),
      (item) => item !== undefined,
      5000,
    );
    expect(pending).toMatchObject({ status: 'pending' });
    const deleted = await fetch(`${stack.invokeUrl}/history/${pending!.id}`, {
      method: 'DELETE',
      headers: { authorization: user.idToken },
    });
    expect(deleted.status).toBe(204);

    expect(await errorAnswer(await running)).toEqual({
      status: 409,
      code: 'CONFLICT',
      problems: [],
    });
    expect(await itemFor(prompt)).toBeUndefined();
    const keys = await listKeys(s3Client(stack), stack.bucket, `users/${user.sub}/edits/`);
    expect(keys.filter((key) => key.includes(pending!.id))).toEqual([]);
  }, 30_000);
});
