// GET /models (Lambda proxy; public) → 200 {models, defaults}: the models this deployment accepts, with their fields, limits, lifecycle and Region.
import { modelsRuntime, type ModelsRuntime } from '../../shared/aws/models-runtime.js';
import { initRuntime } from '../../shared/aws/runtime.js';
import type { RuntimeProvider } from '../../shared/http/observe.js';
import { withHttp, type ProxyHandler } from '../../shared/http/with-http.js';

export const ROUTE = 'GET /models';

/** The listing only changes with a deployment; five minutes of caching spares repeat calls. */
const CACHE_CONTROL = 'public, max-age=300';

export function createHandler(runtime: RuntimeProvider<ModelsRuntime>): ProxyHandler {
  return withHttp(ROUTE, runtime, (_event, { runtime }) =>
    Promise.resolve({
      statusCode: 200,
      body: runtime.listing,
      headers: { 'Cache-Control': CACHE_CONTROL },
    }),
  );
}

export const handler = createHandler(initRuntime(modelsRuntime));
