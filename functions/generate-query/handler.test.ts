import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import 'aws-sdk-client-mock-jest';

import { serviceError, testRuntime } from '../../shared/aws/test-runtime.js';
import { TEST_USER_ID, queryTemplateEvent } from '../../shared/http/test-events.js';
import { mockImageRequestClients, pendingRecords } from '../../shared/http/test-clients.js';
import { captureOutputInEachTest } from '../../shared/http/test-output.js';
import { generateRuntime } from '../../shared/aws/image-runtimes.js';
import { createHandler } from './handler.js';

const { s3, dynamo, bedrock } = mockImageRequestClients({ seed: 3 });
captureOutputInEachTest();

const runtime = testRuntime(generateRuntime);
const handler = createHandler(() => runtime);

/** The JSON body sent to InvokeModel (the command takes a string or bytes). */
function sentBody(body: unknown): Record<string, unknown> {
  // BedrockInvoker always sends a JSON string.
  if (typeof body !== 'string') throw new Error('expected a JSON string body');
  const text = body;
  return JSON.parse(text) as Record<string, unknown>;
}

/** The integration-response selection: `[status] {json}` (shared/api/openapi.yaml). */
async function failureOf(promise: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const error = await promise.then(
    () => {
      throw new Error('expected the handler to throw');
    },
    (thrown: unknown) => thrown as Error,
  );
  const match = /^\[(\d{3})\] ([\s\S]*)$/.exec(error.message);
  if (!match?.[1] || match[2] === undefined) throw new Error(`unexpected message ${error.message}`);
  return { status: Number(match[1]), body: JSON.parse(match[2]) as unknown };
}

describe('GET /generate handler (non-proxy)', () => {
  it('returns the POST body, whose image_url API Gateway turns into the 302 Location', async () => {
    const result = await handler(queryTemplateEvent({ prompt: 'a lighthouse' }));

    expect(result.image_url).toBe(result.images[0]?.url);
    expect(result.image_url).toContain('X-Amz-Signature=');
    expect(result.images[0]?.key).toMatch(/^generated\/[0-9a-f-]{36}\/0\.png$/);
    expect(result.model).toBe('stability.stable-image-core-v1:1');
  });

  it('generates 1280×720 (16:9) when the query names no size', async () => {
    await handler(queryTemplateEvent({ prompt: 'a lighthouse' }));

    const sent = bedrock.commandCalls(InvokeModelCommand)[0]?.args[0].input.body;
    expect(sentBody(sent)).toMatchObject({ aspect_ratio: '16:9' });
    expect(pendingRecords(dynamo)[0]?.Item).toMatchObject({
      route: 'GET /generate',
      parameters: { width: 1280, height: 720 },
    });
  });

  it('coerces numeric and boolean query parameters', async () => {
    await handler(
      queryTemplateEvent({
        prompt: 'cat',
        aspectRatio: '1:1',
        seed: '11',
        count: '2',
        cache: 'false',
      }),
    );

    expect(bedrock).toHaveReceivedCommandTimes(InvokeModelCommand, 2);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
    const seeds = bedrock
      .commandCalls(InvokeModelCommand)
      .map((call) => sentBody(call.args[0].input.body).seed as number);
    expect(seeds.sort()).toEqual([11, 12]);
  });

  it('files a signed-in caller’s image under their folder', async () => {
    const result = await handler(queryTemplateEvent({ prompt: 'cat' }, { userId: TEST_USER_ID }));

    expect(result.images[0]?.key.startsWith(`users/${TEST_USER_ID}/generated/`)).toBe(true);
  });

  it('throws [400] INVALID_REQUEST for an unknown query parameter', async () => {
    const failure = await failureOf(handler(queryTemplateEvent({ prompt: 'cat', size: 'big' })));

    expect(failure).toEqual({
      status: 400,
      body: {
        error: {
          code: 'INVALID_REQUEST',
          message: expect.stringContaining('size') as unknown,
          details: [{ path: 'size', message: 'unknown field' }],
        },
      },
    });
    expect(bedrock).not.toHaveReceivedCommand(InvokeModelCommand);
  });

  it('throws [400] for a non-numeric width and for an empty prompt', async () => {
    const badWidth = await failureOf(handler(queryTemplateEvent({ prompt: 'cat', width: 'wide' })));
    const empty = await failureOf(handler(queryTemplateEvent({ prompt: '' })));

    expect(badWidth).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'width' }] } },
    });
    expect(empty).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'prompt' }] } },
    });
  });

  it('throws [400] MODEL_NOT_ALLOWED for a model outside ALLOWED_MODELS', async () => {
    const failure = await failureOf(
      handler(queryTemplateEvent({ prompt: 'cat', model: 'stability.sd3-5-large-v1:0' })),
    );

    expect(failure).toMatchObject({ status: 400, body: { error: { code: 'MODEL_NOT_ALLOWED' } } });
  });

  it('throws [429] THROTTLED when Bedrock throttles', async () => {
    bedrock.on(InvokeModelCommand).rejects(serviceError('ThrottlingException', 'slow down', 429));

    const failure = await failureOf(handler(queryTemplateEvent({ prompt: 'cat' })));

    expect(failure).toMatchObject({ status: 429, body: { error: { code: 'THROTTLED' } } });
  });

  it('throws [500] INTERNAL for an unexpected failure, without internals', async () => {
    s3.reset();
    dynamo.on(PutItemCommand).rejects(new Error('getaddrinfo ENOTFOUND dynamodb.internal'));

    const failure = await failureOf(handler(queryTemplateEvent({ prompt: 'cat' })));

    expect(failure).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL' } } });
    expect(JSON.stringify(failure.body)).not.toContain('ENOTFOUND');
  });
});
