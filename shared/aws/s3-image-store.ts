/** The ImageStore port on S3: objects and pre-signed GET URLs (upload forms: s3-upload-signer.ts). */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import type { ImageStore, StoredImage } from '../core/ports.js';

export interface S3ImageStoreOptions {
  bucket: string;
  urlExpirySeconds: number;
}

/**
 * Error names S3 uses for "no such object". Without s3:ListBucket, S3 answers a missing key with
 * 403 AccessDenied instead of 404 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html),
 * and keys are checked against the caller's folder before any read, so 403 means "missing" too.
 */
const MISSING_OBJECT_ERRORS = new Set(['NoSuchKey', 'NotFound', 'AccessDenied']);

function isMissingObject(error: unknown): boolean {
  return error instanceof Error && MISSING_OBJECT_ERRORS.has(error.name);
}

/**
 * Signs an upload with `x-amz-content-sha256: UNSIGNED-PAYLOAD` instead of a SHA-256 of the whole
 * image, which S3 allows for single-chunk uploads
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html). The request
 * still travels over TLS on AWS and carries its CRC32, which S3 verifies.
 */
function signWithoutPayloadHash<Input extends object, Output extends object>(
  next: (args: { input: Input; request: unknown }) => Promise<Output>,
) {
  return (args: { input: Input; request: unknown }): Promise<Output> => {
    const request = args.request as { headers?: Record<string, string> } | undefined;
    if (request?.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    return next(args);
  };
}

export class S3ImageStore implements ImageStore {
  constructor(
    private readonly client: S3Client,
    private readonly options: S3ImageStoreOptions,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const command = new PutObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      Body: bytes,
      ContentType: contentType,
      // Without a type S3 stores binary/octet-stream and browsers download instead of showing.
      CacheControl: 'private, max-age=31536000, immutable',
      // S3 checks the upload against this (computed natively by zlib), so an unsigned payload
      // loses no integrity; it also stays with the object for later downloads to verify.
      ChecksumAlgorithm: 'CRC32',
    });
    command.middlewareStack.add(signWithoutPayloadHash, {
      step: 'build',
      name: 'signWithoutPayloadHash',
    });
    await this.client.send(command);
  }

  async get(key: string): Promise<StoredImage | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: key }),
      );
      if (!response.Body) return undefined;
      const bytes = await response.Body.transformToByteArray();
      return { bytes, ...(response.ContentType ? { contentType: response.ContentType } : {}) };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // One DeleteObject per key rather than DeleteObjects: a record has at most six objects, and
    // DeleteObjects needs a Content-MD5/checksum that some S3 stand-ins do not handle.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  presignGet(key: string): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.options.bucket, Key: key }),
      {
        expiresIn: this.options.urlExpirySeconds,
      },
    );
  }
}
