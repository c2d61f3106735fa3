/**
 * JSON.parse for a response body that carries megabytes of base64 (Bedrock's image answers),
 * without turning those megabytes into JavaScript strings at all.
 *
 * `JSON.parse(new TextDecoder().decode(bytes))` decodes 3.5 MB of UTF-8 into a string, parses it
 * into a second string, and that string is slow for Buffer.from(…, 'base64') to read; each such
 * string also lands in V8's large-object space, which set off a full mark-compact GC on nearly
 * every request (profiled in the commits that built this). Here every string token of at least
 * LIFT_MIN_CHARS characters that is clean base64 is decoded straight from the bytes, 32 KiB at a
 * time (short-lived small strings), into the buffer that is uploaded later. The small remainder is
 * parsed as usual with a placeholder string where each token was; the placeholders map to the
 * decoded bytes. Any doubt falls back to plain JSON.parse, so errors are JSON.parse's own.
 */
import { Buffer } from 'node:buffer';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const EQUALS = 0x3d;

/** Shorter strings are parsed as usual; image data is far longer. */
export const LIFT_MIN_CHARS = 4096;

/**
 * Base64 characters decoded per step: a multiple of 4, and small enough that each step's string
 * is an ordinary young-generation object that dies at once.
 */
const DECODE_CHUNK_CHARS = 32 * 1024;

const decoder = new TextDecoder();

/**
 * Where decoded images are written: exactly `bytes` long. The default allocates; BedrockInvoker
 * passes buffers from its BytePool (byte-pool.ts says why).
 */
export interface ByteAllocator {
  take(bytes: number): Buffer;
  /** Takes back a buffer from take() that was not used after all. */
  give(buffer: Buffer): void;
}

export const allocateFresh: ByteAllocator = {
  take: (bytes) => Buffer.allocUnsafe(bytes),
  give: () => undefined,
};

/**
 * Decodes the padded base64 in bytes[start, end), or undefined unless every character decoded.
 * Node's decoder skips characters outside its alphabet (A–Z a–z 0–9 + / - _ =) and stops at
 * padding, so a full-length result per chunk proves the token held only those: no escapes,
 * quotes, control characters or non-ASCII, i.e. its JSON value is exactly these characters, and
 * the bytes are what Buffer.from(value, 'base64') gives.
 */
function decodeCleanBase64(
  bytes: Buffer,
  start: number,
  end: number,
  allocate: ByteAllocator,
): Buffer | undefined {
  const length = end - start;
  if (length % 4 !== 0) return undefined;
  const padding = bytes[end - 1] === EQUALS ? (bytes[end - 2] === EQUALS ? 2 : 1) : 0;
  const out = allocate.take((length / 4) * 3 - padding);
  let written = 0;
  for (let at = start; at < end; at += DECODE_CHUNK_CHARS) {
    const stop = Math.min(at + DECODE_CHUNK_CHARS, end);
    const expected = ((stop - at) / 4) * 3 - (stop === end ? padding : 0);
    if (out.write(bytes.toString('latin1', at, stop), written, 'base64') !== expected) {
      allocate.give(out);
      return undefined;
    }
    written += expected;
  }
  return out;
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
  /** Decoded bytes of each lifted token, in document order; placeholder i stands for [i]. */
  images: Buffer[];
  marker: string;
}

/**
 * Placeholders are JSON strings starting with a marker no real value is expected to start with
 * (and that is not base64, so one decoded by mistake fails loudly); placeholdersIntact() still
 * refuses a document where one turns up anywhere unexpected.
 */
function randomMarker(): string {
  return `\u0000base64-${Math.random().toString(36).slice(2)}:`;
}

/**
 * Decodes the long base64 string tokens out of `bytes`; undefined when there are none (or the
 * bytes end inside a string, which JSON.parse will report). Outside strings a quote can only
 * open one, so finding each closing quote is enough to walk every string token.
 */
export function liftLongBase64(
  bytes: Buffer,
  marker = randomMarker(),
  allocate: ByteAllocator = allocateFresh,
): Lifted | undefined {
  const parts: Buffer[] = [];
  const images: Buffer[] = [];
  let copiedUpTo = 0;
  let open = bytes.indexOf(QUOTE);
  while (open >= 0) {
    const close = closingQuote(bytes, open);
    if (close < 0) {
      for (const image of images) allocate.give(image);
      return undefined;
    }
    if (close - open - 1 >= LIFT_MIN_CHARS) {
      const image = decodeCleanBase64(bytes, open + 1, close, allocate);
      if (image) {
        parts.push(bytes.subarray(copiedUpTo, open));
        parts.push(Buffer.from(JSON.stringify(`${marker}${images.length}`)));
        images.push(image);
        copiedUpTo = close + 1;
      }
    }
    open = bytes.indexOf(QUOTE, close + 1);
  }
  if (images.length === 0) return undefined;
  parts.push(bytes.subarray(copiedUpTo));
  return { skeleton: decoder.decode(Buffer.concat(parts)), images, marker };
}

