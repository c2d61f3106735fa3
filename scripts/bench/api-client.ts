/**
 * What a browser does against the local stack, for the bench: sign in through the Cognito
 * stand-in with the real SDK, upload through a pre-signed POST, and call the API over HTTP.
 */
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';

import { completeNewPassword, signInWithSrp } from '../../web/src/auth/srp-sign-in.js';
import { LOCAL_CREDENTIALS, type Stack } from '../local/stack.js';

export interface BenchUser {
  email: string;
  /** The Cognito `sub`: the user's folder in S3 and the claim the authorizer passes on. */
  sub: string;
  idToken: string;
}

export interface ApiResponse<Body = unknown> {
  status: number;
  headers: Headers;
  body: Body;
}

/** A password the pool policy accepts (upper, lower, digit, symbol, at least 8). */
function password(): string {
  return `Bench-${randomBytes(9).toString('base64url')}a1A!`;
}

function claimsOf(idToken: string): Record<string, unknown> {
  const payload = idToken.split('.')[1];
  if (!payload) throw new Error('The ID token is not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * A fresh user, signed in: AdminCreateUser, then USER_SRP_AUTH, then the first-sign-in
 * NEW_PASSWORD_REQUIRED challenge (the same calls as scripts/user.ts).
 */
export async function createSignedInUser(stack: Stack): Promise<BenchUser> {
  const client = new CognitoIdentityProviderClient({
    region: stack.config.region,
    endpoint: stack.urls.cognito,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
    const temporary = password();
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: stack.config.userPoolId,
        Username: email,
        TemporaryPassword: temporary,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const first = await signInWithSrp(client, {
      userPoolId: stack.config.userPoolId,
      clientId: stack.config.userPoolClientId,
      username: email,
      password: temporary,
    });
    if (first.kind !== 'new-password-required') {
      throw new Error(`Expected NEW_PASSWORD_REQUIRED, got ${first.kind}`);
    }
    const answered = await completeNewPassword(client, {
      clientId: stack.config.userPoolClientId,
      session: first.session,
      username: first.username,
      newPassword: password(),
    });
    const idToken = answered.IdToken;
    if (!idToken) throw new Error('Sign-in returned no ID token');
    const sub = claimsOf(idToken).sub;
    if (typeof sub !== 'string') throw new Error('The ID token has no sub claim');
    return { email, sub, idToken };
  } finally {
    client.destroy();
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** POST a JSON body; the answer's body is parsed as JSON when it is JSON. */
export async function postJson<Body = unknown>(
  url: string,
  body: unknown,
  idToken?: string,
): Promise<ApiResponse<Body>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(idToken ? { authorization: idToken } : {}),
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await readBody(response)) as Body,
  };
}

/** GET without following redirects, so a 302 is the answer (as for GET /generate). */
export async function getNoRedirect(url: string): Promise<ApiResponse> {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, body: await readBody(response) };
}

export function expectStatus(response: ApiResponse, status: number, what: string): void {
  if (response.status !== status) {
    const detail =
      typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    throw new Error(`${what}: expected ${status}, got ${response.status} ${detail.slice(0, 300)}`);
  }
}

interface UploadTicket {
  key: string;
  url: string;
  fields: Record<string, string>;
}

/**
 * Uploads a PNG the way the SPA does: POST /uploads for a form, then a multipart POST to S3 with
 * the form's fields and the file last (S3 ignores fields after the file). Returns the object key.
 */
export async function uploadPng(
  invokeUrl: string,
  user: BenchUser,
  png: Uint8Array,
): Promise<string> {
  const ticket = await postJson<UploadTicket>(
    `${invokeUrl}/uploads`,
    { contentType: 'image/png', size: png.byteLength },
    user.idToken,
  );
  expectStatus(ticket, 200, 'POST /uploads');
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.body.fields)) form.append(name, value);
  form.append('file', new Blob([png], { type: 'image/png' }), 'source.png');
  const uploaded = await fetch(ticket.body.url, { method: 'POST', body: form });
  if (uploaded.status < 200 || uploaded.status >= 300) {
    throw new Error(`S3 upload: ${uploaded.status} ${(await uploaded.text()).slice(0, 300)}`);
  }
  return ticket.body.key;
}
