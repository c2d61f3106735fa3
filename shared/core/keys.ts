/**
 * S3 key layout and request ids. Every key is `<prefix><id>/<n>.<ext>` with a fresh UUID (or a
 * content hash for cacheable requests), never a timestamp: timestamp names collide under load.
 */
import { createHash } from 'node:crypto';

import type { ImageMimeType } from '../models/types.js';

const EXTENSIONS: Record<ImageMimeType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
};

export function extensionFor(mimeType: ImageMimeType): string {
  return EXTENSIONS[mimeType];
}

/** Folder of everything one user owns; the only prefix their requests may read. */
export function userPrefix(userId: string): string {
  return `users/${userId}/`;
}

/** Where generated images go: per user when signed in, else the shared anonymous folder. */
export function generatedPrefix(userId: string | undefined): string {
  return userId ? `${userPrefix(userId)}generated/` : 'generated/';
}

export function editsPrefix(userId: string): string {
  return `${userPrefix(userId)}edits/`;
}

export function uploadsPrefix(userId: string): string {
  return `${userPrefix(userId)}uploads/`;
}

export function outputKey(prefix: string, id: string, index: number, mimeType: ImageMimeType) {
  return `${prefix}${id}/${index}.${extensionFor(mimeType)}`;
}

/**
 * True when `key` is a plain object key inside the caller's folder: no `.`/`..` segments, no
 * empty segments, no control characters. Anything else is treated as not found, so a foreign or
 * crafted key tells the caller nothing.
 */
export function isOwnedKey(key: string, userId: string): boolean {
  const prefix = userPrefix(userId);
  if (!key.startsWith(prefix) || key.length > 1024) return false;
  const rest = key.slice(prefix.length).split('/');
  return rest.every(
    (segment) =>
      segment !== '' &&
      segment !== '.' &&
      segment !== '..' &&
      [...segment].every((char) => char >= ' ' && char !== '\u007f' && char !== '\\'),
  );
}

/** JSON with object keys sorted and undefined dropped, so equal requests hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Length of a content-hash id: 32 base64url characters carry 192 bits of the sha256. */
export const CONTENT_ID_LENGTH = 32;

/**
 * A deterministic id for a request: sha256 over the canonical JSON of `parts`, base64url, 32
 * characters. Equal seeded requests get equal ids, which is what lets a repeat skip Bedrock.
 */
export function contentId(parts: Record<string, unknown>): string {
  return createHash('sha256')
    .update(canonicalJson(parts))
    .digest('base64url')
    .slice(0, CONTENT_ID_LENGTH);
}
