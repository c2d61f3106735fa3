/**
 * Maps whatever an InvokeModel call threw (AWS SDK v3 service exceptions, client timeouts and
 * aborts) onto the API's error codes. Pure: it reads `name`, `message` and
 * `$metadata.httpStatusCode` only. Exception list: botocore bedrock-runtime service-2.json
 * (shared/reference/bedrock-image-models.md §1.2).
 */
import { AppError, isAppError } from '../errors.js';
import { MODEL_CATALOG, findModel } from './known-models.js';

/** Bedrock sends no Retry-After header on throttling, so clients get this suggestion instead. */
export const THROTTLE_RETRY_AFTER_SECONDS = 5;
/** ModelNotReadyException: the model is warming up; the SDK itself already retried it 5 times. */
const MODEL_NOT_READY_RETRY_AFTER_SECONDS = 15;
/** ServiceUnavailableException: "The service isn't currently available. Try again later." */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 10;
const MAX_MODEL_MESSAGE_LENGTH = 300;

const THROTTLE_NAMES = new Set([
  'ThrottlingException',
  'ServiceQuotaExceededException',
  'ModelNotReadyException',
]);
const TIMEOUT_NAMES = new Set([
  'ModelTimeoutException',
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
]);
const UNAVAILABLE_NAMES = new Set(['AccessDeniedException', 'ResourceNotFoundException']);

/**
 * Messages that mean "this model cannot be used from this account/Region", whatever exception
 * carries them. "not supported" only counts next to "model" or "on-demand": a ValidationException
 * about an unsupported parameter value must stay a 400.
 */
