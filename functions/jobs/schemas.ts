/**
 * POST /jobs body, its Idempotency-Key header, and GET /jobs/{id}'s path. The body is exactly a
 * POST /generate or POST /edits body plus `"type"`, validated by the same schemas.
 */
import * as z from 'zod';

import { editRequestSchema } from '../../shared/api/edit-request.js';
import { generateRequestSchema } from '../../shared/api/generate-request.js';

export const jobRequestSchema = z.discriminatedUnion(
  'type',
  [
    generateRequestSchema.extend({ type: z.literal('generate') }),
    editRequestSchema.extend({ type: z.literal('edit') }),
  ],
  { error: 'type must be "generate" or "edit"' },
);
export type JobRequest = z.infer<typeof jobRequestSchema>;

/** 1–255 visible ASCII characters (no spaces or control characters), like most APIs allow. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'Idempotency-Key must be 1 to 255 visible ASCII characters');

/** Job ids are UUIDs or 32-character content hashes (base64url); anything else is not a job. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
