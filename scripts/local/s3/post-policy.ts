/**
 * Browser-based uploads with a pre-signed POST policy (what @aws-sdk/s3-presigned-post's
 * createPresignedPost produces): parse the multipart form, verify the policy signature and
 * expiry, then check every condition the way S3 does.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 */
import { timingSafeEqual } from 'node:crypto';

import { Hash } from '@smithy/hash-node';
import { getSigningKey } from '@smithy/signature-v4';

import type { AwsCredentials } from './sigv4.js';
import { parseAmzDate } from './sigv4.js';

export interface FormFile {
  filename: string;
  bytes: Buffer;
}

export interface ParsedForm {
  /** Form fields before the file, keyed by lower-case name (S3 field names are case-insensitive). */
  fields: Map<string, { name: string; value: string }>;
  file: FormFile | undefined;
}

export interface PostFailure {
  status: number;
  code: string;
  message: string;
}

export interface AcceptedPost {
  key: string;
  fields: Map<string, { name: string; value: string }>;
  file: FormFile;
}

type PolicyCondition = Record<string, unknown> | unknown[];

interface Policy {
  expiration?: unknown;
  conditions?: unknown;
}

// Fields that never need a matching condition.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html#sigv4-PolicyConditions
const EXEMPT_FIELDS = new Set(['x-amz-signature', 'file', 'policy']);

const sha256 = Hash.bind(null, 'sha256');

/** The boundary of a `multipart/form-data` content type, if it is one. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function dispositionParam(disposition: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="([^"]*)"`, 'i').exec(disposition);
  return match?.[1];
}

/** Parses a buffered multipart/form-data body. Fields after the file are ignored, as S3 does. */
export function parseMultipartForm(body: Buffer, boundary: string): ParsedForm | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: ParsedForm['fields'] = new Map();
  let position = body.indexOf(delimiter);
  if (position === -1) return undefined;
  position += delimiter.length;
  for (;;) {
    if (body.subarray(position, position + 2).toString() === '--') break;
    position += 2; // CRLF after the delimiter
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd === -1) return undefined;
    const headerText = body.subarray(position, headerEnd).toString('utf8');
    const contentStart = headerEnd + 4;
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), contentStart);
    if (next === -1) return undefined;
    const content = body.subarray(contentStart, next);
    position = next + 2 + delimiter.length;

    const disposition = /^content-disposition:(.*)$/im.exec(headerText)?.[1] ?? '';
    const name = dispositionParam(disposition, 'name');
    if (name === undefined) continue;
    if (name.toLowerCase() === 'file') {
      return {
        fields,
        file: { filename: dispositionParam(disposition, 'filename') ?? '', bytes: content },
      };
    }
    fields.set(name.toLowerCase(), { name, value: content.toString('utf8') });
  }
  return { fields, file: undefined };
}

function accessDenied(message: string): PostFailure {
  return { status: 403, code: 'AccessDenied', message };
}

function conditionFailed(condition: unknown): PostFailure {
  return accessDenied(
    `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`,
  );
}

