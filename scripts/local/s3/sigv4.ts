/**
 * SigV4 verification for the local stand-ins. The server never implements the canonicalisation
 * itself: it rebuilds the request and lets the SDK's own signer (@smithy/signature-v4, or
 * S3RequestPresigner for pre-signed URLs) sign it again, then compares signatures in constant time.
 * Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type QueryParams = Record<string, string | string[]>;

/** Why a request was refused; each server maps this onto its own protocol's error shape. */
export type SigV4Failure =
  | 'missing'
  | 'malformed'
  | 'unknown-access-key'
  | 'wrong-region'
  | 'wrong-service'
  | 'signature-mismatch'
  | 'time-skewed'
  | 'expired'
  | 'not-yet-valid';

export type SigV4Result =
  | { ok: true; signedHeaders: Set<string>; payloadHash: string | undefined }
  | { ok: false; failure: SigV4Failure; message: string };

export interface SignedRequest {
  method: string;
  /** The raw (still percent-encoded) path, exactly as the client sent it. */
  rawPath: string;
  query: QueryParams;
  headers: IncomingHttpHeaders;
}

export interface VerifyOptions {
  credentials: AwsCredentials;
  region: string;
  service: string;
  /** S3 signs the path as sent; every other service double-encodes it. */
  uriEscapePath: boolean;
  /** When the client sent no x-amz-content-sha256 header, the payload is hashed from this body. */
  body?: Uint8Array;
  now?: Date;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
// S3 and the JSON services refuse requests whose clock is more than 15 minutes off:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
// Pre-signed URLs live at most 7 days:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
const MAX_PRESIGNED_EXPIRES_SECONDS = 7 * 24 * 60 * 60;
const PRESIGN_AUTH_PARAMS = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-signedheaders',
  'x-amz-signature',
  'x-amz-security-token',
]);

const sha256 = Hash.bind(null, 'sha256');

