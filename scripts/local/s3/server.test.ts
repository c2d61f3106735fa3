import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import { startS3 } from './server.js';
import type { LocalS3Server } from './server.js';

const region = 'us-west-2';
const bucket = 'images';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
const allowedOrigin = 'http://localhost:5173';

let dataDir: string;
let server: LocalS3Server;
let s3: S3Client;

function clientFor(
  url: string,
  overrides: Partial<ConstructorParameters<typeof S3Client>[0]> = {},
): S3Client {
  return new S3Client({
    region,
    endpoint: url,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    ...overrides,
  });
}

async function start(): Promise<void> {
  server = await startS3({
    port: 0,
    dataDir,
    region,
    credentials,
    buckets: [bucket],
    corsOrigins: [allowedOrigin],
  });
  s3 = clientFor(server.url);
}

async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

async function put(key: string, body: string | Buffer, contentType = 'image/png'): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-s3-'));
  await start();
});

afterAll(async () => {
  s3.destroy();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('object operations through the real S3 client', () => {
  it('stores bytes, Content-Type, metadata and an MD5 ETag', async () => {
    const body = Buffer.from('not really a png');
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'users/u1/a b+c.png',
        Body: body,
        ContentType: 'image/png',
        Metadata: { prompt: 'a cat' },
      }),
    );

    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'users/u1/a b+c.png' }),
    );
    expect(head.ContentType).toBe('image/png');
    expect(head.ContentLength).toBe(body.length);
    expect(head.Metadata).toEqual({ prompt: 'a cat' });
    expect(head.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'users/u1/a b+c.png' }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(body);
  });

  it('serves byte ranges', async () => {
    await put('range.txt', '0123456789', 'text/plain');
    const got = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', Range: 'bytes=2-4' }),
    );
    expect(await got.Body!.transformToString()).toBe('234');
    expect(got.ContentRange).toBe('bytes 2-4/10');
  });

  it('maps a missing key to NoSuchKey and NotFound', async () => {
    await expect(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'missing' })),
    ).rejects.toBeInstanceOf(NoSuchKey);
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })),
    ).rejects.toBeInstanceOf(NotFound);
  });

  it('deletes one object and many objects', async () => {
    await put('del/1', 'a');
    await put('del/2', 'b');
    await put('del/3', 'c');
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'del/1' }));
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: [{ Key: 'del/2' }, { Key: 'del/3' }] },
      }),
    );
    expect(result.Deleted?.map((deleted) => deleted.Key).sort()).toEqual(['del/2', 'del/3']);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'del/' }));
    expect(listed.KeyCount).toBe(0);
  });

  it('lists with prefix, delimiter and continuation tokens', async () => {
    for (const key of ['list/a', 'list/b', 'list/c', 'list/d/1', 'list/d/2', 'other/x'])
      await put(key, key);

    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'list/',
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      keys.push(...(page.Contents ?? []).map((object) => object.Key!));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    expect(keys).toEqual(['list/a', 'list/b', 'list/c', 'list/d/1', 'list/d/2']);
    expect(pages).toBe(3);

    const grouped = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: 'list/', Delimiter: '/' }),
    );
    expect(grouped.Contents?.map((object) => object.Key)).toEqual(['list/a', 'list/b', 'list/c']);
    expect(grouped.CommonPrefixes?.map((prefix) => prefix.Prefix)).toEqual(['list/d/']);
  });

  it('copies an object with its metadata', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'copy/src',
        Body: 'src',
        ContentType: 'text/plain',
        Metadata: { k: 'v' },
      }),
    );
    await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: 'copy/dst', CopySource: `${bucket}/copy/src` }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copy/dst' }));
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toEqual({ k: 'v' });
  });
});

describe('authentication', () => {
  it('refuses an unsigned GET', async () => {
    await put('private.png', 'secret');
    const response = await fetch(`${server.url}/${bucket}/private.png`);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('AccessDenied');
  });

  it('refuses a client with the wrong secret', async () => {
    const wrong = clientFor(server.url, {
      credentials: { ...credentials, secretAccessKey: 'nope' },
    });
    await expect(
      wrong.send(new GetObjectCommand({ Bucket: bucket, Key: 'private.png' })),
    ).rejects.toMatchObject({
      name: 'SignatureDoesNotMatch',
      $metadata: { httpStatusCode: 403 },
    });
    wrong.destroy();
  });

  it('refuses an unknown bucket', async () => {
    await expect(s3.send(new GetObjectCommand({ Bucket: 'nope', Key: 'k' }))).rejects.toMatchObject(
      {
        name: 'NoSuchBucket',
      },
    );
  });
});

