import type { ModelListing } from '../models.js';
import type { JobAccepted, JobAnswer, JobApi, JobSubmission } from './jobs.js';
import type {
  EditRequest,
  GenerateRequest,
  HistoryPage,
  ImageResult,
  UploadTicket,
} from './types.js';

/** An error the user should read: the API's `{error:{code,message}}`, or a network failure. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** The fields the API named as wrong (`{"error":{"details":[{path,message}]}}`). */
  readonly details: { path: string; message: string }[];

  constructor(
    code: string,
    message: string,
    status: number,
    details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

/** Reads the API's error body; anything else (HTML from a proxy, empty body) gets a plain message. */
export async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as {
      error?: { code?: unknown; message?: unknown; details?: unknown };
    };
    if (body.error && typeof body.error.message === 'string') {
      const code = typeof body.error.code === 'string' ? body.error.code : 'ERROR';
      const details = Array.isArray(body.error.details)
        ? body.error.details.filter(
            (detail): detail is { path: string; message: string } =>
              typeof detail === 'object' &&
              detail !== null &&
              typeof (detail as { path?: unknown }).path === 'string' &&
              typeof (detail as { message?: unknown }).message === 'string',
          )
        : [];
      return new ApiError(code, body.error.message, response.status, details);
    }
  } catch {
    // Not JSON: fall through to a generic message that still names the status.
  }
  return new ApiError(
    'HTTP_' + String(response.status),
    `The server answered ${response.status} ${response.statusText}`.trim() + '.',
    response.status,
  );
}

export interface ApiClientOptions {
  invokeUrl: string;
  /** Returns a fresh ID token, refreshing it when near expiry; null when signed out. */
  getIdToken: () => Promise<string | null>;
  /** Called once when the API says 401 even after a refresh: the session is gone. */
  onUnauthorized: () => void;
  fetchImpl?: typeof fetch;
}

/** Thin typed wrapper over the routes in shared/api/openapi.yaml. */
export class ApiClient implements JobApi {
  private readonly options: ApiClientOptions;

  constructor(options: ApiClientOptions) {
    this.options = options;
  }

  generate(body: GenerateRequest, signal?: AbortSignal): Promise<ImageResult> {
    return this.request<ImageResult>('POST', '/generate', body, signal);
  }

  edit(body: EditRequest, signal?: AbortSignal): Promise<ImageResult> {
    return this.request<ImageResult>('POST', '/edits', body, signal);
  }

  /** POST /jobs: the same body as /generate or /edits plus `type`; see jobs.ts. */
  createJob(
    body: JobSubmission,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<JobAccepted> {
    return this.request<JobAccepted>('POST', '/jobs', body, signal, {
      'Idempotency-Key': idempotencyKey,
    });
  }

  getJob(id: string, signal?: AbortSignal): Promise<JobAnswer> {
    return this.request<JobAnswer>('GET', `/jobs/${encodeURIComponent(id)}`, undefined, signal);
  }

  /** GET /models: the models this deployment accepts, with their fields and limits. */
  models(): Promise<ModelListing> {
    return this.request<ModelListing>('GET', '/models');
  }

  createUpload(contentType: string, size: number): Promise<UploadTicket> {
    return this.request<UploadTicket>('POST', '/uploads', { contentType, size });
  }

  history(limit: number, cursor?: string): Promise<HistoryPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request<HistoryPage>('GET', `/history?${query.toString()}`);
  }

  async deleteHistoryItem(id: string): Promise<void> {
    await this.request<void>('DELETE', `/history/${encodeURIComponent(id)}`);
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const fetchImpl = this.options.fetchImpl ?? fetch.bind(globalThis);
    const send = async (): Promise<Response> => {
      const token = await this.options.getIdToken();
      const headers: Record<string, string> = { ...extraHeaders };
      if (token) headers.Authorization = token;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      try {
        return await fetchImpl(this.options.invokeUrl + path, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ApiError(
          'NETWORK',
          'Could not reach the API. Check your connection (or that the local stack is running) and try again.',
          0,
        );
      }
    };

    let response = await send();
    if (response.status === 401) {
      // One retry: the token may have expired between the check and the call.
      response = await send();
      if (response.status === 401) {
        const error = await toApiError(response);
        this.options.onUnauthorized();
        throw error;
      }
    }
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(
        'INVALID_RESPONSE',
        'The API answered with something that is not JSON.',
        502,
      );
    }
  }
}

/**
 * Sends a file to S3 with the pre-signed POST from /uploads: every field first, `file` LAST, since
 * S3 ignores fields after the file (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html).
 */
export async function postToPresignedForm(
  ticket: UploadTicket,
  file: Blob,
  fetchImpl: typeof fetch = fetch.bind(globalThis),
): Promise<void> {
  const form = new FormData();
  for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
  form.append('file', file);
  let response: Response;
  try {
    response = await fetchImpl(ticket.url, { method: 'POST', body: form });
  } catch {
    throw new ApiError(
      'NETWORK',
      'The upload to storage failed: the connection was interrupted.',
      0,
    );
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    // S3 answers XML: <Error><Code>EntityTooLarge</Code><Message>…</Message></Error>.
    const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
    throw new ApiError(
      'UPLOAD_FAILED',
      `The upload was refused (${response.status})${message ? `: ${message}` : '.'}`,
      response.status,
    );
  }
}
