/**
 * A local API Gateway (REST) that serves http://host:port/<stage>/<path> from shared/api/openapi.yaml:
 * Cognito and API-key security, request parameter validation, Lambda proxy and non-proxy (VTL)
 * integrations, mock integrations, gateway responses, the 29 s integration timeout and the 10 MB
 * payload limit. It can also serve the built SPA at `/`.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { InvokeResult, LambdaRuntime } from '../lambda/runtime.js';
import { createCognitoAuthorizer } from './authorizer.js';
import type { CognitoAuthorizer, CognitoOptions } from './authorizer.js';
import { javaMatches } from './java-semantics.js';
import { jsonPath } from './json-path.js';
import { loadApiDefinition, matchResource } from './openapi.js';
import type { ApiDefinition, Integration, IntegrationResponse, Operation } from './openapi.js';
import { buildProxyEvent, parseProxyResult } from './proxy.js';
import { renderVtl } from './vtl.js';
import { listenOn } from '../listen.js';

/** API Gateway's maximum payload (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/**
 * REST API quotas (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-execution-service-limits-table.html):
 * a regional API's URL is at most 10240 characters, and all headers together (names, values,
 * line terminators and white space) at most 10240 bytes. API Gateway answers a longer URL with
 * 414 "Request URI too long" (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 */
export const MAX_URL_CHARACTERS = 10_240;
export const MAX_HEADER_BYTES = 10_240;
/** How much the local server parses before giving up (Node's default is 16 KB). */
const MAX_PARSED_HEADER_BYTES = 1024 * 1024;

/** The status and message API Gateway answers an over-long URL or header set with, if any. */
function oversizeMessage(
  request: IncomingMessage,
): { status: number; message: string } | undefined {
  const url = `http://${request.headers.host ?? ''}${request.url ?? ''}`;
  if (url.length > MAX_URL_CHARACTERS) {
    return { status: 414, message: `Request URI too long (over ${MAX_URL_CHARACTERS} characters)` };
  }
  let headerBytes = 0;
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    // "Name: value\r\n"
    headerBytes +=
      Buffer.byteLength(request.rawHeaders[index] ?? '') +
      Buffer.byteLength(request.rawHeaders[index + 1] ?? '') +
      4;
  }
  if (headerBytes > MAX_HEADER_BYTES) {
    return {
      status: 431,
      message: `Request header fields too large (over ${MAX_HEADER_BYTES} bytes in all)`,
    };
  }
  return undefined;
}

/** API Gateway's default (and, for REST, usual maximum) integration timeout. */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

export interface GatewayOptions {
  port?: number;
  host?: string;
  /** Stage name, the first path segment (default `dev`). */
  stage?: string;
  openapiPath: string;
  /**
   * Values for the non-ARN placeholders: region, cors_origin, public_security, user_pool_arn, and
   * partition (default `aws`).
   */
  placeholders: Record<string, string>;
  /** Only `invoke` is used. */
  runtime: Pick<LambdaRuntime, 'invoke'>;
  cognito?: CognitoOptions;
  /** Keys accepted in X-Api-Key for `api_key` routes. */
  apiKeys?: string[];
  integrationTimeoutMs?: number;
  /** Folder served at `/` (outside the stage), with index.html for SPA routes. */
  webRoot?: string;
  /** Served at `/config.js`; a function is called per request. */
  configJs?: string | (() => string);
  /**
   * Headers added to everything served outside the stage (the SPA and config.js), as Amplify
   * Hosting adds its custom headers: the Content-Security-Policy and friends.
   */
  webHeaders?: Record<string, string> | (() => Record<string, string>);
  /** One JSON access-log line per request on stdout. */
  log?: boolean;
  /** Where configuration problems (bad templates, malformed proxy results) are reported; default stderr. */
  onDiagnostic?: (message: string) => void;
  accountId?: string;
  apiId?: string;
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer | string;
  /** The gateway response type, when API Gateway itself answered. */
  errorType?: string;
  integrationLatencyMs?: number;
}

