/**
 * Reads shared/api/openapi.yaml the way Terraform's templatefile() and API Gateway's import do:
 * fills the `${name}` placeholders, parses the YAML (with merge keys), and turns the paths and
 * x-amazon-apigateway-* extensions into a route table.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface IntegrationResponse {
  /** `default`, or a selection pattern (Java regex) matched against Lambda's errorMessage. */
  pattern: string;
  statusCode: number;
  responseParameters: Record<string, string>;
  responseTemplates: Record<string, string>;
}

export interface Integration {
  type: 'aws' | 'aws_proxy' | 'mock' | 'http' | 'http_proxy';
  /** The function named by the integration URI, for Lambda integrations. */
  functionName?: string;
  timeoutMs?: number;
  passthroughBehavior: 'when_no_match' | 'when_no_templates' | 'never';
  requestTemplates: Record<string, string>;
  responses: IntegrationResponse[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
}

export interface Operation {
  method: string;
  resourcePath: string;
  operationId?: string;
  /** Security scheme names that all apply (API Gateway uses the first requirement object). */
  security: string[];
  parameters: Parameter[];
  validateParameters: boolean;
  validateBody: boolean;
  integration: Integration;
}

export interface Resource {
  path: string;
  segments: string[];
  operations: Map<string, Operation>;
}

export interface GatewayResponseConfig {
  statusCode?: number;
  responseParameters: Record<string, string>;
  responseTemplates: Record<string, string>;
}

export interface ApiDefinition {
  resources: Resource[];
  gatewayResponses: Map<string, GatewayResponseConfig>;
  binaryMediaTypes: string[];
  /** Cognito user pool ARNs named by the `cognito_user_pools` schemes. */
  securitySchemes: Map<string, { kind: 'cognito' | 'api_key' | 'other'; providerArns: string[] }>;
}

/** What the local gateway puts in `invoke_arn_<name>`: an ARN whose last part names the function. */
export function functionMarker(functionName: string, region: string, partition = 'aws'): string {
  return `arn:${partition}:lambda:${region}:000000000000:function:${functionName}`;
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fills the placeholders. `invoke_arn_*` get a marker naming the function (dashes restored from
 * underscores); every other name must be in `values`, as Terraform would insist.
 */
export function renderOpenApiText(text: string, values: Record<string, string>): string {
  const missing = new Set<string>();
  const rendered = text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name.startsWith('invoke_arn_')) {
      const functionName = name.slice('invoke_arn_'.length).replaceAll('_', '-');
      return functionMarker(functionName, values.region ?? 'us-east-1', values.partition);
    }
    if (Object.hasOwn(values, name)) return values[name]!;
    missing.add(name);
    return whole;
  });
  if (missing.size > 0) {
    throw new Error(`OpenAPI placeholders without a value: ${[...missing].join(', ')}`);
  }
  return rendered;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const asText = (value: unknown): string =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
const asStringMap = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(asObject(value)).map(([key, item]) => [key, asText(item)]));

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

function parseIntegration(raw: Json): Integration {
  const type = asText(raw.type).toLowerCase() as Integration['type'];
  const uri = typeof raw.uri === 'string' ? raw.uri : '';
  const functionMatch = /\/functions\/(.+)\/invocations$/.exec(uri);
  const functionArn = functionMatch?.[1];
  const functionName = functionArn?.includes(':function:')
    ? functionArn.split(':function:')[1]!.split(':')[0]!
    : functionArn;
  const responses = Object.entries(asObject(raw.responses)).map(([pattern, value]) => {
    const response = asObject(value);
    return {
      pattern,
      statusCode: Number(response.statusCode ?? 200),
      responseParameters: asStringMap(response.responseParameters),
      responseTemplates: asStringMap(response.responseTemplates),
    };
  });
  return {
    type,
    ...(functionName ? { functionName } : {}),
    ...(typeof raw.timeoutInMillis === 'number' ? { timeoutMs: raw.timeoutInMillis } : {}),
    passthroughBehavior: (
      asText(raw.passthroughBehavior) || 'when_no_match'
    ).toLowerCase() as Integration['passthroughBehavior'],
    requestTemplates: asStringMap(raw.requestTemplates),
    responses,
  };
}

function parseSecurity(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const first: unknown = value[0];
  return first === undefined ? [] : Object.keys(asObject(first));
}

