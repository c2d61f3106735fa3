import { Buffer } from 'node:buffer';
import {
  decodeJwtPayload,
  needsRefresh,
  parseStoredTokens,
  REFRESH_MARGIN_MS,
  tokenEmail,
  tokenExpiry,
} from './tokens.js';

function fakeJwt(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256' })}.${encode(payload)}.signature`;
}

describe('token helpers', () => {
  it('decodes base64url payloads, including non-ASCII text', () => {
    const token = fakeJwt({ email: 'zoë@example.com', exp: 1_800_000_000 });
    expect(decodeJwtPayload(token)).toEqual({ email: 'zoë@example.com', exp: 1_800_000_000 });
    expect(tokenEmail(token)).toBe('zoë@example.com');
    expect(tokenExpiry(token, 0)).toBe(1_800_000_000_000);
  });

  it('falls back when the token is not a JWT', () => {
    expect(tokenExpiry('garbage', 42)).toBe(42);
    expect(tokenEmail('garbage')).toBeUndefined();
  });

  it('asks for a refresh only inside the margin before expiry', () => {
    const now = 1_000_000;
    const base = { idToken: '', accessToken: '', refreshToken: '', email: '' };
    expect(needsRefresh({ ...base, expiresAt: now + REFRESH_MARGIN_MS + 1 }, now)).toBe(false);
    expect(needsRefresh({ ...base, expiresAt: now + REFRESH_MARGIN_MS }, now)).toBe(true);
    expect(needsRefresh({ ...base, expiresAt: now - 1 }, now)).toBe(true);
  });

  it('reads stored tokens and rejects malformed storage', () => {
    const stored = { idToken: 'i', accessToken: 'a', refreshToken: 'r', expiresAt: 5, email: 'e' };
    expect(parseStoredTokens(JSON.stringify(stored))).toEqual(stored);
    expect(parseStoredTokens(JSON.stringify({ ...stored, expiresAt: '5' }))).toBeNull();
    expect(parseStoredTokens('{not json')).toBeNull();
    expect(parseStoredTokens(null)).toBeNull();
  });
});