/** True when every placeholder is found exactly once, as a value (never as a key or twice). */
function placeholdersIntact(root: unknown, lifted: Lifted): boolean {
  const found = new Array<boolean>(lifted.images.length).fill(false);
  const placeholderIndex = (value: unknown): number | undefined => {
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
      if (typeof key === 'string' && key.startsWith(lifted.marker)) return false;
      const index = placeholderIndex(value);
      if (index === undefined) {
        if (!visit(value)) return false;
        continue;
      }
      if (index < 0 || found[index]) return false;
      found[index] = true;
    }
    return true;
  };
  return placeholderIndex(root) === undefined && visit(root) && found.every(Boolean);
}

export interface ParsedWithBase64 {
  /** The document, with a placeholder string in place of each long base64 string. */
  value: unknown;
  /** Placeholder → the bytes its base64 decoded to. */
  decoded: Map<string, Buffer>;
}

/**
 * `JSON.parse(new TextDecoder().decode(bytes))`, except that long clean base64 strings come back
 * already decoded, behind placeholders (shared/models' withDecodedBase64 lets decodeModelImage
 * read them). Throws JSON.parse's own error for a malformed body. Tests fix `marker`.
 */
export function parseJsonDecodingBase64(
  bytes: Uint8Array,
  options: { marker?: string; allocate?: ByteAllocator } = {},
): ParsedWithBase64 {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const allocate = options.allocate ?? allocateFresh;
  const lifted = liftLongBase64(buffer, options.marker ?? randomMarker(), allocate);
  if (lifted) {
    try {
      const value: unknown = JSON.parse(lifted.skeleton);
      if (placeholdersIntact(value, lifted)) {
        const decoded = new Map(
          lifted.images.map((image, index) => [`${lifted.marker}${index}`, image]),
        );
        return { value, decoded };
      }
    } catch {
      // The whole text is parsed below, so a malformed body fails with JSON.parse's own error.
    }
    for (const image of lifted.images) allocate.give(image);
  }
  return { value: JSON.parse(decoder.decode(bytes)), decoded: new Map() };
}

/**
 * A character that rules a long string out of being copied into the bytes as it is. Base64
 * characters need no JSON escape and are ASCII (so their Latin-1 bytes are their UTF-8). Searched
 * for rather than matching the whole string: V8 took ~24 ms to match `^[A-Za-z0-9+/]*={0,2}$`
 * against a 3.9 MB string, 2–5 ms to search it for this.
 */
const NOT_BASE64_CHAR = /[^A-Za-z0-9+/=]/;

/**
 * `JSON.stringify(value)`, as UTF-8 bytes written into a buffer from `allocate` when the value
 * holds long base64 strings (an image in an edit request): those are copied in byte for byte,
 * instead of being copied into a multi-megabyte JSON string and encoded into fresh memory again
 * (~15–30 ms for a 1.5 MB image on our VMs, measured in the commit that added this). Without
 * such strings the answer is JSON.stringify's own string.
 */
export function stringifyWithBase64(value: unknown, allocate: ByteAllocator): string | Uint8Array {
  const marker = randomMarker();
  const lifted: string[] = [];
  const skeleton = JSON.stringify(value, (_key, field: unknown) => {
    if (typeof field !== 'string' || field.length < LIFT_MIN_CHARS || NOT_BASE64_CHAR.test(field)) {
      return field;
    }
    lifted.push(field);
    return `${marker}${lifted.length - 1}`;
  });
  if (lifted.length === 0) return skeleton;

  // Each placeholder must appear exactly once, where its string was; otherwise play safe.
  const pieces: string[] = [];
  let from = 0;
  for (let index = 0; index < lifted.length; index += 1) {
    const placeholder = JSON.stringify(`${marker}${index}`);
    const at = skeleton.indexOf(placeholder, from);
    if (at < 0 || skeleton.includes(placeholder, at + placeholder.length)) {
      return JSON.stringify(value);
    }
    pieces.push(skeleton.slice(from, at));
    from = at + placeholder.length;
  }
  pieces.push(skeleton.slice(from));

  let total = 0;
  for (const piece of pieces) total += Buffer.byteLength(piece);
  for (const string of lifted) total += string.length + 2;
  const out = allocate.take(total);
  let at = out.write(pieces[0]!, 0);
  for (let index = 0; index < lifted.length; index += 1) {
    out[at++] = QUOTE;
    at += out.write(lifted[index]!, at, 'latin1');
    out[at++] = QUOTE;
    at += out.write(pieces[index + 1]!, at);
  }
  return out;
}
