import { busyPng } from '../../images.js';
import { startInstantFakes, type InstantFakes } from '../../instant-fakes.js';

// The baseline must do the work it stands for, or its figures would flatter the SDK: one model
// call, one upload and two record writes per request, and a pre-signed URL for the upload.
describe('the SDK-only baseline handler', () => {
  let fakes: InstantFakes;
  let handler: (event: unknown) => Promise<unknown>;
  const saved = { ...process.env };

  beforeAll(async () => {
    fakes = await startInstantFakes({
      image: busyPng(64, 36),
      s3Object: { bytes: new Uint8Array(), contentType: 'image/png' },
    });
    Object.assign(process.env, {
      AWS_REGION: 'us-west-2',
      AWS_ACCESS_KEY_ID: 'AKIAFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_ENDPOINT_URL_S3: fakes.urls.s3,
      AWS_ENDPOINT_URL_DYNAMODB: fakes.urls.dynamodb,
      AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fakes.urls.bedrockH2c,
      BUCKET_NAME: 'bench-bucket',
      TABLE_NAME: 'bench-table',
    });
    // Imported once the environment points the clients at the fakes, as on Lambda.
    ({ handler } = (await import('./handler.js')) as { handler: typeof handler });
  });

  afterAll(async () => {
    process.env = saved;
    await fakes.close();
  });

  const signedUrlOf = (url: string): URL => {
    const parsed = new URL(url);
    expect(parsed.origin).toBe(fakes.urls.s3);
    expect(parsed.pathname).toMatch(/^\/bench-bucket\/generated\/[0-9a-f-]{36}\/0\.png$/);
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    return parsed;
  };

  it('answers a POST /generate proxy event after the same calls ours makes', async () => {
    const before = { ...fakes.counts };
    const result = (await handler({ body: JSON.stringify({ prompt: 'a lighthouse' }) })) as {
      statusCode: number;
      body: string;
    };
    expect(result.statusCode).toBe(200);
    signedUrlOf((JSON.parse(result.body) as { image_url: string }).image_url);
    expect(fakes.counts.bedrock - before.bedrock).toBe(1);
    expect(fakes.counts.s3 - before.s3).toBe(1);
    expect(fakes.counts.dynamodb - before.dynamodb).toBe(2);
  });

  it('answers GET /generate’s mapped {"prompt"} event with {image_url}', async () => {
    const result = (await handler({ prompt: 'a lighthouse' })) as { image_url: string };
    expect(Object.keys(result)).toEqual(['image_url']);
    signedUrlOf(result.image_url);
  });
});
