/**
 * The production clients against real local servers: what goes over the wire and how many
 * connections it takes, which is what the client options are for.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

import { s3Client } from './clients.js';

const ENV_KEYS = [
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_S3',
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

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

describe('s3Client', () => {
  it('uploads a large image without Expect: 100-continue, over one kept-alive connection', async () => {
    const seen: { headers: IncomingHttpHeaders; socket: unknown; bytes: number }[] = [];
    const server = http.createServer((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        seen.push({ headers: req.headers, socket: req.socket, bytes });
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
});
