import { AppError } from '../errors.js';
import { uploadsPrefix } from './keys.js';
import type { UploadForm, UploadPolicy, UploadSigner } from './ports.js';
import { sequentialIds } from './test-doubles.js';
import { UPLOAD_EXPIRY_SECONDS, createUploadService } from './upload-service.js';

/** Signs nothing; remembers the policies it was asked for. */
class RecordingSigner implements UploadSigner {
  readonly policies: UploadPolicy[] = [];

  presignUpload(policy: UploadPolicy): Promise<UploadForm> {
    this.policies.push(policy);
    return Promise.resolve({ url: 'https://bucket.example/', fields: { key: policy.key } });
  }
}

const NOW = new Date('2026-03-04T05:06:07.000Z');

function setup(maxUploadBytes = 1000) {
  const signer = new RecordingSigner();
  const service = createUploadService({
    signer,
    clock: { now: () => NOW },
    newId: sequentialIds(),
    config: { maxUploadBytes },
  });
  return { signer, service };
}

describe('createUploadService', () => {
  it('signs one key in the caller’s uploads folder, limited to the type and the exact size', async () => {
    const { signer, service } = setup();

    const ticket = await service.createUpload('user-1', { contentType: 'image/png', size: 640 });

    expect(signer.policies).toEqual([
      {
        key: `${uploadsPrefix('user-1')}id-1`,
        contentType: 'image/png',
        maxBytes: 640,
        expiresInSeconds: UPLOAD_EXPIRY_SECONDS,
      },
    ]);
    expect(ticket).toEqual({
      key: `${uploadsPrefix('user-1')}id-1`,
      url: 'https://bucket.example/',
      fields: { key: `${uploadsPrefix('user-1')}id-1` },
      expiresAt: new Date(NOW.getTime() + UPLOAD_EXPIRY_SECONDS * 1000).toISOString(),
      maxBytes: 640,
    });
  });

  it('gives every upload its own key', async () => {
    const { service } = setup();

    const first = await service.createUpload('user-1', { contentType: 'image/png', size: 1 });
    const second = await service.createUpload('user-1', { contentType: 'image/png', size: 1 });

    expect(first.key).not.toBe(second.key);
  });

  it('refuses a file over MAX_UPLOAD_BYTES without signing anything', async () => {
    const { signer, service } = setup(1000);

    const attempt = service.createUpload('user-1', { contentType: 'image/jpeg', size: 1001 });

    await expect(attempt).rejects.toThrow(AppError);
    await expect(attempt).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: [{ path: 'size' }],
    });
    expect(signer.policies).toEqual([]);
  });

  it('accepts a file of exactly MAX_UPLOAD_BYTES', async () => {
    const { service } = setup(1000);

    const ticket = await service.createUpload('user-1', { contentType: 'image/webp', size: 1000 });

    expect(ticket.maxBytes).toBe(1000);
  });
});
