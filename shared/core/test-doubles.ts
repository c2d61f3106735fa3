/**
 * In-memory implementations of the ports, for unit tests of the services and handlers. They keep
 * the contract's observable behaviour (conditional pending writes, newest-first paging) so tests
 * can assert on state instead of on calls.
 */
import { AppError } from '../errors.js';
import type {
  GenerateParams,
  EditParams,
  Invocation,
  ModelAdapter,
  ModelInfo,
  ModelOutput,
} from '../models/types.js';
import type {
  Clock,
  ImageRecord,
  ImageStore,
  InvocationResult,
  ModelCatalog,
  ModelInvoker,
  PageKey,
  RecordOutcome,
  RecordPage,
  RecordStore,
  StoredImage,
} from './ports.js';
import type { PipelineDeps } from './image-pipeline.js';

export class InMemoryImageStore implements ImageStore {
  readonly objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  readonly deleted: string[] = [];
  /** Keys whose put fails, to exercise storage failures. */
  failPuts = (_key: string): boolean => false;
  private signCount = 0;

  put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    if (this.failPuts(key)) return Promise.reject(new Error(`S3 refused ${key}`));
    this.objects.set(key, { bytes, contentType });
    return Promise.resolve();
  }

  get(key: string): Promise<StoredImage | undefined> {
    const object = this.objects.get(key);
    return Promise.resolve(
      object ? { bytes: object.bytes, contentType: object.contentType } : undefined,
    );
  }

  delete(key: string): Promise<void> {
    this.deleted.push(key);
    this.objects.delete(key);
    return Promise.resolve();
  }

  /** Each call signs anew, like S3 (the URL changes with the signing time). */
  presignGet(key: string): Promise<string> {
    this.signCount += 1;
    return Promise.resolve(`https://bucket.example/${key}?signature=${this.signCount}`);
  }
}

export class InMemoryRecordStore implements RecordStore {
  readonly records = new Map<string, ImageRecord>();

  createPending(record: ImageRecord, staleBefore: string): Promise<void> {
    const existing = this.records.get(record.id);
    const isFree =
      !existing ||
      existing.status === 'failed' ||
      (existing.status === 'pending' && existing.updatedAt < staleBefore);
    if (!isFree) return Promise.reject(new AppError('CONFLICT', 'already running'));
    this.records.set(record.id, structuredClone(record));
    return Promise.resolve();
  }

  get(id: string): Promise<ImageRecord | undefined> {
    const record = this.records.get(id);
    return Promise.resolve(record ? structuredClone(record) : undefined);
  }

  finish(id: string, outcome: RecordOutcome): Promise<void> {
    const record = this.records.get(id);
    if (!record) return Promise.reject(new AppError('CONFLICT', `record ${id} was deleted`));
    this.records.set(id, { ...record, ...outcome });
    return Promise.resolve();
  }

  failIfUnchanged(
    id: string,
    seenUpdatedAt: string,
    outcome: Extract<RecordOutcome, { status: 'failed' }>,
  ): Promise<boolean> {
    const record = this.records.get(id);
    if (record?.status !== 'pending' || record.updatedAt !== seenUpdatedAt) {
      return Promise.resolve(false);
    }
    this.records.set(id, { ...record, ...outcome });
    return Promise.resolve(true);
  }

  listByUser(userId: string, limit: number, startKey?: PageKey): Promise<RecordPage> {
    const mine = [...this.records.values()]
      .filter((record) => record.userId === userId)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    const start = startKey ? mine.findIndex((record) => record.id === startKey.id) + 1 : 0;
    const page = mine.slice(start, start + limit);
    const last = page[page.length - 1];
    const hasMore = start + limit < mine.length;
    return Promise.resolve({
      records: page.map((record) => structuredClone(record)),
      ...(hasMore && last ? { nextKey: { id: last.id, userId, createdAt: last.createdAt } } : {}),
    });
  }

  delete(id: string): Promise<void> {
    this.records.delete(id);
    return Promise.resolve();
  }
}

/**
 * Answers every invoke with `respond(invocations)`; records calls and the abort signals seen, and
 * calls `onRelease` when the caller hands the output's bytes back.
 */
export class ScriptedInvoker implements ModelInvoker {
  readonly calls: { invocations: Invocation[]; signal?: AbortSignal }[] = [];
  releases = 0;
  onRelease: () => void = () => undefined;
  respond: (invocations: Invocation[]) => Promise<ModelOutput> = (invocations) =>
    Promise.resolve({
      images: invocations.map((_, index) => ({
        bytes: new Uint8Array([index]),
        mimeType: 'image/png' as const,
        seed: 100 + index,
      })),
      filteredCount: 0,
    });

  async invoke(
    _adapter: ModelAdapter,
    invocations: Invocation[],
    signal?: AbortSignal,
  ): Promise<InvocationResult> {
    this.calls.push({ invocations, ...(signal ? { signal } : {}) });
    return {
      output: await this.respond(invocations),
      modelMs: 1234,
      release: () => {
        this.releases += 1;
        this.onRelease();
      },
    };
  }
}

/** An adapter that makes one invocation per requested image and records what it was given. */
export class RecordingAdapter implements ModelAdapter {
  readonly family = 'stability-current' as const;
  readonly generateCalls: GenerateParams[] = [];
  readonly editCalls: EditParams[] = [];

  buildTextToImage(modelId: string, params: GenerateParams): Invocation[] {
    if (params.width !== undefined && params.width > 2048) {
      throw new AppError('INVALID_PARAMETER', `${modelId}: width must be at most 2048`);
    }
    this.generateCalls.push(params);
    return Array.from({ length: params.count ?? 1 }, (_, index) => ({
      modelId,
      body: { prompt: params.prompt, index },
    }));
  }

  buildEdit(modelId: string, params: EditParams): Invocation[] {
    this.editCalls.push(params);
    return [{ modelId, body: { operation: params.operation } }];
  }

  parseResponse(): ModelOutput {
    throw new Error('not used: the ScriptedInvoker answers instead');
  }
}

export function fakeModel(id: string, operations: ModelInfo['operations'] = []): ModelInfo {
  return {
    id,
    family: 'stability-current',
    displayName: id,
    lifecycle: 'active',
    lifecycleNote: 'test model',
    textToImage: operations.length === 0,
    operations,
  };
}

export function fakeCatalog(models: ModelInfo[], adapter: ModelAdapter): ModelCatalog {
  return {
    adapterFor: (id) => {
      if (!models.some((model) => model.id === id)) {
        throw new AppError('MODEL_NOT_ALLOWED', `unknown ${id}`);
      }
      return adapter;
    },
    findModel: (id) => models.find((model) => model.id === id),
  };
}

/** A clock that moves forward 5 ms each time it is read. */
export function steppingClock(start = '2026-01-02T03:04:05.000Z'): Clock {
  let current = new Date(start).getTime();
  return {
    now: () => {
      const now = new Date(current);
      current += 5;
      return now;
    },
  };
}

/** ids `id-1`, `id-2`… */
export function sequentialIds(): () => string {
  let next = 0;
  return () => {
    next += 1;
    return `id-${next}`;
  };
}

/**
 * The ports every image service runs on (PipelineDeps), all in memory and typed as the doubles so
 * a test can script the invoker and read the stored objects and records.
 */
export function inMemoryPipeline(clock: Clock = steppingClock()) {
  return {
    images: new InMemoryImageStore(),
    records: new InMemoryRecordStore(),
    invoker: new ScriptedInvoker(),
    clock,
    urlExpirySeconds: 600,
  } satisfies PipelineDeps;
}
