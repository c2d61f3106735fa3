import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { LOCAL_CREDENTIALS, type Stack } from '../../scripts/local/stack.js';
import { completeNewPassword, signInWithSrp } from '../../web/src/auth/srp-sign-in.js';

export interface SignedInUser {
  email: string;
  password: string;
  idToken: string;
  sub: string;
}

export function cognitoClient(stack: Stack): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: stack.config.region,
    endpoint: stack.urls.cognito,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
}

/** The claims of a JWT, unverified (tests only read what the stack itself issued). */
export function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * Seed 003's first login, through the real SDK: an admin creates the user with a temporary
 * password, the user signs in with SRP, is told to choose a new password, and gets tokens.
 */
export async function createSignedInUser(stack: Stack): Promise<SignedInUser> {
  const client = cognitoClient(stack);
  const email = `user-${randomUUID().slice(0, 8)}@example.com`;
  const temporary = 'Temp-Passw0rd!';
  const password = 'Chosen-Passw0rd!';
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: stack.config.userPoolId,
      Username: email,
      TemporaryPassword: temporary,
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  const first = await signInWithSrp(client, {
    userPoolId: stack.config.userPoolId,
    clientId: stack.config.userPoolClientId,
    username: email,
    password: temporary,
  });
  if (first.kind !== 'new-password-required') {
    throw new Error(`expected NEW_PASSWORD_REQUIRED, got ${first.kind}`);
  }
  const answered = await completeNewPassword(client, {
    clientId: stack.config.userPoolClientId,
    session: first.session,
    username: first.username,
    newPassword: password,
  });
  client.destroy();
  const idToken = answered.IdToken;
  if (!idToken) throw new Error('no ID token after the password change');
  return { email, password, idToken, sub: String(claimsOf(idToken).sub) };
}
