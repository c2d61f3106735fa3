/** The caller's own records, newest first, with fresh URLs; and deleting one of them. */
import * as z from 'zod';

import { AppError } from '../errors.js';
import { STALE_PENDING_MS } from './image-pipeline.js';
import type { EditOperation } from '../models/types.js';
import type {
  Clock,
  ImageRecord,
  ImageStore,
  PageKey,
  RecordKind,
  RecordStatus,
  RecordStore,
} from './ports.js';

export interface HistoryDeps {
  images: ImageStore;
  records: RecordStore;
  clock: Clock;
  urlExpirySeconds: number;
}

export interface HistoryImage {
  key: string;
  url: string;
}

export interface HistoryItem {
  id: string;
  kind: RecordKind;
  model: string;
  operation?: EditOperation;
  prompt: string;
  parameters: Record<string, unknown>;
  status: RecordStatus;
  errorCode?: string;
  createdAt: string;
  durationMs?: number;
  input?: HistoryImage;
  mask?: HistoryImage;
  images: (HistoryImage & { seed: number | null })[];
}

export interface HistoryPage {
  items: HistoryItem[];
  /** Pass back as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
  expiresAt: string;
}

export interface HistoryService {
  list(userId: string, options: { limit: number; cursor?: string }): Promise<HistoryPage>;
  /** Deletes the record's outputs and mask, then the record. Uploads are kept (see below). */
  remove(userId: string, id: string): Promise<void>;
}

const pageKeySchema = z.strictObject({
  id: z.string().min(1),
  userId: z.string().min(1),
  createdAt: z.string().min(1),
});

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The page key inside a cursor, which must be one of this user's; anything else is a 400. */
export function decodeCursor(cursor: string, userId: string): PageKey {
  const invalid = new AppError('INVALID_REQUEST', 'cursor is not valid; use nextCursor as given.', {
    details: [{ path: 'cursor', message: 'not a cursor from this API' }],
  });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = pageKeySchema.safeParse(decoded);
  if (!parsed.success || parsed.data.userId !== userId) throw invalid;
  return parsed.data;
}

export function createHistoryService(deps: HistoryDeps): HistoryService {
  const sign = async (key: string): Promise<HistoryImage> => ({
    key,
    url: await deps.images.presignGet(key),
  });

  const toItem = async (record: ImageRecord): Promise<HistoryItem> => ({
    id: record.id,
    kind: record.kind,
    model: record.model,
    ...(record.operation ? { operation: record.operation } : {}),
    prompt: record.prompt,
    parameters: record.parameters,
    status: record.status,
    ...(record.errorCode ? { errorCode: record.errorCode } : {}),
    createdAt: record.createdAt,
    ...(record.durationMs === undefined ? {} : { durationMs: record.durationMs }),
    ...(record.inputKey ? { input: await sign(record.inputKey) } : {}),
    ...(record.maskKey ? { mask: await sign(record.maskKey) } : {}),
    images: await Promise.all(
      record.outputKeys.map(async (key, index) => ({
        ...(await sign(key)),
        seed: record.outputSeeds?.[index] ?? null,
      })),
    ),
  });

  /**
   * A record still pending after its deadline was left by a function that crashed or timed out;
   * the reader fails it, conditionally, so a function that did finish wins (as jobs do).
   */
  const settle = async (record: ImageRecord): Promise<ImageRecord> => {
    if (record.status !== 'pending') return record;
    const deadline = record.deadlineAt
      ? Date.parse(record.deadlineAt)
      : Date.parse(record.createdAt) + STALE_PENDING_MS;
    const now = deps.clock.now();
    if (!(now.getTime() > deadline)) return record;
    const outcome = {
      status: 'failed',
      errorCode: 'MODEL_TIMEOUT',
      updatedAt: now.toISOString(),
    } as const;
    if (await deps.records.failIfUnchanged(record.id, record.updatedAt, outcome)) {
      return { ...record, ...outcome };
    }
    return (await deps.records.get(record.id)) ?? record;
  };

  return {
    async list(userId, { limit, cursor }) {
      const startKey = cursor === undefined ? undefined : decodeCursor(cursor, userId);
      const page = await deps.records.listByUser(userId, limit, startKey);
      const records = await Promise.all(page.records.map(settle));
      const expiresAt = new Date(
        deps.clock.now().getTime() + deps.urlExpirySeconds * 1000,
      ).toISOString();
      return {
        items: await Promise.all(records.map(toItem)),
        ...(page.nextKey ? { nextCursor: encodeCursor(page.nextKey) } : {}),
        expiresAt,
      };
    },

    /**
     * Only the owner may delete; anyone else gets the same 404 as for a missing id. Outputs and
     * the mask belong to this record alone and go first, so a failure leaves the record (and a
     * retry) rather than a record pointing at deleted objects. The input upload is kept: several
     * edits can start from one upload, and the bucket's lifecycle rule expires uploads.
     */
    async remove(userId, id) {
      const record = await deps.records.get(id);
      if (!record || record.userId !== userId) {
        throw new AppError('NOT_FOUND', 'No history item with that id.');
      }
      const keys = [...record.outputKeys, ...(record.maskKey ? [record.maskKey] : [])];
      await Promise.all(keys.map((key) => deps.images.delete(key)));
      await deps.records.delete(id);
    },
  };
}
