/** Browser uploads straight to S3: the Lambda signs a POST policy and never sees the bytes. */
import type { AppConfig } from '../config.js';
import { AppError } from '../errors.js';
import type { ImageMimeType } from '../models/types.js';
import { uploadsPrefix } from './keys.js';
import type { Clock, IdGenerator, UploadSigner } from './ports.js';

export interface UploadDeps {
  signer: UploadSigner;
  clock: Clock;
  newId: IdGenerator;
  config: Pick<AppConfig, 'maxUploadBytes'>;
}

export interface UploadInput {
  contentType: ImageMimeType;
  /** The file's size in bytes; the policy allows at most this many. */
  size: number;
}

export interface UploadTicket {
  key: string;
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
  maxBytes: number;
}

export interface UploadService {
  createUpload(userId: string, input: UploadInput): Promise<UploadTicket>;
}

/** Five minutes is enough to start an upload from the page that asked for it. */
export const UPLOAD_EXPIRY_SECONDS = 300;

export function createUploadService(deps: UploadDeps): UploadService {
  return {
    async createUpload(userId, { contentType, size }) {
      if (size > deps.config.maxUploadBytes) {
        const message = `The image is ${size} bytes; the limit is ${deps.config.maxUploadBytes} bytes.`;
        throw new AppError('PAYLOAD_TOO_LARGE', message, { details: [{ path: 'size', message }] });
      }
      const key = `${uploadsPrefix(userId)}${deps.newId()}`;
      const form = await deps.signer.presignUpload({
        key,
        contentType,
        maxBytes: size,
        expiresInSeconds: UPLOAD_EXPIRY_SECONDS,
      });
      const expiresAt = new Date(
        deps.clock.now().getTime() + UPLOAD_EXPIRY_SECONDS * 1000,
      ).toISOString();
      return { key, url: form.url, fields: form.fields, expiresAt, maxBytes: size };
    },
  };
}
