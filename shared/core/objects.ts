/** A copy of `value` without its undefined properties (what gets hashed, stored and sent). */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
