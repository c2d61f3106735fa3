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

import { signInWithSrp } from '../../../web/src/auth/srp-sign-in.js';
import {
  cognitoTimestamp,
  passwordClaimSignature,
  srpEphemeral,
} from '../../../web/src/auth/srp.js';
import { startCognito } from './server.js';
import type { AuthFlowSetting, LocalCognitoServer } from './server.js';

const region = 'us-west-2';
const userPoolId = `${region}_LocalTest1`;
const clientId = 'local0test0client0id000000';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
const temporaryPassword = 'Temp#Pass1';
const finalPassword = 'Final#Pass2';

let dataDir: string;
let server: LocalCognitoServer;
let cognito: CognitoIdentityProviderClient;

async function start(explicitAuthFlows?: AuthFlowSetting[]): Promise<void> {
  server = await startCognito({
    port: 0,
    dataDir,
    region,
    userPoolId,
    clientId,
    credentials,
    ...(explicitAuthFlows ? { explicitAuthFlows } : {}),
  });
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

/** SRP sign-in (the app's only password flow), shaped like an InitiateAuth answer. */
async function signIn(
  email: string,
  password: string,
): Promise<{
  ChallengeName?: string;
  Session?: string;
  AuthenticationResult?: AuthenticationResultType;
}> {
  const outcome = await signInWithSrp(cognito, { userPoolId, clientId, username: email, password });
  return outcome.kind === 'signed-in'
    ? { AuthenticationResult: outcome.result }
    : { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: outcome.session };
}

function startSrp(username: string, srpA: string) {
  return cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, SRP_A: srpA },
    }),
  );
}

function answerSrp(responses: Record<string, string>) {
  return cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: responses,
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

  it('stores only password hashes, SRP verifiers and hashed refresh tokens', async () => {
    const stored = await readFile(join(dataDir, 'users.json'), 'utf8');
    expect(stored).not.toContain(finalPassword);
    expect(stored).not.toContain(tokens.RefreshToken);
    const { users } = JSON.parse(stored) as {
      users: { srp?: { salt: string; verifier: string } }[];
    };
    expect(users[0]?.srp?.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(users[0]?.srp?.verifier).toMatch(/^[0-9a-f]{600,768}$/);
  });

  describe('SRP (USER_SRP_AUTH → PASSWORD_VERIFIER)', () => {
    /** A correct claim for `email`, with one detail changed by `tamper`. */
    async function claim(
      tamper: {
        userIdForSrp?: (sub: string) => string;
        password?: string;
        signedTimestamp?: string;
        sentTimestamp?: string;
      } = {},
    ) {
      const ephemeral = srpEphemeral();
      const challenge = await startSrp(email, ephemeral.srpA);
      const parameters = challenge.ChallengeParameters!;
      const userIdForSrp = parameters.USER_ID_FOR_SRP!;
      const timestamp = cognitoTimestamp();
      const signature = await passwordClaimSignature({
        poolName: userPoolId.split('_')[1]!,
        userIdForSrp: tamper.userIdForSrp?.(userIdForSrp) ?? userIdForSrp,
        password: tamper.password ?? finalPassword,
        ephemeral,
        srpB: parameters.SRP_B!,
        salt: parameters.SALT!,
        secretBlock: parameters.SECRET_BLOCK!,
        timestamp: tamper.signedTimestamp ?? timestamp,
      });
      const responses = {
        USERNAME: userIdForSrp,
        PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK!,
        PASSWORD_CLAIM_SIGNATURE: signature,
        TIMESTAMP: tamper.sentTimestamp ?? timestamp,
      };
      return { responses, answer: () => answerSrp(responses) };
    }

    it("answers Cognito's PASSWORD_VERIFIER challenge parameters", async () => {
      const challenge = await startSrp(email, srpEphemeral().srpA);
      expect(challenge.ChallengeName).toBe('PASSWORD_VERIFIER');
      const parameters = challenge.ChallengeParameters ?? {};
      expect(Object.keys(parameters).sort()).toEqual([
        'SALT',
        'SECRET_BLOCK',
        'SRP_B',
        'USERNAME',
        'USER_ID_FOR_SRP',
      ]);
      expect(parameters.SALT).toMatch(/^[0-9a-f]+$/);
      expect(parameters.SRP_B).toMatch(/^[0-9a-f]{600,768}$/);
      expect(parameters.SECRET_BLOCK).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(parameters.USERNAME).toBe(sub);
      expect(parameters.USER_ID_FOR_SRP).toBe(sub);
      expect(challenge.AuthenticationResult).toBeUndefined();
    });

    it('accepts a correct claim once and refuses to replay its secret block', async () => {
      const { answer } = await claim();
      const done = await answer();
      expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
      await expect(answer()).rejects.toThrow('Invalid session for the user, session is expired.');
    });

    it('refuses a claim made with a wrong password, the email instead of USER_ID_FOR_SRP, or another timestamp', async () => {
      for (const tamper of [
        { password: 'Final#Pass3' },
        { userIdForSrp: () => email.toLowerCase() },
        { signedTimestamp: 'Thu Jun 15 07:00:00 UTC 2017' },
      ]) {
        const { answer } = await claim(tamper);
        await expect(answer()).rejects.toThrow('Incorrect username or password.');
      }
    });

    it('refuses a TIMESTAMP that is not in Cognito format', async () => {
      const { answer } = await claim({ sentTimestamp: new Date().toISOString() });
      await expect(answer()).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: 'Invalid TIMESTAMP format.',
      });
    });

    it('refuses an SRP_A that is zero modulo N, or not hex', async () => {
      const N = BigInt(
        `0x${(await import('node:crypto')).getDiffieHellman('modp15').getPrime('hex')}`,
      );
      for (const srpA of [N.toString(16), (2n * N).toString(16), 'xyz']) {
        await expect(startSrp(email, srpA)).rejects.toMatchObject({
          name: 'InvalidParameterException',
        });
      }
    });

    it('challenges an unknown user like a real one, then fails without saying the user is unknown', async () => {
      const first = await startSrp('nobody@example.com', srpEphemeral().srpA);
      const second = await startSrp('nobody@example.com', srpEphemeral().srpA);
      expect(first.ChallengeName).toBe('PASSWORD_VERIFIER');
      expect(first.ChallengeParameters?.SALT).toBe(second.ChallengeParameters?.SALT);
      await expect(signIn('nobody@example.com', finalPassword)).rejects.toThrow(
        'Incorrect username or password.',
      );
    });

    it('refuses USER_PASSWORD_AUTH, which the app client does not allow', async () => {
      await expect(
        cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: clientId,
            AuthParameters: { USERNAME: email, PASSWORD: finalPassword },
          }),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: 'USER_PASSWORD_AUTH flow not enabled for this client',
      });
    });
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

  it('signs in with USER_PASSWORD_AUTH when the client allows it', async () => {
    await stop();
    await start(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    const plain = (password: string) =>
      cognito.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
    expect((await plain(finalPassword)).AuthenticationResult?.IdToken).toEqual(expect.any(String));
    await expect(plain('Wrong#Pass9')).rejects.toThrow('Incorrect username or password.');
    await stop();
    await start();
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
