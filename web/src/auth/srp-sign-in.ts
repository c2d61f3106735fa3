/**
 * Password sign-in with USER_SRP_AUTH through the real Cognito client: InitiateAuth with SRP_A,
 * then RespondToAuthChallenge(PASSWORD_VERIFIER) with the password claim, then, on a first sign-in,
 * NEW_PASSWORD_REQUIRED. Shared by the SPA (session.ts), the user CLI, the readiness check and the
 * tests, so every caller signs in the one way the app client allows.
 */
import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type {
  AuthenticationResultType,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

import { cognitoTimestamp, passwordClaimSignature, srpEphemeral } from './srp.js';

export interface SrpSignInRequest {
  userPoolId: string;
  clientId: string;
  /** What the user typed: the email address for this pool. */
  username: string;
  password: string;
}

export type SrpSignInOutcome =
  | { kind: 'signed-in'; result: AuthenticationResultType }
  | {
      kind: 'new-password-required';
      session: string;
      /** The username Cognito wants back in the next step (USER_ID_FOR_SRP, a UUID here). */
      username: string;
    };

/** Raised when Cognito asks for a step this app does not implement (MFA, custom challenges). */
export class UnsupportedChallengeError extends Error {
  constructor(readonly challengeName: string) {
    super(
      `This account needs a sign-in step the app does not support (${challengeName}). Ask an administrator.`,
    );
    this.name = 'UnsupportedChallengeError';
  }
}

function outcome(
  response: {
    ChallengeName?: string;
    Session?: string;
    AuthenticationResult?: AuthenticationResultType;
  },
  username: string,
): SrpSignInOutcome {
  if (response.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    return { kind: 'new-password-required', session: response.Session ?? '', username };
  }
  if (response.ChallengeName) throw new UnsupportedChallengeError(response.ChallengeName);
  if (!response.AuthenticationResult?.IdToken) {
    throw new Error('Cognito did not return tokens. Try signing in again.');
  }
  return { kind: 'signed-in', result: response.AuthenticationResult };
}

export async function signInWithSrp(
  client: CognitoIdentityProviderClient,
  request: SrpSignInRequest,
  now: () => Date = () => new Date(),
): Promise<SrpSignInOutcome> {
  const ephemeral = srpEphemeral();
  const started = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: request.clientId,
      AuthParameters: { USERNAME: request.username, SRP_A: ephemeral.srpA },
    }),
  );
  if (started.ChallengeName !== 'PASSWORD_VERIFIER') return outcome(started, request.username);
  const parameters = started.ChallengeParameters ?? {};
  const { SRP_B: srpB, SALT: salt, SECRET_BLOCK: secretBlock } = parameters;
  const userIdForSrp = parameters.USER_ID_FOR_SRP;
  if (!srpB || !salt || !secretBlock || !userIdForSrp) {
    throw new Error('Cognito sent an incomplete PASSWORD_VERIFIER challenge.');
  }
  const timestamp = cognitoTimestamp(now());
  const signature = await passwordClaimSignature({
    poolName: request.userPoolId.split('_')[1] ?? '',
    userIdForSrp,
    password: request.password,
    ephemeral,
    srpB,
    salt,
    secretBlock,
    timestamp,
  });
  const verified = await client.send(
    new RespondToAuthChallengeCommand({
      ClientId: request.clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ...(started.Session ? { Session: started.Session } : {}),
      ChallengeResponses: {
        USERNAME: parameters.USERNAME ?? userIdForSrp,
        PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
        PASSWORD_CLAIM_SIGNATURE: signature,
        TIMESTAMP: timestamp,
      },
    }),
  );
  return outcome(verified, userIdForSrp);
}

/** Answers NEW_PASSWORD_REQUIRED with the password the user chose; returns the tokens. */
export async function completeNewPassword(
  client: CognitoIdentityProviderClient,
  request: { clientId: string; session: string; username: string; newPassword: string },
): Promise<AuthenticationResultType> {
  const response = await client.send(
    new RespondToAuthChallengeCommand({
      ClientId: request.clientId,
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: request.session,
      ChallengeResponses: { USERNAME: request.username, NEW_PASSWORD: request.newPassword },
    }),
  );
  const result = outcome(response, request.username);
  if (result.kind !== 'signed-in') throw new UnsupportedChallengeError('NEW_PASSWORD_REQUIRED');
  return result.result;
}
