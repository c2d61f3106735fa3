import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import {
  GetObjectCommand,
  PutObjectCommand,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import 'aws-sdk-client-mock-jest';

import {
  TEST_BUCKET,
  halfMaskPng,
  pngBytes,
  serviceError,
  testRuntime,
} from '../../shared/aws/test-runtime.js';
import { TEST_USER_ID, proxyEvent } from '../../shared/http/test-events.js';
import {
  mockImageRequestClients,
  pendingRecords,
  recordFinishes,
} from '../../shared/http/test-clients.js';
import { captureOutputInEachTest } from '../../shared/http/test-output.js';
import { editRuntime } from '../../shared/aws/image-runtimes.js';
import { createHandler } from './handler.js';

captureOutputInEachTest();

const INPAINT = 'us.stability.stable-image-inpaint-v1:0';
const uploadKey = `users/${TEST_USER_ID}/uploads/3b0c7a52-4a55-4c1b-9a53-0d7d2f1c9e11`;
const image = pngBytes(96, 64);
const mask = Buffer.from(halfMaskPng(96, 64)).toString('base64');
const { s3, dynamo, bedrock } = mockImageRequestClients({ seed: 21, image: pngBytes(96, 64, 10) });

/** A GetObject body: the store only ever reads it as bytes. */
function objectBody(bytes: Uint8Array): GetObjectCommandOutput['Body'] {
  return {
    transformToByteArray: () => Promise.resolve(bytes),
  } as unknown as GetObjectCommandOutput['Body'];
}

beforeEach(() => {
  s3.on(GetObjectCommand).rejects(
    serviceError('NoSuchKey', 'The specified key does not exist.', 404),
  );
  s3.on(GetObjectCommand, { Bucket: TEST_BUCKET, Key: uploadKey }).resolves({
    Body: objectBody(image),
    ContentType: 'image/png',
  });
});

const runtime = testRuntime(editRuntime);
const handler = createHandler(() => runtime);

const editEvent = (body: unknown, claims: Record<string, string> | true = true) =>
  proxyEvent({ resource: '/edits', body, claims });

function bodyOf(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

describe('POST /edits handler', () => {
  it('inpaints the caller’s upload with the default model and stores mask and outputs together', async () => {
    const result = await handler(editEvent({ imageKey: uploadKey, mask, prompt: 'a red door' }));

    expect(result.statusCode).toBe(200);
    const body = bodyOf(result) as { id: string; model: string; images: { key: string }[] };
    const folder = `users/${TEST_USER_ID}/edits/${body.id}/`;
    expect(body.model).toBe(INPAINT);
    expect(body.images.map((entry) => entry.key)).toEqual([`${folder}0.png`]);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: `${folder}mask.png` });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: `${folder}0.png`,
      ContentType: 'image/png',
    });
    expect(bedrock).toHaveReceivedCommandWith(InvokeModelCommand, { modelId: INPAINT });
    expect(pendingRecords(dynamo)[0]?.Item).toMatchObject({
      kind: 'edit',
      operation: 'inpaint',
      userId: TEST_USER_ID,
      inputKey: uploadKey,
    });
    expect(recordFinishes(dynamo)[0]).toMatchObject({
      status: 'succeeded',
      outputKeys: [`${folder}0.png`],
    });
  });

  it('answers 404 for another user’s image without reading it', async () => {
    const foreign = 'users/someone-else/uploads/3b0c7a52-4a55-4c1b-9a53-0d7d2f1c9e11';

    const result = await handler(editEvent({ imageKey: foreign, mask, prompt: 'x' }));

    expect(result.statusCode).toBe(404);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    expect(bedrock).not.toHaveReceivedCommand(InvokeModelCommand);
  });

  it('answers the same 404 for a path-traversal key and for a missing object', async () => {
    const traversal = await handler(
      editEvent({ imageKey: `users/${TEST_USER_ID}/../someone-else/uploads/x`, prompt: 'x', mask }),
    );
    const missing = await handler(
      editEvent({ imageKey: `users/${TEST_USER_ID}/uploads/missing`, prompt: 'x', mask }),
    );

    expect(traversal.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(traversal.body).toBe(missing.body);
  });

  it('ignores a userId smuggled into the body (400, unknown field)', async () => {
    const result = await handler(
      editEvent({ imageKey: uploadKey, mask, prompt: 'x', userId: 'someone-else' }),
    );

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({ error: { details: [{ path: 'userId' }] } });
  });

  it('answers 401 when no Cognito claims reached the function', async () => {
    const result = await handler(proxyEvent({ resource: '/edits', body: { imageKey: uploadKey } }));

    expect(result.statusCode).toBe(401);
  });

  it('answers 400 INVALID_MASK for a mask of another size', async () => {
    const small = Buffer.from(halfMaskPng(32, 32)).toString('base64');

    const result = await handler(editEvent({ imageKey: uploadKey, mask: small, prompt: 'x' }));

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'INVALID_MASK' } });
  });

  it('answers 400 for a model that is not allowed, and for one that cannot do the operation', async () => {
    const notAllowed = await handler(
      editEvent({ imageKey: uploadKey, mask, prompt: 'x', model: 'stability.sd3-5-large-v1:0' }),
    );
    const cannot = await handler(
      editEvent({
        imageKey: uploadKey,
        operation: 'outpaint',
        outpaint: { left: 64, right: 0, up: 0, down: 0 },
        model: INPAINT,
      }),
    );

    expect(bodyOf(notAllowed)).toMatchObject({ error: { code: 'MODEL_NOT_ALLOWED' } });
    expect(cannot.statusCode).toBe(400);
    expect(bodyOf(cannot)).toMatchObject({ error: { code: 'UNSUPPORTED_OPERATION' } });
  });

  it('marks the record failed with UPSTREAM_ERROR when S3 refuses the output', async () => {
    s3.on(PutObjectCommand).rejects(
      serviceError('SlowDown', 'Please reduce your request rate.', 503),
    );

    const result = await handler(editEvent({ imageKey: uploadKey, mask, prompt: 'x' }));

    expect(result.statusCode).toBe(502);
    expect(recordFinishes(dynamo)[0]).toMatchObject({
      status: 'failed',
      errorCode: 'UPSTREAM_ERROR',
    });
  });
});