const UNAVAILABLE_MESSAGE_PATTERNS = [
  /end of (its )?life/i,
  /\blegacy\b/i,
  /no longer (available|supported|operational)/i,
  /(don't|do not) have access to the model/i,
  /model access/i,
  /model identifier is invalid/i,
  /\bmodel\b[^.]*\bnot supported\b/i,
  /\bnot supported\b[^.]*\bmodel\b/i,
  /on-demand throughput isn.t supported/i,
];

const CONTENT_FILTER_PATTERN = /blocked by our content filters/i;

/**
 * Bedrock's AccessDeniedException when the account is not yet subscribed to a Marketplace model
 * (Stability AI) and the caller may not subscribe it: "Model access is denied due to IAM user or
 * service role is not authorized to perform the required AWS Marketplace actions
 * (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. …
 * Your AWS Marketplace subscription for this model cannot be completed at this time."
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html
 */
const MARKETPLACE_PATTERN = /aws-marketplace:|AWS Marketplace/i;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Classifies an InvokeModel failure. `settingHint` names the configuration that picks the model
 * (e.g. "ALLOWED_MODELS / DEFAULT_MODEL (Terraform: allowed_models, default_model)") so a
 * MODEL_UNAVAILABLE message says what to change.
 *
 * @example
 * try { await client.send(new InvokeModelCommand(input)); }
 * catch (error) { throw classifyBedrockError(error, modelId, 'DEFAULT_MODEL (Terraform: default_model)'); }
 */
export function classifyBedrockError(
  error: unknown,
  modelId: string,
  settingHint: string,
): AppError {
  if (isAppError(error)) return error;
  const { name, message, status } = describe(error);
  const modelMessage = sanitize(message);
  const options = { cause: error };

  if (name === 'ValidationException' && CONTENT_FILTER_PATTERN.test(message)) {
    return new AppError(
      'CONTENT_FILTERED',
      `${modelId}'s content filter blocked the request: ${modelMessage}`,
      options,
    );
  }
  if (TIMEOUT_NAMES.has(name) || status === 408) {
    return new AppError(
      'MODEL_TIMEOUT',
      `${modelId} took too long to answer; try fewer images, a smaller size or standard quality, or use an async job.`,
      options,
    );
  }
  if (THROTTLE_NAMES.has(name) || status === 429) {
    const retryAfterSeconds =
      name === 'ModelNotReadyException'
        ? MODEL_NOT_READY_RETRY_AFTER_SECONDS
        : THROTTLE_RETRY_AFTER_SECONDS;
    const reason =
      name === 'ServiceQuotaExceededException'
        ? 'the account’s Bedrock quota for this model is used up'
        : name === 'ModelNotReadyException'
          ? 'the model is not ready to serve requests yet'
          : 'Bedrock is throttling requests to this model';
    return new AppError(
      'THROTTLED',
      `${modelId} is busy: ${reason}; retry in ${retryAfterSeconds} s.`,
      { ...options, retryAfterSeconds },
    );
  }
  if (name === 'ServiceUnavailableException' || status === 503) {
    // A transient outage on Bedrock's side (HTTP 503, a server fault): the same request can
    // succeed later, so the client gets a retryable 503 rather than a 502.
    return new AppError(
      'SERVICE_UNAVAILABLE',
      `Bedrock is briefly unavailable for ${modelId}; retry in ${SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS} s.${modelMessage ? ` Bedrock said: ${modelMessage}` : ''}`,
      { ...options, retryAfterSeconds: SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS },
    );
  }
  if (name === 'AccessDeniedException' && MARKETPLACE_PATTERN.test(message)) {
    // The functions' roles rightly lack aws-marketplace:Subscribe, so only a person can fix this.
    return new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${modelId} is not subscribed in this AWS account yet. Bedrock subscribes an account to a Marketplace model (such as Stability AI's) on its first call, which needs aws-marketplace:Subscribe and aws-marketplace:ViewSubscriptions; this API's function roles deliberately lack them. Subscribe once with the deployer's own credentials: run \`npm run ready -- --target aws\`, or accept the model's offer with aws bedrock create-foundation-model-agreement (terraform/README.md, "Prerequisites"). Then retry: a new subscription can take up to 15 minutes.${modelMessage ? ` Bedrock said: ${modelMessage}` : ''}`,
      options,
    );
  }
  if (
    UNAVAILABLE_NAMES.has(name) ||
    UNAVAILABLE_MESSAGE_PATTERNS.some((pattern) => pattern.test(message))
  ) {
    const profileHint = /inference profile/i.test(message) ? inferenceProfileHint(modelId) : '';
    return new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${modelId} is not available to this account in this Region: it may be retired (end of life or legacy), not enabled, or not offered here.${retiredHint(modelId)}${profileHint} To enable it, open the Amazon Bedrock console, choose "Model access", and request access to the model; or pick another model with ${settingHint}.${modelMessage ? ` Bedrock said: ${modelMessage}` : ''}`,
      options,
    );
  }
  if (name === 'ValidationException') {
    return new AppError(
      'INVALID_PARAMETER',
      `${modelId} rejected the request: ${modelMessage || 'invalid parameters'}`,
      options,
    );
  }
  const detail = isServiceException(name) && modelMessage ? `: ${modelMessage}` : '';
  return new AppError(
    'UPSTREAM_ERROR',
    `Bedrock could not run ${modelId} (${isServiceException(name) ? name : 'unexpected error'})${detail}`,
    options,
  );
}

/**
 * For a model the catalog knows is retired: when, and which active models take the same kind of
 * request, so the caller knows what to switch to.
 */
function retiredHint(modelId: string): string {
  const model = findModel(modelId);
  if (model?.lifecycle !== 'end-of-life') return '';
  const successors = MODEL_CATALOG.filter(
    (candidate) =>
      candidate.lifecycle === 'active' &&
      (model.textToImage ? candidate.textToImage : candidate.operations.length > 0),
  ).map((candidate) => candidate.id);
  const date = /\b(20\d\d-\d\d-\d\d)\b/.exec(model.lifecycleNote)?.[1];
  return ` ${model.displayName} reached end of life${date ? ` on ${date}` : ''}${successors.length > 0 ? `; switch to an active model such as ${successors.join(', ')}` : ''}.`;
}

/**
 * What to do when Bedrock asks for an inference profile: name only the geography prefixes this
 * model is documented to have (the Stability image services have only `us.` profiles).
 */
function inferenceProfileHint(modelId: string): string {
  const prefixes = findModel(modelId)?.inferenceProfiles ?? [];
  if (prefixes.length === 0) {
    return ' This model has no documented cross-Region inference profile: call it in a Region that serves it on demand.';
  }
  const quoted = prefixes.map((prefix) => `"${prefix}."`);
  const choice =
    quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  return ` This model must be called through a cross-Region inference profile: prefix the id with ${choice} (the only ${quoted.length === 1 ? 'profile' : 'profiles'} it has) and call it from a Region in that geography.`;
}

function describe(error: unknown): { name: string; message: string; status?: number } {
  if (typeof error !== 'object' || error === null) return { name: '', message: '' };
  const like = error as ErrorLike;
  const status = like.$metadata?.httpStatusCode;
  return {
    name: typeof like.name === 'string' ? like.name : '',
    message: typeof like.message === 'string' ? like.message : '',
    ...(typeof status === 'number' ? { status } : {}),
  };
}

/** AWS service exceptions carry a message meant for callers; other errors may carry internals. */
function isServiceException(name: string): boolean {
  return /Exception$/.test(name);
}

/** First line only (never a stack trace), trimmed to a readable length. */
function sanitize(message: string): string {
  const firstLine = (message.split(/\r?\n/, 1)[0] ?? '').trim();
  return firstLine.length > MAX_MODEL_MESSAGE_LENGTH
    ? `${firstLine.slice(0, MAX_MODEL_MESSAGE_LENGTH)}…`
    : firstLine;
}
