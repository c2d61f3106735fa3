/**
 * The wrapper for Lambda (non-proxy) integrations such as GET /generate. Success returns the body
 * as is; the gateway's response mapping builds the HTTP answer. Failure throws
 * `Error("[<status>] <json body>")`: the integration responses in shared/api/openapi.yaml select
 * on the bracketed status and strip the 6-character prefix.
 */
import type { Context } from 'aws-lambda';

import {
  observeRequest,
  type ObservedRuntime,
  type RequestScope,
  type RuntimeProvider,
} from './observe.js';

export type IntegrationHandler<Event, Result> = (
  event: Event,
  context?: Context,
) => Promise<Result>;

/** The error message format the integration responses of openapi.yaml select on. */
export function integrationErrorMessage(status: number, body: unknown): string {
  return `[${status}] ${JSON.stringify(body)}`;
}

export function withQueryIntegration<
  Event extends { requestId?: string },
  Result,
  Runtime extends ObservedRuntime,
>(
  route: string,
  runtime: RuntimeProvider<Runtime>,
  handle: (event: Event, scope: RequestScope<Runtime>) => Promise<Result>,
): IntegrationHandler<Event, Result> {
  return async (event, lambdaContext) => {
    const observed = await observeRequest(
      {
        route,
        ...(typeof event?.requestId === 'string' && event.requestId !== ''
          ? { requestId: event.requestId }
          : {}),
        ...(lambdaContext ? { lambdaContext } : {}),
        runtime,
        statusOf: () => 200,
      },
      (scope) => handle(event, scope),
    );
    if (observed.isOk) return observed.value;
    throw new Error(integrationErrorMessage(observed.error.status, observed.error.toBody()));
  };
}
