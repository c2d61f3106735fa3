/**
 * Bedrock Runtime's error vocabulary for InvokeModel, with the HTTP status each one travels with.
 * Source: the `errors` of InvokeModel in botocore `data/bedrock-runtime/2023-09-30/service-2.json`
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html#API_runtime_InvokeModel_Errors).
 * The SDK picks the exception class from the `x-amzn-ErrorType` header, so the names must match.
 */
export const BEDROCK_ERROR_STATUS = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ThrottlingException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
  // Not InvokeModel errors but what AWS's front door answers for a missing or wrong signature,
  // and what we answer for a path that is not InvokeModel.
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnknownOperationException: 404,
} as const;

export type BedrockErrorType = keyof typeof BEDROCK_ERROR_STATUS;

/** An error the stand-in answers with: status + `x-amzn-ErrorType` header + `{"message": ...}`. */
export class BedrockError extends Error {
  readonly status: number;

  constructor(
    readonly type: BedrockErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'BedrockError';
    this.status = BEDROCK_ERROR_STATUS[type];
  }
}

/** Bedrock's wording for a request body that fails the model's JSON schema. */
export function malformedInput(detail: string): BedrockError {
  return new BedrockError(
    'ValidationException',
    `Malformed input request: ${detail}, please reformat your input and try again.`,
  );
}

/** A documented request shape the stand-in does not imitate; says so instead of pretending. */
export function notImplemented(what: string): BedrockError {
  return new BedrockError(
    'ValidationException',
    `LOCAL STAND-IN: ${what} is not implemented by the local Bedrock stand-in (scripts/local/bedrock/README.md).`,
  );
}
