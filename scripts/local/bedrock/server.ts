import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import { performance } from 'node:perf_hooks';

import { BedrockError, malformedInput } from './errors.js';
import { MODEL_HANDLERS, baseModelId } from './models/registry.js';
import { parseTriggers, type Triggers } from './triggers.js';
import { listenOn } from '../listen.js';

export interface StartBedrockOptions {
  /** Port to listen on; 0 or omitted picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1 (an IP literal keeps the SDK's endpoint simple). */
  host?: string;
  /** Model ids (base, profile or ARN form) that always answer the end-of-life error. */
  retiredModels?: readonly string[];
}

export interface BedrockStats {
  /** InvokeModel calls that passed authentication and named a model the stand-in knows. */
  invocations: number;
  /** The same, per base model id. */
  byModel: Record<string, number>;
  /** The same, per base model id and the Region the call was signed for (the client's Region). */
  byModelRegion: Record<string, Record<string, number>>;
}

export interface BedrockStandIn {
  /** Base URL for `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` or the client's `endpoint` option. */
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): BedrockStats;
}

/** InvokeModel's `Body` is a blob of at most 25,000,000 bytes (service-2.json, shape `Body`). */
const MAX_BODY_BYTES = 25_000_000;

const EOL_MESSAGE =
  'This model version has reached the end of its life. Please refer to the AWS documentation for more details.';

/** What a `[[malformed]]` prompt gets: valid JSON, but no model answers like this. */
const MALFORMED_ANSWER = {
  localStandIn: 'malformed',
  note: 'this body is deliberately not the model response shape',
};

/** Error-trigger answers, checked in this order before the body is validated. */
const ERROR_TRIGGERS: readonly [keyof Triggers, () => BedrockError][] = [
  ['endOfLife', () => new BedrockError('ResourceNotFoundException', EOL_MESSAGE)],
  [
    'denied',
    () =>
      new BedrockError(
        'AccessDeniedException',
        "You don't have access to the model with the specified model ID.",
      ),
  ],
  [
    'throttle',
    () =>
      new BedrockError(
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
      ),
  ],
  [
    'timeout',
    () =>
      new BedrockError(
        'ModelTimeoutException',
        'Model has timed out in processing the request. Try your request again.',
      ),
  ],
  [
    'error',
    () =>
      new BedrockError(
        'InternalServerException',
        'The system encountered an unexpected error during processing. Try your request again.',
      ),
  ],
  [
    'unavailable',
    () =>
      new BedrockError('ServiceUnavailableException', 'Bedrock is unable to process your request.'),
  ],
];

/**
 * Checks for a SigV4 Authorization header scoped to the `bedrock` service. The signature itself
 * is not verified: the point is to catch unsigned calls, bearer tokens and a wrong signing name.
 */
function checkAuthorization(header: string | undefined): string {
  if (!header)
    throw new BedrockError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  if (/^Bearer\s/i.test(header)) {
    throw new BedrockError(
      'AccessDeniedException',
      'LOCAL STAND-IN: bearer tokens (Bedrock API keys) are not accepted here; sign with SigV4. Is AWS_BEARER_TOKEN_BEDROCK set?',
    );
  }
  const sigV4 =
    /^AWS4-HMAC-SHA256 Credential=[^/\s,]+\/\d{8}\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=[^,\s]+,\s*Signature=[0-9a-f]{64}$/.exec(
      header,
    );
  if (!sigV4) {
    throw new BedrockError(
      'IncompleteSignatureException',
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (AWS4-HMAC-SHA256).",
    );
  }
  if (sigV4[2] !== 'bedrock') {
    throw new BedrockError(
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'bedrock'. ",
    );
  }
  // The credential scope's Region: one endpoint stands in for every Region, and the stats say
  // which Region each call was meant for.
  return sigV4[1] ?? '';
}

