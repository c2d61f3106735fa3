/**
 * On-disk object store for the local S3 stand-in. Layout per bucket:
 *   <dataDir>/<bucket>/blobs/<uuid>        object bytes, never rewritten in place
 *   <dataDir>/<bucket>/keys/<sha256(key)>.json  metadata that points at the current blob
 *   <dataDir>/<bucket>/tmp/                uploads in progress
 * A write lands the blob first and then renames the metadata file over the old one, so a crash
 * leaves either the old object or the new one, never a mix. An in-memory index serves listings.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ObjectHeaders {
  contentType: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
}

export interface ObjectRecord extends ObjectHeaders {
  key: string;
  blob: string;
  size: number;
  /** Quoted hex MD5, as S3 returns it for single-part uploads. */
  etag: string;
  lastModified: string;
  /** `x-amz-meta-*` values keyed by the lower-case name without the prefix. */
  metadata: Record<string, string>;
}

/** An upload written to a temp file, with the digests computed while streaming. */
export interface StagedUpload {
  path: string;
  size: number;
  md5: Buffer;
  sha256: Buffer;
}

export type PutInput = ObjectHeaders & { metadata: Record<string, string> };

async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}

class BucketStore {
  private readonly index = new Map<string, ObjectRecord>();

  constructor(private readonly dir: string) {}

  private keyFile(key: string): string {
    return join(this.dir, 'keys', `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  blobPath(record: ObjectRecord): string {
    return join(this.dir, 'blobs', record.blob);
  }

  tempPath(): string {
    return join(this.dir, 'tmp', randomUUID());
  }

  async load(): Promise<void> {
    for (const sub of ['blobs', 'keys', 'tmp'])
      await mkdir(join(this.dir, sub), { recursive: true });
    await rm(join(this.dir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(this.dir, 'tmp'));
    for (const name of await readdir(join(this.dir, 'keys'))) {
      const path = join(this.dir, 'keys', name);
      if (!name.endsWith('.json')) {
        await rm(path, { force: true });
        continue;
      }
      const record = JSON.parse(await readFile(path, 'utf8')) as ObjectRecord;
      this.index.set(record.key, record);
    }
    // Blobs no key points at are leftovers of a crash between the two renames.
    const live = new Set([...this.index.values()].map((record) => record.blob));
    for (const blob of await readdir(join(this.dir, 'blobs'))) {
      if (!live.has(blob)) await rm(join(this.dir, 'blobs', blob), { force: true });
    }
  }

  get(key: string): ObjectRecord | undefined {
    return this.index.get(key);
  }

  /** Keys in UTF-8 binary order, as S3 lists them. */
  sortedKeys(): string[] {
    return [...this.index.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  async commit(key: string, staged: StagedUpload, input: PutInput): Promise<ObjectRecord> {
    const blob = randomUUID();
    await rename(staged.path, join(this.dir, 'blobs', blob));
    const record: ObjectRecord = {
      ...input,
      key,
      blob,
      size: staged.size,
      etag: `"${staged.md5.toString('hex')}"`,
      lastModified: new Date().toISOString(),
    };
    return this.writeRecord(record);
  }

  async copy(key: string, source: ObjectRecord, input: PutInput): Promise<ObjectRecord> {
    const blob = randomUUID();
    const temp = this.tempPath();
    await copyFile(this.blobPath(source), temp);
    await rename(temp, join(this.dir, 'blobs', blob));
    const record: ObjectRecord = {
      ...input,
      key,
      blob,
      size: source.size,
      etag: source.etag,
      lastModified: new Date().toISOString(),
    };
    return this.writeRecord(record);
  }

  private async writeRecord(record: ObjectRecord): Promise<ObjectRecord> {
    await writeFileAtomic(this.keyFile(record.key), JSON.stringify(record));
    const previous = this.index.get(record.key);
    this.index.set(record.key, record);
    if (previous) await rm(this.blobPath(previous), { force: true });
    return record;
  }

  async delete(key: string): Promise<void> {
    const previous = this.index.get(key);
    if (!previous) return;
    this.index.delete(key);
    await rm(this.keyFile(key), { force: true });
    await rm(this.blobPath(previous), { force: true });
  }
}

/** All buckets of one local S3 server. */
export class ObjectStore {
  private readonly buckets = new Map<string, BucketStore>();

  constructor(
    private readonly dataDir: string,
    bucketNames: string[],
  ) {
    for (const name of bucketNames) this.buckets.set(name, new BucketStore(join(dataDir, name)));
  }

  async load(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    for (const bucket of this.buckets.values()) await bucket.load();
  }

  bucket(name: string): BucketStore | undefined {
    return this.buckets.get(name);
  }

  /** Streams a body into the bucket's temp dir while hashing it; `onChunk` sees every chunk. */
  async stage(
    bucket: BucketStore,
    body: Readable,
    onChunk?: (chunk: Buffer) => void,
  ): Promise<StagedUpload> {
    const path = bucket.tempPath();
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    let size = 0;
    try {
      await pipeline(
        body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            size += chunk.length;
            md5.update(chunk);
            sha256.update(chunk);
            onChunk?.(chunk);
            yield chunk;
          }
        },
        createWriteStream(path),
      );
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { path, size, md5: md5.digest(), sha256: sha256.digest() };
  }

  async stageBuffer(bucket: BucketStore, bytes: Buffer): Promise<StagedUpload> {
    const path = bucket.tempPath();
    await writeFile(path, bytes);
    return {
      path,
      size: bytes.length,
      md5: createHash('md5').update(bytes).digest(),
      sha256: createHash('sha256').update(bytes).digest(),
    };
  }

  async discard(staged: StagedUpload): Promise<void> {
    await rm(staged.path, { force: true });
  }

  read(
    bucket: BucketStore,
    record: ObjectRecord,
    range?: { start: number; end: number },
  ): Readable {
    return createReadStream(bucket.blobPath(record), range);
  }
}

export type { BucketStore };
