/**
 * A stand-in for the Lambda Invoke API (POST /2015-03-31/functions/<name>/invocations), so functions
 * that call other functions with the real @aws-sdk/client-lambda reach the local runtime through
 * AWS_ENDPOINT_URL_LAMBDA. https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { MAX_SYNC_PAYLOAD_BYTES } from './runtime.js';
import type { InvokeResult, LambdaRuntime } from './runtime.js';
import { listenOn } from '../listen.js';

/** Asynchronous (Event) payload limit, per the Invoke API reference. */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024;
/** Lambda retries a failed asynchronous invocation twice, after about 1 and 2 minutes; locally shorter. */
const DEFAULT_ASYNC_RETRY_DELAYS_MS = [1_000, 2_000];
const ACCOUNT_ID = '000000000000';

export interface LambdaServerOptions {
  port?: number;
  host?: string;
  /**
   * `invoke` is all that is needed, so a late-bound wrapper around the runtime works too; with
   * `has`, Event invocations of unknown functions fail at once (404) as on Lambda.
   */
  runtime: Pick<LambdaRuntime, 'invoke'> & Partial<Pick<LambdaRuntime, 'has'>>;
  region?: string;
  /** Delays before each retry of a failed Event invocation; its length is the retry count (default 2). */
  asyncRetryDelaysMs?: number[];
  /** Called when an Event invocation has failed on its last attempt (Lambda would drop it or send it to a DLQ). */
  onAsyncFailure?: (functionName: string, requestId: string, result: InvokeResult) => void;
}

export interface LambdaServer {
  url: string;
  port: number;
  /** Resolves when every background (Event) invocation, retries included, has finished. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * The function name from any of the accepted FunctionName forms: `name`, `name:qualifier`,
 * `123456789012:function:name[:qualifier]` and the full ARN.
 */
export function parseFunctionName(raw: string): string {
  const afterFunction = raw.includes(':function:') ? raw.split(':function:')[1]! : raw;
  return afterFunction.split(':')[0]!;
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new ApiError(
        413,
        'RequestTooLargeException',
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function sendError(response: ServerResponse, requestId: string, error: ApiError): void {
  response.writeHead(error.status, {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': requestId,
    'x-amzn-ErrorType': error.errorType,
  });
  response.end(JSON.stringify({ Type: 'User', message: error.message }));
}

function errorPayload(result: InvokeResult): string {
  if (result.ok) return JSON.stringify(result.payload);
  return JSON.stringify({
    errorType: result.errorType,
    errorMessage: result.errorMessage,
    ...(result.trace ? { trace: result.trace } : {}),
  });
}

/** Starts the Invoke API stand-in. Point the SDK at it with AWS_ENDPOINT_URL_LAMBDA=<url>. */
export async function startLambda(options: LambdaServerOptions): Promise<LambdaServer> {
  const region = options.region ?? 'us-east-1';
  const retryDelays = options.asyncRetryDelaysMs ?? DEFAULT_ASYNC_RETRY_DELAYS_MS;
  const background = new Set<Promise<void>>();
  const sleepers = new Set<() => void>();
  let closing = false;

  /** A retry delay that close() can cut short. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const functionArn = (name: string): string =>
    `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;

  async function invokeOrNotFound(
    name: string,
    event: unknown,
    requestId: string,
  ): Promise<InvokeResult> {
    try {
      return await options.runtime.invoke(name, event, { requestId });
    } catch (error) {
      if (error instanceof Error && error.name === 'UnknownFunctionError') {
        throw new ApiError(
          404,
          'ResourceNotFoundException',
          `Function not found: ${functionArn(name)}`,
        );
      }
      throw error;
    }
  }

  /** Event invocations: first attempt plus retries on function errors, same request id throughout. */
  async function runInBackground(name: string, event: unknown, requestId: string): Promise<void> {
    let result = await invokeOrNotFound(name, event, requestId);
    for (const delay of retryDelays) {
      if (result.ok || closing) return;
      await sleep(delay);
      if (closing) return;
      result = await invokeOrNotFound(name, event, requestId);
    }
    if (!result.ok) options.onAsyncFailure?.(name, requestId, result);
  }

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    requestId: string,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = INVOKE_PATH.exec(url.pathname);
    if (request.method !== 'POST' || !match) {
      throw new ApiError(
        404,
        'UnknownOperationException',
        `No operation at ${request.method} ${url.pathname}`,
      );
    }
    const name = parseFunctionName(decodeURIComponent(match[1]!));
    const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const body = await readBody(
      request,
      invocationType === 'Event' ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES,
    );
    let event: unknown = {};
    if (body.length > 0) {
      try {
        event = JSON.parse(body.toString('utf8'));
      } catch (error) {
        throw new ApiError(
          400,
          'InvalidRequestContentException',
          `Could not parse request body into json: ${(error as Error).message}`,
        );
      }
    }

    if (invocationType === 'DryRun') {
      response.writeHead(204, { 'x-amzn-RequestId': requestId }).end();
      return;
    }
    if (invocationType === 'Event') {
      // Lambda queues the event and answers at once; unknown functions still fail synchronously.
      if (options.runtime.has && !options.runtime.has(name)) {
        throw new ApiError(
          404,
          'ResourceNotFoundException',
          `Function not found: ${functionArn(name)}`,
        );
      }
      const task = runInBackground(name, event, requestId).catch((error: unknown) => {
        if (!(error instanceof ApiError))
          console.error('lambda: background invocation failed', error);
      });
      background.add(task);
      void task.finally(() => background.delete(task));
      response.writeHead(202, { 'x-amzn-RequestId': requestId, 'Content-Length': '0' }).end();
      return;
    }
    if (invocationType !== 'RequestResponse') {
      throw new ApiError(
        400,
        'InvalidParameterValueException',
        `Unsupported invocation type: ${invocationType}`,
      );
    }
    const result = await invokeOrNotFound(name, event, requestId);
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': requestId,
      'X-Amz-Executed-Version': '$LATEST',
      ...(result.ok ? {} : { 'X-Amz-Function-Error': 'Unhandled' }),
    });
    response.end(errorPayload(result));
  }

  const server = createServer((request, response) => {
    const requestId = randomUUID();
    handle(request, response, requestId).catch((error: unknown) => {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError(
              500,
              'ServiceException',
              error instanceof Error ? error.message : String(error),
            );
      if (!response.headersSent) sendError(response, requestId, apiError);
      else response.end();
    });
  });
  const { port, url } = await listenOn(server, options.port ?? 0, options.host ?? '127.0.0.1');

  return {
    url,
    port,
    async drain() {
      while (background.size > 0) await Promise.all([...background]);
    },
    async close() {
      closing = true;
      for (const wake of [...sleepers]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...background]);
    },
  };
}
