// POST /generate (Lambda proxy; open, Cognito or API key per public_security) → 200 {id, image_url, images, model, expiresAt}.
import { generateRuntime, type GenerateRuntime } from '../../shared/aws/image-runtimes.js';
import { initRuntime } from '../../shared/aws/runtime.js';
import type { RuntimeProvider } from '../../shared/http/observe.js';
import { toImageResultBody } from '../../shared/http/image-result-body.js';
import { callerId, parseJsonBody } from '../../shared/http/request.js';
import { ok } from '../../shared/http/response.js';
import { withHttp, type ProxyHandler } from '../../shared/http/with-http.js';
import { generateRequestSchema } from '../../shared/api/generate-request.js';

export const ROUTE = 'POST /generate';

export function createHandler(runtime: RuntimeProvider<GenerateRuntime>): ProxyHandler {
  return withHttp(ROUTE, runtime, async (event, { runtime, annotate }) => {
    const request = parseJsonBody(event, generateRequestSchema);
    const userId = callerId(event);
    const result = await runtime.generate.generate(request, {
      route: ROUTE,
      ...(userId ? { userId } : {}),
      annotate,
      // Longer requests are refused with USE_JOBS instead of timing out at the gateway.
      deadlineSeconds: runtime.config.bedrockTimeoutMs / 1000,
    });
    return ok(toImageResultBody(result));
  });
}

export const handler = createHandler(initRuntime(generateRuntime));
