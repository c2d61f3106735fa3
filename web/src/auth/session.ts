import {
  CognitoIdentityProviderClient,
  GlobalSignOutCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import type { AppConfig } from '../config.js';
import { completeNewPassword, signInWithSrp } from './srp-sign-in.js';
import { needsRefresh, parseStoredTokens, tokenEmail, tokenExpiry } from './tokens.js';
import type { StoredTokens } from './tokens.js';

const STORAGE_KEY = 'imagegen.session.v1';

export type SignInOutcome =
  { kind: 'signed-in' } | { kind: 'new-password-required'; challenge: NewPasswordChallenge };

export interface NewPasswordChallenge {
  session: string;
  /** The username Cognito wants back (a UUID when the pool signs in by email). */
  username: string;
  email: string;
}

/**
 * Cognito sign-in for the SPA: SRP (USER_SRP_AUTH, the password never leaves the browser), the
 * first-login password change, refresh before expiry, and global sign-out. These calls are
 * unauthenticated, so no AWS credentials.
 */
export class AuthSession {
  private readonly client: CognitoIdentityProviderClient;
  private readonly clientId: string;
  private readonly userPoolId: string;
  private tokens: StoredTokens | null;
  private refreshing: Promise<string | null> | null = null;
  private readonly listeners = new Set<(signedIn: boolean) => void>();
  private readonly storage: Storage;

  constructor(config: AppConfig, storage: Storage = localStorage) {
    this.storage = storage;
    this.client = new CognitoIdentityProviderClient({
      region: config.region,
      // One attempt: a wrong password should answer at once, not after retries.
      maxAttempts: 1,
      ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}),
    });
    this.clientId = config.userPoolClientId;
    this.userPoolId = config.userPoolId;
    this.tokens = parseStoredTokens(storage.getItem(STORAGE_KEY));
  }

  get email(): string | undefined {
    return this.tokens?.email;
  }

  get isSignedIn(): boolean {
    return this.tokens !== null;
  }

  onChange(listener: (signedIn: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(email: string, password: string): Promise<SignInOutcome> {
    const outcome = await signInWithSrp(this.client, {
      userPoolId: this.userPoolId,
      clientId: this.clientId,
      username: email,
      password,
    });
    if (outcome.kind === 'new-password-required') {
      return {
        kind: 'new-password-required',
        challenge: { session: outcome.session, username: outcome.username, email },
      };
    }
    this.store(outcome.result, email);
    return { kind: 'signed-in' };
  }

  async completeNewPassword(challenge: NewPasswordChallenge, newPassword: string): Promise<void> {
    const result = await completeNewPassword(this.client, {
      clientId: this.clientId,
      session: challenge.session,
      username: challenge.username,
      newPassword,
    });
    this.store(result, challenge.email);
  }

  /** A valid ID token for the Authorization header, refreshed first if near expiry. */
  async getIdToken(): Promise<string | null> {
    const tokens = this.tokens;
    if (!tokens) return null;
    if (!needsRefresh(tokens, Date.now())) return tokens.idToken;
    this.refreshing ??= this.refresh(tokens).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Ends the session everywhere if Cognito can, and always locally. */
  async signOut(): Promise<void> {
    const tokens = this.tokens;
    this.clear();
    if (!tokens) return;
    try {
      await this.client.send(new GlobalSignOutCommand({ AccessToken: tokens.accessToken }));
    } catch {
      // Already expired, offline, or a local stand-in without GlobalSignOut: local sign-out stands.
    }
  }

  /** Forgets the tokens (e.g. after the API rejected them). */
  clear(): void {
    const wasSignedIn = this.tokens !== null;
    this.tokens = null;
    this.storage.removeItem(STORAGE_KEY);
    if (wasSignedIn) for (const listener of this.listeners) listener(false);
  }

  private async refresh(tokens: StoredTokens): Promise<string | null> {
    try {
      const response = await this.client.send(
        new InitiateAuthCommand({
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: this.clientId,
          AuthParameters: { REFRESH_TOKEN: tokens.refreshToken },
        }),
      );
      // Cognito returns a new refresh token only when rotation is on; otherwise keep the old one.
      this.store(response.AuthenticationResult, tokens.email, tokens.refreshToken);
      return this.tokens?.idToken ?? null;
    } catch (error) {
      if (isNetworkError(error)) return tokens.expiresAt > Date.now() ? tokens.idToken : null;
      this.clear();
      return null;
    }
  }

  private store(
    result: AuthenticationResultType | undefined,
    email: string,
    previousRefreshToken?: string,
  ): void {
    const refreshToken = result?.RefreshToken ?? previousRefreshToken;
    if (!result?.IdToken || !result.AccessToken || !refreshToken) {
      throw new Error('Cognito did not return tokens. Try signing in again.');
    }
    const wasSignedIn = this.tokens !== null;
    const fallbackExpiry = Date.now() + (result.ExpiresIn ?? 3600) * 1000;
    this.tokens = {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken,
      expiresAt: tokenExpiry(result.IdToken, fallbackExpiry),
      email: tokenEmail(result.IdToken) ?? email,
    };
    this.storage.setItem(STORAGE_KEY, JSON.stringify(this.tokens));
    if (!wasSignedIn) for (const listener of this.listeners) listener(true);
  }
}

function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof Error && error.name === 'TimeoutError');
}

/** Cognito's messages are already user-facing ("Incorrect username or password."); keep them. */
export function authErrorMessage(error: unknown): string {
  if (isNetworkError(error)) {
    return 'Could not reach the sign-in service. Check your connection and try again.';
  }
  if (error instanceof Error && error.message) return error.message;
  return 'Sign-in failed. Try again.';
}
