/** Token storage shape and expiry rules: pure, so they can be tested without Cognito. */

export interface StoredTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** The ID token's `exp`, in epoch milliseconds. */
  expiresAt: number;
  /** The name Cognito knows the user by (needed nowhere else, shown in the header). */
  email: string;
}

/** Refresh this long before expiry so a request never leaves with a token about to lapse. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** Decodes a JWT's payload without verifying it: only for reading `exp` and `email` in the UI. */
export function decodeJwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) throw new Error('Not a JWT');
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
  const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof payload !== 'object' || payload === null)
    throw new Error('JWT payload is not an object');
  return payload as Record<string, unknown>;
}

/** The ID token's expiry in epoch ms, or `fallback` if it has none. */
export function tokenExpiry(idToken: string, fallback: number): number {
  try {
    const exp = decodeJwtPayload(idToken).exp;
    return typeof exp === 'number' ? exp * 1000 : fallback;
  } catch {
    return fallback;
  }
}

export function tokenEmail(idToken: string): string | undefined {
  try {
    const payload = decodeJwtPayload(idToken);
    const email = payload.email ?? payload['cognito:username'];
    return typeof email === 'string' ? email : undefined;
  } catch {
    return undefined;
  }
}

export function needsRefresh(tokens: StoredTokens, now: number): boolean {
  return tokens.expiresAt - now <= REFRESH_MARGIN_MS;
}

/** Reads stored tokens, rejecting anything malformed (an old version, a hand edit). */
export function parseStoredTokens(raw: string | null): StoredTokens | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredTokens>;
    if (
      typeof value.idToken === 'string' &&
      typeof value.accessToken === 'string' &&
      typeof value.refreshToken === 'string' &&
      typeof value.expiresAt === 'number' &&
      typeof value.email === 'string'
    ) {
      return value as StoredTokens;
    }
  } catch {
    // Corrupt storage: treat as signed out.
  }
  return null;
}
