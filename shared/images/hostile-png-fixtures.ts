/**
 * Hostile PNG files for the tests (unit and through the local stack): a header that promises a
 * small image over a zlib stream that inflates to gigabytes, and streams that hold too few or too
 * many scanlines. Built byte by byte, because no encoder writes such files.
 */
import { constants, deflateRawSync, deflateSync } from 'node:zlib';

export interface HostileHeader {
  width: number;
  height: number;
  interlaced?: boolean;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGBA PNG (colour type 6) whose single IDAT chunk holds `zlibData` as is. */
export function rgbaPngWithData(header: HostileHeader, zlibData: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(header.width, 0);
  ihdr.writeUInt32BE(header.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  ihdr[12] = header.interlaced ? 1 : 0;
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibData),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * A zlib stream of `inflatedBytes` zero bytes, built without ever holding them: one 16 MiB block of
 * zeros compressed once and repeated (a full flush makes each copy independent), then an empty
 * final block and the Adler-32 of that many zeros (a = 1, b = n mod 65521).
 */
export function zlibOfZeros(inflatedBytes: number): Buffer {
  const blockBytes = 16 * 1024 * 1024;
  if (inflatedBytes % blockBytes !== 0)
    throw new Error('inflatedBytes must be a multiple of 16 MiB');
  const block = deflateRawSync(Buffer.alloc(blockBytes), {
    level: 9,
    finishFlush: constants.Z_FULL_FLUSH,
  });
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((inflatedBytes % 65521) << 16) | 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0xda]),
    ...Array.from({ length: inflatedBytes / blockBytes }, () => block),
    Buffer.from([0x03, 0x00]), // final fixed-Huffman block holding only end-of-block
    adler,
  ]);
}

/** `rows` unfiltered RGBA scanlines of `width` pixels: opaque white where `painted`, else black. */
export function rgbaScanlines(
  width: number,
  rows: number,
  painted: (x: number, y: number) => boolean,
): Buffer {
  const rowBytes = 1 + width * 4;
  const data = Buffer.alloc(rows * rowBytes);
  for (let y = 0; y < rows; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const value = painted(x, y) ? 255 : 0;
      data.fill(value, y * rowBytes + 1 + x * 4, y * rowBytes + 1 + x * 4 + 3);
      data[y * rowBytes + 1 + x * 4 + 3] = 255;
    }
  }
  return data;
}

/** 1.5 GiB: what issue 13 measured a 2 MB interlaced mask inflating to. */
export const BOMB_INFLATED_BYTES = 1536 * 1024 * 1024;

/** An interlaced RGBA PNG of `size` whose image data inflates to `inflatedBytes` (≈ 1 KB per MB). */
export function interlacedPngBomb(
  size: { width: number; height: number },
  inflatedBytes = BOMB_INFLATED_BYTES,
): Buffer {
  return rgbaPngWithData({ ...size, interlaced: true }, zlibOfZeros(inflatedBytes));
}

/** A mask of `size` whose data holds only its first `rows` scanlines (painted on the left half). */
export function maskWithRows(size: { width: number; height: number }, rows: number): Buffer {
  return rgbaPngWithData(
    size,
    deflateSync(rgbaScanlines(size.width, rows, (x) => x < size.width / 2)),
  );
}

/** A mask of `size` whose data lacks its last `missingBytes` bytes (the last pixels of its last row). */
export function maskShortBy(size: { width: number; height: number }, missingBytes: number): Buffer {
  const scanlines = rgbaScanlines(size.width, size.height, (x) => x < size.width / 2);
  return rgbaPngWithData(size, deflateSync(scanlines.subarray(0, scanlines.length - missingBytes)));
}