describe('pre-signed URLs', () => {
  const key = 'presigned/cat.png';
  const body = Buffer.from('cat bytes');

  beforeAll(async () => {
    await put(key, body);
  });

  it('serves a valid pre-signed GET', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: 60,
    });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
  });

  it('refuses a tampered signature', async () => {
    const url = new URL(
      await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 }),
    );
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set(
      'X-Amz-Signature',
      `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`,
    );
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('SignatureDoesNotMatch');
  });

  it('refuses a URL whose key was changed', async () => {
    await put('presigned/other.png', 'other');
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: 60,
    });
    const response = await fetch(url.replace('/cat.png', '/other.png'));
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('SignatureDoesNotMatch');
  });

  it('refuses an expired URL', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 3600_000),
    });
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('accepts a pre-signed PUT and enforces a signed Content-Type', async () => {
    const command = new PutObjectCommand({
      Bucket: bucket,
      Key: 'presigned/put.png',
      ContentType: 'image/png',
    });
    const url = await getSignedUrl(s3, command, {
      expiresIn: 60,
      signableHeaders: new Set(['content-type']),
    });

    const wrongType = await fetch(url, {
      method: 'PUT',
      body: 'x',
      headers: { 'content-type': 'text/html' },
    });
    expect(wrongType.status).toBe(403);

    const upload = await fetch(url, {
      method: 'PUT',
      body: 'uploaded',
      headers: { 'content-type': 'image/png' },
    });
    expect(upload.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'presigned/put.png' }));
    expect(await got.Body!.transformToString()).toBe('uploaded');
    expect(got.ContentType).toBe('image/png');
  });

  it('rejects a pre-signed PUT whose signed checksum does not match the body, as S3 does', async () => {
    const defaults = clientFor(server.url, { requestChecksumCalculation: 'WHEN_SUPPORTED' });
    const url = await getSignedUrl(
      defaults,
      new PutObjectCommand({ Bucket: bucket, Key: 'presigned/crc.png' }),
      {
        expiresIn: 60,
      },
    );
    defaults.destroy();
    expect(url).toContain('x-amz-checksum-crc32');
    const response = await fetch(url, { method: 'PUT', body: 'real bytes' });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('BadDigest');
  });
});