/** Built-in defaults per gateway response type: status, message and x-amzn-ErrorType. */
const GATEWAY_RESPONSE_DEFAULTS: Record<string, [number, string, string]> = {
  MISSING_AUTHENTICATION_TOKEN: [
    403,
    'Missing Authentication Token',
    'MissingAuthenticationTokenException',
  ],
  UNAUTHORIZED: [401, 'Unauthorized', 'UnauthorizedException'],
  ACCESS_DENIED: [403, 'User is not authorized to access this resource', 'AccessDeniedException'],
  INVALID_API_KEY: [403, 'Forbidden', 'ForbiddenException'],
  BAD_REQUEST_PARAMETERS: [400, 'Invalid request parameters', 'BadRequestException'],
  BAD_REQUEST_BODY: [400, 'Invalid request body', 'BadRequestException'],
  REQUEST_TOO_LARGE: [413, 'Request Too Long', 'RequestTooLargeException'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Unsupported Media Type', 'UnsupportedMediaTypeException'],
  INTEGRATION_TIMEOUT: [504, 'Endpoint request timed out', 'InternalServerErrorException'],
  API_CONFIGURATION_ERROR: [500, 'Internal server error', 'InternalServerErrorException'],
  DEFAULT_5XX: [502, 'Internal server error', 'InternalServerErrorException'],
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const STATIC_VALUE = /^'([\s\S]*)'$/;

class BodyTooLargeError extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep reading (and dropping) so the client gets the 413 instead of a reset connection.
    if (size > MAX_REQUEST_BYTES) tooLarge = true;
    else chunks.push(chunk);
  }
  if (tooLarge) throw new BodyTooLargeError();
  return Buffer.concat(chunks);
}

function rawHeaderPairs(request: IncomingMessage): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    pairs.push([request.rawHeaders[i]!, request.rawHeaders[i + 1]!]);
  }
  return pairs;
}

function mediaTypeMatches(pattern: string, type: string | undefined): boolean {
  if (!type) return false;
  const [wantMain, wantSub] = pattern.toLowerCase().split('/');
  const [main, sub] = type.split(';')[0]!.trim().toLowerCase().split('/');
  return (wantMain === '*' || wantMain === main) && (wantSub === '*' || wantSub === sub);
}

