/**
 * Creating a Cognito user the way the administrator of seed 003 does (self sign-up is off): with
 * AdminCreateUser, a temporary password the user must replace at first sign-in, the e-mail
 * marked verified and no invitation message. Used by `npm run user` and the smoke test.
 */
import {
  AdminCreateUserCommand,
  type AdminCreateUserCommandOutput,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';

/** A random password that satisfies the pool's policy (upper, lower, digit, symbol, ≥ 8). */
export function temporaryPassword(): string {
  return `Tmp-${randomBytes(9).toString('base64url')}a1A!`;
}

export function createUserWithTemporaryPassword(
  client: CognitoIdentityProviderClient,
  user: { userPoolId: string; email: string; temporaryPassword: string },
): Promise<AdminCreateUserCommandOutput> {
  return client.send(
    new AdminCreateUserCommand({
      UserPoolId: user.userPoolId,
      Username: user.email,
      TemporaryPassword: user.temporaryPassword,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: user.email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
}
