/**
 * The ports the services talk through. Services receive these as arguments, so unit tests pass
 * in-memory fakes; `shared/aws/*` holds the SDK-backed adapters and the per-function runtime
 * builders that wire them together once per container.
 */
import type { ErrorCode } from '../errors.js';
import type {
  EditOperation,
  ImageMimeType,
  Invocation,
  ModelAdapter,
  ModelInfo,
  ModelOutput,
} from '../models/types.js';

export type RecordKind = 'generation' | 'edit';
export type RecordStatus = 'pending' | 'succeeded' | 'failed';

/** One generation or edit as stored in the table (partition key `id`, sparse GSI `byUser`). */
export interface ImageRecord {
  id: string;
  kind: RecordKind;
  /** The route that created it, e.g. `POST /generate`. */
  route: string;
  /** Cognito `sub`; present only for signed-in callers, which keeps the `byUser` index sparse. */
  userId?: string;
  model: string;
  operation?: EditOperation;
  prompt: string;
  /** Every request parameter except the prompt and the image bytes. */
  parameters: Record<string, unknown>;
  inputKey?: string;
  maskKey?: string;
  /** Only keys of objects that were written; empty until the record succeeded. */
  outputKeys: string[];
  /** The seed of each output, where the model reported one (same order as `outputKeys`). */
  outputSeeds?: (number | null)[];
  status: RecordStatus;
  errorCode?: ErrorCode;
  /** ISO 8601; also the GSI sort key. */
  createdAt: string;
  updatedAt: string;
  /**
   * ISO 8601: when the function running the request has certainly stopped. A record still pending
   * after it was left behind by a crash and reads as failed. Older records lack it.
   */
  deadlineAt?: string;
  durationMs?: number;
  modelMs?: number;
}

export type RecordOutcome =
  | {
      status: 'succeeded';
      outputKeys: string[];
      outputSeeds: (number | null)[];
      maskKey?: string;
      updatedAt: string;
      durationMs: number;
      modelMs: number;
    }
  | {
      status: 'failed';
      errorCode: ErrorCode;
      updatedAt: string;
      durationMs?: number;
      modelMs?: number;
    };

/** Where a page of one user's records ends: the GSI key of its last item. */
export interface PageKey {
  id: string;
  userId: string;
  createdAt: string;
}

export interface RecordPage {
  records: ImageRecord[];
  nextKey?: PageKey;
}

export interface RecordStore {
  /**
   * Writes a new pending record. Succeeds only if no record has this id, or the existing one
   * failed, or it is pending and was last updated before `staleBefore` (its Lambda died).
   * Otherwise throws AppError CONFLICT.
   */
  createPending(record: ImageRecord, staleBefore: string): Promise<void>;
  get(id: string): Promise<ImageRecord | undefined>;
  /** Writes the outcome; AppError CONFLICT when the record was deleted while the request ran. */
  finish(id: string, outcome: RecordOutcome): Promise<void>;
  /**
   * Fails a record still pending and unchanged since the reader saw it (`seenUpdatedAt`); false
   * when something else wrote it first, so a function that did finish wins.
   */
  failIfUnchanged(
    id: string,
    seenUpdatedAt: string,
    outcome: Extract<RecordOutcome, { status: 'failed' }>,
  ): Promise<boolean>;
  /** The user's records, newest first. */
  listByUser(userId: string, limit: number, startKey?: PageKey): Promise<RecordPage>;
  delete(id: string): Promise<void>;
}

export interface StoredImage {
  bytes: Uint8Array;
  contentType?: string;
}

export interface UploadForm {
  url: string;
  fields: Record<string, string>;
}

export interface UploadPolicy {
  key: string;
  contentType: ImageMimeType;
  maxBytes: number;
  expiresInSeconds: number;
}

export interface ImageStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object, or undefined when there is none under that key. */
  get(key: string): Promise<StoredImage | undefined>;
  delete(key: string): Promise<void>;
  /** A GET URL valid for the configured URL_EXPIRY_SECONDS. */
  presignGet(key: string): Promise<string>;
}

/** Lets a browser upload straight to the image store; only POST /uploads uses it. */
export interface UploadSigner {
  /** A browser form upload (S3 POST policy) limited to exactly this key, type and size. */
  presignUpload(policy: UploadPolicy): Promise<UploadForm>;
}

