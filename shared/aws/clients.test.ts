/**
 * The production clients against real local servers: what goes over the wire and how many
 * connections it takes, which is what the client options are for.
 */
import { InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import http, { type IncomingHttpHeaders } from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

import { BytePool } from './byte-pool.js';
import { bedrockClient, lambdaClient, s3Client } from './clients.js';
import { dynamoDocumentClient } from './dynamo-client.js';
import { HTTP2_RECEIVE_WINDOW_BYTES } from './bedrock-transport.js';

const ENV_KEYS = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));

beforeAll(() => {
  process.env.AWS_REGION = 'us-west-2';
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
});

afterAll(() => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
});

function listen(server: http.Server | http2.Http2Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

describe('s3Client', () => {
  it('uploads a large image without Expect: 100-continue, over one kept-alive connection', async () => {
    const seen: { url?: string; headers: IncomingHttpHeaders; socket: unknown; bytes: number }[] =
      [];
    const server = http.createServer((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        seen.push({ url: req.url, headers: req.headers, socket: req.socket, bytes });
        res.writeHead(200, { etag: '"x"', 'content-length': 0 }).end();
      });
    });
    process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${await listen(server)}`;
    const client = s3Client();
    const body = new Uint8Array(3 * 1024 * 1024).fill(7); // above the SDK's 2 MiB threshold
    try {
      for (const key of ['a.png', 'b.png']) {
        await client.send(new PutObjectCommand({ Bucket: 'b', Key: key, Body: body }));
      }
    } finally {
      client.destroy();
      server.close();
    }
    expect(seen.map(({ bytes }) => bytes)).toEqual([body.length, body.length]);
    expect(seen.map(({ headers }) => headers.expect)).toEqual([undefined, undefined]);
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
  });

  it('sends each command its own input through the middleware chain it resolves once', async () => {
    const seen: { method?: string; url?: string; bytes: number }[] = [];
    const server = http.createServer((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url?.split('?')[0], bytes });
        res.writeHead(200, { etag: '"x"', 'content-length': 0 }).end();
      });
    });
    process.env.AWS_ENDPOINT_URL_S3 = `http://127.0.0.1:${await listen(server)}`;
    const client = s3Client();
    const put = (key: string, size: number) =>
      client.send(new PutObjectCommand({ Bucket: 'b', Key: key, Body: new Uint8Array(size) }));
    try {
      await put('one.png', 10);
      await Promise.all([put('two.png', 20), put('three.png', 30)]);
      await client.send(new DeleteObjectCommand({ Bucket: 'b', Key: 'one.png' }));
    } finally {
      client.destroy();
      server.close();
    }
    expect(client.config.cacheMiddleware).toBe(true);
    expect(seen).toEqual([
      { method: 'PUT', url: '/b/one.png', bytes: 10 },
      { method: 'PUT', url: '/b/two.png', bytes: 20 },
      { method: 'PUT', url: '/b/three.png', bytes: 30 },
      { method: 'DELETE', url: '/b/one.png', bytes: 0 },
    ]);
  });
});

describe('withoutSdkLogging', () => {
  it('leaves no SDK logger middleware in any client', () => {
    const clients = [
      s3Client(),
      bedrockClient({ bedrockTimeoutMs: 5_000 }),
      lambdaClient(),
      dynamoDocumentClient(),
    ];
    for (const client of clients) {
      expect(client.middlewareStack.identify().join()).not.toMatch(/loggerMiddleware/);
      client.destroy();
    }
    expect(new S3Client({}).middlewareStack.identify().join()).toMatch(/loggerMiddleware/);
  });
});

describe('bedrockClient', () => {
  it('sends consecutive and parallel InvokeModel calls over one session with wide windows', async () => {
    const sessions: http2.ServerHttp2Session[] = [];
    const server = http2.createServer();
    server.on('session', (session) => sessions.push(session));
    server.on('stream', (stream) => {
      stream.resume();
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/json' });
        stream.end(JSON.stringify({ images: ['aGk='] }));
      });
    });
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = `http://127.0.0.1:${await listen(server)}`;
    const client = bedrockClient({ bedrockTimeoutMs: 5_000 });
    const invoke = () =>
      client.send(new InvokeModelCommand({ modelId: 'amazon.nova-canvas-v1:0', body: '{}' }));
    try {
      await invoke();
      await invoke();
      await Promise.all([invoke(), invoke(), invoke()]);
      expect(sessions.length).toBe(1);
      const session = sessions[0]!;
      expect(session.remoteSettings.initialWindowSize).toBe(HTTP2_RECEIVE_WINDOW_BYTES);
      // The client's connection-level window as the server sees it (minus what was sent).
      expect(session.state.remoteWindowSize).toBeGreaterThan(HTTP2_RECEIVE_WINDOW_BYTES / 2);
    } finally {
      client.destroy();
      for (const session of sessions) session.destroy();
      server.close();
    }
  });
});

describe('bedrockClient with a BytePool', () => {
  it('reads each answer into a pooled buffer that the next answer reuses once given back', async () => {
    const answer = JSON.stringify({ images: ['x'.repeat(3_000_000)] });
    const server = http2.createServer();
    server.on('stream', (stream) => {
      stream.resume();
      stream.on('end', () => {
        stream.respond({
          ':status': 200,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(answer),
        });
        stream.end(answer);
      });
    });
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = `http://127.0.0.1:${await listen(server)}`;
    const pool = new BytePool();
    const client = bedrockClient({ bedrockTimeoutMs: 5_000 }, pool);
    const invoke = () =>
      client.send(new InvokeModelCommand({ modelId: 'amazon.nova-canvas-v1:0', body: '{}' }));
    try {
      const first = await invoke();
      expect(new TextDecoder().decode(first.body)).toBe(answer);
      // Sized by the answer's Content-Length at once (in 256 KiB steps), not grown to 4 MiB.
      expect(first.body.buffer.byteLength).toBe(12 * 256 * 1024);
      pool.give(first.body);
      const second = await invoke();
      expect(second.body.buffer).toBe(first.body.buffer);
      expect(second.body.transformToString()).toBe(answer);
    } finally {
      client.destroy();
      server.close();
    }
  });
});
