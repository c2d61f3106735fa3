/**
 * JSON.parse for a response body that carries megabytes of base64 (Bedrock's image answers),
 * without turning those megabytes into JavaScript strings twice.
 *
 * `JSON.parse(new TextDecoder().decode(bytes))` decodes 3.5 MB of UTF-8 into a string, parses it
 * into a second string, and that string is slow for Buffer.from(…, 'base64') to read (profiled in
 * the commit that added this). Here every string token of at least LIFT_MIN_CHARS characters that
 * is clean base64 is cut out of the bytes as a flat Latin-1 string (one copy, which base64
 * decoding reads at memory speed), the small remainder is parsed as usual, and the strings are put
 * back where they were. The result is what JSON.parse would give; any doubt falls back to it.
 */
import { Buffer } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Shorter strings are parsed as usual; image data is far longer. */
export const LIFT_MIN_CHARS = 4096;

const decoder = new TextDecoder();

/** A scratch buffer for checking base64 without keeping the bytes; grows to the largest image. */
let scratch = Buffer.alloc(0);

/**
 * True when `text` is padded base64 that decodes without skipping anything. Node's decoder skips
 * characters outside its alphabet (A–Z a–z 0–9 + / - _ =), so a full-length result proves the
 * token held only those: no escapes, quotes, control characters or non-ASCII, which is exactly
 * when its Latin-1 reading equals its JSON value.
 */
function isCleanBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const expected = (text.length / 4) * 3 - padding;
  if (scratch.length < expected) scratch = Buffer.allocUnsafe(expected);
  return scratch.write(text, 0, 'base64') === expected;
}

/** The index of the quote that closes the string opened at `open`, or -1. */
function closingQuote(bytes: Buffer, open: number): number {
  let at = open;
  for (;;) {
    at = bytes.indexOf(QUOTE, at + 1);
    if (at < 0) return -1;
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}

export interface Lifted {
  skeleton: string;
  strings: string[];
  marker: string;
}

/**
 * Splits the long base64 string tokens out of `bytes`; undefined when there are none (or the
 * bytes end inside a string, which JSON.parse will report). Outside strings a quote can only
 * open one, so finding each closing quote is enough to walk every string token.
 */
export function liftLongStrings(bytes: Buffer): Lifted | undefined {
  // Placeholders are JSON strings starting with a marker no real value is expected to start
  // with; restore() still refuses a document where one turns up anywhere unexpected.
  const marker = `\u0000lifted-${Math.random().toString(36).slice(2)}:`;
  const parts: Buffer[] = [];
  const strings: string[] = [];
  let copiedUpTo = 0;
  let open = bytes.indexOf(QUOTE);
  while (open >= 0) {
    const close = closingQuote(bytes, open);
    if (close < 0) return undefined;
    if (close - open - 1 >= LIFT_MIN_CHARS) {
      const text = bytes.toString('latin1', open + 1, close);
      if (isCleanBase64(text)) {
        parts.push(bytes.subarray(copiedUpTo, open));
        parts.push(Buffer.from(JSON.stringify(`${marker}${strings.length}`)));
        strings.push(text);
        copiedUpTo = close + 1;
      }
    }
    open = bytes.indexOf(QUOTE, close + 1);
  }
  if (strings.length === 0) return undefined;
  parts.push(bytes.subarray(copiedUpTo));
  return { skeleton: decoder.decode(Buffer.concat(parts)), strings, marker };
}

/**
 * Puts the lifted strings back in place of their placeholders. False (the caller then parses
 * the whole text) unless every placeholder was found exactly once, as a value.
 */
function restore(root: unknown, lifted: Lifted): boolean {
  const found = new Array<boolean>(lifted.strings.length).fill(false);
  const liftedAt = (value: unknown): number | undefined => {
    if (typeof value !== 'string' || !value.startsWith(lifted.marker)) return undefined;
    const index = Number(value.slice(lifted.marker.length));
    return Number.isInteger(index) && index >= 0 && index < found.length ? index : -1;
  };
  const visit = (node: unknown): boolean => {
    if (node === null || typeof node !== 'object') return true;
    const entries: [string | number, unknown][] = Array.isArray(node)
      ? node.map((value, index) => [index, value])
      : Object.entries(node);
    for (const [key, value] of entries) {
      if (typeof key === 'string' && (key === '__proto__' || key.startsWith(lifted.marker))) {
        return false;
      }
      const index = liftedAt(value);
      if (index === undefined) {
        if (!visit(value)) return false;
        continue;
      }
      if (index < 0 || found[index]) return false;
      found[index] = true;
      (node as Record<string | number, unknown>)[key] = lifted.strings[index];
    }
    return true;
  };
  return liftedAt(root) === undefined && visit(root) && found.every(Boolean);
}

/** `JSON.parse(new TextDecoder().decode(bytes))`, cheaply for bodies with long base64 strings. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lifted = liftLongStrings(buffer);
  if (lifted) {
    try {
      const value: unknown = JSON.parse(lifted.skeleton);
      if (restore(value, lifted)) return value;
    } catch {
      // The whole text is parsed below, so a malformed body fails with JSON.parse's own error.
    }
  }
  return JSON.parse(decoder.decode(bytes));
}