export interface InvocationResult {
  output: ModelOutput;
  /** Wall time of all invocations of the request (they run in parallel). */
  modelMs: number;
  /**
   * Lets the invoker reuse the memory of `output`'s image bytes for later requests. Call it only
   * once nothing will read those bytes again (they are stored); never calling it is safe.
   */
  release?: () => void;
}

export interface ModelInvoker {
  /** Runs every invocation in parallel; throws an AppError (classified) on failure or abort. */
  invoke(
    adapter: ModelAdapter,
    invocations: Invocation[],
    signal?: AbortSignal,
  ): Promise<InvocationResult>;
}

/** The model-adapter library, as the services use it (shared/models in production). */
export interface ModelCatalog {
  /** Throws AppError MODEL_NOT_ALLOWED for unknown ids. */
  adapterFor(modelId: string): ModelAdapter;
  findModel(modelId: string): ModelInfo | undefined;
}

export interface ImageFacts {
  mimeType: ImageMimeType;
  width: number;
  height: number;
}

/** Reads an image's type and size from its bytes; throws AppError INVALID_IMAGE. */
export type ImageProbe = (bytes: Uint8Array) => ImageFacts;

export interface Clock {
  now(): Date;
}

export type IdGenerator = () => string;

/** Facts about one request that the HTTP layer logs and turns into metrics. */
export interface RequestFacts {
  model?: string;
  modelMs?: number;
  imageCount?: number;
  filteredCount?: number;
  cached?: boolean;
  prompt?: string;
}

/** Who is asking and through which route; `annotate` collects facts for the request log. */
export interface RequestContext {
  route: string;
  userId?: string;
  annotate?: (facts: RequestFacts) => void;
  /**
   * Seconds after which the function running this request has certainly stopped (the job worker:
   * its timeout plus slack); default: `deadlineSeconds` plus RECORD_GRACE_SECONDS. Its record,
   * still pending later, reads as failed.
   */
  runLimitSeconds?: number;
  /**
   * How long the caller can wait for the model, in seconds (synchronous routes: their Bedrock
   * timeout). A request estimated to take longer is refused with USE_JOBS before Bedrock is
   * called. Absent for the job worker, which has no such limit.
   */
  deadlineSeconds?: number;
}

export type JobType = 'generate' | 'edit';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * An asynchronous job (POST /jobs) in the records table. It names its owner `ownerId`, not
 * `userId`, so the sparse `byUser` index (history) never lists it: history shows the generation
 * or edit record the worker creates.
 */
export interface JobRecord {
  id: string;
  kind: 'job';
  ownerId: string;
  jobType: JobType;
  /** The validated request body (without `type`), run as is by the worker. */
  request: Record<string, unknown>;
  /** contentId of type and request: an idempotent repeat must send the same request. */
  requestHash: string;
  status: JobStatus;
  /** The id of the generation or edit record, once succeeded. */
  resultId?: string;
  errorCode?: ErrorCode;
  errorMessage?: string;
  createdAt: string;
  /** Last status change; for a running job, when the worker claimed it. */
  updatedAt: string;
  /** How often a worker claimed it (1 at most: a claim only succeeds on a queued job). */
  attempts: number;
}

export type JobOutcome =
  | { status: 'succeeded'; resultId: string; updatedAt: string }
  | { status: 'failed'; errorCode: ErrorCode; errorMessage: string; updatedAt: string };

export interface JobStore {
  /** Writes a new job unless its id exists; then answers the existing job instead. */
  create(job: JobRecord): Promise<{ created: true } | { created: false; existing: JobRecord }>;
  /** The job, or undefined when there is none (or the id belongs to another kind of item). */
  get(id: string): Promise<JobRecord | undefined>;
  /**
   * queued → running (attempts + 1, updatedAt = now), only if the job is queued and was created
   * at or after `createdSince`. Answers the claimed job, or undefined when the claim was refused.
   */
  claim(id: string, now: string, createdSince: string): Promise<JobRecord | undefined>;
  /** Sets the final state only if the job is still `from`; answers whether it did. */
  finish(id: string, outcome: JobOutcome, from: JobStatus): Promise<boolean>;
}

/** Starts the worker for a job without waiting for it (Lambda asynchronous invocation). */
export interface JobDispatcher {
  dispatch(jobId: string): Promise<void>;
}
