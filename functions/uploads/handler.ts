// POST /uploads (Lambda proxy; Cognito) → 200 {key, url, fields, expiresAt, maxBytes}: a pre-signed S3 POST form for one image.
import { uploadRuntime, type UploadRuntime } from '../../shared/aws/upload-runtime.js';
import { initRuntime } from '../../shared/aws/runtime.js';
import type { RuntimeProvider } from '../../shared/http/observe.js';
import { parseJsonBody, requireCaller } from '../../shared/http/request.js';
import { ok } from '../../shared/http/response.js';
import { withHttp, type ProxyHandler } from '../../shared/http/with-http.js';
import { uploadRequestSchema } from './schemas.js';

export const ROUTE = 'POST /uploads';

export function createHandler(runtime: RuntimeProvider<UploadRuntime>): ProxyHandler {
  return withHttp(ROUTE, runtime, async (event, { runtime }) => {
    const userId = requireCaller(event);
    const request = parseJsonBody(event, uploadRequestSchema);
    return ok(await runtime.uploads.createUpload(userId, request));
  });
}

export const handler = createHandler(initRuntime(uploadRuntime));
