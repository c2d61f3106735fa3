/**
 * The part generation and editing share: record the request, call the model, store the images,
 * record the outcome, and answer with fresh URLs. Services decide what to ask for; this decides
 * in which order things are written, so that a record never points at an object that was not
 * written.
 */
import { AppError, toAppError } from '../errors.js';
import type { Invocation, ModelAdapter } from '../models/types.js';
import { outputKey } from './keys.js';
import type {
  Clock,
  ImageRecord,
  ImageStore,
  ModelInvoker,
  RecordStore,
  RequestContext,
} from './ports.js';

export interface PipelineDeps {
  images: ImageStore;
  records: RecordStore;
  invoker: ModelInvoker;
  clock: Clock;
  /** How long pre-signed GET URLs last (URL_EXPIRY_SECONDS); only used to report `expiresAt`. */
  urlExpirySeconds: number;
}

/**
 * A pending record older than this is taken to belong to a Lambda that died mid-request, so a
 * retry may take its id over. 15 minutes is Lambda's maximum timeout
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export const STALE_PENDING_MS = 15 * 60 * 1000;
/**
 * After its Bedrock deadline a synchronous request still stores its images, but its Lambda
 * (28 s, behind API Gateway's 29 s) has stopped 10 s later: the default record deadline.
 */
export const RECORD_GRACE_SECONDS = 10;

export interface ResultImage {
  url: string;
  key: string;
  seed: number | null;
}

export interface ImageResult {
  id: string;
  model: string;
  images: ResultImage[];
  /** When the URLs stop working (ISO 8601). */
  expiresAt: string;
  /** True when answered from an earlier identical seeded request without calling the model. */
  cached: boolean;
  /** Images the model's content filter dropped from this answer. */
  filteredCount: number;
}

export interface ImageJob {
  /** The record to write as pending; `outputKeys` empty, no `maskKey`. */
  record: ImageRecord;
  /** Outputs are written to `<keyPrefix><id>/<n>.<ext>`. */
  keyPrefix: string;
  adapter: ModelAdapter;
  invocations: Invocation[];
  /** An extra object stored with the outputs and recorded as `maskKey` (the client's mask). */
  mask?: { key: string; bytes: Uint8Array };
  startedAt: Date;
}

function expiresAt(deps: PipelineDeps): string {
  return new Date(deps.clock.now().getTime() + deps.urlExpirySeconds * 1000).toISOString();
}

function elapsedMs(deps: PipelineDeps, since: Date): number {
  return Math.max(0, deps.clock.now().getTime() - since.getTime());
}

async function presignImages(
  deps: PipelineDeps,
  keys: readonly string[],
  seeds: readonly (number | null)[] | undefined,
): Promise<ResultImage[]> {
  return Promise.all(
    keys.map(async (key, index) => ({
      url: await deps.images.presignGet(key),
      key,
      seed: seeds?.[index] ?? null,
    })),
  );
}

/** Best-effort removal of objects written before a later step failed; the first error wins. */
async function removeQuietly(deps: PipelineDeps, keys: readonly string[]): Promise<void> {
  await Promise.allSettled(keys.map((key) => deps.images.delete(key)));
}

/** Answers a succeeded record again, with fresh URLs and without calling the model. */
export async function resultFromRecord(
  deps: PipelineDeps,
  record: ImageRecord,
): Promise<ImageResult> {
  return {
    id: record.id,
    model: record.model,
    images: await presignImages(deps, record.outputKeys, record.outputSeeds),
    expiresAt: expiresAt(deps),
    cached: true,
    filteredCount: 0,
  };
}

/**
 * Runs one image request end to end.
 *
 * 1. Write the pending record (conditional) while the model runs; if the write is refused, the
 *    model call is aborted and the refusal (CONFLICT) is the answer.
 * 2. On a model error, mark the record failed with the error's code and rethrow it.
 * 3. Write all images (and the mask) to S3 in parallel. If any write fails, delete the ones
 *    that were written, mark the record failed, and answer UPSTREAM_ERROR.
 * 4. Mark the record succeeded with the keys, then answer with pre-signed URLs.
 */
