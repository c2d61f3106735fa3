/**
 * The UploadSigner port on S3: pre-signed POST forms (S3 POST policy) for browser uploads. Kept
 * apart from the S3ImageStore because @aws-sdk/s3-presigned-post is large and only POST /uploads
 * needs it.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';

import type { UploadForm, UploadPolicy, UploadSigner } from '../core/ports.js';

export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async presignUpload(policy: UploadPolicy): Promise<UploadForm> {
    const { url, fields } = await createPresignedPost(this.client, {
      Bucket: this.bucket,
      Key: policy.key,
      Conditions: [
        ['eq', '$Content-Type', policy.contentType],
        ['content-length-range', 1, policy.maxBytes],
      ],
      Fields: { 'Content-Type': policy.contentType },
      Expires: policy.expiresInSeconds,
    });
    return { url, fields };
  }
}
