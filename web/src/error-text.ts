/**
 * What to tell a person about a failure: a plain sentence per API error code (never the raw code or
 * an upstream exception name), whether trying again can help, and which form field was at fault.
 */

export interface ErrorLike {
  code?: string;
  message?: string;
  details?: { path: string; message: string }[];
}

export interface ErrorText {
  /** One or two sentences for the message box. */
  message: string;
  /** A short label for badges (History). */
  label: string;
  /** Trying the same request again may succeed (throttling, timeouts, upstream failures). */
  retryable: boolean;
  /** Request fields the API named as wrong, e.g. ["prompt"]. */
  fields: string[];
}

interface CodeText {
  label: string;
  message: string;
  retryable: boolean;
  /** Append the API's own message (client mistakes name the field and the limit there). */
  withDetail?: boolean;
}

const BY_CODE: Record<string, CodeText> = {
  THROTTLED: {
    label: 'Busy, try again',
    message: 'The model is busy right now (too many requests). Wait a few seconds, then retry.',
    retryable: true,
  },
  QUOTA_EXCEEDED: {
    label: 'Quota reached',
    message: 'The account’s request quota for this model is used up for now. Retry in a minute.',
    retryable: true,
  },
  MODEL_TIMEOUT: {
    label: 'Timed out',
    message: 'The model took too long to answer. Retry, or ask for fewer or smaller images.',
    retryable: true,
  },
  GATEWAY_TIMEOUT: {
    label: 'Timed out',
    message: 'The request took too long. Retry, or ask for fewer or smaller images.',
    retryable: true,
  },
  UPSTREAM_ERROR: {
    label: 'Model error',
    message: 'The image service failed on its side. Retry in a moment.',
    retryable: true,
  },
  INTERNAL: {
    label: 'Server error',
    message: 'Something went wrong on the server. Retry; if it keeps failing, tell your admin.',
    retryable: true,
  },
  NETWORK: {
    label: 'Offline',
    message: 'Could not reach the service. Check your connection, then retry.',
    retryable: true,
  },
  JOB_TIMEOUT: {
    label: 'Still running',
    message:
      'This is taking unusually long. It keeps running on the server; look in History later.',
    retryable: false,
  },
  CONFLICT: {
    label: 'Already running',
    message: 'The same request is running right now. Retry in a moment to get its result.',
    retryable: true,
  },
  CONTENT_FILTERED: {
    label: 'Blocked by filter',
    message:
      'The model’s content filter blocked this request or its result. Change the prompt or image and try again.',
    retryable: false,
  },
  MODEL_UNAVAILABLE: {
    label: 'Model unavailable',
    message:
      'This model is not available in the account (retired or not enabled). Pick another model.',
    retryable: false,
    withDetail: true,
  },
  MODEL_NOT_ALLOWED: {
    label: 'Model not allowed',
    message: 'This deployment does not allow that model. Pick another one.',
    retryable: false,
  },
  UNAUTHORIZED: {
    label: 'Signed out',
    message: 'Your session has ended. Sign in again.',
    retryable: false,
  },
  NOT_FOUND: {
    label: 'Not found',
    message: 'That image or record no longer exists (it may have expired). Upload it again.',
    retryable: false,
  },
  PAYLOAD_TOO_LARGE: {
    label: 'Too large',
    message: 'The request is too large. Use a smaller image or a simpler mask.',
    retryable: false,
  },
};

const CLIENT_MISTAKES = new Set([
  'INVALID_JSON',
  'INVALID_REQUEST',
  'INVALID_PARAMETER',
  'UNSUPPORTED_OPERATION',
  'INVALID_IMAGE',
  'INVALID_MASK',
  'MISSING_PARAMETER',
]);

/** Upstream exception names some messages end with, e.g. "(InternalServerException)". */
const EXCEPTION_SUFFIX = /\s*\((?:[A-Z][A-Za-z]*Exception|[A-Z_]{4,})\)\s*\.?$/;

export function describeError(error: unknown): ErrorText {
  const like: ErrorLike =
    typeof error === 'object' && error !== null ? error : { message: String(error) };
  const fields = (like.details ?? []).map((detail) => detail.path.split('.')[0] ?? '');
  const raw = (like.message ?? '').replace(EXCEPTION_SUFFIX, '').trim();
  const known = like.code ? BY_CODE[like.code] : undefined;
  if (known) {
    return {
      label: known.label,
      message: known.withDetail && raw ? `${known.message} (${raw})` : known.message,
      retryable: known.retryable,
      fields,
    };
  }
  if (like.code && CLIENT_MISTAKES.has(like.code)) {
    // The API's message names the field and the limit ("prompt: at most 512 characters").
    return {
      label: 'Check the settings',
      message: raw || 'Some settings are not valid for this model.',
      retryable: false,
      fields: fields.length > 0 ? fields : fieldsNamedIn(raw),
    };
  }
  return {
    label: 'Failed',
    message: raw || 'Something went wrong. Try again.',
    retryable: true,
    fields,
  };
}

const KNOWN_FIELDS = [
  'prompt',
  'negativePrompt',
  'width',
  'height',
  'aspectRatio',
  'seed',
  'count',
  'cfgScale',
  'quality',
  'style',
  'maskPrompt',
  'mask',
];

/** Field names mentioned in an adapter's message when it gives no details. */
function fieldsNamedIn(message: string): string[] {
  return KNOWN_FIELDS.filter((name) => new RegExp(`\\b${name}\\b`).test(message));
}
