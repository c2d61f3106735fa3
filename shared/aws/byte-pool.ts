/**
 * Large byte buffers reused across the requests of one container (Bedrock answers and the images
 * decoded out of them), instead of fresh megabytes per request.
 *
 * Why: freshly allocated memory is paid for again at its first touch. On the Firecracker microVMs
 * that Lambda (and our CI machines) run on, writing 3.5 MB into a new buffer took ~11 ms of page
 * faults, against 0.25 ms for the same copy into a buffer touched before; the garbage collector
 * then frees those buffers, and the next request faults again. Measured in the commit that added
 * this pool: warm POST /generate spent 10.5 ms of ~55 ms in the SDK's body concatenation alone.
 *
 * A buffer is only handed out again after its taker gave it back, and giving back what is not
 * taken (a buffer from elsewhere, or one given back already and not taken since) is a no-op. A
 * taker must give each buffer back once: after a second take, a stale give would free a buffer
 * its new owner still uses. A buffer that is never given back is simply garbage collected.
 */
import { Buffer } from 'node:buffer';

/** Buffers are sized in steps of this, so answers of slightly different sizes share buffers. */
const SIZE_STEP_BYTES = 256 * 1024;

/** Free bytes kept between requests; four 1024² answers and their images fit. */
export const DEFAULT_MAX_FREE_BYTES = 48 * 1024 * 1024;

export class BytePool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  /** Backing stores handed out and not yet given back. */
  private readonly taken = new WeakSet<ArrayBufferLike>();

  constructor(private readonly maxFreeBytes = DEFAULT_MAX_FREE_BYTES) {}

  /**
   * A buffer of at least `minBytes` (its whole length is usable; contents are left over from
   * earlier use). The smallest free buffer that fits, else a new one.
   */
  take(minBytes: number): Buffer {
    let best = -1;
    for (let index = 0; index < this.free.length; index += 1) {
      const candidate = this.free[index]!;
      if (candidate.length >= minBytes && (best < 0 || candidate.length < this.free[best]!.length))
        best = index;
    }
    let buffer: Buffer;
    if (best >= 0) {
      buffer = this.free.splice(best, 1)[0]!;
      this.freeBytes -= buffer.length;
    } else {
      const size = Math.max(
        SIZE_STEP_BYTES,
        Math.ceil(minBytes / SIZE_STEP_BYTES) * SIZE_STEP_BYTES,
      );
      // allocUnsafeSlow: never a slice of Node's shared pool, so the backing store is ours alone.
      buffer = Buffer.allocUnsafeSlow(size);
    }
    this.taken.add(buffer.buffer);
    return buffer;
  }

  /**
   * Gives back the buffer that `view` (the buffer itself or any view into it) came from. The
   * caller promises nothing reads or writes it any more.
   */
  give(view: Uint8Array): void {
    const store = view.buffer;
    if (!this.taken.has(store)) return;
    this.taken.delete(store);
    const buffer = Buffer.from(store);
    if (this.freeBytes + buffer.length > this.maxFreeBytes) {
      // Keep the larger buffers: a small one can be found again cheaply.
      this.free.sort((a, b) => a.length - b.length);
      while (this.free.length > 0 && this.freeBytes + buffer.length > this.maxFreeBytes) {
        if (this.free[0]!.length >= buffer.length) return;
        this.freeBytes -= this.free.shift()!.length;
      }
      if (this.freeBytes + buffer.length > this.maxFreeBytes) return;
    }
    this.free.push(buffer);
    this.freeBytes += buffer.length;
  }

  /** Bytes kept for reuse (for tests and the bench). */
  get retainedBytes(): number {
    return this.freeBytes;
  }
}