describe('pre-signed POST uploads', () => {
  const prefix = 'uploads/u1/';

  async function presignedPost(
    expires = 60,
  ): Promise<Awaited<ReturnType<typeof createPresignedPost>>> {
    return createPresignedPost(s3, {
      Bucket: bucket,
      Key: `${prefix}photo.png`,
      Conditions: [
        ['content-length-range', 1, 1024],
        ['starts-with', '$Content-Type', 'image/'],
      ],
      Fields: { 'Content-Type': 'image/png', success_action_status: '201' },
      Expires: expires,
    });
  }

  async function submit(
    post: Awaited<ReturnType<typeof createPresignedPost>>,
    bytes: Buffer,
    overrides: Record<string, string> = {},
  ): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...post.fields, ...overrides }))
      form.append(name, value);
    form.append('file', new Blob([bytes]), 'photo.png');
    return fetch(post.url, { method: 'POST', body: form, headers: { origin: allowedOrigin } });
  }

  it('stores a valid upload and answers 201 with a PostResponse', async () => {
    const response = await submit(await presignedPost(), Buffer.from('png bytes'));
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(await response.text()).toContain(`<Key>${prefix}photo.png</Key>`);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${prefix}photo.png` }),
    );
    expect(head.ContentType).toBe('image/png');
    expect(head.ContentLength).toBe(9);
  });

  it('refuses a different Content-Type', async () => {
    const response = await submit(await presignedPost(), Buffer.from('x'), {
      'Content-Type': 'text/html',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Policy Condition failed');
  });

  it('refuses a file over the content-length-range', async () => {
    const response = await submit(await presignedPost(), Buffer.alloc(2048));
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe('EntityTooLarge');
  });

  it('refuses a key outside the signed one', async () => {
    const response = await submit(await presignedPost(), Buffer.from('x'), {
      key: 'uploads/u2/photo.png',
    });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('AccessDenied');
  });

  it('refuses an expired policy', async () => {
    const response = await submit(await presignedPost(-5), Buffer.from('x'));
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Policy expired');
  });

  it('refuses a policy edited after signing', async () => {
    const post = await presignedPost();
    const policy = JSON.parse(Buffer.from(post.fields.Policy!, 'base64').toString()) as {
      conditions: unknown[];
    };
    policy.conditions = policy.conditions.map((condition) =>
      Array.isArray(condition) && condition[0] === 'content-length-range'
        ? ['content-length-range', 1, 10_000]
        : condition,
    );
    const response = await submit(post, Buffer.alloc(2048), {
      Policy: Buffer.from(JSON.stringify(policy)).toString('base64'),
    });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('SignatureDoesNotMatch');
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin and refuses others', async () => {
    const preflight = (origin: string): Promise<Response> =>
      fetch(`${server.url}/${bucket}/k.png`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight(allowedOrigin);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type');
    expect((await preflight('https://evil.example')).status).toBe(403);
  });

  it('varies on Origin only when the request carries one, as S3 does', async () => {
    await put('cors/picture.png', 'png bytes');
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: bucket, Key: 'cors/picture.png' }),
      { expiresIn: 60 },
    );
    // What an <img> without crossorigin sends: no Origin, so no CORS headers and no Vary. A browser
    // may hand this cached answer to a later fetch() of the same URL, which then fails CORS.
    const plain = await fetch(url);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    expect(plain.headers.get('vary')).toBeNull();

    const cors = await fetch(url, { headers: { origin: allowedOrigin } });
    expect(cors.status).toBe(200);
    expect(cors.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(cors.headers.get('access-control-allow-credentials')).toBe('true');
    expect(cors.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, PUT');
    expect(cors.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(cors.headers.get('vary')).toBe(
      'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
    );

    const foreign = await fetch(url, { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.headers.get('vary')).toContain('Origin');
  });

  it('allows only the rule’s methods and headers, like a bucket CORS rule without AllowedHeaders', async () => {
    const spaOrigins: string[] = [];
    const strictDir = await mkdtemp(join(tmpdir(), 's3-cors-'));
    const strict = await startS3({
      port: 0,
      dataDir: strictDir,
      region,
      credentials,
      buckets: [bucket],
      // Known only later, as the local gateway's port is.
      corsOrigins: () => spaOrigins,
      corsMethods: ['GET', 'POST'],
      corsAllowedHeaders: [],
    });
    try {
      const preflight = (method: string, headers?: string): Promise<Response> =>
        fetch(`${strict.url}/${bucket}/k.png`, {
          method: 'OPTIONS',
          headers: {
            origin: allowedOrigin,
            'access-control-request-method': method,
            ...(headers ? { 'access-control-request-headers': headers } : {}),
          },
        });
      expect((await preflight('POST')).status).toBe(403);
      spaOrigins.push(allowedOrigin);
      const post = await preflight('POST');
      expect(post.status).toBe(200);
      expect(post.headers.get('access-control-allow-methods')).toBe('GET, POST');
      expect((await preflight('GET')).status).toBe(200);
      expect((await preflight('PUT')).status).toBe(403);
      expect((await preflight('DELETE')).status).toBe(403);
      expect((await preflight('POST', 'x-amz-checksum-crc32')).status).toBe(403);

      // A simple GET gets the CORS header; a method outside the rule does not.
      const get = await fetch(`${strict.url}/${bucket}/missing.png`, {
        headers: { origin: allowedOrigin },
      });
      expect(get.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      const head = await fetch(`${strict.url}/${bucket}/missing.png`, {
        method: 'HEAD',
        headers: { origin: allowedOrigin },
      });
      expect(head.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await strict.close();
      await rm(strictDir, { recursive: true, force: true });
    }
  });
});

describe('persistence', () => {
  it('keeps objects across a restart', async () => {
    await put('persist/me.png', 'still here');
    s3.destroy();
    await server.close();
    await start();
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'persist/me.png' }));
    expect(await got.Body!.transformToString()).toBe('still here');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'persist/' }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual(['persist/me.png']);
  });

  it('maps errors to S3ServiceException subclasses', async () => {
    await expect(
      s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'gone' })),
    ).rejects.toBeInstanceOf(S3ServiceException);
  });
});
