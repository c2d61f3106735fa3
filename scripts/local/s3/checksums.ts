/**
 * The additional checksums S3 verifies on upload (`x-amz-checksum-<algorithm>`, base64 of the
 * big-endian digest). Real S3 rejects a body that does not match a sent or pre-signed checksum,
 * which is what breaks pre-signed PUTs made with the SDK's default WHEN_SUPPORTED checksums
 * (shared/reference/local-stand-ins.md §1.4.1), so the stand-in does the same.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

// Castagnoli polynomial, reflected (RFC 3720 §B.4).
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(bytes: Uint8Array, previous: number): number {
  let crc = ~previous >>> 0;
  for (const byte of bytes) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

/** Incrementally computes one checksum over a streamed body. */
export class Checksum {
  private crc = 0;
  private readonly hash;

  constructor(readonly algorithm: ChecksumAlgorithm) {
    this.hash = algorithm === 'sha1' || algorithm === 'sha256' ? createHash(algorithm) : undefined;
  }

  update(chunk: Uint8Array): void {
    if (this.hash) this.hash.update(chunk);
    else if (this.algorithm === 'crc32') this.crc = crc32(chunk, this.crc);
    else this.crc = crc32c(chunk, this.crc);
  }

  base64(): string {
    return this.hash ? this.hash.digest('base64') : uint32Base64(this.crc);
  }
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}
