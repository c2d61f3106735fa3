import { jest } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Jwk } from 'aws-jwt-verify/jwk';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLambdaRuntime } from '../lambda/runtime.js';
import type { LambdaRuntime } from '../lambda/runtime.js';
import { startGateway } from './server.js';
import type { Gateway, GatewayOptions } from './server.js';

const OPENAPI_PATH = fileURLToPath(new URL('../../../shared/api/openapi.yaml', import.meta.url));
const fixture = (name: string): string =>
  fileURLToPath(new URL(`../lambda/fixtures/${name}`, import.meta.url));

const REGION = 'us-east-1';
const USER_POOL_ID = 'us-east-1_TestPool1';
const CLIENT_ID = 'test0client0id';
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`;
const CORS_ORIGIN = 'https://app.example.com';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface ProxyEventSeen {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  requestContext: Record<string, unknown>;
}

interface TokenOptions {
  tokenUse?: string;
  audience?: string;
  expiresIn?: number;
  signWith?: SigningKey;
}

const WEB_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
};

const lowerCaseKeys = (headers: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

describe('startGateway', () => {
  let runtime: LambdaRuntime;
  let gateway: Gateway;
  let keyGateway: Gateway;
  let webRoot: string;
  let privateKey: SigningKey;
  let otherKey: SigningKey;
  let jwk: Jwk;
  const diagnostics: string[] = [];

  async function mintToken(options: TokenOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      sub: 'user-123',
      'cognito:username': 'ana',
      'cognito:groups': ['admins', 'artists'],
      email: 'ana@example.com',
      email_verified: true,
      token_use: options.tokenUse ?? 'id',
      auth_time: now,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(ISSUER)
      .setAudience(options.audience ?? CLIENT_ID)
      .setIssuedAt(now - 60)
      .setExpirationTime(now + (options.expiresIn ?? 3600))
      .sign(options.signWith ?? privateKey);
  }

  function baseOptions(): GatewayOptions {
    return {
      port: 0,
      stage: 'dev',
      openapiPath: OPENAPI_PATH,
      placeholders: {
        region: REGION,
        cors_origin: CORS_ORIGIN,
        public_security: '[]',
        user_pool_arn: `arn:aws:cognito-idp:${REGION}:000000000000:userpool/${USER_POOL_ID}`,
      },
      runtime,
      cognito: {
        userPoolId: USER_POOL_ID,
        clientId: CLIENT_ID,
        issuer: ISSUER,
        jwks: () => ({ keys: [jwk] }),
      },
      // Well above a cold worker-thread start on a loaded 2-core machine; the sleep fixture outlasts it.
      integrationTimeoutMs: 2500,
      onDiagnostic: (message) => diagnostics.push(message),
    };
  }

  const call = (base: Gateway, pathname: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${base.url}${pathname}`, { redirect: 'manual', ...init });

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    ({ privateKey: otherKey } = await generateKeyPair('RS256'));
    const exported = await exportJWK(pair.publicKey);
    jwk = { kty: 'RSA', n: exported.n!, e: exported.e!, kid: 'test-key', alg: 'RS256', use: 'sig' };

    const proxy = { bundlePath: fixture('gateway-proxy.mjs'), env: {}, timeoutMs: 5000 };
    runtime = createLambdaRuntime({
      generate: proxy,
      uploads: proxy,
      edits: proxy,
      history: proxy,
      jobs: proxy,
      'generate-query': { bundlePath: fixture('gateway-query.mjs'), env: {}, timeoutMs: 5000 },
    });

    webRoot = await mkdtemp(path.join(tmpdir(), 'gateway-web-'));
    await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>app</title>');
    await writeFile(path.join(webRoot, 'app.js'), 'console.log("app")');

    gateway = await startGateway({
      ...baseOptions(),
      webRoot,
      configJs: () => 'window.APP_CONFIG = {"stage":"dev"};',
      webHeaders: WEB_HEADERS,
    });
    keyGateway = await startGateway({
      ...baseOptions(),
      placeholders: { ...baseOptions().placeholders, public_security: '[{"api_key":[]}]' },
      apiKeys: ['secret-key-1'],
    });
  });

  afterAll(async () => {
    await gateway.close();
    await keyGateway.close();
    await runtime.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  describe('Lambda proxy integration', () => {
    it('sends the REST API proxy event and returns the function’s response', async () => {
      const response = await call(gateway, '/dev/generate?tag=a&tag=b&q=x%20y', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Custom': 'yes' },
        body: '{"prompt":"a fox"}',
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-single')).toBe('one');
      expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
      const { event } = (await response.json()) as { event: ProxyEventSeen };
      expect(event).toMatchObject({
        resource: '/generate',
        path: '/generate',
        httpMethod: 'POST',
        queryStringParameters: { tag: 'b', q: 'x y' },
        multiValueQueryStringParameters: { tag: ['a', 'b'], q: ['x y'] },
        pathParameters: null,
        stageVariables: null,
        body: '{"prompt":"a fox"}',
        isBase64Encoded: false,
      });
      expect(event.headers['X-Custom']).toBe('yes');
      expect(event.multiValueHeaders['X-Custom']).toEqual(['yes']);
      expect(event.requestContext).toMatchObject({
        resourcePath: '/generate',
        httpMethod: 'POST',
        path: '/dev/generate',
        stage: 'dev',
        protocol: 'HTTP/1.1',
        requestId: response.headers.get('x-amzn-requestid'),
        identity: { sourceIp: '127.0.0.1' },
      });
      expect(typeof event.requestContext.requestTimeEpoch).toBe('number');
      expect(event.requestContext.accountId).toMatch(/^\d{12}$/);
      expect(event.requestContext.authorizer).toBeUndefined();
    });

    it('answers 502 for a malformed proxy result or a function error', async () => {
      for (const mode of ['malformed', 'extra-key', 'throw']) {
        const response = await call(gateway, `/dev/generate?mode=${mode}`, { method: 'POST' });
        expect(response.status).toBe(502);
        expect(await response.json()).toEqual({
          error: { code: 'INTERNAL', message: 'Internal server error' },
        });
        expect(response.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN);
      }
      expect(diagnostics.filter((message) => message.includes('malformed'))).toHaveLength(2);
    });

    it('answers 504 when the integration takes longer than the timeout', async () => {
      const response = await call(gateway, '/dev/generate?mode=sleep', { method: 'POST' });
      expect(response.status).toBe(504);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'GATEWAY_TIMEOUT',
      );
    });

    it('answers 413 for bodies over 10 MB', async () => {
      const response = await call(gateway, '/dev/generate', {
        method: 'POST',
        body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a'),
      });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'PAYLOAD_TOO_LARGE',
      );
    });
  });

  describe('routing and gateway responses', () => {
    it('answers unknown routes and methods with the MISSING_AUTHENTICATION_TOKEN response', async () => {
      const unknown = await call(gateway, '/dev/nope');
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN);
      expect(await unknown.json()).toEqual({
        error: { code: 'NOT_FOUND', message: 'No such route: GET /nope' },
      });
      const wrongMethod = await call(gateway, '/dev/generate', { method: 'PUT' });
      expect(wrongMethod.status).toBe(404);
    });

    it('answers CORS preflights from the mock integration', async () => {
      const response = await call(gateway, '/dev/history/abc', { method: 'OPTIONS' });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN);
      expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST,DELETE,OPTIONS');
      expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
      expect(response.headers.get('access-control-max-age')).toBe('600');
      expect(await response.text()).toBe('');
    });

    it('writes a JSON access-log line per request when asked to', async () => {
      const logged = await startGateway({ ...baseOptions(), log: true });
      const writes: string[] = [];
      const spy = jest
        .spyOn(process.stdout, 'write')
        .mockImplementation((chunk: string | Uint8Array) => {
          writes.push(String(chunk));
          return true;
        });
      try {
        const response = await call(logged, '/dev/nope');
        await response.text();
      } finally {
        spy.mockRestore();
        await logged.close();
      }
      const line = JSON.parse(writes.find((w) => w.includes('"requestId"'))!) as Record<
        string,
        unknown
      >;
      expect(line).toMatchObject({ httpMethod: 'GET', path: '/dev/nope', status: 404 });
      expect(typeof line.latencyMs).toBe('number');
    });
  });

  describe('Cognito authorizer', () => {
    it('rejects a missing, forged, expired, access or foreign-client token with 401', async () => {
      const tokens = [
        undefined,
        await mintToken({ signWith: otherKey }),
        await mintToken({ expiresIn: -10 }),
        await mintToken({ tokenUse: 'access' }),
        await mintToken({ audience: 'another-client' }),
        'not-a-jwt',
      ];
      for (const token of tokens) {
        const response = await call(gateway, '/dev/history', {
          headers: token ? { Authorization: token } : {},
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'UNAUTHORIZED',
        );
      }
    });

    it('accepts a raw or Bearer ID token and passes the claims as strings', async () => {
      const token = await mintToken();
      for (const authorization of [token, `Bearer ${token}`]) {
        const response = await call(gateway, '/dev/history/item-42', {
          method: 'DELETE',
          headers: { Authorization: authorization },
        });
        expect(response.status).toBe(201);
        const { event } = (await response.json()) as {
          event: {
            pathParameters: unknown;
            resource: string;
            requestContext: { authorizer: { claims: Record<string, unknown> } };
          };
        };
        expect(event.resource).toBe('/history/{id}');
        expect(event.pathParameters).toEqual({ id: 'item-42' });
        const claims = event.requestContext.authorizer.claims;
        expect(claims).toMatchObject({
          sub: 'user-123',
          'cognito:username': 'ana',
          'cognito:groups': '[admins artists]',
          email_verified: 'true',
          token_use: 'id',
          aud: CLIENT_ID,
          iss: ISSUER,
        });
        expect(claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d UTC \d{4}$/);
        expect(claims.auth_time).toMatch(/^\d+$/);
        expect(Object.values(claims).every((value) => typeof value === 'string')).toBe(true);
      }
    });
  });

  describe('API key security', () => {
    it('requires a configured X-Api-Key on api_key routes', async () => {
      const missing = await call(keyGateway, '/dev/generate', { method: 'POST', body: '{}' });
      expect(missing.status).toBe(403);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
        'INVALID_API_KEY',
      );
      const wrong = await call(keyGateway, '/dev/generate', {
        method: 'POST',
        headers: { 'x-api-key': 'guess' },
      });
      expect(wrong.status).toBe(403);
      const ok = await call(keyGateway, '/dev/generate', {
        method: 'POST',
        headers: { 'x-api-key': 'secret-key-1' },
      });
      expect(ok.status).toBe(201);
      const { event } = (await ok.json()) as {
        event: { requestContext: { identity: { apiKey: string } } };
      };
      expect(event.requestContext.identity.apiKey).toBe('secret-key-1');
    });
  });

  describe('non-proxy integration: GET /generate', () => {
    it('checks required query parameters', async () => {
      const response = await call(gateway, '/dev/generate?model=x');
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: {
          code: 'MISSING_PARAMETER',
          message: 'Missing required request parameters: [prompt]',
        },
      });
    });

    it('renders the request template and redirects to integration.response.body.image_url', async () => {
      const prompt = `a "quoted" fox's den\nline 2 – café 🦊`;
      const response = await call(
        gateway,
        `/dev/generate?prompt=${encodeURIComponent(prompt)}&seed=7`,
      );
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(
        `https://images.example.com/1.png?prompt=${encodeURIComponent(prompt)}`,
      );
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN);
      const body = (await response.json()) as { received: Record<string, unknown> };
      expect(body.received).toMatchObject({
        prompt,
        query: { prompt, seed: '7' },
        requestId: response.headers.get('x-amzn-requestid'),
        sourceIp: '127.0.0.1',
        userId: '',
      });
    });

    it.each([
      ['[400]', 400],
      ['[404]', 404],
      ['[422]', 422],
      ['[503]', 503],
    ])(
      'maps a function error starting %s to HTTP %i with the JSON after the prefix',
      async (prefix, status) => {
        const response = await call(gateway, `/dev/generate?prompt=${encodeURIComponent(prefix)}`);
        expect(response.status).toBe(status);
        expect(await response.json()).toEqual({ error: { code: 'X', message: 'from function' } });
        expect(response.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN);
      },
    );

    it('adds Retry-After on 429 and hides unexpected failures behind a generic 500', async () => {
      const throttled = await call(gateway, '/dev/generate?prompt=%5B429%5D');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('5');

      const crashed = await call(gateway, '/dev/generate?prompt=crash');
      expect(crashed.status).toBe(500);
      expect(((await crashed.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
    });
  });

  describe('static files', () => {
    it('serves the SPA, its routes, and config.js outside the stage', async () => {
      expect(await (await call(gateway, '/')).text()).toContain('<title>app</title>');
      expect(await (await call(gateway, '/history/123')).text()).toContain('<title>app</title>');
      const script = await call(gateway, '/app.js');
      expect(script.headers.get('content-type')).toContain('text/javascript');
      expect(await (await call(gateway, '/config.js')).text()).toBe(
        'window.APP_CONFIG = {"stage":"dev"};',
      );
      expect((await call(gateway, '/missing.png')).status).toBe(404);
    });

    it('sends the web security headers with the SPA and config.js, not with API responses', async () => {
      for (const pathname of ['/', '/history/123', '/app.js', '/config.js', '/missing.png']) {
        const response = await call(gateway, pathname);
        expect(Object.fromEntries(response.headers)).toMatchObject(lowerCaseKeys(WEB_HEADERS));
      }
      const api = await call(gateway, '/dev/no-such-route');
      expect(api.headers.get('content-security-policy')).toBeNull();
    });

    it('never serves files outside the web root', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${gateway.url}/..%2f..%2fpackage.json`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect([403, 404]).toContain(status);
    });
  });
});
