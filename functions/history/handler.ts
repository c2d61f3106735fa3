// GET /history?limit&cursor → 200 {items, nextCursor?, expiresAt}; DELETE /history/{id} → 204 (Lambda proxy; Cognito; the caller's records only).
import type { APIGatewayProxyEvent } from 'aws-lambda';

import { historyRuntime, type HistoryRuntime } from '../../shared/aws/image-runtimes.js';
import { initRuntime } from '../../shared/aws/runtime.js';
import type { RuntimeProvider } from '../../shared/http/observe.js';
import { parseQuery, requireCaller } from '../../shared/http/request.js';
import { noContent, ok } from '../../shared/http/response.js';
import { validate } from '../../shared/http/validation.js';
import { withHttp, type ProxyHandler } from '../../shared/http/with-http.js';
import { historyPathSchema, historyQuerySchema } from './schemas.js';

export const LIST_ROUTE = 'GET /history';
export const DELETE_ROUTE = 'DELETE /history/{id}';

export function createHandler(runtime: RuntimeProvider<HistoryRuntime>): ProxyHandler {
  const list = withHttp(LIST_ROUTE, runtime, async (event, { runtime }) => {
    const userId = requireCaller(event);
    const { limit, cursor } = parseQuery(event, historyQuerySchema);
    return ok(
      await runtime.history.list(userId, { limit, ...(cursor === undefined ? {} : { cursor }) }),
    );
  });
  const remove = withHttp(DELETE_ROUTE, runtime, async (event, { runtime }) => {
    const userId = requireCaller(event);
    const { id } = validate(historyPathSchema, event.pathParameters ?? {}, 'path');
    await runtime.history.remove(userId, id);
    return noContent();
  });
  // One function serves both methods of the resource (openapi.yaml points both at it).
  return (event: APIGatewayProxyEvent, context) =>
    event.httpMethod === 'DELETE' ? remove(event, context) : list(event, context);
}

export const handler = createHandler(initRuntime(historyRuntime));
