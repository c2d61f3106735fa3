/**
 * Writes a PNG from scanlines the caller has already laid out (a filter-type byte, then the row):
 * signature, IHDR, one IDAT, IEND (PNG spec §5). pngjs's writer copies the pixels into filtered
 * rows in JavaScript and deflates them at level 9: ≈ 30 ms for a 1024² mask, where zlib alone
 * takes ≈ 1 ms.
 */
import { constants, crc32, deflateSync, type ZlibOptions } from 'node:zlib';

export interface PngFormat {
  width: number;
  height: number;
  /** Bits per sample (§11.2.1). */
  bitDepth: 8 | 16;
  /** 0 grey, 2 RGB, 4 grey + alpha, 6 RGBA. */
  colorType: 0 | 2 | 4 | 6;
}

/**
 * How the scanlines are deflated. Z_RLE finds only runs of one repeated byte, which is all a
 * black-and-white image holds: for a 1024² mask it deflates in ≈ 1.2 ms to 15 KB, where zlib's
 * default strategy takes ≈ 8.6 ms for 17.7 KB (measured on Node 20, this repository's dev box).
 */
export const RUN_LENGTH_DEFLATE: ZlibOptions = { strategy: constants.Z_RLE, level: 1 };

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The PNG file of `scanlines`, which must hold `height` rows of a filter-type byte (0–4) and
 * `width` pixels in `format`, non-interlaced.
 */
export function writePng(
  format: PngFormat,
  scanlines: Uint8Array,
  deflateOptions: ZlibOptions = RUN_LENGTH_DEFLATE,
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(format.width, 0);
  header.writeUInt32BE(format.height, 4);
  header[8] = format.bitDepth;
  header[9] = format.colorType;
  // Bytes 10–12 stay 0: deflate compression, adaptive filtering, no interlace.
  const imageData = deflateSync(scanlines, deflateOptions);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', imageData),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Length, type, data and the CRC of type + data (§5.3). */
function chunk(type: string, data: Buffer): Buffer {
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32BE(data.length, 0);
  prefix.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(prefix.subarray(4))), 0);
  return Buffer.concat([prefix, data, crc]);
}
