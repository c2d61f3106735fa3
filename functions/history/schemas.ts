/** GET /history query and DELETE /history/{id} path parameters. */
import * as z from 'zod';

/** DynamoDB Query pages; 50 items keep the answer (with up to 7 URLs each) well under 1 MB. */
const MAX_LIMIT = 50;
const DEFAULT_LIMIT = 20;

export const historyQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d+$/, `limit must be a whole number from 1 to ${MAX_LIMIT}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_LIMIT))
    .default(DEFAULT_LIMIT),
  cursor: z.string().min(1).max(2048).optional(),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const historyPathSchema = z.object({
  id: z.string().min(1).max(200),
});
