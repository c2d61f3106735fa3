/**
 * Local Cognito user pool (an in-repo issuer, shared/reference/local-stand-ins.md §3.4). It speaks
 * the JSON 1.1 protocol of cognito-idp to the real @aws-sdk/client-cognito-identity-provider and
 * to the browser SPA, signs Cognito-shaped RS256 tokens with the issuer
 * `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` so production's CognitoJwtVerifier
 * accepts them (with `cacheJwks`), and serves the JWKS. One pool, one app client without secret.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

import { errors as joseErrors } from 'jose';

import { parseQuery, verifyHeaderSignature } from '../s3/sigv4.js';
import type { AwsCredentials } from '../s3/sigv4.js';
import {
  generateTemporaryPassword,
  hashPassword,
  passwordPolicyViolation,
  verifyPassword,
} from './password.js';
import {
  TIMESTAMP_PATTERN,
  createVerifier,
  expectedClaimSignature,
  parseClientPublic,
  serverChallenge,
} from './srp.js';
import type { ServerChallenge } from './srp.js';
import { TOKEN_LIFETIME_SECONDS, TokenIssuer } from './tokens.js';
import type { PublicJwk } from './tokens.js';
import { UserStore } from './user-store.js';
import type { RefreshTokenRecord, UserRecord } from './user-store.js';
import { listenOn } from '../listen.js';

export interface CognitoServerOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  /** Users, refresh tokens and the signing key persist here. */
  dataDir: string;
  region: string;
  /** AWS-shaped, `<region>_<id>` (CognitoJwtVerifier checks the format). */
  userPoolId: string;
  clientId: string;
  /**
   * When set, admin operations (Admin*, ListUsers) must carry a valid SigV4 signature made with
   * these credentials. Without it they only need a SigV4 Authorization header, so an unsigned
   * browser call is still refused.
   */
  credentials?: AwsCredentials;
  /**
   * The app client's ExplicitAuthFlows, as Terraform sets them. Default: SRP and refresh only,
   * so a USER_PASSWORD_AUTH call is refused the way Cognito refuses it for such a client.
   */
  explicitAuthFlows?: readonly AuthFlowSetting[];
  /** Receives the invitation AdminCreateUser would email (default: printed to stdout). */
  onInvitation?: (invitation: { email: string; temporaryPassword: string }) => void;
}

export type AuthFlowSetting =
  'ALLOW_USER_SRP_AUTH' | 'ALLOW_USER_PASSWORD_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH';

/** The app client's flows in terraform/modules/auth: SRP sign-in and refresh, no plain passwords. */
export const DEFAULT_AUTH_FLOWS: readonly AuthFlowSetting[] = [
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];

export type JwksDocument = {
  keys: PublicJwk[];
};

