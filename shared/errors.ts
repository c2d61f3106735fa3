/**
 * The API's error vocabulary. Every failure a client can see is an AppError with a stable `code`;
 * the HTTP status lives on the code, never worked out from message text.
 */
export const ERROR_STATUS = {
  INVALID_JSON: 400,
  INVALID_REQUEST: 400,
  INVALID_PARAMETER: 400,
  MODEL_NOT_ALLOWED: 400,
  UNSUPPORTED_OPERATION: 400,
  INVALID_IMAGE: 400,
  INVALID_MASK: 400,
  USE_JOBS: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  CONFLICT: 409,
  CONTENT_FILTERED: 422,
  THROTTLED: 429,
  INTERNAL: 500,
  UPSTREAM_ERROR: 502,
  MODEL_UNAVAILABLE: 503,
  /** Bedrock itself is briefly unavailable (ServiceUnavailableException); retry after Retry-After. */
  SERVICE_UNAVAILABLE: 503,
  MODEL_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `width` or `images.0`. */
  path: string;
  message: string;
}

export interface AppErrorOptions extends ErrorOptions {
  details?: ErrorDetail[];
  /** Seconds; sent as Retry-After on 429 and 503. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: ErrorDetail[];
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    if (options.details) this.details = options.details;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The JSON body every route answers errors with. */
  toBody(): { error: { code: ErrorCode; message: string; details?: ErrorDetail[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Anything unexpected becomes a generic 500 that reveals nothing of the internals. */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  return new AppError(
    'INTERNAL',
    'Something went wrong on our side; the request id is in the logs.',
    {
      cause: value,
    },
  );
}