/** Splits a raw query string into decoded values; `+` stays `+` because SigV4 clients encode spaces as %20. */
export function parseQuery(rawQuery: string): QueryParams {
  const query: QueryParams = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const separator = pair.indexOf('=');
    const key = safeDecode(separator === -1 ? pair : pair.slice(0, separator));
    const value = separator === -1 ? '' : safeDecode(pair.slice(separator + 1));
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else query[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** First value of a query parameter, matched case-insensitively. */
export function queryValue(query: QueryParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(query)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** Parses `20240101T000000Z`. */
export function parseAmzDate(text: string | undefined): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!match) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .map(Number);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(credential: string | undefined): CredentialScope | undefined {
  const parts = (credential ?? '').split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

function checkScope(
  scope: CredentialScope | undefined,
  signingDate: Date | undefined,
  options: VerifyOptions,
): SigV4Result | undefined {
  if (!scope || !signingDate) {
    return {
      ok: false,
      failure: 'malformed',
      message: 'The credential scope or date is malformed.',
    };
  }
  if (scope.accessKeyId !== options.credentials.accessKeyId) {
    return {
      ok: false,
      failure: 'unknown-access-key',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  if (scope.region !== options.region) {
    return {
      ok: false,
      failure: 'wrong-region',
      message: `the region '${scope.region}' is wrong; expecting '${options.region}'`,
    };
  }
  if (scope.service !== options.service) {
    return {
      ok: false,
      failure: 'wrong-service',
      message: `Credential should be scoped to correct service: '${options.service}'.`,
    };
  }
  if (scope.date !== signingDate.toISOString().slice(0, 10).replaceAll('-', '')) {
    return { ok: false, failure: 'malformed', message: 'The credential date does not match.' };
  }
  return undefined;
}

function sameSignature(expected: string, provided: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const providedBytes = Buffer.from(provided, 'utf8');
  return (
    expectedBytes.length === providedBytes.length && timingSafeEqual(expectedBytes, providedBytes)
  );
}

function signatureMismatch(): SigV4Result {
  return {
    ok: false,
    failure: 'signature-mismatch',
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  };
}

function pickSignedHeaders(
  headers: IncomingHttpHeaders,
  signedHeaders: Set<string>,
): Record<string, string> | undefined {
  const picked: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headerValue(headers, name);
    if (value === undefined) return undefined;
    picked[name] = value;
  }
  return picked;
}

/** True when the request carries SigV4 header auth (`Authorization: AWS4-HMAC-SHA256 ...`). */
export function hasHeaderAuth(headers: IncomingHttpHeaders): boolean {
  return headerValue(headers, 'authorization') !== undefined;
}

/** True when the request is a SigV4 pre-signed URL. */
export function hasQueryAuth(query: QueryParams): boolean {
  return queryValue(query, 'X-Amz-Signature') !== undefined;
}

/** Verifies `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export async function verifyHeaderSignature(
  request: SignedRequest,
  options: VerifyOptions,
): Promise<SigV4Result> {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) {
    return { ok: false, failure: 'missing', message: 'Missing Authentication Token' };
  }
  const match =
    /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
      authorization.trim(),
    );
  if (!match) {
    return { ok: false, failure: 'malformed', message: 'The authorization header is malformed.' };
  }
  const [, credential, signedHeaderList, providedSignature] = match as unknown as [
    string,
    string,
    string,
    string,
  ];
  const signingDate = parseAmzDate(headerValue(request.headers, 'x-amz-date'));
  const scopeProblem = checkScope(parseCredential(credential), signingDate, options);
  if (scopeProblem) return scopeProblem;
  const now = options.now ?? new Date();
  if (Math.abs(now.getTime() - signingDate!.getTime()) > MAX_CLOCK_SKEW_MS) {
    return {
      ok: false,
      failure: 'time-skewed',
      message: 'The difference between the request time and the current time is too large.',
    };
  }

  const signedHeaders = new Set(signedHeaderList.split(';'));
  const headers = pickSignedHeaders(request.headers, signedHeaders);
  if (!signedHeaders.has('host') || !headers) {
    return { ok: false, failure: 'malformed', message: 'A signed header is missing.' };
  }
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  // An unsigned x-amz-content-sha256 still decides the payload hash, exactly as the client signer did.
  if (payloadHash !== undefined) headers['x-amz-content-sha256'] = payloadHash;

  const signer = new SignatureV4({
    credentials: options.credentials,
    region: options.region,
    service: options.service,
    sha256,
    uriEscapePath: options.uriEscapePath,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host!,
      path: request.rawPath,
      query: request.query,
      headers,
      body: payloadHash === undefined ? options.body : undefined,
    },
    { signingDate, signableHeaders: signedHeaders },
  );
  const expected = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1];
  if (expected === undefined || !sameSignature(expected, providedSignature)) {
    return signatureMismatch();
  }
  return { ok: true, signedHeaders, payloadHash };
}

/**
 * Verifies an S3 pre-signed URL by presigning the same request again with S3RequestPresigner at
 * the URL's own X-Amz-Date and X-Amz-Expires, then checks expiry (verified in
 * shared/reference/local-stand-ins.md §1.6; x-amz-checksum-mode and x-id stay in the query).
 */
export async function verifyPresignedUrl(
  request: SignedRequest,
  options: VerifyOptions,
): Promise<SigV4Result> {
  const query = request.query;
  const providedSignature = queryValue(query, 'X-Amz-Signature') ?? '';
  const expiresText = queryValue(query, 'X-Amz-Expires') ?? '';
  const signedHeaderList = queryValue(query, 'X-Amz-SignedHeaders') ?? '';
  if (queryValue(query, 'X-Amz-Algorithm') !== ALGORITHM || !/^\d+$/.test(expiresText)) {
    return {
      ok: false,
      failure: 'malformed',
      message:
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    };
  }
  const expiresIn = Number(expiresText);
  if (expiresIn > MAX_PRESIGNED_EXPIRES_SECONDS) {
    return {
      ok: false,
      failure: 'malformed',
      message: 'X-Amz-Expires must be less than a week (in seconds) that is 604800',
    };
  }
  const signingDate = parseAmzDate(queryValue(query, 'X-Amz-Date'));
  const scopeProblem = checkScope(
    parseCredential(queryValue(query, 'X-Amz-Credential')),
    signingDate,
    options,
  );
  if (scopeProblem) return scopeProblem;

  const signedHeaders = new Set(signedHeaderList.split(';'));
  const headers = pickSignedHeaders(request.headers, signedHeaders);
  if (!signedHeaders.has('host') || !headers) {
    return { ok: false, failure: 'malformed', message: 'A signed header is missing.' };
  }
  const unsignedQuery: QueryParams = {};
  for (const [key, value] of Object.entries(query)) {
    const lower = key.toLowerCase();
    if (!PRESIGN_AUTH_PARAMS.has(lower)) unsignedQuery[key] = value;
  }

  const presigner = new S3RequestPresigner({
    credentials: options.credentials,
    region: options.region,
    sha256,
  });
  const presigned = await presigner.presign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host!,
      path: request.rawPath,
      query: unsignedQuery,
      headers,
    },
    {
      signingDate,
      expiresIn,
      signableHeaders: signedHeaders,
      // Headers the client signed stay headers; only the presigner's own x-amz-* move to the query.
      unhoistableHeaders: new Set(signedHeaders),
    },
  );
  const expected = queryValue(presigned.query as QueryParams, 'X-Amz-Signature');
  if (expected === undefined || !sameSignature(expected, providedSignature)) {
    return signatureMismatch();
  }

  const now = (options.now ?? new Date()).getTime();
  if (now > signingDate!.getTime() + expiresIn * 1000) {
    return { ok: false, failure: 'expired', message: 'Request has expired' };
  }
  if (signingDate!.getTime() - now > MAX_CLOCK_SKEW_MS) {
    return { ok: false, failure: 'not-yet-valid', message: 'Request is not valid yet' };
  }
  return { ok: true, signedHeaders, payloadHash: 'UNSIGNED-PAYLOAD' };
}
