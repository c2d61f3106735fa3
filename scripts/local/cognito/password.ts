/**
 * Passwords for the local user pool: Cognito's default policy and scrypt hashes (never stored in
 * plain text, unlike cognito-local; shared/reference/local-stand-ins.md §3.1).
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keyLength: number,
  options: { N: number; r: number; p: number },
) => Promise<Buffer>;

// scrypt cost as OWASP's Password Storage Cheat Sheet suggests (N=2^17 there; 2^14 keeps tests
// fast and is still far from plain text for a local-only store).
const SCRYPT = { N: 2 ** 14, r: 8, p: 1 };
const KEY_LENGTH = 32;

// Cognito's default policy: at least 8 characters with an upper-case letter, a lower-case
// letter, a digit and one of these symbols.
// https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
export const MIN_PASSWORD_LENGTH = 8;
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';

/** The first policy rule the password breaks, in Cognito's words, or undefined when it is fine. */
export function passwordPolicyViolation(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return 'Password not long enough';
  if (!/[A-Z]/.test(password)) return 'Password must have uppercase characters';
  if (!/[a-z]/.test(password)) return 'Password must have lowercase characters';
  if (!/[0-9]/.test(password)) return 'Password must have numeric characters';
  if (![...password].some((character) => SYMBOLS.includes(character))) {
    return 'Password must have symbol characters';
  }
  if (password !== password.trim()) return 'Password must not start or end with a space';
  return undefined;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, SCRYPT);
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64'),
    hash.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** A random password that satisfies the policy, for AdminCreateUser without TemporaryPassword. */
export function generateTemporaryPassword(): string {
  const classes = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#%&*?'];
  const all = classes.join('');
  const characters = classes.map((set) => set[randomInt(set.length)]!);
  while (characters.length < 12) characters.push(all[randomInt(all.length)]!);
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j]!, characters[i]!];
  }
  return characters.join('');
}
