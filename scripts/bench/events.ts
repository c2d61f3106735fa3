/**
 * API Gateway REST proxy events for running a handler outside the gateway, built from the
 * recorded event the handler tests use (shared/http/__fixtures__/rest-proxy-event.json).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { REPO_ROOT } from '../build.js';

const RECORDED_EVENT = path.join(
  REPO_ROOT,
  'shared',
  'http',
  '__fixtures__',
  'rest-proxy-event.json',
);

export interface ProxyEventInput {
  method: 'GET' | 'POST';
  /** The API Gateway resource, e.g. `/edits`. */
  resource: string;
  body: unknown;
  /** Cognito `sub` of the signed-in caller; the authorizer passes claims as strings. */
  sub?: string;
  email?: string;
}

export async function proxyEvent(input: ProxyEventInput): Promise<APIGatewayProxyEvent> {
  const event = JSON.parse(await readFile(RECORDED_EVENT, 'utf8')) as APIGatewayProxyEvent;
  const now = new Date();
  event.httpMethod = input.method;
  event.resource = input.resource;
  event.path = input.resource;
  event.body = JSON.stringify(input.body);
  event.requestContext.httpMethod = input.method;
  event.requestContext.resourcePath = input.resource;
  event.requestContext.path = `/${event.requestContext.stage}${input.resource}`;
  event.requestContext.requestId = randomUUID();
  event.requestContext.requestTimeEpoch = now.getTime();
  if (input.sub) {
    event.requestContext.authorizer = {
      claims: {
        sub: input.sub,
        email: input.email ?? 'bench@example.com',
        email_verified: 'true',
        token_use: 'id',
        auth_time: String(Math.floor(now.getTime() / 1000)),
      },
    };
  }
  return event;
}
