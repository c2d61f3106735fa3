// GET /generate?prompt= (Lambda non-proxy; open, Cognito or API key) → the POST body, which API Gateway answers as a 302 to image_url; errors throw "[status] {json}".
import { generateRuntime, type GenerateRuntime } from '../../shared/aws/image-runtimes.js';
import { initRuntime } from '../../shared/aws/runtime.js';
import { toImageResultBody, type ImageResultBody } from '../../shared/http/image-result-body.js';
import type { RuntimeProvider } from '../../shared/http/observe.js';
import {
  withQueryIntegration,
  type IntegrationHandler,
} from '../../shared/http/query-integration.js';
import { validate } from '../../shared/http/validation.js';
import { generateQuerySchema } from '../../shared/api/generate-request.js';
import {
  DEFAULT_QUERY_SIZE,
  queryEventSchema,
  queryParametersSchema,
  type QueryEvent,
} from './schemas.js';

export const ROUTE = 'GET /generate';

export function createHandler(
  runtime: RuntimeProvider<GenerateRuntime>,
): IntegrationHandler<QueryEvent, ImageResultBody> {
  return withQueryIntegration(ROUTE, runtime, async (event: QueryEvent, { runtime, annotate }) => {
    // The parameters first, so a `__proto__` parameter is named like any other unknown one.
    validate(queryParametersSchema, event?.query ?? {}, 'query');
    const { query, prompt, userId } = validate(queryEventSchema, event, 'event');
    const request = validate(
      generateQuerySchema,
      { ...(prompt === undefined ? {} : { prompt }), ...query },
      'query',
    );
    const hasSize =
      request.width !== undefined ||
      request.height !== undefined ||
      request.aspectRatio !== undefined;
    const result = await runtime.generate.generate(
      hasSize ? request : { ...request, ...DEFAULT_QUERY_SIZE },
      {
        route: ROUTE,
        ...(userId ? { userId } : {}),
        annotate,
        deadlineSeconds: runtime.config.bedrockTimeoutMs / 1000,
      },
    );
    return toImageResultBody(result);
  });
}

export const handler = createHandler(initRuntime(generateRuntime));
