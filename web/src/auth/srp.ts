/**
 * The client half of Cognito's SRP-6a variant (AuthFlow USER_SRP_AUTH), so the password never
 * leaves the browser or the CLI. Only Web Crypto and BigInt: the same file runs in the SPA and in
 * Node (the user CLI, the readiness check, the tests), with no Buffer polyfill in the bundle.
 *
 * The protocol as Cognito's own clients (Amplify, the .NET extension library) implement it:
 *   N, g = RFC 3526's 3072-bit MODP group, 2;  k = H(N | g);  H = SHA-256
 *   a random, A = g^a;  the server answers B, salt, SECRET_BLOCK and USER_ID_FOR_SRP
 *   u = H(A | B);  x = H(salt | H(poolName | userIdForSrp | ":" | password))
 *   S = (B - k·g^x)^(a + u·x);  key = HKDF-SHA256(ikm S, salt u, info "Caldera Derived Key")[0..16)
 *   PASSWORD_CLAIM_SIGNATURE = base64(HMAC-SHA256(key, poolName | userIdForSrp | SECRET_BLOCK | TIMESTAMP))
 * Every big number enters a hash as its minimal big-endian two's-complement bytes (`padHex`).
 * web/src/auth/srp.test.ts checks this against AWS's own known-answer vectors.
 */

type Bytes = Uint8Array<ArrayBuffer>;

/** RFC 3526 §4, the 3072-bit MODP group (srp.test.ts compares it with Node's `modp15`). */
export const SRP_N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const SRP_G = 2n;
const HKDF_INFO = 'Caldera Derived Key';
const encoder = new TextEncoder();

/** Minimal big-endian two's-complement hex of a non-negative number (Java's toByteArray). */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError('SRP numbers are never negative');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  // A leading byte ≥ 0x80 would read as negative: prefix a zero byte.
  if (/^[89a-f]/i.test(hex)) hex = `00${hex}`;
  return hex;
}

export function hexToBytes(hex: string): Bytes {
  if (hex.length % 2 === 1 || !/^[0-9a-f]*$/i.test(hex)) throw new Error(`Not hex: ${hex}`);
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytesToHex(bytes)}`);
}

/** Parses an SRP number sent as hex (SRP_B, SALT); refuses anything else. */
export function hexToBigInt(hex: string, name: string): bigint {
  if (!/^[0-9a-f]+$/i.test(hex)) throw new Error(`${name} from Cognito is not a hex number`);
  return BigInt(`0x${hex}`);
}

function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function base64ToBytes(base64: string): Bytes {
  const binary = atob(base64);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function bytesToBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

async function hmacSha256(key: Bytes, data: Bytes): Promise<Bytes> {
  const imported = await crypto.subtle.importKey(
    'raw',
    key,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, data));
}

/** base^exponent mod modulus, square-and-multiply on BigInt. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** H over the padded bytes of numbers, as a number. */
async function hashNumbers(...values: bigint[]): Promise<bigint> {
  return bytesToBigInt(await sha256(concat(...values.map((value) => hexToBytes(padHex(value))))));
}

let multiplier: Promise<bigint> | undefined;
/** k = H(N | g), computed once. */
function srpMultiplier(): Promise<bigint> {
  multiplier ??= hashNumbers(SRP_N, SRP_G);
  return multiplier;
}

export interface SrpEphemeral {
  /** The secret `a`; never sent. */
  a: bigint;
  /** `A = g^a mod N` as hex, sent as SRP_A. */
  srpA: string;
}

/** A fresh client ephemeral pair: `a` from 128 random bytes, as Cognito's own clients draw it. */
export function srpEphemeral(
  random: Uint8Array = crypto.getRandomValues(new Uint8Array(128)),
): SrpEphemeral {
  const a = bytesToBigInt(random);
  const A = modPow(SRP_G, a, SRP_N);
  if (a === 0n || A === 0n) throw new Error('Unlucky SRP ephemeral; draw again');
  return { a, srpA: A.toString(16) };
}

export interface PasswordClaimInput {
  /** The part of the user pool id after the underscore, e.g. `Pj8nlkpKR`. */
  poolName: string;
  /** USER_ID_FOR_SRP from the challenge (the pool's internal username, a UUID for email pools). */
  userIdForSrp: string;
  password: string;
  ephemeral: SrpEphemeral;
  srpB: string;
  salt: string;
  secretBlock: string;
  timestamp: string;
}

/** The 16-byte key both sides derive from the shared secret S (before it signs anything). */
export async function passwordAuthenticationKey(
  input: Omit<PasswordClaimInput, 'secretBlock' | 'timestamp'>,
): Promise<Bytes> {
  const A = BigInt(`0x${input.ephemeral.srpA}`);
  const B = hexToBigInt(input.srpB, 'SRP_B');
  if (B % SRP_N === 0n) throw new Error('Cognito sent an invalid SRP_B');
  const u = await hashNumbers(A, B);
  if (u === 0n) throw new Error('SRP scrambling parameter is zero; sign in again');
  const salt = hexToBigInt(input.salt, 'SALT');
  const identity = await sha256(
    encoder.encode(`${input.poolName}${input.userIdForSrp}:${input.password}`),
  );
  const x = bytesToBigInt(await sha256(concat(hexToBytes(padHex(salt)), identity)));
  const k = await srpMultiplier();
  const base = (B - ((k * modPow(SRP_G, x, SRP_N)) % SRP_N) + SRP_N) % SRP_N;
  const S = modPow(base, input.ephemeral.a + u * x, SRP_N);
  // HKDF-SHA256 with one output block: PRK = HMAC(salt u, S); OKM = HMAC(PRK, info | 0x01).
  const prk = await hmacSha256(hexToBytes(padHex(u)), hexToBytes(padHex(S)));
  const okm = await hmacSha256(prk, concat(encoder.encode(HKDF_INFO), Uint8Array.of(1)));
  return okm.slice(0, 16);
}

/** PASSWORD_CLAIM_SIGNATURE for RespondToAuthChallenge(PASSWORD_VERIFIER). */
export async function passwordClaimSignature(input: PasswordClaimInput): Promise<string> {
  const key = await passwordAuthenticationKey(input);
  const message = concat(
    encoder.encode(input.poolName),
    encoder.encode(input.userIdForSrp),
    base64ToBytes(input.secretBlock),
    encoder.encode(input.timestamp),
  );
  return bytesToBase64(await hmacSha256(key, message));
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** TIMESTAMP in the format Cognito signs: `EEE MMM d HH:mm:ss UTC yyyy`, e.g. `Thu Jun 15 00:00:00 UTC 2017`. */
export function cognitoTimestamp(date: Date = new Date()): string {
  const two = (value: number): string => String(value).padStart(2, '0');
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}
