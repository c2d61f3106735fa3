import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  InvalidPasswordException,
  ListUsersCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { decodeJwt } from 'jose';

import { startCognito } from './server.js';
import type { LocalCognitoServer } from './server.js';

const region = 'us-west-2';
const userPoolId = `${region}_LocalTest1`;
const clientId = 'local0test0client0id000000';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
const temporaryPassword = 'Temp#Pass1';
const finalPassword = 'Final#Pass2';

let dataDir: string;
let server: LocalCognitoServer;
let cognito: CognitoIdentityProviderClient;

async function start(): Promise<void> {
  server = await startCognito({ port: 0, dataDir, region, userPoolId, clientId, credentials });
  cognito = new CognitoIdentityProviderClient({
    region,
    endpoint: server.url,
    credentials,
    maxAttempts: 1,
  });
}

async function stop(): Promise<void> {
  cognito.destroy();
  await server.close();
}

function verifierFor(tokenUse: 'id' | 'access') {
  const verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse });
  verifier.cacheJwks(server.jwks());
  return verifier;
}

async function createUser(email: string): Promise<string> {
  const created = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: email,
      TemporaryPassword: temporaryPassword,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  return created.User!.Username!;
}

function signIn(email: string, password: string) {
  return cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-cognito-'));
  await start();
});

afterAll(async () => {
  await stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local Cognito user pool', () => {
  const email = 'Ada@Example.com';
  let sub: string;
  let tokens: AuthenticationResultType;

  it('creates a user in FORCE_CHANGE_PASSWORD with a UUID sub as username', async () => {
    sub = await createUser(email);
    expect(sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: email }),
    );
    expect(user.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'sub', Value: sub },
        { Name: 'email', Value: 'ada@example.com' },
      ]),
    );
    await expect(createUser(email)).rejects.toMatchObject({ name: 'UsernameExistsException' });
  });

  it('refuses a wrong temporary password and an unknown user with the same message', async () => {
    const wrong = signIn(email, 'Wrong#Pass9');
    await expect(wrong).rejects.toBeInstanceOf(NotAuthorizedException);
    await expect(wrong).rejects.toThrow('Incorrect username or password.');
    await expect(signIn('nobody@example.com', 'Some#Pass9')).rejects.toThrow(
      'Incorrect username or password.',
    );
  });

  it('asks for a new password, refuses a weak one, then issues tokens', async () => {
    const challenge = await signIn(email, temporaryPassword);
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.AuthenticationResult).toBeUndefined();

    const respond = (password: string) =>
      cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: email, NEW_PASSWORD: password },
        }),
      );
    await expect(respond('alllowercase1!')).rejects.toBeInstanceOf(InvalidPasswordException);
    await expect(respond('Short1!')).rejects.toBeInstanceOf(InvalidPasswordException);

    const done = await respond(finalPassword);
    tokens = done.AuthenticationResult!;
    expect(tokens.ExpiresIn).toBe(3600);
    expect(tokens.TokenType).toBe('Bearer');
    expect(tokens.RefreshToken).toEqual(expect.any(String));

    const idClaims = await verifierFor('id').verify(tokens.IdToken!);
    expect(idClaims).toMatchObject({
      sub,
      'cognito:username': sub,
      email: 'ada@example.com',
      email_verified: true,
      aud: clientId,
    });
    expect(idClaims.iss).toBe(server.issuer);
    expect(idClaims.exp - idClaims.iat).toBe(3600);

    const accessClaims = await verifierFor('access').verify(tokens.AccessToken!);
    expect(accessClaims).toMatchObject({
      client_id: clientId,
      username: sub,
      scope: 'aws.cognito.signin.user.admin',
    });
    expect(decodeJwt(tokens.AccessToken!).aud).toBeUndefined();

    const user = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: sub }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('rejects a token whose payload was altered', async () => {
    const [header, , signature] = tokens.IdToken!.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...decodeJwt(tokens.IdToken!), email: 'evil@example.com' }),
    ).toString('base64url');
    await expect(verifierFor('id').verify(`${header}.${forged}.${signature}`)).rejects.toThrow();
  });

  it('signs in with the new password, refuses the old one and refreshes', async () => {
    await expect(signIn(email, temporaryPassword)).rejects.toBeInstanceOf(NotAuthorizedException);
    const signedIn = await signIn(email, finalPassword);
    expect(signedIn.AuthenticationResult?.IdToken).toEqual(expect.any(String));

    const refreshed = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
      }),
    );
    const claims = await verifierFor('id').verify(refreshed.AuthenticationResult!.IdToken!);
    expect(claims.sub).toBe(sub);
    expect(claims.origin_jti).toBe(decodeJwt(tokens.IdToken!).origin_jti);
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it('answers GetUser and revokes tokens on GlobalSignOut', async () => {
    const me = await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
    expect(me.Username).toBe(sub);

    await cognito.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }));
    await expect(
      cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: clientId,
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
        }),
      ),
    ).rejects.toThrow('Refresh Token has been revoked');
    await expect(
      cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
    ).rejects.toThrow('Access Token has been revoked');
  });

  it('stores only password hashes and hashed refresh tokens', async () => {
    const stored = await readFile(join(dataDir, 'users.json'), 'utf8');
    expect(stored).not.toContain(finalPassword);
    expect(stored).not.toContain(tokens.RefreshToken);
  });

  it('lists, sets passwords for and deletes users', async () => {
    const otherSub = await createUser('bob@example.com');
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: userPoolId,
        Username: 'bob@example.com',
        Password: finalPassword,
        Permanent: true,
      }),
    );
    expect((await signIn('bob@example.com', finalPassword)).AuthenticationResult).toBeDefined();

    const listed = await cognito.send(
      new ListUsersCommand({ UserPoolId: userPoolId, Filter: 'email = "bob@example.com"' }),
    );
    expect(listed.Users?.map((user) => user.Username)).toEqual([otherSub]);

    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: otherSub }));
    await expect(
      cognito.send(
        new AdminGetUserCommand({ UserPoolId: userPoolId, Username: 'bob@example.com' }),
      ),
    ).rejects.toBeInstanceOf(UserNotFoundException);
  });

  it('refuses admin calls that are unsigned or signed with another secret', async () => {
    const unsigned = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.ListUsers',
      },
      body: JSON.stringify({ UserPoolId: userPoolId }),
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');

    const wrongSecret = new CognitoIdentityProviderClient({
      region,
      endpoint: server.url,
      credentials: { ...credentials, secretAccessKey: 'nope' },
      maxAttempts: 1,
    });
    await expect(
      wrongSecret.send(new ListUsersCommand({ UserPoolId: userPoolId })),
    ).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    wrongSecret.destroy();
  });

  it('answers unsupported operations with a clear error type', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnsupportedOperationException' });
  });

  it('serves the JWKS with CORS for the browser', async () => {
    const response = await fetch(`${server.url}/${userPoolId}/.well-known/jwks.json`, {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await response.json()).toEqual(server.jwks());
  });

  it('keeps users and the signing key across a restart', async () => {
    const jwksBefore = server.jwks();
    await stop();
    await start();
    expect(server.jwks()).toEqual(jwksBefore);
    const signedIn = await signIn(email, finalPassword);
    await expect(
      verifierFor('id').verify(signedIn.AuthenticationResult!.IdToken!),
    ).resolves.toMatchObject({ sub });
    // A token issued before the restart still verifies against the new server's JWKS.
    await expect(verifierFor('id').verify(tokens.IdToken!)).resolves.toMatchObject({ sub });
  });
});