export async function runImageJob(
  deps: PipelineDeps,
  job: ImageJob,
  context: RequestContext,
): Promise<ImageResult> {
  const runLimitSeconds =
    context.runLimitSeconds ??
    (context.deadlineSeconds ?? STALE_PENDING_MS / 1000) + RECORD_GRACE_SECONDS;
  const record: ImageRecord = {
    ...job.record,
    deadlineAt: new Date(job.startedAt.getTime() + runLimitSeconds * 1000).toISOString(),
  };
  const staleBefore = new Date(job.startedAt.getTime() - STALE_PENDING_MS).toISOString();
  const modelCall = new AbortController();

  const [created, invoked] = await Promise.allSettled([
    deps.records.createPending(record, staleBefore).catch((error: unknown) => {
      modelCall.abort(error);
      throw error;
    }),
    deps.invoker.invoke(job.adapter, job.invocations, modelCall.signal),
  ]);
  if (created.status === 'rejected') throw toAppError(created.reason);

  const fail = async (error: AppError, modelMs?: number): Promise<never> => {
    await deps.records
      .finish(record.id, {
        status: 'failed',
        errorCode: error.code,
        updatedAt: deps.clock.now().toISOString(),
        durationMs: elapsedMs(deps, job.startedAt),
        ...(modelMs === undefined ? {} : { modelMs }),
      })
      // The record then stays pending and turns stale; the client still gets the real error.
      .catch(() => undefined);
    throw error;
  };

  if (invoked.status === 'rejected') return fail(toAppError(invoked.reason));
  const { output, modelMs } = invoked.value;
  if (output.images.length === 0) {
    return fail(
      new AppError('UPSTREAM_ERROR', `${record.model} returned no images; retry.`),
      modelMs,
    );
  }
  context.annotate?.({
    modelMs,
    imageCount: output.images.length,
    filteredCount: output.filteredCount,
  });

  const outputs = output.images.map((image, index) => ({
    key: outputKey(job.keyPrefix, record.id, index, image.mimeType),
    bytes: image.bytes,
    contentType: image.mimeType,
  }));
  const objects = job.mask
    ? [...outputs, { key: job.mask.key, bytes: job.mask.bytes, contentType: 'image/png' }]
    : outputs;
  const writes = await Promise.allSettled(
    objects.map((object) => deps.images.put(object.key, object.bytes, object.contentType)),
  );
  const failedWrite = writes.find((write) => write.status === 'rejected');
  if (failedWrite) {
    await removeQuietly(
      deps,
      objects.filter((_, index) => writes[index]?.status === 'fulfilled').map(({ key }) => key),
    );
    return fail(
      new AppError('UPSTREAM_ERROR', 'Storing the images failed, so none were kept; retry.', {
        cause: failedWrite.reason,
      }),
      modelMs,
    );
  }

  // Every image is stored and nothing below reads its bytes: the invoker may reuse them.
  invoked.value.release?.();

  const outputKeys = outputs.map(({ key }) => key);
  const outputSeeds = output.images.map((image) => image.seed ?? null);
  // Signing URLs needs no I/O ordering with the record write, so both run at once; the URLs are
  // only handed out if the record was written.
  const [finished, presigned] = await Promise.allSettled([
    deps.records.finish(record.id, {
      status: 'succeeded',
      outputKeys,
      outputSeeds,
      ...(job.mask ? { maskKey: job.mask.key } : {}),
      updatedAt: deps.clock.now().toISOString(),
      durationMs: elapsedMs(deps, job.startedAt),
      modelMs,
    }),
    presignImages(deps, outputKeys, outputSeeds),
  ]);
  if (finished.status === 'rejected') {
    // Without a record nothing would ever point at these objects; don't leave them behind.
    await removeQuietly(
      deps,
      objects.map(({ key }) => key),
    );
    throw toAppError(finished.reason);
  }
  if (presigned.status === 'rejected') throw toAppError(presigned.reason);

  return {
    id: record.id,
    model: record.model,
    images: presigned.value,
    expiresAt: expiresAt(deps),
    cached: false,
    filteredCount: output.filteredCount,
  };
}
