/**
 * The wrapper every Lambda proxy handler uses: the handler body only parses, calls a service and
 * says what to answer; errors, CORS, logging and metrics are done here once.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

import {
  observeRequest,
  type ObservedRuntime,
  type RequestScope,
  type RuntimeProvider,
} from './observe.js';
import { errorResult, toProxyResult, type HttpResult } from './response.js';

export type ProxyHandler = (
  event: APIGatewayProxyEvent,
  context?: Context,
) => Promise<APIGatewayProxyResult>;

export function withHttp<Runtime extends ObservedRuntime>(
  route: string,
  runtime: RuntimeProvider<Runtime>,
  handle: (event: APIGatewayProxyEvent, scope: RequestScope<Runtime>) => Promise<HttpResult>,
): ProxyHandler {
  return async (event, lambdaContext) => {
    const observed = await observeRequest(
      {
        route,
        requestId: event.requestContext?.requestId,
        ...(lambdaContext ? { lambdaContext } : {}),
        runtime,
        statusOf: (result: HttpResult) => result.statusCode,
      },
      (scope) => handle(event, scope),
    );
    const result = observed.isOk ? observed.value : errorResult(observed.error);
    return toProxyResult(result, observed.corsOrigin);
  };
}
