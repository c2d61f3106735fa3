import { AppError } from '../errors.js';
import {
  SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS,
  THROTTLE_RETRY_AFTER_SECONDS,
  classifyBedrockError,
} from './bedrock-errors.js';

const MODEL = 'amazon.nova-canvas-v1:0';
const HINT = 'ALLOWED_MODELS / DEFAULT_MODEL (Terraform: allowed_models, default_model)';

/** The shape AWS SDK v3 service exceptions have (name, message, $metadata). */
function awsError(name: string, message: string, httpStatusCode?: number): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode } });
  return error;
}

function classify(error: unknown): AppError {
  return classifyBedrockError(error, MODEL, HINT);
}

describe('Function: classifyBedrockError', () => {
  it.each([
    'This request has been blocked by our content filters. Please adjust your text prompt to submit a new request.',
    'This request has been blocked by our content filters. Please adjust your input image to submit a new request.',
  ])('content-filter ValidationException → CONTENT_FILTERED 422 (%s)', (message) => {
    const result = classify(awsError('ValidationException', message, 400));
    expect(result).toMatchObject({ code: 'CONTENT_FILTERED', status: 422 });
    expect(result.message).toContain('blocked by our content filters');
  });

  it('other ValidationException → INVALID_PARAMETER 400 with the model’s message', () => {
    const result = classify(
      awsError('ValidationException', 'Invalid image dimensions: 1000x1000', 400),
    );
    expect(result).toMatchObject({ code: 'INVALID_PARAMETER', status: 400 });
    expect(result.message).toContain('Invalid image dimensions: 1000x1000');
    expect(result.message).toContain(MODEL);
  });

  it.each([
    ['ThrottlingException', 'Too many requests, please wait before trying again.'],
    ['ServiceQuotaExceededException', 'Your request exceeds the service quota for your account.'],
    ['ModelNotReadyException', 'Model is not ready to serve inference requests.'],
  ])('%s → THROTTLED 429 with retryAfterSeconds', (name, message) => {
    const result = classify(awsError(name, message, 429));
    expect(result).toMatchObject({ code: 'THROTTLED', status: 429 });
    expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(THROTTLE_RETRY_AFTER_SECONDS);
  });

  it.each([
    ['ModelTimeoutException', 'Processing time exceeded the model timeout length.', 408],
    ['TimeoutError', 'Connection timed out after 60000 ms', undefined],
    ['AbortError', 'This operation was aborted', undefined],
  ])('%s → MODEL_TIMEOUT 504', (name, message, status) => {
    expect(classify(awsError(name, message, status))).toMatchObject({
      code: 'MODEL_TIMEOUT',
      status: 504,
    });
  });

  it.each([
    [
      'ResourceNotFoundException',
      'This model version has reached the end of its life. Please refer to the AWS documentation for more details.',
      404,
    ],
    [
      'ResourceNotFoundException',
      'Access denied. This Model is marked by provider as Legacy and you have not been actively using the model in the last 30 days. Please upgrade to an active model on Amazon Bedrock',
      404,
    ],
    [
      'AccessDeniedException',
      "You don't have access to the model with the specified model ID.",
      403,
    ],
    ['ValidationException', 'The provided model identifier is invalid.', 400],
    [
      'ValidationException',
      'Invocation of model ID amazon.nova-canvas-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.',
      400,
    ],
    ['ValidationException', 'The requested model is not supported in this region.', 400],
  ])('%s "%s" → MODEL_UNAVAILABLE 503 explaining how to enable it', (name, message, status) => {
    const result = classify(awsError(name, message, status));
    expect(result).toMatchObject({ code: 'MODEL_UNAVAILABLE', status: 503 });
    expect(result.message).toContain(MODEL);
    expect(result.message).toMatch(/retired/);
    expect(result.message).toContain('Model access');
    expect(result.message).toContain(HINT);
  });

  it.each([
    ['amazon.nova-canvas-v1:0', 'Amazon Nova Canvas reached end of life on 2026-09-30'],
    ['stability.stable-diffusion-xl-v1', 'Stability SDXL 1.0 reached end of life on 2025-05-20'],
  ])('says when %s was retired and what to switch to', (modelId, retired) => {
    const result = classifyBedrockError(
      awsError(
        'ResourceNotFoundException',
        'This model version has reached the end of its life. Please refer to the AWS documentation for more details.',
        404,
      ),
      modelId,
      HINT,
    );
    expect(result.code).toBe('MODEL_UNAVAILABLE');
    expect(result.message).toContain(retired);
    expect(result.message).toContain(
      'switch to an active model such as stability.stable-image-core-v1:1',
    );
    expect(result.message).toContain(HINT);
  });

  it('adds no retirement note for a model the catalog does not know as retired', () => {
    const result = classifyBedrockError(
      awsError(
        'AccessDeniedException',
        "You don't have access to the model with the specified model ID.",
        403,
      ),
      'stability.stable-image-core-v1:1',
      HINT,
    );
    expect(result.message).not.toContain('reached end of life');
  });

  const NEEDS_PROFILE =
    'Invocation of model ID x with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.';

  it.each([
    'stability.stable-image-inpaint-v1:0',
    'stability.stable-outpaint-v1:0',
    'stability.stable-image-remove-background-v1:0',
    'amazon.nova-canvas-v1:0',
  ])('suggests only the us. profile %s has when Bedrock asks for one', (modelId) => {
    const result = classifyBedrockError(
      awsError('ValidationException', NEEDS_PROFILE),
      modelId,
      HINT,
    );
    expect(result.code).toBe('MODEL_UNAVAILABLE');
    expect(result.message).toContain('"us."');
    expect(result.message).not.toContain('"eu."');
    expect(result.message).not.toContain('"apac."');
  });

  it('suggests no profile prefix for a model with no documented profile', () => {
    const result = classifyBedrockError(
      awsError('ValidationException', NEEDS_PROFILE),
      'amazon.titan-image-generator-v2:0',
      HINT,
    );
    expect(result.message).toContain('no documented cross-Region inference profile');
    expect(result.message).not.toMatch(/"(us|eu|apac)\."/);
  });

  it.each([
    // Bedrock's wording as reported from real accounts (e.g. aws-samples/anthropic-on-aws#251).
    'Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 2 minutes.',
    'Your AWS Marketplace subscription for this model cannot be completed at this time.',
  ])(
    'AccessDeniedException about AWS Marketplace → MODEL_UNAVAILABLE saying the account must subscribe (%#)',
    (message) => {
      const result = classifyBedrockError(
        awsError('AccessDeniedException', message, 403),
        'stability.stable-image-core-v1:1',
        HINT,
      );
      expect(result).toMatchObject({ code: 'MODEL_UNAVAILABLE', status: 503 });
      expect(result.message).toMatch(
        /^Model stability\.stable-image-core-v1:1 is not subscribed in this AWS account yet\./,
      );
      expect(result.message).toContain('aws-marketplace:Subscribe');
      expect(result.message).toContain("deployer's own credentials");
      expect(result.message).toContain('npm run ready -- --target aws');
      expect(result.message).toContain('create-foundation-model-agreement');
      // Not the generic advice: the console's "Model access" page is not the fix here.
      expect(result.message).not.toContain('choose "Model access"');
    },
  );

  it('keeps a plain IAM AccessDeniedException the generic MODEL_UNAVAILABLE', () => {
    const result = classify(
      awsError(
        'AccessDeniedException',
        'User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: bedrock:InvokeModel',
        403,
      ),
    );
    expect(result.code).toBe('MODEL_UNAVAILABLE');
    expect(result.message).not.toContain('not subscribed');
  });

  it('keeps a parameter ValidationException that merely says "not supported" a 400', () => {
    const result = classify(
      awsError(
        'ValidationException',
        'Malformed input request: extraneous key [steps] is not permitted; value PNG8 is not supported',
        400,
      ),
    );
    expect(result.code).toBe('INVALID_PARAMETER');
  });

  it.each([
    ['ServiceUnavailableException', 503],
    ['SomethingNewException', 503],
  ])('%s (HTTP %s) → retryable SERVICE_UNAVAILABLE 503 with retryAfterSeconds', (name, status) => {
    const result = classify(
      awsError(name, 'The service isn’t currently available. Try again later.', status),
    );
    expect(result).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect(result.retryAfterSeconds).toBe(SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS);
    expect(result.message).toContain('retry');
  });

  it.each([
    ['ModelErrorException', 'The request failed due to an error while processing the model.', 424],
    ['InternalServerException', 'An internal server error occurred. Retry your request.', 500],
  ])('%s → UPSTREAM_ERROR 502', (name, message, status) => {
    const result = classify(awsError(name, message, status));
    expect(result).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    expect(result.message).toContain(name);
  });

  it('never leaks internals or stack traces of unexpected errors', () => {
    const internal = new TypeError("Cannot read properties of undefined (reading 'body')");
    const result = classify(internal);
    expect(result).toMatchObject({ code: 'UPSTREAM_ERROR', status: 502 });
    expect(result.message).not.toContain('Cannot read');
    expect(result.message).not.toContain(' at ');
    expect(classify('a string').code).toBe('UPSTREAM_ERROR');
    expect(classify(null).code).toBe('UPSTREAM_ERROR');
  });

  it('keeps only the first line of a multi-line service message', () => {
    const result = classify(
      awsError(
        'ValidationException',
        'width is invalid\n    at Object.<anonymous> (/var/task/index.js:1:1)',
      ),
    );
    expect(result.message).toContain('width is invalid');
    expect(result.message).not.toContain('/var/task');
  });

  it('passes an AppError through unchanged', () => {
    const original = new AppError('CONTENT_FILTERED', 'blocked');
    expect(classify(original)).toBe(original);
  });

  it('classifies by HTTP status when the name is unfamiliar', () => {
    expect(classify(awsError('SomethingNewException', 'slow down', 429)).code).toBe('THROTTLED');
  });
});