/** Builds the route table from the rendered document. */
export function parseApiDefinition(document: Json): ApiDefinition {
  const validators = asObject(document['x-amazon-apigateway-request-validators']);
  const defaultValidator = document['x-amazon-apigateway-request-validator'];
  const defaultSecurity = parseSecurity(document.security) ?? [];

  const resources: Resource[] = Object.entries(asObject(document.paths)).map(([path, item]) => {
    const pathItem = asObject(item);
    const shared = Array.isArray(pathItem.parameters) ? (pathItem.parameters as unknown[]) : [];
    const operations = new Map<string, Operation>();
    for (const method of HTTP_METHODS) {
      const raw = asObject(pathItem[method]);
      if (Object.keys(raw).length === 0) continue;
      const validatorName = raw['x-amazon-apigateway-request-validator'] ?? defaultValidator;
      const validator = asObject(validators[String(validatorName)]);
      const parameters = [
        ...shared,
        ...(Array.isArray(raw.parameters) ? (raw.parameters as unknown[]) : []),
      ]
        .map(asObject)
        .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
        .map((p) => ({
          name: String(p.name),
          in: p.in as Parameter['in'],
          required: p.required === true,
        }));
      operations.set(method.toUpperCase(), {
        method: method.toUpperCase(),
        resourcePath: path,
        ...(typeof raw.operationId === 'string' ? { operationId: raw.operationId } : {}),
        security: parseSecurity(raw.security) ?? defaultSecurity,
        parameters,
        validateParameters: validator.validateRequestParameters === true,
        validateBody: validator.validateRequestBody === true,
        integration: parseIntegration(asObject(raw['x-amazon-apigateway-integration'])),
      });
    }
    return { path, segments: path.split('/').filter(Boolean), operations };
  });

  const gatewayResponses = new Map<string, GatewayResponseConfig>();
  for (const [type, value] of Object.entries(
    asObject(document['x-amazon-apigateway-gateway-responses']),
  )) {
    const config = asObject(value);
    gatewayResponses.set(type, {
      ...(config.statusCode === undefined ? {} : { statusCode: Number(config.statusCode) }),
      responseParameters: asStringMap(config.responseParameters),
      responseTemplates: asStringMap(config.responseTemplates),
    });
  }

  const securitySchemes: ApiDefinition['securitySchemes'] = new Map();
  for (const [name, value] of Object.entries(
    asObject(asObject(document.components).securitySchemes),
  )) {
    const scheme = asObject(value);
    const authorizer = asObject(scheme['x-amazon-apigateway-authorizer']);
    const isCognito =
      authorizer.type === 'cognito_user_pools' ||
      scheme['x-amazon-apigateway-authtype'] === 'cognito_user_pools';
    const isApiKey =
      !isCognito &&
      scheme.type === 'apiKey' &&
      String(scheme.name).toLowerCase() === 'x-api-key' &&
      scheme.in === 'header';
    securitySchemes.set(name, {
      kind: isCognito ? 'cognito' : isApiKey ? 'api_key' : 'other',
      providerArns: Array.isArray(authorizer.providerARNs)
        ? authorizer.providerARNs.map(String)
        : [],
    });
  }

  const binary = document['x-amazon-apigateway-binary-media-types'];
  return {
    resources,
    gatewayResponses,
    binaryMediaTypes: Array.isArray(binary) ? binary.map(String) : [],
    securitySchemes,
  };
}

/** Reads, renders and parses the OpenAPI file. */
export function loadApiDefinition(
  openapiPath: string,
  placeholders: Record<string, string>,
): ApiDefinition {
  const text = renderOpenApiText(readFileSync(openapiPath, 'utf8'), placeholders);
  return parseApiDefinition(asObject(parseYaml(text, { merge: true })));
}

/** Lexicographic comparison: the first segment that differs decides. */
function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

export interface RouteMatch {
  resource: Resource;
  pathParameters: Record<string, string>;
}

/**
 * Finds the resource for a path: literal segments win over `{param}`, which wins over `{proxy+}`,
 * as API Gateway prefers the most specific resource.
 */
export function matchResource(resources: Resource[], path: string): RouteMatch | undefined {
  const segments = path.split('/').filter(Boolean);
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const resource of resources) {
    const parameters: Record<string, string> = {};
    const score: number[] = [];
    let ok = true;
    for (let i = 0; i < resource.segments.length; i++) {
      const pattern = resource.segments[i]!;
      const greedy = /^\{(.+)\+\}$/.exec(pattern);
      if (greedy) {
        if (i >= segments.length) ok = false;
        else parameters[greedy[1]!] = segments.slice(i).join('/');
        score.push(0);
        break;
      }
      const segment = segments[i];
      if (segment === undefined) {
        ok = false;
        break;
      }
      const param = /^\{(.+)\}$/.exec(pattern);
      if (param) {
        parameters[param[1]!] = segment;
        score.push(1);
      } else if (pattern === segment) {
        score.push(2);
      } else {
        ok = false;
        break;
      }
    }
    const greedyTail = resource.segments.at(-1)?.endsWith('+}') ?? false;
    if (!ok || (!greedyTail && resource.segments.length !== segments.length)) continue;
    const better = !best || compareScores(score, best.score) > 0;
    if (better) best = { match: { resource, pathParameters: parameters }, score };
  }
  return best?.match;
}