const traceId = (): string =>
  `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

function pickTemplate(templates: Record<string, string>): [string, string] | undefined {
  const json = Object.keys(templates).find((type) => type.toLowerCase() === 'application/json');
  const chosen = json ?? Object.keys(templates)[0];
  return chosen === undefined ? undefined : [chosen, templates[chosen]!];
}

/** Starts the gateway. Routes come from the OpenAPI file, rendered once at start. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const stage = options.stage ?? 'dev';
  const host = options.host ?? '127.0.0.1';
  const accountId = options.accountId ?? '000000000000';
  const apiId = options.apiId ?? 'local00api';
  const api: ApiDefinition = loadApiDefinition(options.openapiPath, {
    partition: 'aws',
    ...options.placeholders,
  });
  const authorizer: CognitoAuthorizer | undefined = options.cognito
    ? createCognitoAuthorizer(options.cognito)
    : undefined;
  const apiKeys = new Set(options.apiKeys ?? []);
  const diagnose =
    options.onDiagnostic ?? ((message: string): void => void process.stderr.write(`${message}\n`));
  const describe = (error: unknown): string =>
    error instanceof Error ? (error.stack ?? error.message) : String(error);

  interface RequestState {
    requestId: string;
    extendedRequestId: string;
    method: string;
    /** Path inside the stage, e.g. /generate. */
    path: string;
    resourcePath: string;
    sourceIp: string;
    startedAt: number;
    headerPairs: [string, string][];
    query: URLSearchParams;
    pathParameters: Record<string, string>;
    body: Buffer;
    domainName: string;
    protocol: string;
    claims?: Record<string, string>;
    apiKey?: string;
  }

  const header = (state: RequestState, name: string): string | undefined =>
    state.headerPairs.findLast(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

  const singleValues = (pairs: Iterable<[string, string]>): Record<string, string> => {
    // No prototype: a parameter named `__proto__` is a key like any other, as in Java.
    const map: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, value] of pairs) map[name] = value;
    return map;
  };

  function vtlContext(
    state: RequestState,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      accountId,
      apiId,
      domainName: state.domainName,
      extendedRequestId: state.extendedRequestId,
      httpMethod: state.method,
      identity: {
        sourceIp: state.sourceIp,
        userAgent: header(state, 'user-agent') ?? '',
        apiKey: state.apiKey ?? '',
      },
      path: `/${stage}${state.path}`,
      protocol: state.protocol,
      requestId: state.requestId,
      requestTimeEpoch: state.startedAt,
      resourceId: resourceIdOf(state.resourcePath),
      resourcePath: state.resourcePath,
      stage,
      authorizer: { claims: state.claims ?? {} },
      ...extra,
    };
  }

  function resourceIdOf(resourcePath: string): string {
    return createHash('sha1').update(resourcePath).digest('hex').slice(0, 6);
  }

  /** Static values, or values mapped from the request (`method.request.*`). */
  function mapRequestValue(state: RequestState, expression: string): string | undefined {
    const staticValue = STATIC_VALUE.exec(expression);
    if (staticValue) return staticValue[1];
    const [, source, name] =
      /^method\.request\.(header|querystring|path)\.(.+)$/.exec(expression) ?? [];
    if (source === 'header') return header(state, name!);
    if (source === 'querystring') return state.query.get(name!) ?? undefined;
    if (source === 'path') return state.pathParameters[name!];
    return undefined;
  }

  /** A response made by API Gateway itself, shaped by x-amazon-apigateway-gateway-responses. */
  function gatewayResponse(
    type: string,
    state: RequestState,
    message?: string,
    statusOverride?: number,
  ): Reply {
    const [defaultStatus, defaultMessage, errorType] = GATEWAY_RESPONSE_DEFAULTS[type] ?? [
      500,
      'Internal server error',
      'InternalServerErrorException',
    ];
    const baseStatus = statusOverride ?? defaultStatus;
    const family = baseStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
    const config = api.gatewayResponses.get(type) ?? api.gatewayResponses.get(family);
    const status = config?.statusCode ?? baseStatus;
    const text = message ?? defaultMessage;
    const headers: Record<string, string> = {};
    for (const [target, expression] of Object.entries(config?.responseParameters ?? {})) {
      const headerName = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
      const value = headerName ? mapRequestValue(state, expression) : undefined;
      if (headerName && value !== undefined) headers[headerName] = value;
    }
    const template = pickTemplate(config?.responseTemplates ?? {}) ?? [
      'application/json',
      '{"message":$context.error.messageString}',
    ];
    const body = renderVtl(template[1], {
      input: {
        body: '',
        querystring: singleValues(state.query.entries()),
        header: singleValues(state.headerPairs),
      },
      context: vtlContext(state, {
        error: { message: text, messageString: JSON.stringify(text), responseType: type },
      }),
    });
    return {
      status,
      headers: { 'Content-Type': template[0], 'x-amzn-ErrorType': errorType, ...headers },
      body,
      errorType: type,
    };
  }

  function checkRequiredParameters(operation: Operation, state: RequestState): string[] {
    if (!operation.validateParameters) return [];
    return operation.parameters
      .filter((parameter) => parameter.required)
      .filter((parameter) => {
        if (parameter.in === 'query') return !state.query.has(parameter.name);
        if (parameter.in === 'header') return header(state, parameter.name) === undefined;
        return state.pathParameters[parameter.name] === undefined;
      })
      .map((parameter) => parameter.name);
  }

  async function authorize(operation: Operation, state: RequestState): Promise<Reply | undefined> {
    for (const schemeName of operation.security) {
      const scheme = api.securitySchemes.get(schemeName);
      if (scheme?.kind === 'cognito') {
        const claims = authorizer ? await authorizer(header(state, 'authorization')) : undefined;
        if (!claims) return gatewayResponse('UNAUTHORIZED', state);
        state.claims = claims;
      } else if (scheme?.kind === 'api_key') {
        const key = header(state, 'x-api-key');
        if (key === undefined || !apiKeys.has(key))
          return gatewayResponse('INVALID_API_KEY', state);
        state.apiKey = key;
      }
    }
    return undefined;
  }

  async function invokeWithTimeout(
    integration: Integration,
    event: unknown,
  ): Promise<InvokeResult | 'timeout' | 'not-found'> {
    const timeoutMs =
      options.integrationTimeoutMs ?? integration.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    // The Lambda request id differs from API Gateway's, as on AWS.
    const invocation = options.runtime
      .invoke(integration.functionName ?? '', event)
      .catch((error: unknown) => {
        diagnose(`gateway: invoking ${integration.functionName} failed: ${describe(error)}`);
        return 'not-found' as const;
      });
    try {
      return await Promise.race([invocation, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  function isBinary(contentType: string | undefined): boolean {
    return api.binaryMediaTypes.some((pattern) => mediaTypeMatches(pattern, contentType));
  }

  async function proxyIntegration(operation: Operation, state: RequestState): Promise<Reply> {
    const event = buildProxyEvent({
      method: state.method,
      path: state.path,
      resourcePath: operation.resourcePath,
      stage,
      rawHeaders: [
        ...state.headerPairs,
        ['X-Amzn-Trace-Id', traceId()],
        ['X-Forwarded-For', state.sourceIp],
        ['X-Forwarded-Port', String(server.address() && (server.address() as AddressInfo).port)],
        ['X-Forwarded-Proto', 'http'],
      ],
      query: state.query,
      pathParameters: state.pathParameters,
      body: state.body,
      isBinary: isBinary(header(state, 'content-type')),
      requestId: state.requestId,
      extendedRequestId: state.extendedRequestId,
      sourceIp: state.sourceIp,
      requestTimeEpoch: state.startedAt,
      accountId,
      apiId,
      resourceId: resourceIdOf(operation.resourcePath),
      domainName: state.domainName,
      protocol: state.protocol,
      ...(state.claims ? { claims: state.claims } : {}),
      ...(state.apiKey ? { apiKey: state.apiKey } : {}),
    });
    const started = performance.now();
    const result = await invokeWithTimeout(operation.integration, event);
    const integrationLatencyMs = performance.now() - started;
    if (result === 'timeout')
      return { ...gatewayResponse('INTEGRATION_TIMEOUT', state), integrationLatencyMs };
    if (result === 'not-found')
      return { ...gatewayResponse('API_CONFIGURATION_ERROR', state), integrationLatencyMs };
    if (!result.ok) {
      // A function error with the proxy integration is a 502, like a malformed response.
      return {
        ...gatewayResponse('DEFAULT_5XX', state, 'Internal server error', 502),
        integrationLatencyMs,
      };
    }
    const accept = header(state, 'accept')?.split(',')[0];
    const response = parseProxyResult(
      result.payload,
      (contentType) => isBinary(accept) || isBinary(contentType),
    );
    if (!response) {
      diagnose(
        `gateway: malformed Lambda proxy response from ${operation.integration.functionName}`,
      );
      return {
        ...gatewayResponse('DEFAULT_5XX', state, 'Internal server error', 502),
        integrationLatencyMs,
      };
    }
    const hasContentType = Object.keys(response.headers).some(
      (name) => name.toLowerCase() === 'content-type',
    );
    return {
      status: response.statusCode,
      headers: {
        ...(hasContentType ? {} : { 'Content-Type': 'application/json' }),
        'X-Amzn-Trace-Id': traceId(),
        ...response.headers,
      },
      body: response.body,
      integrationLatencyMs,
    };
  }

  function selectResponse(
    responses: IntegrationResponse[],
    selector: string | undefined,
  ): IntegrationResponse | undefined {
    if (selector !== undefined) {
      const matched = responses.find(
        (response) => response.pattern !== 'default' && javaMatches(response.pattern, selector),
      );
      if (matched) return matched;
    }
    return responses.find((response) => response.pattern === 'default');
  }

  /** Maps integration response values onto method response headers (responseParameters). */
  function responseHeaders(
    parameters: Record<string, string>,
    state: RequestState,
    integrationBody: string,
    integrationHeaders: Record<string, string>,
  ): Record<string, string> {
    const headers: Record<string, string> = {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(integrationBody);
    } catch {
      parsed = undefined;
    }
    for (const [target, expression] of Object.entries(parameters)) {
      const name = /^method\.response\.header\.(.+)$/.exec(target)?.[1];
      if (!name) continue;
      let value: unknown;
      if (expression === 'integration.response.body') value = integrationBody;
      else if (expression.startsWith('integration.response.body.')) {
        value = jsonPath(parsed, `$.${expression.slice('integration.response.body.'.length)}`);
      } else if (expression.startsWith('integration.response.header.')) {
        const wanted = expression.slice('integration.response.header.'.length).toLowerCase();
        value = Object.entries(integrationHeaders).find(
          ([key]) => key.toLowerCase() === wanted,
        )?.[1];
      } else value = mapRequestValue(state, expression);
      if (value === undefined || value === null) continue;
      headers[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    return headers;
  }

  function integrationReply(
    selected: IntegrationResponse,
    state: RequestState,
    integrationBody: string,
    integrationHeaders: Record<string, string>,
  ): Reply {
    const headers = responseHeaders(
      selected.responseParameters,
      state,
      integrationBody,
      integrationHeaders,
    );
    const template = pickTemplate(selected.responseTemplates);
    const body = template
      ? renderVtl(template[1], { input: { body: integrationBody }, context: vtlContext(state) })
      : integrationBody;
    return {
      status: selected.statusCode,
      headers: { 'Content-Type': template?.[0] ?? 'application/json', ...headers },
      body,
    };
  }

  /** Picks the request template for the Content-Type, honouring passthroughBehavior. */
  function requestTemplate(
    integration: Integration,
    state: RequestState,
  ): { kind: 'template'; template: string } | { kind: 'passthrough' } | { kind: 'unsupported' } {
    const contentType = (header(state, 'content-type') ?? 'application/json')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const templates = integration.requestTemplates;
    const match = Object.keys(templates).find((type) => type.toLowerCase() === contentType);
    if (match) return { kind: 'template', template: templates[match]! };
    const behaviour = integration.passthroughBehavior;
    if (behaviour === 'never') return { kind: 'unsupported' };
    if (behaviour === 'when_no_templates' && Object.keys(templates).length > 0) {
      return { kind: 'unsupported' };
    }
    return { kind: 'passthrough' };
  }

  function renderRequest(template: string, state: RequestState): string {
    return renderVtl(template, {
      input: {
        body: state.body.toString('utf8'),
        path: state.pathParameters,
        querystring: singleValues(state.query.entries()),
        header: singleValues(state.headerPairs),
      },
      context: vtlContext(state),
    });
  }

  async function lambdaIntegration(operation: Operation, state: RequestState): Promise<Reply> {
    const template = requestTemplate(operation.integration, state);
    if (template.kind === 'unsupported') return gatewayResponse('UNSUPPORTED_MEDIA_TYPE', state);
    const rendered =
      template.kind === 'passthrough'
        ? state.body.toString('utf8')
        : renderRequest(template.template, state);
    let event: unknown;
    try {
      event = JSON.parse(rendered.trim() === '' ? '{}' : rendered);
    } catch (error) {
      diagnose(
        `gateway: the request template of ${state.method} ${operation.resourcePath} rendered invalid JSON (${(error as Error).message}):\n${rendered}`,
      );
      return gatewayResponse('API_CONFIGURATION_ERROR', state);
    }
    const started = performance.now();
    const result = await invokeWithTimeout(operation.integration, event);
    const integrationLatencyMs = performance.now() - started;
    if (result === 'timeout')
      return { ...gatewayResponse('INTEGRATION_TIMEOUT', state), integrationLatencyMs };
    if (result === 'not-found')
      return { ...gatewayResponse('API_CONFIGURATION_ERROR', state), integrationLatencyMs };
    const integrationBody = result.ok
      ? JSON.stringify(result.payload)
      : JSON.stringify({
          errorMessage: result.errorMessage,
          errorType: result.errorType,
          trace: result.trace ?? [],
        });
    const integrationHeaders: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Amz-Executed-Version': '$LATEST',
      ...(result.ok ? {} : { 'X-Amz-Function-Error': 'Unhandled' }),
    };
    // Selection patterns see Lambda's errorMessage; a success always takes the default response.
    const selected = selectResponse(
      operation.integration.responses,
      result.ok ? undefined : result.errorMessage,
    );
    if (!selected) {
      diagnose(
        `gateway: no integration response of ${state.method} ${operation.resourcePath} matches and there is no default`,
      );
      return { ...gatewayResponse('API_CONFIGURATION_ERROR', state), integrationLatencyMs };
    }
    return {
      ...integrationReply(selected, state, integrationBody, integrationHeaders),
      integrationLatencyMs,
    };
  }

  function mockIntegration(operation: Operation, state: RequestState): Reply {
    const template = requestTemplate(operation.integration, state);
    let statusCode = '200';
    if (template.kind === 'template') {
      try {
        const parsed = JSON.parse(renderRequest(template.template, state)) as {
          statusCode?: unknown;
        };
        if (typeof parsed.statusCode === 'number' || typeof parsed.statusCode === 'string') {
          statusCode = String(parsed.statusCode);
        }
      } catch {
        statusCode = '500';
      }
    }
    const selected = selectResponse(operation.integration.responses, statusCode);
    if (!selected) return gatewayResponse('API_CONFIGURATION_ERROR', state);
    return integrationReply(selected, state, '', {});
  }

  async function handleApi(state: RequestState): Promise<Reply> {
    const route = matchResource(api.resources, state.path);
    const operation = route?.resource.operations.get(state.method);
    if (!route || !operation) return gatewayResponse('MISSING_AUTHENTICATION_TOKEN', state);
    state.resourcePath = operation.resourcePath;
    state.pathParameters = route.pathParameters;

    const denied = await authorize(operation, state);
    if (denied) return denied;
    const missing = checkRequiredParameters(operation, state);
    if (missing.length > 0) {
      return gatewayResponse(
        'BAD_REQUEST_PARAMETERS',
        state,
        `Missing required request parameters: [${missing.join(', ')}]`,
      );
    }
    switch (operation.integration.type) {
      case 'aws_proxy':
        return proxyIntegration(operation, state);
      case 'aws':
        return lambdaIntegration(operation, state);
      case 'mock':
        return mockIntegration(operation, state);
      default:
        diagnose(
          `gateway: integration type ${operation.integration.type} is not supported locally`,
        );
        return gatewayResponse('API_CONFIGURATION_ERROR', state);
    }
  }

  async function serveStatic(pathname: string): Promise<Reply> {
    if (pathname === '/config.js' && options.configJs !== undefined) {
      const text = typeof options.configJs === 'function' ? options.configJs() : options.configJs;
      return {
        status: 200,
        headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' },
        body: text,
      };
    }
    // Without a stage in the path, API Gateway answers 403 Forbidden.
    const forbidden: Reply = {
      status: 403,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ForbiddenException' },
      body: '{"message":"Forbidden"}',
    };
    if (!options.webRoot) return forbidden;
    const root = path.resolve(options.webRoot);
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return forbidden;
    }
    const target = path.resolve(root, `.${path.posix.normalize(decoded)}`);
    if (target !== root && !target.startsWith(root + path.sep)) return forbidden;
    const fileStat = await stat(target).catch(() => undefined);
    let file = fileStat?.isFile() ? target : undefined;
    if (!file && fileStat?.isDirectory()) {
      const index = path.join(target, 'index.html');
      if ((await stat(index).catch(() => undefined))?.isFile()) file = index;
    }
    // SPA routes (no file extension) fall back to index.html; missing assets are 404s.
    if (!file && path.extname(decoded) === '') file = path.join(root, 'index.html');
    const body = file ? await readFile(file).catch(() => undefined) : undefined;
    if (!file || !body) {
      return {
        status: 404,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: 'Not found',
      };
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return {
      status: 200,
      headers: {
        'Content-Type': type,
        'Cache-Control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=300',
      },
      body,
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const stagePrefix = `/${stage}`;
    const inStage = url.pathname === stagePrefix || url.pathname.startsWith(`${stagePrefix}/`);
    const state: RequestState = {
      requestId: randomUUID(),
      extendedRequestId: randomBytes(10).toString('base64'),
      method: (request.method ?? 'GET').toUpperCase(),
      path:
        (inStage ? url.pathname.slice(stagePrefix.length) : url.pathname).replace(/(.)\/$/, '$1') ||
        '/',
      resourcePath: '',
      sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      startedAt,
      headerPairs: rawHeaderPairs(request),
      query: url.searchParams,
      pathParameters: {},
      body: Buffer.alloc(0),
      domainName: request.headers.host ?? `${host}`,
      protocol: `HTTP/${request.httpVersion}`,
    };
    state.resourcePath = state.path;

    let reply: Reply;
    try {
      const oversize = oversizeMessage(request);
      state.body = await readBody(request);
      reply = oversize
        ? gatewayResponse('DEFAULT_4XX', state, oversize.message, oversize.status)
        : inStage
          ? await handleApi(state)
          : await serveStatic(url.pathname);
    } catch (error) {
      if (error instanceof BodyTooLargeError) reply = gatewayResponse('REQUEST_TOO_LARGE', state);
      else {
        diagnose(`gateway: unexpected failure: ${describe(error)}`);
        reply = gatewayResponse('API_CONFIGURATION_ERROR', state);
      }
    }

    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    response.writeHead(reply.status, {
      ...reply.headers,
      ...(inStage
        ? { 'x-amzn-RequestId': state.requestId, 'x-amz-apigw-id': state.extendedRequestId }
        : typeof options.webHeaders === 'function'
          ? options.webHeaders()
          : options.webHeaders),
      'Content-Length': String(body.length),
    });
    response.end(state.method === 'HEAD' ? undefined : body);

    if (options.log) {
      process.stdout.write(
        `${JSON.stringify({
          requestId: state.requestId,
          ip: state.sourceIp,
          requestTime: new Date(startedAt).toISOString(),
          httpMethod: state.method,
          path: url.pathname,
          resourcePath: inStage ? state.resourcePath : undefined,
          status: reply.status,
          protocol: state.protocol,
          responseLength: body.length,
          latencyMs: Date.now() - startedAt,
          integrationLatencyMs:
            reply.integrationLatencyMs === undefined
              ? undefined
              : Math.round(reply.integrationLatencyMs),
          errorType: reply.errorType,
        })}\n`,
      );
    }
  }

  // Node's own limit (16 KB) would answer an empty 431, or reset the connection; parse up to
  // 1 MiB and answer over-long requests as API Gateway does, in the API's error shape.
  const server = createServer({ maxHeaderSize: MAX_PARSED_HEADER_BYTES }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      diagnose(`gateway: failed to answer: ${describe(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  // Past even that, Node would answer an empty 431 (or reset): answer in the API's error shape.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code !== 'HPE_HEADER_OVERFLOW' || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({
      error: { code: 'BAD_REQUEST', message: 'Request header fields too large' },
    });
    socket.end(
      [
        'HTTP/1.1 431 Request Header Fields Too Large',
        'Content-Type: application/json',
        `Access-Control-Allow-Origin: ${options.placeholders.cors_origin ?? '*'}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
  const { port, url } = await listenOn(server, options.port ?? 0, host);

  return {
    url,
    port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
