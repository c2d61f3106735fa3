/**
 * Lambda proxy integration, REST API (payload version 1.0): the event API Gateway sends and the
 * result it accepts.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface ProxyRequest {
  method: string;
  /** Path without the stage, e.g. /history/abc. */
  path: string;
  resourcePath: string;
  stage: string;
  /** Raw header pairs in arrival order, names as the client sent them. */
  rawHeaders: [string, string][];
  query: URLSearchParams;
  pathParameters: Record<string, string>;
  body: Buffer;
  isBinary: boolean;
  requestId: string;
  extendedRequestId: string;
  sourceIp: string;
  requestTimeEpoch: number;
  accountId: string;
  apiId: string;
  resourceId: string;
  domainName: string;
  protocol: string;
  claims?: Record<string, string>;
  apiKey?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** requestContext.requestTime, CLF style: 09/Apr/2015:12:34:56 +0000. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function multiMap(pairs: Iterable<[string, string]>): Record<string, string[]> | null {
  // No prototype: a parameter or header named `__proto__` is a key like any other, as in Java.
  const map: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of pairs) (map[name] ??= []).push(value);
  return Object.keys(map).length === 0 ? null : map;
}

/** The last value wins in the single-value maps, as API Gateway documents. */
function lastValues(map: Record<string, string[]> | null): Record<string, string> | null {
  if (!map) return null;
  return Object.fromEntries(Object.entries(map).map(([name, values]) => [name, values.at(-1)!]));
}

export function buildProxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const multiValueHeaders = multiMap(request.rawHeaders);
  const multiValueQueryStringParameters = multiMap(request.query.entries());
  const userAgent = request.rawHeaders.find(([name]) => name.toLowerCase() === 'user-agent')?.[1];
  return {
    resource: request.resourcePath,
    path: request.path,
    httpMethod: request.method,
    headers: lastValues(multiValueHeaders) ?? {},
    multiValueHeaders: multiValueHeaders ?? {},
    queryStringParameters: lastValues(multiValueQueryStringParameters),
    multiValueQueryStringParameters,
    pathParameters: Object.keys(request.pathParameters).length > 0 ? request.pathParameters : null,
    stageVariables: null,
    requestContext: {
      resourceId: request.resourceId,
      resourcePath: request.resourcePath,
      httpMethod: request.method,
      extendedRequestId: request.extendedRequestId,
      requestTime: clfTime(request.requestTimeEpoch),
      path: `/${request.stage}${request.path}`,
      accountId: request.accountId,
      protocol: request.protocol,
      stage: request.stage,
      domainPrefix: request.domainName.split('.')[0] ?? request.domainName,
      requestTimeEpoch: request.requestTimeEpoch,
      requestId: request.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: userAgent ?? null,
        user: null,
        apiKey: request.apiKey ?? null,
        apiKeyId: request.apiKey ? 'local-api-key' : null,
        clientCert: null,
      },
      domainName: request.domainName,
      apiId: request.apiId,
      ...(request.claims ? { authorizer: { claims: request.claims } } : {}),
    } as APIGatewayProxyEvent['requestContext'],
    body:
      request.body.length === 0
        ? null
        : request.body.toString(request.isBinary ? 'base64' : 'utf8'),
    isBase64Encoded: request.isBinary,
  };
}

export interface ProxyHttpResponse {
  statusCode: number;
  /** Header name → values (multi-value headers become repeated headers). */
  headers: Record<string, string[]>;
  body: Buffer;
}

const ALLOWED_KEYS = new Set([
  'statusCode',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
]);

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * Turns a proxy result into the HTTP response, or undefined when API Gateway would call it a
 * "Malformed Lambda proxy response" (answered with 502).
 *
 * @param decodeBase64 whether binary support applies, i.e. the response type is a binary media type
 */
export function parseProxyResult(
  payload: unknown,
  decodeBase64: (contentType: string | undefined) => boolean,
): ProxyHttpResponse | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const result = payload as Record<string, unknown>;
  if (Object.keys(result).some((key) => !ALLOWED_KEYS.has(key))) return undefined;

  const status =
    typeof result.statusCode === 'number'
      ? result.statusCode
      : typeof result.statusCode === 'string' && /^\d+$/.test(result.statusCode)
        ? Number(result.statusCode)
        : NaN;
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return undefined;
  }
  if (result.isBase64Encoded !== undefined && typeof result.isBase64Encoded !== 'boolean') {
    return undefined;
  }

  const headers: Record<string, string[]> = {};
  if (result.headers !== undefined && result.headers !== null) {
    if (typeof result.headers !== 'object' || Array.isArray(result.headers)) return undefined;
    for (const [name, value] of Object.entries(result.headers)) {
      if (!isScalar(value)) return undefined;
      headers[name] = [String(value)];
    }
  }
  if (result.multiValueHeaders !== undefined && result.multiValueHeaders !== null) {
    const multi = result.multiValueHeaders;
    if (typeof multi !== 'object' || Array.isArray(multi)) return undefined;
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
      // Values in multiValueHeaders replace the same header from `headers`.
      headers[name] = values.map(String);
    }
  }

  const contentTypeName = Object.keys(headers).find(
    (name) => name.toLowerCase() === 'content-type',
  );
  const contentType = contentTypeName ? headers[contentTypeName]![0] : undefined;
  const bodyText = typeof result.body === 'string' ? result.body : '';
  const body =
    result.isBase64Encoded === true && decodeBase64(contentType)
      ? Buffer.from(bodyText, 'base64')
      : Buffer.from(bodyText, 'utf8');
  return { statusCode: status, headers, body };
}
