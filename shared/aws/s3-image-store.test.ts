/**
 * S3ImageStore over real HTTP: against the local S3 stand-in, which checks SigV4 and upload
 * checksums as S3 does, and against a bare server that shows what goes over the wire.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

import { startS3, type LocalS3Server } from '../../scripts/local/s3/server.js';
import { S3ImageStore } from './s3-image-store.js';

const region = 'us-west-2';
const bucket = 'images';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };

function storeAt(endpoint: string): { store: S3ImageStore; client: S3Client } {
  const client = new S3Client({
    region,
    endpoint,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    expectContinueHeader: false,
    maxAttempts: 1,
  });
  return { client, store: new S3ImageStore(client, { bucket, urlExpirySeconds: 60 }) };
}

function crc32Base64(bytes: Uint8Array): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(bytes) >>> 0);
  return out.toString('base64');
}

describe('S3ImageStore.put', () => {
  let dataDir: string;
  let server: LocalS3Server;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 's3-image-store-'));
    server = await startS3({ port: 0, dataDir, region, credentials, buckets: [bucket] });
  });

  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores an image that S3 accepts (signature and CRC32 checked) and reads back intact', async () => {
    const { store, client } = storeAt(server.url);
    const image = randomBytes(3 * 1024 * 1024);
    try {
      await store.put('generated/a/0.png', image, 'image/png');
      const stored = await store.get('generated/a/0.png');
      expect(stored?.contentType).toBe('image/png');
      expect(Buffer.from(stored!.bytes).equals(image)).toBe(true);
    } finally {
      client.destroy();
    }
  });

  it('signs the upload without a SHA-256 of the image and sends its CRC32', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const bare = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push(req.headers);
        res.writeHead(200, { etag: '"x"', 'content-length': 0 }).end();
      });
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const { store, client } = storeAt(`http://127.0.0.1:${(bare.address() as AddressInfo).port}`);
    const image = randomBytes(1024);
    try {
      await store.put('generated/b/0.png', image, 'image/png');
    } finally {
      client.destroy();
      bare.close();
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]!['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(seen[0]!['x-amz-checksum-crc32']).toBe(crc32Base64(image));
    expect(seen[0]!.authorization).toMatch(/SignedHeaders=[^,]*x-amz-content-sha256/);
  });
});

describe('S3ImageStore.presignGet', () => {
  let dataDir: string;
  let server: LocalS3Server;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 's3-image-store-presign-'));
    server = await startS3({ port: 0, dataDir, region, credentials, buckets: [bucket] });
  });

  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** getSignedUrl's URL for the same key; both signed within one second, so the same X-Amz-Date. */
  async function bothUrls(store: S3ImageStore, client: S3Client, key: string) {
    for (;;) {
      const ours = await store.presignGet(key);
      const sdk = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
        expiresIn: 60,
      });
      const date = (url: string) => new URL(url).searchParams.get('X-Amz-Date');
      if (date(ours) === date(sdk)) return { ours, sdk };
    }
  }

  it.each([
    ['a path-style local endpoint', () => server.url],
    ['the virtual-hosted AWS endpoint', undefined],
  ])('signs the very URL getSignedUrl signs, key after key (%s)', async (_name, endpoint) => {
    const client = new S3Client({
      region,
      credentials,
      ...(endpoint ? { endpoint: endpoint() } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const store = new S3ImageStore(client, { bucket, urlExpirySeconds: 60 });
    const keys = [
      'generated/0b7d-4d38/0.png',
      'users/eu-west-1:6f1c2a4e/generated/x/3.webp',
      'odd keys/with spaces+plus~tilde/ünï (1)*.png',
    ];
    try {
      for (const key of keys) {
        const { ours, sdk } = await bothUrls(store, client, key);
        expect(ours).toBe(sdk);
      }
    } finally {
      client.destroy();
    }
  });

  it('hands out URLs that S3 accepts, each for its own key, also when signed at once', async () => {
    const { store, client } = storeAt(server.url);
    const images = [randomBytes(100), randomBytes(200), randomBytes(300)];
    try {
      await Promise.all(
        images.map((image, n) => store.put(`generated/c/${n}.png`, image, 'image/png')),
      );
      const urls = await Promise.all(
        images.map((_, n) => store.presignGet(`generated/c/${n}.png`)),
      );
      const fetched = await Promise.all(
        urls.map(async (url) => {
          const response = await fetch(url);
          expect(response.status).toBe(200);
          return Buffer.from(await response.arrayBuffer());
        }),
      );
      expect(fetched.map((bytes, n) => bytes.equals(images[n]!))).toEqual([true, true, true]);
    } finally {
      client.destroy();
    }
  });
});
