/**
 * The local pool's RS256 signing key and Cognito-shaped tokens. The key pair is generated once
 * and kept in `<dataDir>/signing-key.json`, so tokens and cached JWKS stay valid across restarts.
 * Claims follow what Cognito puts in its tokens:
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { JWK, JWTPayload } from 'jose';

import type { UserRecord } from './user-store.js';

/** ID and access tokens live one hour, Cognito's default. */
export const TOKEN_LIFETIME_SECONDS = 3600;
const ALGORITHM = 'RS256';

/** A type alias (not an interface) so it is assignable to aws-jwt-verify's `Jwks` JSON type. */
export type PublicJwk = {
  kid: string;
  alg: 'RS256';
  use: 'sig';
  kty: string;
  n: string;
  e: string;
};

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

export interface TokenContext {
  user: UserRecord;
  clientId: string;
  originJti: string;
  authTime: number;
}

export class TokenIssuer {
  private constructor(
    readonly issuer: string,
    private readonly privateKey: SigningKey,
    private readonly publicKey: SigningKey,
    readonly publicJwk: PublicJwk,
  ) {}

  /** Loads the key pair from dataDir, generating and saving it on first use. */
  static async open(dataDir: string, issuer: string): Promise<TokenIssuer> {
    const file = join(dataDir, 'signing-key.json');
    let stored: StoredKey;
    try {
      stored = JSON.parse(await readFile(file, 'utf8')) as StoredKey;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      const kid = await calculateJwkThumbprint({
        kty: privateJwk.kty!,
        n: privateJwk.n!,
        e: privateJwk.e!,
      });
      stored = { kid, privateJwk };
      const temp = `${file}.${randomUUID()}.tmp`;
      await writeFile(temp, JSON.stringify(stored), { mode: 0o600 });
      await rename(temp, file);
    }
    const { kty, n, e } = stored.privateJwk;
    const publicJwk: PublicJwk = {
      kid: stored.kid,
      alg: ALGORITHM,
      use: 'sig',
      kty: kty!,
      n: n!,
      e: e!,
    };
    return new TokenIssuer(
      issuer,
      await importJWK(stored.privateJwk, ALGORITHM),
      await importJWK(publicJwk, ALGORITHM),
      publicJwk,
    );
  }

  private sign(claims: JWTPayload, subject: string, now: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ kid: this.publicJwk.kid, alg: ALGORITHM })
      .setIssuer(this.issuer)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }

  async idToken({ user, clientId, originJti, authTime }: TokenContext): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.sign(
      {
        email_verified: user.attributes.email_verified === 'true',
        'cognito:username': user.sub,
        origin_jti: originJti,
        aud: clientId,
        event_id: randomUUID(),
        token_use: 'id',
        auth_time: authTime,
        email: user.email,
      },
      user.sub,
      now,
    );
  }

  async accessToken({ user, clientId, originJti, authTime }: TokenContext): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return this.sign(
      {
        client_id: clientId,
        origin_jti: originJti,
        event_id: randomUUID(),
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: authTime,
        username: user.sub,
      },
      user.sub,
      now,
    );
  }

  /** Verifies signature, issuer and expiry of a token this pool issued; throws jose errors. */
  async verify(token: string): Promise<JWTPayload> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: this.issuer,
      algorithms: [ALGORITHM],
    });
    return payload;
  }
}
