/**
 * The Cognito user pool authorizer: verifies the ID token in the Authorization header with the same
 * library production code would use (aws-jwt-verify), offline, from the local issuer's JWKS.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { Jwks } from 'aws-jwt-verify/jwk';

export interface CognitoOptions {
  userPoolId: string;
  clientId: string;
  /** Must be the Cognito issuer of the pool, https://cognito-idp.<region>.amazonaws.com/<pool id>. */
  issuer?: string;
  jwks: () => Jwks | Promise<Jwks>;
}

/** Verifies a token; resolves to the gateway-style claims, or undefined when it is not acceptable. */
export type CognitoAuthorizer = (
  authorizationHeader: string | undefined,
) => Promise<Record<string, string> | undefined>;

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** java.util.Date#toString in UTC, e.g. "Sun Apr 19 08:06:14 UTC 2020". */
function javaDateString(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(
    d.getUTCHours(),
  )}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * Claims as a REST API's Cognito authorizer passes them on: every value a string, `exp` and `iat`
 * as Java dates, lists as "[a b]" (seen in real proxy events).
 */
export function toGatewayClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if ((name === 'exp' || name === 'iat') && typeof value === 'number') {
      claims[name] = javaDateString(value);
    } else if (Array.isArray(value)) {
      claims[name] =
        `[${value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(' ')}]`;
    } else {
      // Objects as JSON text; numbers and booleans as their JSON (= Java) spelling.
      claims[name] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return claims;
}

/** Creates the authorizer; throws at start-up when the configuration cannot work. */
export function createCognitoAuthorizer(options: CognitoOptions): CognitoAuthorizer {
  const region = options.userPoolId.split('_')[0];
  const expectedIssuer = `https://cognito-idp.${region}.amazonaws.com/${options.userPoolId}`;
  if (options.issuer && options.issuer !== expectedIssuer) {
    throw new Error(
      `Cognito issuer ${options.issuer} does not belong to pool ${options.userPoolId}; API Gateway and aws-jwt-verify expect ${expectedIssuer}`,
    );
  }
  // The JWKS comes from the local issuer, never from the network (aws-jwt-verify fetches https only).
  const jwksCache = new SimpleJwksCache({
    fetcher: {
      fetch: async () => new TextEncoder().encode(JSON.stringify(await options.jwks())).buffer,
    },
  });
  const verifier = CognitoJwtVerifier.create(
    { userPoolId: options.userPoolId, tokenUse: 'id', clientId: options.clientId },
    { jwksCache },
  );

  return async (header) => {
    if (!header) return undefined;
    // API Gateway expects the raw token; "Bearer <token>" is accepted as well.
    const token = header.replace(/^Bearer\s+/i, '').trim();
    if (!token) return undefined;
    try {
      const payload = await verifier.verify(token);
      return toGatewayClaims(payload);
    } catch {
      return undefined;
    }
  };
}
