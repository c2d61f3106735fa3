// POST /edits (Lambda proxy; Cognito) → 200 {id, image_url, images, model, expiresAt}: an edit of one of the caller's images.
import { editRuntime, type EditRuntime } from '../../shared/aws/image-runtimes.js';
import { initRuntime } from '../../shared/aws/runtime.js';
import { toImageResultBody } from '../../shared/http/image-result-body.js';
import type { RuntimeProvider } from '../../shared/http/observe.js';
import { parseJsonBody, requireCaller } from '../../shared/http/request.js';
import { ok } from '../../shared/http/response.js';
import { withHttp, type ProxyHandler } from '../../shared/http/with-http.js';
import { editRequestSchema } from '../../shared/api/edit-request.js';

export const ROUTE = 'POST /edits';

export function createHandler(runtime: RuntimeProvider<EditRuntime>): ProxyHandler {
  return withHttp(ROUTE, runtime, async (event, { runtime, annotate }) => {
    const userId = requireCaller(event);
    const request = parseJsonBody(event, editRequestSchema);
    const result = await runtime.edit.edit(request, {
      route: ROUTE,
      userId,
      annotate,
      // Longer requests are refused with USE_JOBS instead of timing out at the gateway.
      deadlineSeconds: runtime.config.bedrockTimeoutMs / 1000,
    });
    return ok(toImageResultBody(result));
  });
}

export const handler = createHandler(initRuntime(editRuntime));
