/** POST /uploads body: what the browser is about to upload. */
import * as z from 'zod';

export const uploadRequestSchema = z.strictObject({
  contentType: z.enum(['image/png', 'image/jpeg', 'image/webp'], {
    error: 'contentType must be image/png, image/jpeg or image/webp',
  }),
  size: z.number().int().min(1, 'size must be at least 1 byte'),
});
export type UploadRequest = z.infer<typeof uploadRequestSchema>;
