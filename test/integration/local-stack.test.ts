/**
 * The local stack through HTTP only, as curl, a browser and the SPA use it: both generate routes,
 * pre-signed URLs (and a tampered one), sign-in with the first-login password change, the
 * authorizer, fault answers, and state surviving a restart.
 */
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { PNG } from 'pngjs';
import { signInWithSrp } from '../../web/src/auth/srp-sign-in.js';
import { claimsOf, cognitoClient, createSignedInUser, type SignedInUser } from './cognito-user.js';
import { postJson } from './hardening/helpers.js';
import { json, startTestStack, type TestStack } from './stack-fixture.js';

interface ImageAnswer {
  id: string;
  image_url: string;
  images: { url: string; key: string; seed: number | null }[];
  model: string;
  expiresAt: string;
  cached?: boolean;
}

interface ErrorAnswer {
  error: { code: string; message: string };
}

async function pngSize(
  url: string,
): Promise<{ width: number; height: number; type: string | null }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const bytes = Buffer.from(await response.arrayBuffer());
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, type: response.headers.get('content-type') };
}

describe('local stack over HTTP', () => {
  let stack: TestStack;
  let user: SignedInUser;

  beforeAll(async () => {
    stack = await startTestStack();
    user = await createSignedInUser(stack);
  });

  afterAll(async () => {
    await stack?.destroy();
  });

  describe('POST /generate (seed 000)', () => {
    it('answers image_url pointing at a PNG of the requested size', async () => {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'A futuristic city skyline at sunset',
        model: 'amazon.nova-canvas-v1:0',
        width: 1280,
        height: 720,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      const body = await json<ImageAnswer>(response);
      expect(body.image_url).toBe(body.images[0]?.url);
      expect(body.images[0]?.key).toMatch(/^generated\/[0-9a-f-]{36}\/0\.png$/);
      expect(await pngSize(body.image_url)).toEqual({
        width: 1280,
        height: 720,
        type: 'image/png',
      });
    });

    it('takes seed 000 exactly as written: {"prompt": ...} with the default model', async () => {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'A futuristic city skyline at sunset',
      });
      const body = await json<ImageAnswer>(response);
      expect(response.status).toBe(200);
      expect(body.model).toBe('stability.stable-image-core-v1:1');
      const size = await pngSize(body.image_url);
      expect(size.width).toBe(size.height);
    });

    it('keeps the SDXL body of seed 000 supported when that model is chosen', async () => {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'beach with palm trees',
        model: 'stability.stable-diffusion-xl-v1',
        cfgScale: 10,
        steps: 30,
        seed: 7,
      });
      const body = await json<ImageAnswer>(response);
      expect(response.status).toBe(200);
      expect(body.images[0]?.seed).toBe(7);
    });

    it('gives concurrent requests distinct keys (no timestamp names)', async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          postJson(`${stack.invokeUrl}/generate`, { prompt: 'same prompt' }).then((r) =>
            json<ImageAnswer>(r),
          ),
        ),
      );
      const keys = new Set(answers.map((answer) => answer.images[0]?.key));
      expect(keys.size).toBe(8);
    });

    it.each([
      ['malformed JSON', '{"prompt":', 400, 'INVALID_JSON'],
      ['an empty prompt', JSON.stringify({ prompt: '   ' }), 400, 'INVALID_REQUEST'],
      ['an unknown field', JSON.stringify({ prompt: 'x', colour: 'red' }), 400, 'INVALID_REQUEST'],
      [
        'a model not on the list',
        JSON.stringify({ prompt: 'x', model: 'openai.dall-e' }),
        400,
        'MODEL_NOT_ALLOWED',
      ],
      [
        'a size off the model grid',
        JSON.stringify({
          prompt: 'x',
          model: 'amazon.nova-canvas-v1:0',
          width: 1000,
          height: 1000,
        }),
        400,
        'INVALID_PARAMETER',
      ],
    ])('refuses %s with a JSON error code', async (_name, body, status, code) => {
      const response = await fetch(`${stack.invokeUrl}/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(status);
      expect((await json<ErrorAnswer>(response)).error.code).toBe(code);
    });

    it.each([
      ['[[throttle]]', 429, 'THROTTLED'],
      ['[[filter]]', 422, 'CONTENT_FILTERED'],
      ['[[error]]', 502, 'UPSTREAM_ERROR'],
      ['[[eol]]', 503, 'MODEL_UNAVAILABLE'],
      ['[[malformed]]', 502, 'UPSTREAM_ERROR'],
    ])('answers the model fault %s with %i %s', async (trigger, status, code) => {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: `a cat ${trigger}`,
        model: 'amazon.nova-canvas-v1:0',
      });
      expect(response.status).toBe(status);
      const body = await json<ErrorAnswer>(response);
      expect(body.error.code).toBe(code);
      expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules/);
    });

    it('tells a throttled client when to retry', async () => {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'a cat [[throttle]]',
        model: 'amazon.nova-canvas-v1:0',
      });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('names the setting to change when a model is retired', async () => {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'a cat [[eol]]',
        model: 'amazon.nova-canvas-v1:0',
      });
      const body = await json<ErrorAnswer>(response);
      expect(body.error.code).toBe('MODEL_UNAVAILABLE');
      expect(body.error.message).toMatch(/ALLOWED_MODELS|DEFAULT_MODEL/);
    });
  });

  describe('GET /generate?prompt= (seed 002)', () => {
    it('redirects a browser to the picture (302 Location) and carries image_url in the body', async () => {
      const prompt = 'image of a cat saying "hi", it\'s\nlate';
      const response = await fetch(
        `${stack.invokeUrl}/generate?prompt=${encodeURIComponent(prompt)}`,
        {
          redirect: 'manual',
        },
      );
      expect(response.status).toBe(302);
      const location = response.headers.get('location');
      const body = await json<ImageAnswer>(response);
      expect(location).toBe(body.image_url);
      const followed = await fetch(`${stack.invokeUrl}/generate?prompt=a%20dog`);
      expect(followed.status).toBe(200);
      expect(followed.headers.get('content-type')).toBe('image/png');
    });

    it('makes seed 002 1280×720 pictures with Nova Canvas when asked for it', async () => {
      const response = await fetch(
        `${stack.invokeUrl}/generate?prompt=cat&model=amazon.nova-canvas-v1:0`,
        { redirect: 'manual' },
      );
      expect(response.status).toBe(302);
      expect(await pngSize(response.headers.get('location') ?? '')).toMatchObject({
        width: 1280,
        height: 720,
      });
    });

    it('requires the prompt parameter (API Gateway request validator)', async () => {
      const response = await fetch(`${stack.invokeUrl}/generate`);
      expect(response.status).toBe(400);
      expect((await json<ErrorAnswer>(response)).error.code).toBe('MISSING_PARAMETER');
    });

    it.each([
      ['width=abc', 400, 'INVALID_REQUEST'],
      ['colour=red', 400, 'INVALID_REQUEST'],
      ['prompt2=x&prompt=[[filter]]', 400, 'INVALID_REQUEST'],
    ])(
      'answers ?prompt=x&%s with its status, not a broken redirect',
      async (query, status, code) => {
        const response = await fetch(`${stack.invokeUrl}/generate?prompt=x&${query}`, {
          redirect: 'manual',
        });
        expect(response.status).toBe(status);
        expect(response.headers.get('location')).toBeNull();
        expect((await json<ErrorAnswer>(response)).error.code).toBe(code);
      },
    );

    it('maps a content-filtered prompt to 422 through the integration responses', async () => {
      const response = await fetch(
        `${stack.invokeUrl}/generate?prompt=${encodeURIComponent('x [[filter]]')}&model=amazon.nova-canvas-v1:0`,
        { redirect: 'manual' },
      );
      expect(response.status).toBe(422);
      expect((await json<ErrorAnswer>(response)).error.code).toBe('CONTENT_FILTERED');
    });
  });

  describe('pre-signed URLs', () => {
    it('refuses a tampered URL with S3 error XML', async () => {
      const body = await json<ImageAnswer>(
        await postJson(`${stack.invokeUrl}/generate`, { prompt: 'tamper me' }),
      );
      const url = new URL(body.image_url);
      const signature = url.searchParams.get('X-Amz-Signature') ?? '';
      url.searchParams.set(
        'X-Amz-Signature',
        signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
      );
      const tampered = await fetch(url);
      expect(tampered.status).toBe(403);
      expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

      const otherKey = new URL(body.image_url);
      otherKey.pathname = otherKey.pathname.replace('/0.png', '/1.png');
      expect((await fetch(otherKey)).status).toBe(403);
    });

    it('refuses an unsigned request for a stored object (the bucket is private)', async () => {
      const body = await json<ImageAnswer>(
        await postJson(`${stack.invokeUrl}/generate`, { prompt: 'private' }),
      );
      const bare = new URL(body.image_url);
      bare.search = '';
      expect((await fetch(bare)).status).toBe(403);
    });
  });

  describe('sign-in and the Cognito authorizer (seed 003)', () => {
    it('issued an ID token whose claims name the user', () => {
      const claims = claimsOf(user.idToken);
      expect(claims.email).toBe(user.email);
      expect(claims.token_use).toBe('id');
      expect(claims.aud).toBe(stack.config.userPoolClientId);
    });

    it('refuses a wrong password', async () => {
      const client = cognitoClient(stack);
      await expect(
        signInWithSrp(client, {
          userPoolId: stack.config.userPoolId,
          clientId: stack.config.userPoolClientId,
          username: user.email,
          password: 'Wrong-Passw0rd!',
        }),
      ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
      client.destroy();
    });

    it('refuses plain-password sign-in, as the app client allows only SRP', async () => {
      const client = cognitoClient(stack);
      await expect(
        client.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: stack.config.userPoolClientId,
            AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: 'USER_PASSWORD_AUTH flow not enabled for this client',
      });
      client.destroy();
    });

    it('lets a signed-in user reach a protected route', async () => {
      const response = await fetch(`${stack.invokeUrl}/history`, {
        headers: { authorization: user.idToken },
      });
      expect(response.status).toBe(200);
    });

    it.each([
      ['no token', undefined],
      ['a tampered token', 'tampered'],
      ['garbage', 'not-a-jwt'],
    ])('answers 401 with CORS headers for %s', async (_name, kind) => {
      const headers: Record<string, string> = { origin: 'http://example.test' };
      if (kind === 'tampered') {
        const [head, payload, signature] = user.idToken.split('.');
        const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
          string,
          unknown
        >;
        claims.sub = 'someone-else';
        headers.authorization = `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      } else if (kind) {
        headers.authorization = kind;
      }
      const response = await fetch(`${stack.invokeUrl}/history`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect((await json<ErrorAnswer>(response)).error.code).toBe('UNAUTHORIZED');
    });

    it('answers CORS preflight for the SPA', async () => {
      const response = await fetch(`${stack.invokeUrl}/edits`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://example.test',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
      expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    });

    it('serves the SPA configuration at /config.js', async () => {
      const response = await fetch(`${stack.urls.gateway}/config.js`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain(stack.config.userPoolId);
      expect(text).toContain(stack.invokeUrl);
    });
  });

  describe('restarts', () => {
    it('keeps images, records and users across a restart of the whole stack', async () => {
      const before = await json<ImageAnswer>(
        await postJson(
          `${stack.invokeUrl}/generate`,
          { prompt: 'remember me', seed: 4242 },
          { authorization: user.idToken },
        ),
      );
      // Same ports as before, as `npm run dev` uses, so URLs handed out earlier still resolve.
      const portOf = (url: string): number => Number(new URL(url).port);
      const ports = {
        gateway: portOf(stack.urls.gateway),
        s3: portOf(stack.urls.s3),
        dynamodb: portOf(stack.urls.dynamodb),
        cognito: portOf(stack.urls.cognito),
        bedrock: portOf(stack.urls.bedrock),
        lambda: portOf(stack.urls.lambda),
        bedrockControl: portOf(stack.urls.bedrockControl),
      };
      await stack.close();
      stack = await startTestStack({ dataDir: stack.dataDir, ports });

      // The same user signs in again with the password chosen before the restart.
      const client = cognitoClient(stack);
      const signIn = await signInWithSrp(client, {
        userPoolId: stack.config.userPoolId,
        clientId: stack.config.userPoolClientId,
        username: user.email,
        password: user.password,
      });
      client.destroy();
      expect(signIn.kind === 'signed-in' && signIn.result.IdToken).toBeTruthy();

      // Tokens issued before the restart still verify (the signing key persisted).
      const history = await fetch(`${stack.invokeUrl}/history`, {
        headers: { authorization: user.idToken },
      });
      expect(history.status).toBe(200);

      // The image written before the restart is still there behind a fresh URL.
      expect((await fetch(before.image_url)).status).toBe(200);

      // The seeded repeat is answered from the stored image: same id, no new model call.
      const callsBefore = stack.bedrockStats?.().invocations ?? -1;
      const again = await json<ImageAnswer>(
        await postJson(
          `${stack.invokeUrl}/generate`,
          { prompt: 'remember me', seed: 4242 },
          { authorization: user.idToken },
        ),
      );
      expect(again.id).toBe(before.id);
      expect(again.cached).toBe(true);
      expect(stack.bedrockStats?.().invocations).toBe(callsBefore);
      expect((await fetch(again.image_url)).status).toBe(200);
    });
  });
});