function sameHex(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface VerifyPostOptions {
  bucket: string;
  form: ParsedForm;
  credentials: AwsCredentials;
  region: string;
  now?: Date;
}

/** Checks signature, expiry and every policy condition; on success returns the final object key. */
export async function verifyPostPolicy(
  options: VerifyPostOptions,
): Promise<AcceptedPost | PostFailure> {
  const { fields, file } = options.form;
  const field = (name: string): string | undefined => fields.get(name)?.value;

  const rawKey = field('key');
  if (rawKey === undefined) {
    return {
      status: 400,
      code: 'InvalidArgument',
      message:
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
    };
  }
  if (!file) {
    return {
      status: 400,
      code: 'InvalidArgument',
      message: 'POST requires exactly one file upload per request.',
    };
  }
  const policyBase64 = field('policy');
  const signature = field('x-amz-signature');
  if (policyBase64 === undefined || signature === undefined) {
    return accessDenied('Access Denied');
  }
  if (field('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    return {
      status: 400,
      code: 'InvalidArgument',
      message: 'Only AWS4-HMAC-SHA256 POST policies are supported.',
    };
  }
  const [accessKeyId, shortDate, region, service, terminator] = (
    field('x-amz-credential') ?? ''
  ).split('/');
  const signingDate = parseAmzDate(field('x-amz-date'));
  if (!shortDate || terminator !== 'aws4_request' || !signingDate || service !== 's3') {
    return {
      status: 400,
      code: 'InvalidArgument',
      message: 'The X-Amz-Credential or X-Amz-Date field is malformed.',
    };
  }
  if (accessKeyId !== options.credentials.accessKeyId) {
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    };
  }
  if (region !== options.region) {
    return {
      status: 400,
      code: 'AuthorizationHeaderMalformed',
      message: `the region '${region}' is wrong; expecting '${options.region}'`,
    };
  }

  const signingKey = await getSigningKey(sha256, options.credentials, shortDate, region, 's3');
  const hmac = new Hash('sha256', signingKey);
  hmac.update(policyBase64);
  const expected = Buffer.from(await hmac.digest()).toString('hex');
  if (!sameHex(expected, signature)) {
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    };
  }

  let policy: Policy;
  try {
    policy = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8')) as Policy;
  } catch {
    return { status: 400, code: 'InvalidPolicyDocument', message: 'Invalid Policy: Invalid JSON.' };
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : NaN;
  if (Number.isNaN(expiration) || !Array.isArray(policy.conditions)) {
    return {
      status: 400,
      code: 'InvalidPolicyDocument',
      message: 'Invalid Policy: Policy missing expiration or conditions.',
    };
  }
  if ((options.now ?? new Date()).getTime() > expiration) {
    return accessDenied('Invalid according to Policy: Policy expired.');
  }

  // `${filename}` in the key is replaced by the uploaded file's name before conditions are checked.
  const key = rawKey.replaceAll('${filename}', file.filename);
  const valueOf = (name: string): string | undefined => {
    if (name === 'bucket') return options.bucket;
    if (name === 'key') return key;
    return field(name);
  };

  const covered = new Set<string>();
  let lengthRange: { min: number; max: number } | undefined;
  for (const condition of policy.conditions as PolicyCondition[]) {
    if (Array.isArray(condition)) {
      const [operator, target, expectedValue] = condition as [unknown, unknown, unknown];
      if (operator === 'content-length-range') {
        lengthRange = { min: Number(target), max: Number(expectedValue) };
        continue;
      }
      if (
        typeof target !== 'string' ||
        !target.startsWith('$') ||
        typeof expectedValue !== 'string'
      ) {
        return {
          status: 400,
          code: 'InvalidPolicyDocument',
          message: `Invalid Policy: Invalid Condition: ${JSON.stringify(condition)}`,
        };
      }
      const name = target.slice(1).toLowerCase();
      const actual = valueOf(name) ?? '';
      covered.add(name);
      const matches =
        operator === 'eq'
          ? actual === expectedValue
          : operator === 'starts-with'
            ? actual.startsWith(expectedValue)
            : undefined;
      if (matches === undefined) {
        return {
          status: 400,
          code: 'InvalidPolicyDocument',
          message: `Invalid Policy: Invalid Condition: ${JSON.stringify(condition)}`,
        };
      }
      if (!matches) return conditionFailed(condition);
    } else if (condition !== null && typeof condition === 'object') {
      for (const [rawName, expectedValue] of Object.entries(condition)) {
        const name = rawName.toLowerCase();
        covered.add(name);
        if (valueOf(name) !== expectedValue)
          return conditionFailed(['eq', `$${rawName}`, expectedValue]);
      }
    }
  }

  for (const [name, { name: originalName }] of fields) {
    if (EXEMPT_FIELDS.has(name) || name.startsWith('x-ignore-') || covered.has(name)) continue;
    return accessDenied(`Invalid according to Policy: Extra input fields: ${originalName}`);
  }

  if (lengthRange && file.bytes.length > lengthRange.max) {
    return {
      status: 400,
      code: 'EntityTooLarge',
      message: 'Your proposed upload exceeds the maximum allowed size',
    };
  }
  if (lengthRange && file.bytes.length < lengthRange.min) {
    return {
      status: 400,
      code: 'EntityTooSmall',
      message: 'Your proposed upload is smaller than the minimum allowed size',
    };
  }
  return { key, fields, file };
}
