/**
 * The event GET /generate's mapping template (shared/api/openapi.yaml) renders:
 * `{"prompt", "query": {every query parameter, as strings}, "requestId", "sourceIp", "userId"}`.
 * `userId` is the Cognito `sub`, or empty when the route is open.
 */
import * as z from 'zod';

/** Every query parameter, as strings. */
export const queryParametersSchema = z.record(z.string(), z.string());

export const queryEventSchema = z.object({
  prompt: z.string().optional(),
  query: queryParametersSchema.default({}),
  requestId: z.string().optional(),
  sourceIp: z.string().optional(),
  userId: z.string().optional(),
});
export type QueryEvent = z.infer<typeof queryEventSchema>;

/** The size a GET request gets when it names none: 16:9 like the seed's images. */
export const DEFAULT_QUERY_SIZE = { width: 1280, height: 720 } as const;
