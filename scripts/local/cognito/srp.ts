/**
 * The server half of Cognito's SRP-6a variant for the local pool (USER_SRP_AUTH). Written apart
 * from the client (web/src/auth/srp.ts) on Node's own primitives — the group from OpenSSL's
 * `modp15`, `createHash`, standard `hkdfSync` — so a client that gets a detail wrong (padding, k,
 * the identity hash, the HKDF, the signed message) fails here as it would against Cognito.
 *
 *   v = g^x, x = H(salt | H(poolName | userIdForSrp | ":" | password))   stored at password change
 *   B = k·v + g^b;  S = (A·v^u)^b;  u = H(A | B);  k = H(N | g)
 *   key = HKDF-SHA256(ikm S, salt u, info "Caldera Derived Key", 16 bytes)
 *   expected PASSWORD_CLAIM_SIGNATURE = HMAC-SHA256(key, poolName | userIdForSrp | SECRET_BLOCK | TIMESTAMP)
 */
import { createHash, createHmac, getDiffieHellman, hkdfSync, randomBytes } from 'node:crypto';

const N = BigInt(`0x${getDiffieHellman('modp15').getPrime('hex')}`);
const g = 2n;

/** Big-endian bytes with a leading zero byte when the top bit is set (Java's toByteArray). */
function toSignedBytes(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return bytes[0]! & 0x80 ? Buffer.concat([Buffer.alloc(1), bytes]) : bytes;
}

function sha256(...parts: Buffer[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex') || '0'}`);
}

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = base % N;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * square) % N;
    square = (square * square) % N;
  }
  return result;
}

const k = toBigInt(sha256(toSignedBytes(N), toSignedBytes(g)));

export interface SrpVerifier {
  /** Hex, as sent in SALT. */
  salt: string;
  /** Hex of v = g^x mod N. */
  verifier: string;
}

function privateKey(salt: string, poolName: string, userIdForSrp: string, password: string) {
  const identity = sha256(Buffer.from(`${poolName}${userIdForSrp}:${password}`, 'utf8'));
  return toBigInt(sha256(toSignedBytes(BigInt(`0x${salt}`)), identity));
}

/** What the pool stores instead of a password: a random salt and v. */
export function createVerifier(
  poolName: string,
  userIdForSrp: string,
  password: string,
): SrpVerifier {
  const salt = randomBytes(16).toString('hex');
  const x = privateKey(salt, poolName, userIdForSrp, password);
  return { salt, verifier: power(g, x).toString(16) };
}

export interface ServerChallenge {
  /** The server's secret `b` (kept in the auth session, never sent). */
  b: bigint;
  /** Hex B, sent as SRP_B. */
  srpB: string;
}

/** B = k·v + g^b mod N for a fresh random b. */
export function serverChallenge(verifierHex: string): ServerChallenge {
  const v = BigInt(`0x${verifierHex}`);
  for (;;) {
    const b = toBigInt(randomBytes(128));
    const B = (k * v + power(g, b)) % N;
    if (B !== 0n) return { b, srpB: B.toString(16) };
  }
}

/** Parses SRP_A; undefined when it is not hex or is 0 mod N (the SRP-6a abort condition). */
export function parseClientPublic(srpA: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,2048}$/.test(srpA)) return undefined;
  const A = BigInt(`0x${srpA}`);
  return A % N === 0n ? undefined : A;
}

export interface ClaimCheck {
  poolName: string;
  userIdForSrp: string;
  verifier: string;
  A: bigint;
  challenge: ServerChallenge;
  secretBlock: string;
  timestamp: string;
}

/** The PASSWORD_CLAIM_SIGNATURE a client that knows the password computes. */
export function expectedClaimSignature(check: ClaimCheck): Buffer {
  const B = BigInt(`0x${check.challenge.srpB}`);
  const u = toBigInt(sha256(toSignedBytes(check.A), toSignedBytes(B)));
  const v = BigInt(`0x${check.verifier}`);
  const S = power((check.A * power(v, u)) % N, check.challenge.b);
  const key = Buffer.from(
    hkdfSync('sha256', toSignedBytes(S), toSignedBytes(u), 'Caldera Derived Key', 16),
  );
  return createHmac('sha256', key)
    .update(Buffer.from(check.poolName, 'utf8'))
    .update(Buffer.from(check.userIdForSrp, 'utf8'))
    .update(Buffer.from(check.secretBlock, 'base64'))
    .update(Buffer.from(check.timestamp, 'utf8'))
    .digest();
}

/** Cognito's TIMESTAMP shape, `EEE MMM d HH:mm:ss UTC yyyy`. */
export const TIMESTAMP_PATTERN =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d UTC \d{4}$/;