export interface LocalCognitoServer {
  url: string;
  port: number;
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`, the `iss` of every token. */
  issuer: string;
  jwks(): JwksDocument;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
// Cognito defaults: auth sessions last 3 minutes, refresh tokens 30 days, temporary passwords 7 days.
// https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-refresh-token.html
const SESSION_LIFETIME_MS = 3 * 60 * 1000;
const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 3600 * 1000;
const TEMPORARY_PASSWORD_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_LIST_USERS = 60;
const ADMIN_OPERATIONS = new Set([
  'AdminCreateUser',
  'AdminGetUser',
  'AdminDeleteUser',
  'AdminSetUserPassword',
  'AdminUserGlobalSignOut',
  'ListUsers',
]);
const INCORRECT_CREDENTIALS = 'Incorrect username or password.';
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A Cognito error: `__type` and message in the body, the type also in x-amzn-ErrorType. */
class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'CognitoError';
  }
}

type Json = Record<string, unknown>;

function stringField(input: Json, name: string, required: true): string;
function stringField(input: Json, name: string, required?: false): string | undefined;
function stringField(input: Json, name: string, required = false): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    if (required)
      throw new CognitoError('InvalidParameterException', `Missing required parameter ${name}`);
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new CognitoError('InvalidParameterException', `${name} must be a string`);
  }
  return value;
}

function mapField(input: Json, name: string): Record<string, string> {
  const value = input[name];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new CognitoError('InvalidParameterException', `${name} must be a map of strings`);
  }
  return Object.fromEntries(
    Object.entries(value as Json).map(([key, entry]) => [key, String(entry)]),
  );
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function epochSeconds(ms: number): number {
  return ms / 1000;
}

function attributeList(user: UserRecord): { Name: string; Value: string }[] {
  return [
    { Name: 'sub', Value: user.sub },
    ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
  ];
}

function userSummary(user: UserRecord, attributesKey: 'Attributes' | 'UserAttributes'): Json {
  return {
    Username: user.sub,
    [attributesKey]: attributeList(user),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** Starts the local pool; resolves once it listens. */
export async function startCognito(options: CognitoServerOptions): Promise<LocalCognitoServer> {
  if (!new RegExp(`^${options.region}_[A-Za-z0-9]+$`).test(options.userPoolId)) {
    throw new Error(
      `userPoolId must look like ${options.region}_Abc123 (got ${options.userPoolId})`,
    );
  }
  await mkdir(options.dataDir, { recursive: true });
  const issuer = `https://cognito-idp.${options.region}.amazonaws.com/${options.userPoolId}`;
  const tokens = await TokenIssuer.open(options.dataDir, issuer);
  const users = await UserStore.open(options.dataDir);
  // Auth challenge sessions are short-lived and, like Cognito's, not worth keeping across restarts.
  const sessions = new Map<string, { sub: string; expiresAt: number }>();
  // PASSWORD_VERIFIER state, keyed by the hash of the SECRET_BLOCK the client must echo back.
  const srpSessions = new Map<
    string,
    {
      sub?: string;
      userIdForSrp: string;
      verifier: string;
      A: bigint;
      challenge: ServerChallenge;
      expiresAt: number;
    }
  >();
  const poolName = options.userPoolId.split('_')[1] ?? '';
  const allowedFlows = new Set(options.explicitAuthFlows ?? DEFAULT_AUTH_FLOWS);
  // Unknown usernames get a challenge that looks like a real one (a stable salt per name, a
  // well-formed B), so SRP does not reveal which emails have accounts; the claim then fails.
  const decoyKey = randomBytes(32);
  const decoyVerifier = createVerifier(poolName, randomUUID(), randomUUID()).verifier;
  const onInvitation =
    options.onInvitation ??
    (({ email, temporaryPassword }) =>
      console.log(
        `[local-cognito] invitation for ${email}: temporary password ${temporaryPassword}`,
      ));
  // Compared against when the username is unknown, so that path costs as much as a wrong password.
  const decoyHash = await hashPassword(randomUUID());

