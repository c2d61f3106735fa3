/**
 * Drafts and running jobs kept across a reload, in sessionStorage: per tab (two tabs never fight
 * over one job), gone when the tab closes, and cleared at sign-out.
 */

const PREFIX = 'imagegen.draft.';

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be switched off (privacy settings); the app then simply forgets on reload.
    return undefined;
  }
}

export interface StoredValue<T> {
  load(): T | undefined;
  save(value: T): void;
  clear(): void;
}

/** A JSON value under `imagegen.draft.<name>`; `accept` rejects shapes from an older version. */
export function storedValue<T>(
  name: string,
  accept: (value: unknown) => value is T,
): StoredValue<T> {
  const key = PREFIX + name;
  return {
    load() {
      const text = storage()?.getItem(key);
      if (!text) return undefined;
      try {
        const value: unknown = JSON.parse(text);
        return accept(value) ? value : undefined;
      } catch {
        return undefined;
      }
    },
    save(value) {
      try {
        storage()?.setItem(key, JSON.stringify(value));
      } catch {
        // Quota or disabled storage: a lost draft is not worth an error.
      }
    },
    clear() {
      storage()?.removeItem(key);
    },
  };
}

/** Forgets every draft and running job (sign-out: the next person must not see them). */
export function clearDrafts(): void {
  const store = storage();
  if (!store) return;
  for (const key of Object.keys(store)) if (key.startsWith(PREFIX)) store.removeItem(key);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
