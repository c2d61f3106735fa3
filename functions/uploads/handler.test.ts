import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

import { TEST_BUCKET, testRuntime } from '../../shared/aws/test-runtime.js';
import { TEST_USER_ID, proxyEvent } from '../../shared/http/test-events.js';
import { captureOutputInEachTest } from '../../shared/http/test-output.js';
import { uploadRuntime } from '../../shared/aws/upload-runtime.js';
import { createHandler } from './handler.js';

const s3 = mockClient(S3Client);
captureOutputInEachTest();

beforeEach(() => {
  s3.reset();
});

const runtime = testRuntime(uploadRuntime, { MAX_UPLOAD_BYTES: '5000000' });
const handler = createHandler(() => runtime);

const uploadEvent = (body: unknown) => proxyEvent({ resource: '/uploads', body, claims: true });

function bodyOf(result: { body: string }): Record<string, unknown> {
  return JSON.parse(result.body) as Record<string, unknown>;
}

interface PolicyDocument {
  expiration: string;
  conditions: unknown[];
}

describe('POST /uploads handler', () => {
  it('signs a POST form limited to one key in the caller’s folder, the type and the size', async () => {
    const result = await handler(uploadEvent({ contentType: 'image/png', size: 123_456 }));

    expect(result.statusCode).toBe(200);
    const body = bodyOf(result) as {
      key: string;
      url: string;
      fields: Record<string, string>;
      expiresAt: string;
      maxBytes: number;
    };
    expect(body.key).toMatch(
      new RegExp(
        `^users/${TEST_USER_ID}/uploads/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
      ),
    );
    expect(body.url).toContain(TEST_BUCKET);
    expect(body.maxBytes).toBe(123_456);
    expect(body.fields).toMatchObject({ key: body.key, 'Content-Type': 'image/png' });
    const policy = JSON.parse(
      Buffer.from(body.fields.Policy ?? '', 'base64').toString('utf8'),
    ) as PolicyDocument;
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['eq', '$Content-Type', 'image/png'],
        ['content-length-range', 1, 123_456],
        { key: body.key },
        { bucket: TEST_BUCKET },
      ]),
    );
    const lifetimeMs = Date.parse(policy.expiration) - Date.now();
    expect(lifetimeMs).toBeGreaterThan(240_000);
    expect(lifetimeMs).toBeLessThanOrEqual(300_000);
  });

  it('answers 413 for a file over MAX_UPLOAD_BYTES', async () => {
    const result = await handler(uploadEvent({ contentType: 'image/jpeg', size: 5_000_001 }));

    expect(result.statusCode).toBe(413);
    expect(bodyOf(result)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('answers 400 for a type that is not an accepted image', async () => {
    const result = await handler(uploadEvent({ contentType: 'image/gif', size: 10 }));

    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({ error: { details: [{ path: 'contentType' }] } });
  });

  it('answers 401 without Cognito claims', async () => {
    const result = await handler(
      proxyEvent({ resource: '/uploads', body: { contentType: 'image/png', size: 10 } }),
    );

    expect(result.statusCode).toBe(401);
  });
});