  const requirePool = (input: Json): void => {
    const poolId = stringField(input, 'UserPoolId', true);
    if (poolId !== options.userPoolId) {
      throw new CognitoError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);
    }
  };

  const requireClient = (input: Json): void => {
    const clientId = stringField(input, 'ClientId', true);
    if (clientId !== options.clientId) {
      throw new CognitoError(
        'ResourceNotFoundException',
        `User pool client ${clientId} does not exist.`,
      );
    }
  };

  const requireUser = (input: Json): UserRecord => {
    const user = users.find(stringField(input, 'Username', true));
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  };

  const checkPolicy = (password: string): void => {
    const violation = passwordPolicyViolation(password);
    if (violation) {
      throw new CognitoError(
        'InvalidPasswordException',
        `Password does not conform to policy: ${violation}`,
      );
    }
  };

  const issueTokens = async (
    user: UserRecord,
    withRefreshToken: boolean,
    refresh?: RefreshTokenRecord,
  ): Promise<Json> => {
    const context = {
      user,
      clientId: options.clientId,
      originJti: refresh?.originJti ?? randomUUID(),
      authTime: refresh?.authTime ?? Math.floor(Date.now() / 1000),
    };
    const result: Json = {
      AccessToken: await tokens.accessToken(context),
      ExpiresIn: TOKEN_LIFETIME_SECONDS,
      TokenType: 'Bearer',
      IdToken: await tokens.idToken(context),
    };
    if (withRefreshToken) {
      const refreshToken = randomBytes(48).toString('base64url');
      users.addRefreshToken({
        tokenHash: sha256Hex(refreshToken),
        originJti: context.originJti,
        sub: user.sub,
        clientId: options.clientId,
        authTime: context.authTime,
        expiresAt: Date.now() + REFRESH_TOKEN_LIFETIME_MS,
        revoked: false,
      });
      await users.persist();
      result.RefreshToken = refreshToken;
    }
    return { ChallengeParameters: {}, AuthenticationResult: result };
  };

  /** The user behind a valid, unrevoked access token from this pool. */
  const userFromAccessToken = async (input: Json): Promise<UserRecord> => {
    const token = stringField(input, 'AccessToken', true);
    let claims;
    try {
      claims = await tokens.verify(token);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new CognitoError('NotAuthorizedException', 'Access Token has expired');
      }
      throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    }
    if (claims.token_use !== 'access' || claims.client_id !== options.clientId) {
      throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    }
    const refresh = users.refreshTokenByOriginJti(String(claims.origin_jti));
    if (!refresh || refresh.revoked) {
      throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
    }
    const user = users.find(String(claims.sub));
    if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  };

  const setPassword = async (
    user: UserRecord,
    password: string,
    permanent: boolean,
  ): Promise<void> => {
    user.passwordHash = await hashPassword(password);
    user.srp = createVerifier(poolName, user.sub, password);
    user.status = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
    user.updatedAt = Date.now();
    if (permanent) delete user.temporaryPasswordSetAt;
    else user.temporaryPasswordSetAt = user.updatedAt;
  };

  /** After a correct password: the first-login challenge, or tokens. */
  const afterPasswordVerified = async (user: UserRecord): Promise<Json> => {
    if (!user.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      if (
        Date.now() - (user.temporaryPasswordSetAt ?? user.createdAt) >
        TEMPORARY_PASSWORD_LIFETIME_MS
      ) {
        throw new CognitoError(
          'NotAuthorizedException',
          'Temporary password has expired and must be reset by an administrator.',
        );
      }
      const session = randomBytes(48).toString('base64url');
      for (const [key, { expiresAt }] of sessions) if (expiresAt < Date.now()) sessions.delete(key);
      sessions.set(sha256Hex(session), {
        sub: user.sub,
        expiresAt: Date.now() + SESSION_LIFETIME_MS,
      });
      const { email_verified: _verified, ...userAttributes } = user.attributes;
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.sub,
          requiredAttributes: '[]',
          userAttributes: JSON.stringify(userAttributes),
        },
      };
    }
    return issueTokens(user, true);
  };

  /** RespondToAuthChallenge(PASSWORD_VERIFIER): checks the client's proof that it knows the password. */
  const verifyPasswordClaim = async (input: Json): Promise<Json> => {
    const responses = mapField(input, 'ChallengeResponses');
    for (const name of [
      'USERNAME',
      'PASSWORD_CLAIM_SECRET_BLOCK',
      'PASSWORD_CLAIM_SIGNATURE',
      'TIMESTAMP',
    ]) {
      if (!responses[name]) {
        throw new CognitoError('InvalidParameterException', `Missing required parameter ${name}`);
      }
    }
    const secretBlock = responses.PASSWORD_CLAIM_SECRET_BLOCK!;
    const key = sha256Hex(secretBlock);
    const state = srpSessions.get(key);
    // One claim per challenge, right or wrong, as with Cognito's single-use secret block.
    srpSessions.delete(key);
    if (!state || state.expiresAt < Date.now()) {
      throw new CognitoError(
        'NotAuthorizedException',
        'Invalid session for the user, session is expired.',
      );
    }
    const timestamp = responses.TIMESTAMP!;
    if (!TIMESTAMP_PATTERN.test(timestamp)) {
      throw new CognitoError('InvalidParameterException', 'Invalid TIMESTAMP format.');
    }
    const user = state.sub ? users.find(state.sub) : undefined;
    if (user && users.find(responses.USERNAME!) !== user) {
      throw new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
    }
    const expected = expectedClaimSignature({
      poolName,
      userIdForSrp: state.userIdForSrp,
      verifier: state.verifier,
      A: state.A,
      challenge: state.challenge,
      secretBlock,
      timestamp,
    });
    const given = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE!, 'base64');
    const matches = given.length === expected.length && timingSafeEqual(given, expected);
    // A user whose password changed since the challenge was issued must sign in again.
    if (!user || !matches || user.srp?.verifier !== state.verifier) {
      throw new CognitoError('NotAuthorizedException', INCORRECT_CREDENTIALS);
    }
    return afterPasswordVerified(user);
  };

  const operations: Record<string, (input: Json) => Json | Promise<Json>> = {
    async AdminCreateUser(input) {
      requirePool(input);
      const username = stringField(input, 'Username', true);
      const messageAction = stringField(input, 'MessageAction');
      const existing = users.find(username);
      if (messageAction === 'RESEND') {
        if (!existing) throw new CognitoError('UserNotFoundException', 'User does not exist.');
        if (existing.status !== 'FORCE_CHANGE_PASSWORD') {
          throw new CognitoError(
            'UnsupportedUserStateException',
            'Resend not possible. User is already confirmed.',
          );
        }
        const temporaryPassword =
          stringField(input, 'TemporaryPassword') ?? generateTemporaryPassword();
        checkPolicy(temporaryPassword);
        await setPassword(existing, temporaryPassword, false);
        await users.persist();
        onInvitation({ email: existing.email, temporaryPassword });
        return { User: userSummary(existing, 'Attributes') };
      }
      if (messageAction !== undefined && messageAction !== 'SUPPRESS') {
        throw new CognitoError(
          'InvalidParameterException',
          `Invalid MessageAction ${messageAction}`,
        );
      }
      // The pool uses email as the username attribute: the username is the email address.
      if (!EMAIL_PATTERN.test(username)) {
        throw new CognitoError('InvalidParameterException', 'Username should be an email.');
      }
      if (existing) {
        throw new CognitoError(
          'UsernameExistsException',
          'An account with the given email already exists.',
        );
      }
      const email = username.toLowerCase();
      const attributes: Record<string, string> = { email, email_verified: 'false' };
      const given = input.UserAttributes ?? [];
      if (!Array.isArray(given)) {
        throw new CognitoError('InvalidParameterException', 'UserAttributes must be a list');
      }
      for (const attribute of given as Json[]) {
        const name = stringField(attribute, 'Name', true);
        const value = stringField(attribute, 'Value') ?? '';
        if (name === 'sub') {
          throw new CognitoError(
            'InvalidParameterException',
            'Cannot modify the non-mutable attribute sub',
          );
        }
        if (name === 'email' && value.toLowerCase() !== email) {
          throw new CognitoError(
            'InvalidParameterException',
            'The email attribute must match the username (the pool signs in by email).',
          );
        }
        attributes[name] = name === 'email' ? email : value;
      }
      const temporaryPassword =
        stringField(input, 'TemporaryPassword') ?? generateTemporaryPassword();
      checkPolicy(temporaryPassword);
      const now = Date.now();
      const user: UserRecord = {
        sub: randomUUID(),
        email,
        attributes,
        passwordHash: '',
        status: 'FORCE_CHANGE_PASSWORD',
        enabled: true,
        createdAt: now,
        updatedAt: now,
      };
      await setPassword(user, temporaryPassword, false);
      users.put(user);
      await users.persist();
      if (messageAction !== 'SUPPRESS') onInvitation({ email, temporaryPassword });
      return { User: userSummary(user, 'Attributes') };
    },

    AdminGetUser(input) {
      requirePool(input);
      return userSummary(requireUser(input), 'UserAttributes');
    },

    async AdminDeleteUser(input) {
      requirePool(input);
      users.delete(requireUser(input).sub);
      await users.persist();
      return {};
    },

    async AdminSetUserPassword(input) {
      requirePool(input);
      const user = requireUser(input);
      const password = stringField(input, 'Password', true);
      checkPolicy(password);
      await setPassword(user, password, input.Permanent === true);
      await users.persist();
      return {};
    },

    async AdminUserGlobalSignOut(input) {
      requirePool(input);
      users.revokeAllFor(requireUser(input).sub);
      await users.persist();
      return {};
    },

    ListUsers(input) {
      requirePool(input);
      const limit = input.Limit === undefined ? MAX_LIST_USERS : Number(input.Limit);
      if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIST_USERS) {
        throw new CognitoError(
          'InvalidParameterException',
          `Limit must be between 0 and ${MAX_LIST_USERS}`,
        );
      }
      let matching = users.all();
      const filter = stringField(input, 'Filter');
      if (filter) {
        // Filter syntax: `attribute = "value"` or `attribute ^= "prefix"`.
        // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html
        const match = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(filter);
        if (!match)
          throw new CognitoError('InvalidParameterException', 'Error while parsing filter.');
        const [, name = '', operator, expected = ''] = match;
        const valueOf = (user: UserRecord): string | undefined => {
          if (name === 'sub' || name === 'username') return user.sub;
          if (name === 'cognito:user_status' || name === 'status') return user.status;
          return user.attributes[name];
        };
        matching = matching.filter((user) => {
          const value = valueOf(user);
          if (value === undefined) return false;
          return operator === '=' ? value === expected : value.startsWith(expected);
        });
      }
      const start = Number(stringField(input, 'PaginationToken') ?? '0');
      if (!Number.isInteger(start) || start < 0) {
        throw new CognitoError('InvalidParameterException', 'Invalid PaginationToken');
      }
      const page = matching.slice(start, start + limit);
      return {
        Users: page.map((user) => userSummary(user, 'Attributes')),
        ...(start + limit < matching.length ? { PaginationToken: String(start + limit) } : {}),
      };
    },

    async InitiateAuth(input) {
      requireClient(input);
      const flow = stringField(input, 'AuthFlow', true);
      const parameters = mapField(input, 'AuthParameters');
      if (flow === 'USER_SRP_AUTH') {
        if (!allowedFlows.has('ALLOW_USER_SRP_AUTH')) {
          throw new CognitoError(
            'InvalidParameterException',
            'USER_SRP_AUTH is not enabled for the client.',
          );
        }
        const username = parameters.USERNAME;
        if (!username)
          throw new CognitoError(
            'InvalidParameterException',
            'Missing required parameter USERNAME',
          );
        if (parameters.SRP_A === undefined)
          throw new CognitoError('InvalidParameterException', 'Missing required parameter SRP_A');
        const A = parseClientPublic(parameters.SRP_A);
        if (A === undefined) throw new CognitoError('InvalidParameterException', 'Invalid SRP_A');
        const user = users.find(username);
        if (user && !user.srp) {
          console.warn(
            `[local-cognito] ${user.email} was created before the local pool spoke SRP and cannot sign in: ` +
              'give it a new password (AdminSetUserPassword) or start over with `npm run dev -- --reset`.',
          );
        }
        const salt =
          user?.srp?.salt ??
          createHmac('sha256', decoyKey).update(username.toLowerCase()).digest('hex').slice(0, 32);
        const verifier = user?.srp?.verifier ?? decoyVerifier;
        const userIdForSrp = user?.sub ?? randomUUID();
        const challenge = serverChallenge(verifier);
        const secretBlock = randomBytes(512).toString('base64');
        const now = Date.now();
        for (const [key, { expiresAt }] of srpSessions)
          if (expiresAt < now) srpSessions.delete(key);
        srpSessions.set(sha256Hex(secretBlock), {
          ...(user?.srp ? { sub: user.sub } : {}),
          userIdForSrp,
          verifier,
          A,
          challenge,
          expiresAt: now + SESSION_LIFETIME_MS,
        });
        return {
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeParameters: {
            SALT: salt,
            SECRET_BLOCK: secretBlock,
            SRP_B: challenge.srpB,
            USERNAME: userIdForSrp,
            USER_ID_FOR_SRP: userIdForSrp,
          },
        };
      }
      if (flow === 'USER_PASSWORD_AUTH') {
        if (!allowedFlows.has('ALLOW_USER_PASSWORD_AUTH')) {
          // Cognito's own answer when the app client does not list ALLOW_USER_PASSWORD_AUTH.
          throw new CognitoError(
            'InvalidParameterException',
            'USER_PASSWORD_AUTH flow not enabled for this client',
          );
        }
        const username = parameters.USERNAME;
        const password = parameters.PASSWORD;
        if (!username)
          throw new CognitoError(
            'InvalidParameterException',
            'Missing required parameter USERNAME',
          );
        if (password === undefined)
          throw new CognitoError(
            'InvalidParameterException',
            'Missing required parameter PASSWORD',
          );
        const user = users.find(username);
        // Unknown users get the same answer as wrong passwords (user-existence errors prevented).
        const passwordMatches = await verifyPassword(password, user?.passwordHash ?? decoyHash);
        if (!user || !passwordMatches)
          throw new CognitoError('NotAuthorizedException', INCORRECT_CREDENTIALS);
        return afterPasswordVerified(user);
      }
      if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
        if (!allowedFlows.has('ALLOW_REFRESH_TOKEN_AUTH')) {
          throw new CognitoError(
            'InvalidParameterException',
            'REFRESH_TOKEN_AUTH flow not enabled for this client',
          );
        }
        const token = parameters.REFRESH_TOKEN;
        if (!token)
          throw new CognitoError(
            'InvalidParameterException',
            'Missing required parameter REFRESH_TOKEN',
          );
        const record = users.refreshToken(sha256Hex(token));
        if (!record || record.clientId !== options.clientId) {
          throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
        }
        if (record.revoked)
          throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
        if (record.expiresAt < Date.now())
          throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired');
        const user = users.find(record.sub);
        if (!user) throw new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
        if (!user.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
        return issueTokens(user, false, record);
      }
      throw new CognitoError(
        'InvalidParameterException',
        `Initiate Auth method not supported by the local pool: ${flow} (use USER_SRP_AUTH or REFRESH_TOKEN_AUTH).`,
      );
    },

    async RespondToAuthChallenge(input) {
      requireClient(input);
      const challenge = stringField(input, 'ChallengeName', true);
      if (challenge === 'PASSWORD_VERIFIER') return verifyPasswordClaim(input);
      if (challenge !== 'NEW_PASSWORD_REQUIRED') {
        throw new CognitoError(
          'InvalidParameterException',
          `Challenge ${challenge} is not supported by the local pool.`,
        );
      }
      const sessionToken = stringField(input, 'Session', true);
      const sessionKey = sha256Hex(sessionToken);
      const session = sessions.get(sessionKey);
      if (!session || session.expiresAt < Date.now()) {
        sessions.delete(sessionKey);
        throw new CognitoError(
          'NotAuthorizedException',
          'Invalid session for the user, session is expired.',
        );
      }
      const responses = mapField(input, 'ChallengeResponses');
      const user = users.find(session.sub);
      if (!user || !responses.USERNAME || users.find(responses.USERNAME) !== user) {
        throw new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
      }
      const newPassword = responses.NEW_PASSWORD;
      if (newPassword === undefined) {
        throw new CognitoError(
          'InvalidParameterException',
          'Missing required parameter NEW_PASSWORD',
        );
      }
      // A refused password leaves the session usable, so the user can try again.
      checkPolicy(newPassword);
      sessions.delete(sessionKey);
      await setPassword(user, newPassword, true);
      return issueTokens(user, true);
    },

    async GetUser(input) {
      const user = await userFromAccessToken(input);
      return { Username: user.sub, UserAttributes: attributeList(user) };
    },

    async GlobalSignOut(input) {
      const user = await userFromAccessToken(input);
      users.revokeAllFor(user.sub);
      await users.persist();
      return {};
    },

    async RevokeToken(input) {
      requireClient(input);
      const record = users.refreshToken(sha256Hex(stringField(input, 'Token', true)));
      if (record) {
        record.revoked = true;
        await users.persist();
      }
      return {};
    },
  };

  const checkAdminAuth = async (req: IncomingMessage, body: Buffer): Promise<void> => {
    const authorization = req.headers.authorization;
    if (!authorization?.startsWith('AWS4-HMAC-SHA256 ')) {
      throw new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    if (!options.credentials) return;
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const result = await verifyHeaderSignature(
      {
        method: req.method ?? 'POST',
        rawPath: queryStart === -1 ? url : url.slice(0, queryStart),
        query: parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1)),
        headers: req.headers,
      },
      {
        credentials: options.credentials,
        region: options.region,
        service: 'cognito-idp',
        uriEscapePath: true,
        body,
      },
    );
    if (result.ok) {
      const declared = result.payloadHash;
      if (declared !== undefined && declared !== createHash('sha256').update(body).digest('hex')) {
        throw new CognitoError(
          'InvalidSignatureException',
          'The payload hash does not match the body.',
        );
      }
      return;
    }
    if (result.failure === 'unknown-access-key') {
      throw new CognitoError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    throw new CognitoError('InvalidSignatureException', result.message);
  };

  const corsHeaders = (req: IncomingMessage): OutgoingHttpHeaders => ({
    // Cognito answers any origin; the SPA calls it straight from the browser.
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-expose-headers':
      'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date',
    vary: 'Origin',
  });

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    body: unknown,
    extra: OutgoingHttpHeaders = {},
  ): void => {
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      ...corsHeaders(req),
      'content-type': extra['content-type'] ?? JSON_CONTENT_TYPE,
      'content-length': bytes.length,
      'x-amzn-requestid': randomUUID(),
      ...extra,
    });
    res.end(bytes);
  };

  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES)
        throw new CognitoError('InvalidParameterException', 'Request body too large', 413);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = await readBody(req);
    if (!target.startsWith(TARGET_PREFIX)) {
      throw new CognitoError(
        'UnknownOperationException',
        `Unknown operation ${target || '(no X-Amz-Target)'}`,
      );
    }
    const operationName = target.slice(TARGET_PREFIX.length);
    const operation = Object.hasOwn(operations, operationName)
      ? operations[operationName]
      : undefined;
    if (!operation) {
      throw new CognitoError(
        'UnsupportedOperationException',
        `${operationName} is not supported by the local Cognito stand-in (supported: ${Object.keys(operations).join(', ')}).`,
      );
    }
    if (ADMIN_OPERATIONS.has(operationName)) await checkAdminAuth(req, body);
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new CognitoError('SerializationException', 'Request body is not valid JSON');
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw new CognitoError('SerializationException', 'Request body must be a JSON object');
    }
    send(req, res, 200, await operation(input as Json));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          ...corsHeaders(req),
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
          'access-control-max-age': '3600',
        });
        res.end();
        return;
      }
      if (req.method === 'GET' && path === `/${options.userPoolId}/.well-known/jwks.json`) {
        send(req, res, 200, { keys: [tokens.publicJwk] }, { 'content-type': 'application/json' });
        return;
      }
      if (
        req.method === 'GET' &&
        path === `/${options.userPoolId}/.well-known/openid-configuration`
      ) {
        send(
          req,
          res,
          200,
          {
            issuer,
            jwks_uri: `http://${req.headers.host ?? ''}/${options.userPoolId}/.well-known/jwks.json`,
            id_token_signing_alg_values_supported: ['RS256'],
            subject_types_supported: ['public'],
            response_types_supported: ['code', 'token'],
          },
          { 'content-type': 'application/json' },
        );
        return;
      }
      if (req.method === 'POST' && path === '/') {
        await handleApi(req, res);
        return;
      }
      send(req, res, 404, { message: 'Not Found' }, { 'content-type': 'application/json' });
    } catch (error) {
      const cognitoError =
        error instanceof CognitoError
          ? error
          : new CognitoError('InternalErrorException', `Internal error: ${String(error)}`, 500);
      if (cognitoError.status === 500) console.error('[local-cognito]', error);
      req.resume();
      send(
        req,
        res,
        cognitoError.status,
        { __type: cognitoError.type, message: cognitoError.message },
        {
          'x-amzn-errortype': cognitoError.type,
        },
      );
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const host = options.host ?? '127.0.0.1';
  const { port, url } = await listenOn(server, options.port ?? 0, host);
  return {
    url,
    port,
    issuer,
    jwks: () => ({ keys: [{ ...tokens.publicJwk }] }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