async function readBody(request: http2.Http2ServerRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new BedrockError(
        'ValidationException',
        `1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BODY_BYTES}`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the Bedrock Runtime stand-in (HTTP/2 cleartext, as the SDK's default handler needs). */
export async function startBedrock(options: StartBedrockOptions = {}): Promise<BedrockStandIn> {
  const host = options.host ?? '127.0.0.1';
  const retired = new Set((options.retiredModels ?? []).map(baseModelId));
  const byModel = new Map<string, number>();
  const byModelRegion = new Map<string, Map<string, number>>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function invoke(
    request: http2.Http2ServerRequest,
    encodedModelId: string,
    started: { at?: number },
  ) {
    const region = checkAuthorization(request.headers.authorization);
    const rawBody = await readBody(request);
    started.at = performance.now();
    const modelId = baseModelId(decodeURIComponent(encodedModelId));
    if (retired.has(modelId)) throw new BedrockError('ResourceNotFoundException', EOL_MESSAGE);
    const handler = MODEL_HANDLERS[modelId];
    if (!handler) {
      throw new BedrockError(
        'ResourceNotFoundException',
        'Could not resolve the foundation model from the provided model identifier.',
      );
    }
    byModel.set(modelId, (byModel.get(modelId) ?? 0) + 1);
    const regions = byModelRegion.get(modelId) ?? new Map<string, number>();
    regions.set(region, (regions.get(region) ?? 0) + 1);
    byModelRegion.set(modelId, regions);
    const triggers = parseTriggers(rawBody);
    if (triggers.slowMs > 0) await wait(triggers.slowMs);
    for (const [trigger, error] of ERROR_TRIGGERS) if (triggers[trigger]) throw error();
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw malformedInput('#: the request body is not valid JSON');
    }
    const answer = handler(body, { modelId, rawBody, triggers });
    return triggers.malformed ? MALFORMED_ANSWER : answer;
  }

  function send(
    response: http2.Http2ServerResponse,
    status: number,
    payload: unknown,
    started: { at?: number },
    errorType?: string,
  ) {
    if (response.stream.destroyed || response.headersSent) return;
    const headers: http2.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'x-amzn-requestid': randomUUID(),
      'x-local-model-ms':
        started.at === undefined ? '0' : (performance.now() - started.at).toFixed(1),
    };
    // Bedrock appends its namespace to the type; the SDK keeps the part before the colon.
    if (errorType)
      headers['x-amzn-errortype'] =
        `${errorType}:http://internal.amazon.com/coral/com.amazon.bedrock/`;
    response.writeHead(status, headers);
    response.end(JSON.stringify(payload));
  }

  const server = http2.createServer((request, response) => {
    const started: { at?: number } = {};
    const route = /^\/model\/([^/?]+)\/invoke(?:\?.*)?$/.exec(request.url);
    const handled =
      request.method === 'POST' && route?.[1]
        ? invoke(request, route[1], started)
        : Promise.reject(
            new BedrockError(
              'UnknownOperationException',
              `LOCAL STAND-IN: no operation for ${request.method} ${request.url}; only POST /model/{modelId}/invoke`,
            ),
          );
    handled.then(
      (answer) => send(response, 200, answer, started),
      (error: unknown) => {
        if (error instanceof BedrockError) {
          send(response, error.status, { message: error.message }, started, error.type);
          return;
        }
        console.error('[local bedrock] unexpected failure', error);
        const message = `LOCAL STAND-IN internal error: ${error instanceof Error ? error.message : String(error)}`;
        send(response, 500, { message }, started, 'InternalServerException');
      },
    );
  });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });

  const { port, url } = await listenOn(server, options.port ?? 0, host);

  return {
    url,
    port,
    stats: () => {
      const counts = Object.fromEntries(byModel);
      return {
        invocations: Object.values(counts).reduce((sum, count) => sum + count, 0),
        byModel: counts,
        byModelRegion: Object.fromEntries(
          [...byModelRegion].map(([model, regions]) => [model, Object.fromEntries(regions)]),
        ),
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        // Clients keep HTTP/2 sessions open; without this, server.close() would wait for them.
        for (const session of sessions) session.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
