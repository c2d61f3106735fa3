/**
 * Users and refresh tokens of the local user pool, kept in memory and written to
 * `<dataDir>/users.json` (temp file + rename) after every change so restarts keep them.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type UserStatus = 'FORCE_CHANGE_PASSWORD' | 'CONFIRMED';

export interface UserRecord {
  sub: string;
  /** Lower-case; the pool signs users in by email (UsernameAttributes: email). */
  email: string;
  /** Every attribute except `sub`, e.g. email, email_verified. */
  attributes: Record<string, string>;
  passwordHash: string;
  /** SRP salt and verifier (v = g^x) for USER_SRP_AUTH; absent for users stored before SRP. */
  srp?: { salt: string; verifier: string };
  status: UserStatus;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** When the current temporary password was set (FORCE_CHANGE_PASSWORD only). */
  temporaryPasswordSetAt?: number;
}

export interface RefreshTokenRecord {
  /** SHA-256 of the opaque token; the token itself is never stored. */
  tokenHash: string;
  /** `origin_jti` of every ID and access token issued from this refresh token. */
  originJti: string;
  sub: string;
  clientId: string;
  authTime: number;
  expiresAt: number;
  revoked: boolean;
}

interface StoredState {
  users: UserRecord[];
  refreshTokens: RefreshTokenRecord[];
}

export class UserStore {
  private readonly users = new Map<string, UserRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static async open(dataDir: string): Promise<UserStore> {
    const store = new UserStore(join(dataDir, 'users.json'));
    let state: StoredState = { users: [], refreshTokens: [] };
    try {
      state = JSON.parse(await readFile(store.file, 'utf8')) as StoredState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const user of state.users) store.users.set(user.sub, user);
    for (const token of state.refreshTokens) store.refreshTokens.set(token.tokenHash, token);
    return store;
  }

  /** Writes the whole state; calls are chained so the file always ends with the latest state. */
  persist(): Promise<void> {
    this.writes = this.writes.then(async () => {
      const state: StoredState = {
        users: [...this.users.values()],
        refreshTokens: [...this.refreshTokens.values()],
      };
      const temp = `${this.file}.${randomUUID()}.tmp`;
      await writeFile(temp, JSON.stringify(state, null, 1));
      await rename(temp, this.file);
    });
    return this.writes;
  }

  /** By email (case-insensitive) or by sub, the two names Cognito accepts for such a pool. */
  find(username: string): UserRecord | undefined {
    const bySub = this.users.get(username);
    if (bySub) return bySub;
    const email = username.toLowerCase();
    return [...this.users.values()].find((user) => user.email === email);
  }

  all(): UserRecord[] {
    return [...this.users.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  put(user: UserRecord): void {
    this.users.set(user.sub, user);
  }

  delete(sub: string): void {
    this.users.delete(sub);
    for (const [hash, token] of this.refreshTokens) {
      if (token.sub === sub) this.refreshTokens.delete(hash);
    }
  }

  addRefreshToken(token: RefreshTokenRecord): void {
    const now = Date.now();
    // Drop expired tokens so the file does not grow without bound.
    for (const [hash, existing] of this.refreshTokens) {
      if (existing.expiresAt < now) this.refreshTokens.delete(hash);
    }
    this.refreshTokens.set(token.tokenHash, token);
  }

  refreshToken(tokenHash: string): RefreshTokenRecord | undefined {
    return this.refreshTokens.get(tokenHash);
  }

  refreshTokenByOriginJti(originJti: string): RefreshTokenRecord | undefined {
    return [...this.refreshTokens.values()].find((token) => token.originJti === originJti);
  }

  revokeAllFor(sub: string): void {
    for (const token of this.refreshTokens.values()) {
      if (token.sub === sub) token.revoked = true;
    }
  }
}
