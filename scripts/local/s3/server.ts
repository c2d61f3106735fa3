/**
 * Local S3 stand-in: node:http, path-style `/<bucket>/<key>`, private by default. It serves the
 * object operations the app uses to the real @aws-sdk/client-s3, and checks SigV4 header auth,
 * pre-signed URLs and pre-signed POST policies the way S3 does, answering S3's error XML so the
 * SDK maps errors to the same exception names as in AWS.
 * Why in-repo instead of s3rver: shared/reference/local-stand-ins.md §1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

import { Checksum, isChecksumAlgorithm } from './checksums.js';
import { ObjectStore } from './object-store.js';
import type { BucketStore, ObjectHeaders, ObjectRecord, PutInput } from './object-store.js';
import { multipartBoundary, parseMultipartForm, verifyPostPolicy } from './post-policy.js';
import {
  hasHeaderAuth,
  hasQueryAuth,
  parseQuery,
  queryValue,
  verifyHeaderSignature,
  verifyPresignedUrl,
} from './sigv4.js';
import type { AwsCredentials, QueryParams, SigV4Failure, SigV4Result } from './sigv4.js';
import { allTagTexts, elements, unescapeXml, XML_DECLARATION } from './xml.js';
import { listenOn } from '../listen.js';

export interface S3ServerOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  host?: string;
  /** Objects and metadata persist here across restarts. */
  dataDir: string;
  region: string;
  /** The only credentials accepted (SigV4 header auth, pre-signed URLs and POST policies). */
  credentials: AwsCredentials;
  /** Buckets that exist; created on disk at start-up. */
  buckets: string[];
  /**
   * Browser origins allowed by CORS (`*` allows any). A function is asked per request, for origins
   * known only after start-up (the local gateway's port).
   */
  corsOrigins?: readonly string[] | (() => readonly string[]);
  /** Methods the CORS rule allows, as the bucket's AllowedMethods (default: all five). */
  corsMethods?: readonly string[];
  /** Request headers a preflight may ask for, as AllowedHeaders (default `*`; lower case). */
  corsAllowedHeaders?: readonly string[];
  /** Response headers scripts may read, as ExposeHeaders (default `ETag`). */
  corsExposeHeaders?: readonly string[];
  /** How long browsers may cache a preflight, as MaxAgeSeconds (default 3000). */
  corsMaxAgeSeconds?: number;
}

export interface LocalS3Server {
  url: string;
  port: number;
  close(): Promise<void>;
}

const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';
// Largest single PUT S3 accepts: https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html
const MAX_PUT_BYTES = 5 * 1024 ** 3;
// A POST form is buffered in memory; policies for this app cap uploads far below this.
const MAX_POST_BYTES = 100 * 1024 ** 2;
// Small XML request bodies (DeleteObjects takes at most 1000 keys).
const MAX_XML_BYTES = 2 * 1024 ** 2;
const MAX_DELETE_KEYS = 1000;
const MAX_LIST_KEYS = 1000;
/**
 * A permissive default CORS rule; the local stack passes the bucket's real rule
 * (shared/web/browser-policy.json, as terraform/modules/storage sets it).
 */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT'];
const CORS_EXPOSED_HEADERS = ['ETag'];
const CORS_MAX_AGE_SECONDS = 3000;
/**
 * S3 adds this to answers to requests that carry an Origin, and leaves it out when there is none.
 * So a browser that cached a picture loaded by a plain <img> (no Origin, no CORS headers) may hand
 * that copy to a later fetch() of the same URL, which then fails the CORS check; the stand-in
 * keeps that behaviour so the local stack shows the bug instead of hiding it.
 */
const CORS_VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';
const STORED_HEADERS: [keyof ObjectHeaders, string][] = [
  ['cacheControl', 'cache-control'],
  ['contentDisposition', 'content-disposition'],
  ['contentEncoding', 'content-encoding'],
  ['contentLanguage', 'content-language'],
  ['expires', 'expires'],
];
// GetObject response-* query overrides: https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
const RESPONSE_OVERRIDES: [string, string][] = [
  ['response-content-type', 'content-type'],
  ['response-content-disposition', 'content-disposition'],
  ['response-content-encoding', 'content-encoding'],
  ['response-content-language', 'content-language'],
  ['response-cache-control', 'cache-control'],
  ['response-expires', 'expires'],
];

/** An S3 error: status, code and message end up in S3's `<Error>` document. */
class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'S3Error';
  }
}

const noSuchKey = (key: string): S3Error =>
  new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });

function sigV4Error(failure: SigV4Failure, message: string, presigned: boolean): S3Error {
  const malformed = presigned
    ? 'AuthorizationQueryParametersError'
    : 'AuthorizationHeaderMalformed';
  const byFailure: Record<SigV4Failure, [number, string]> = {
    missing: [403, 'AccessDenied'],
    malformed: [400, malformed],
    'unknown-access-key': [403, 'InvalidAccessKeyId'],
    'wrong-region': [400, malformed],
    'wrong-service': [400, malformed],
    'signature-mismatch': [403, 'SignatureDoesNotMatch'],
    'time-skewed': [403, 'RequestTimeTooSkewed'],
    expired: [403, 'AccessDenied'],
    'not-yet-valid': [403, 'AccessDenied'],
  };
  const [status, code] = byFailure[failure];
  return new S3Error(status, code, message);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      throw new S3Error(
        400,
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed size',
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  bucketName: string;
  bucket: BucketStore | undefined;
  key: string;
  query: QueryParams;
  rawPath: string;
  /** From the verified signature: the payload hash the client committed to, if any. */
  payloadHash?: string;
}

/** Starts the stand-in; resolves once it listens. */
export async function startS3(options: S3ServerOptions): Promise<LocalS3Server> {
  const store = new ObjectStore(options.dataDir, options.buckets);
  await store.load();
  const corsOrigins = (): readonly string[] =>
    typeof options.corsOrigins === 'function' ? options.corsOrigins() : (options.corsOrigins ?? []);
  const corsMethods = options.corsMethods ?? CORS_METHODS;
  const corsExposeHeaders = options.corsExposeHeaders ?? CORS_EXPOSED_HEADERS;
  const corsMaxAgeSeconds = options.corsMaxAgeSeconds ?? CORS_MAX_AGE_SECONDS;
  const corsAllowedHeaders = (options.corsAllowedHeaders ?? ['*']).map((name) =>
    name.toLowerCase(),
  );
  const headersAllowed = (requested: string | undefined): boolean =>
    corsAllowedHeaders.includes('*') ||
    (requested ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean)
      .every((name) => corsAllowedHeaders.includes(name));

  /**
   * The Access-Control-Allow-Origin value when a CORS rule matches the origin and the method (the
   * request's, or the one a preflight asks for), as S3 evaluates its rules; else undefined.
   */
  const allowedOrigin = (
    req: IncomingMessage,
    method = req.method ?? 'GET',
  ): string | undefined => {
    const origin = header(req, 'origin');
    if (origin === undefined || !corsMethods.includes(method)) return undefined;
    const origins = corsOrigins();
    if (origins.includes(origin)) return origin;
    return origins.includes('*') ? '*' : undefined;
  };

  /**
   * CORS headers as S3 answers them: only for a request with an Origin; the rule's methods, exposed
   * headers and max age when the rule matches the origin and the method (a preflight's requested
   * method); the origin itself (with credentials allowed) for a listed origin, `*` for a wildcard.
   */
  const baseHeaders = (
    req: IncomingMessage,
    requestId: string,
    method?: string,
  ): OutgoingHttpHeaders => {
    const headers: OutgoingHttpHeaders = { 'x-amz-request-id': requestId, server: 'AmazonS3' };
    if (header(req, 'origin') === undefined) return headers;
    const origin = allowedOrigin(req, method);
    if (origin !== undefined) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-allow-methods'] = corsMethods.join(', ');
      if (origin !== '*') headers['access-control-allow-credentials'] = 'true';
      if (corsExposeHeaders.length > 0) {
        headers['access-control-expose-headers'] = corsExposeHeaders.join(', ');
      }
      headers['access-control-max-age'] = String(corsMaxAgeSeconds);
    }
    headers.vary = CORS_VARY;
    return headers;
  };

  const sendXml = (ctx: RequestContext, status: number, xml: string): void => {
    const body = Buffer.from(`${XML_DECLARATION}\n${xml}`);
    ctx.res.writeHead(status, {
      ...baseHeaders(ctx.req, ctx.requestId),
      'content-type': 'application/xml',
      'content-length': body.length,
    });
    ctx.res.end(body);
  };

  const sendError = (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    error: S3Error,
  ): void => {
    const headers = baseHeaders(req, requestId);
    if (req.method === 'HEAD') {
      // HEAD errors have no body; the SDK maps them by status (NotFound, Forbidden).
      res.writeHead(error.status, headers);
      res.end();
      return;
    }
    const body = Buffer.from(
      `${XML_DECLARATION}\n<Error>${elements({ Code: error.code, Message: error.message, ...error.extra, RequestId: requestId, HostId: requestId })}</Error>`,
    );
    res.writeHead(error.status, {
      ...headers,
      'content-type': 'application/xml',
      'content-length': body.length,
    });
    res.end(body);
  };

  const handlePreflight = (req: IncomingMessage, res: ServerResponse, requestId: string): void => {
    const method = header(req, 'access-control-request-method') ?? '';
    const origin = allowedOrigin(req, method);
    const requestedHeaders = header(req, 'access-control-request-headers');
    if (origin === undefined || !headersAllowed(requestedHeaders)) {
      throw new S3Error(
        403,
        'AccessForbidden',
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      );
    }
    res.writeHead(200, {
      ...baseHeaders(req, requestId, method),
      // Every requested header passed the rule's AllowedHeaders above, so S3 echoes them.
      ...(requestedHeaders ? { 'access-control-allow-headers': requestedHeaders } : {}),
      'content-length': 0,
    });
    res.end();
  };

  const authenticate = async (ctx: RequestContext): Promise<void> => {
    const signed = {
      method: ctx.req.method ?? 'GET',
      rawPath: ctx.rawPath,
      query: ctx.query,
      headers: ctx.req.headers,
    };
    const verifyOptions = {
      credentials: options.credentials,
      region: options.region,
      service: 's3',
      uriEscapePath: false,
    };
    const presigned = !hasHeaderAuth(ctx.req.headers);
    let result: SigV4Result;
    if (!presigned) result = await verifyHeaderSignature(signed, verifyOptions);
    else if (hasQueryAuth(ctx.query)) result = await verifyPresignedUrl(signed, verifyOptions);
    else throw new S3Error(403, 'AccessDenied', 'Access Denied');
    if (!result.ok) throw sigV4Error(result.failure, result.message, presigned);
    ctx.payloadHash = result.payloadHash;
  };

  const requireBucket = (ctx: RequestContext): BucketStore => {
    if (!ctx.bucket) {
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: ctx.bucketName,
      });
    }
    return ctx.bucket;
  };

  const objectInputFrom = (req: IncomingMessage, query: QueryParams): PutInput => {
    const input: PutInput = {
      contentType: header(req, 'content-type') ?? DEFAULT_CONTENT_TYPE,
      metadata: {},
    };
    for (const [field, name] of STORED_HEADERS) {
      const value = header(req, name);
      if (value !== undefined) input[field] = value;
    }
    // Pre-signed PUTs carry x-amz-meta-* in the query (the presigner hoists x-amz-* headers).
    for (const [name, value] of Object.entries(query)) {
      const lower = name.toLowerCase();
      if (lower.startsWith('x-amz-meta-')) input.metadata[lower.slice(11)] = String(value);
    }
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith('x-amz-meta-') && value !== undefined) {
        input.metadata[name.slice(11)] = Array.isArray(value) ? value.join(',') : value;
      }
    }
    return input;
  };

  /** The additional checksum the client sent or pre-signed, if S3 would verify it. */
  const expectedChecksum = (
    ctx: RequestContext,
  ): { checksum: Checksum; value: string } | undefined => {
    for (const source of [ctx.req.headers, ctx.query]) {
      for (const [name, value] of Object.entries(source)) {
        const match = /^x-amz-checksum-([a-z0-9]+)$/.exec(name.toLowerCase());
        if (!match || match[1] === 'mode' || match[1] === 'type' || match[1] === 'algorithm')
          continue;
        // crc64nvme is not computed here; the body is then accepted without that check.
        if (!isChecksumAlgorithm(match[1]!)) continue;
        return {
          checksum: new Checksum(match[1]),
          value: Array.isArray(value) ? (value[0] ?? '') : (value ?? ''),
        };
      }
    }
    return undefined;
  };

  const checkIntegrity = (
    ctx: RequestContext,
    digests: { md5: Buffer; sha256: Buffer; size: number },
    checksum: { checksum: Checksum; value: string } | undefined,
  ): void => {
    const declaredLength = header(ctx.req, 'content-length');
    if (declaredLength !== undefined && Number(declaredLength) !== digests.size) {
      throw new S3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      );
    }
    if (
      ctx.payloadHash &&
      /^[0-9a-f]{64}$/.test(ctx.payloadHash) &&
      ctx.payloadHash !== digests.sha256.toString('hex')
    ) {
      throw new S3Error(
        400,
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    const contentMd5 = header(ctx.req, 'content-md5');
    if (contentMd5 !== undefined && contentMd5 !== digests.md5.toString('base64')) {
      throw new S3Error(
        400,
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
    }
    if (checksum && checksum.checksum.base64() !== checksum.value) {
      throw new S3Error(
        400,
        'BadDigest',
        `The ${checksum.checksum.algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    }
  };

  const rejectStreamingPayload = (ctx: RequestContext): void => {
    if (ctx.payloadHash?.startsWith('STREAMING-')) {
      throw new S3Error(
        400,
        'InvalidArgument',
        `x-amz-content-sha256 ${ctx.payloadHash} (aws-chunked) is not supported by the local S3 stand-in; set AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED.`,
      );
    }
  };

  const putObject = async (ctx: RequestContext, bucket: BucketStore): Promise<void> => {
    if (header(ctx.req, 'x-amz-copy-source') !== undefined) return copyObject(ctx, bucket);
    rejectStreamingPayload(ctx);
    if (header(ctx.req, 'content-length') === undefined) {
      throw new S3Error(
        411,
        'MissingContentLength',
        'You must provide the Content-Length HTTP header.',
      );
    }
    if (Number(header(ctx.req, 'content-length')) > MAX_PUT_BYTES) {
      throw new S3Error(
        400,
        'EntityTooLarge',
        'Your proposed upload exceeds the maximum allowed size',
      );
    }
    const checksum = expectedChecksum(ctx);
    const staged = await store.stage(bucket, ctx.req, (chunk) => checksum?.checksum.update(chunk));
    try {
      checkIntegrity(ctx, staged, checksum);
    } catch (error) {
      await store.discard(staged);
      throw error;
    }
    const record = await bucket.commit(ctx.key, staged, objectInputFrom(ctx.req, ctx.query));
    ctx.res.writeHead(200, {
      ...baseHeaders(ctx.req, ctx.requestId),
      etag: record.etag,
      ...(checksum ? { [`x-amz-checksum-${checksum.checksum.algorithm}`]: checksum.value } : {}),
      'content-length': 0,
    });
    ctx.res.end();
  };

  const copyObject = async (ctx: RequestContext, bucket: BucketStore): Promise<void> => {
    const source = decodeURIComponent(
      (header(ctx.req, 'x-amz-copy-source') ?? '').split('?')[0]!,
    ).replace(/^\//, '');
    const slash = source.indexOf('/');
    const sourceBucket = store.bucket(source.slice(0, slash));
    const sourceKey = source.slice(slash + 1);
    if (slash === -1 || !sourceBucket) {
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    }
    const sourceRecord = sourceBucket.get(sourceKey);
    if (!sourceRecord) throw noSuchKey(sourceKey);
    const replace = header(ctx.req, 'x-amz-metadata-directive') === 'REPLACE';
    if (!replace && sourceBucket === bucket && sourceKey === ctx.key) {
      throw new S3Error(
        400,
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const input: PutInput = replace
      ? objectInputFrom(ctx.req, ctx.query)
      : { contentType: sourceRecord.contentType, metadata: { ...sourceRecord.metadata } };
    if (!replace) {
      for (const [field] of STORED_HEADERS) {
        const value = sourceRecord[field];
        if (value !== undefined) input[field] = value;
      }
    }
    const record = await bucket.copy(ctx.key, sourceRecord, input);
    sendXml(
      ctx,
      200,
      `<CopyObjectResult xmlns="${S3_NAMESPACE}">${elements({ LastModified: record.lastModified, ETag: record.etag })}</CopyObjectResult>`,
    );
  };

  const objectHeaders = (ctx: RequestContext, record: ObjectRecord): OutgoingHttpHeaders => {
    const headers: OutgoingHttpHeaders = {
      ...baseHeaders(ctx.req, ctx.requestId),
      'content-type': record.contentType,
      etag: record.etag,
      'last-modified': new Date(record.lastModified).toUTCString(),
      'accept-ranges': 'bytes',
    };
    for (const [field, name] of STORED_HEADERS) {
      if (record[field] !== undefined) headers[name] = record[field];
    }
    for (const [name, value] of Object.entries(record.metadata))
      headers[`x-amz-meta-${name}`] = value;
    for (const [parameter, name] of RESPONSE_OVERRIDES) {
      const value = queryValue(ctx.query, parameter);
      if (value !== undefined) headers[name] = value;
    }
    return headers;
  };

  const parseRange = (
    rangeHeader: string,
    size: number,
  ): { start: number; end: number } | undefined => {
    const match = /^bytes=(\d*)-(\d*)$/.exec(rangeHeader.trim());
    // Multi-range and malformed headers are ignored and the whole object is served, as S3 does.
    if (!match || (match[1] === '' && match[2] === '')) return undefined;
    let start: number;
    let end: number;
    if (match[1] === '') {
      start = Math.max(0, size - Number(match[2]));
      end = size - 1;
    } else {
      start = Number(match[1]);
      end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    }
    if (start >= size || start > end) {
      throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
        RangeRequested: rangeHeader,
        ActualObjectSize: String(size),
      });
    }
    return { start, end };
  };

  const getObject = async (
    ctx: RequestContext,
    bucket: BucketStore,
    withBody: boolean,
  ): Promise<void> => {
    const record = bucket.get(ctx.key);
    if (!record) throw noSuchKey(ctx.key);
    const ifMatch = header(ctx.req, 'if-match');
    if (
      ifMatch !== undefined &&
      ifMatch !== '*' &&
      !ifMatch
        .split(',')
        .map((tag) => tag.trim())
        .includes(record.etag)
    ) {
      throw new S3Error(
        412,
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        { Condition: 'If-Match' },
      );
    }
    const ifNoneMatch = header(ctx.req, 'if-none-match');
    if (
      ifNoneMatch !== undefined &&
      (ifNoneMatch === '*' ||
        ifNoneMatch
          .split(',')
          .map((tag) => tag.trim())
          .includes(record.etag))
    ) {
      ctx.res.writeHead(304, { ...baseHeaders(ctx.req, ctx.requestId), etag: record.etag });
      ctx.res.end();
      return;
    }
    const rangeHeader = header(ctx.req, 'range');
    const range = rangeHeader === undefined ? undefined : parseRange(rangeHeader, record.size);
    const headers = objectHeaders(ctx, record);
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${record.size}`;
      headers['content-length'] = range.end - range.start + 1;
    } else {
      headers['content-length'] = record.size;
    }
    ctx.res.writeHead(range ? 206 : 200, headers);
    if (!withBody || record.size === 0) {
      ctx.res.end();
      return;
    }
    await pipeline(store.read(bucket, record, range), ctx.res);
  };

  const deleteObject = async (ctx: RequestContext, bucket: BucketStore): Promise<void> => {
    await bucket.delete(ctx.key);
    ctx.res.writeHead(204, baseHeaders(ctx.req, ctx.requestId));
    ctx.res.end();
  };

  const deleteObjects = async (ctx: RequestContext, bucket: BucketStore): Promise<void> => {
    rejectStreamingPayload(ctx);
    const checksum = expectedChecksum(ctx);
    if (!checksum && header(ctx.req, 'content-md5') === undefined) {
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
      throw new S3Error(
        400,
        'InvalidRequest',
        'Missing required header for this request: Content-MD5 or x-amz-checksum-*',
      );
    }
    const body = await readBody(ctx.req, MAX_XML_BYTES);
    checksum?.checksum.update(body);
    checkIntegrity(
      ctx,
      {
        md5: createHash('md5').update(body).digest(),
        sha256: createHash('sha256').update(body).digest(),
        size: body.length,
      },
      checksum,
    );
    const xml = body.toString('utf8');
    const objects = allTagTexts(xml, 'Object');
    if (!xml.includes('<Delete') || objects.length === 0 || objects.length > MAX_DELETE_KEYS) {
      throw new S3Error(
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    }
    const quiet = allTagTexts(xml, 'Quiet')[0]?.trim() === 'true';
    const deleted: string[] = [];
    for (const object of objects) {
      const key = unescapeXml(allTagTexts(object, 'Key')[0] ?? '');
      await bucket.delete(key);
      deleted.push(key);
    }
    const results = quiet
      ? ''
      : deleted.map((key) => `<Deleted>${elements({ Key: key })}</Deleted>`).join('');
    sendXml(ctx, 200, `<DeleteResult xmlns="${S3_NAMESPACE}">${results}</DeleteResult>`);
  };

  const listObjectsV2 = (ctx: RequestContext, bucket: BucketStore): void => {
    const prefix = queryValue(ctx.query, 'prefix') ?? '';
    const delimiter = queryValue(ctx.query, 'delimiter') || undefined;
    const maxKeysText = queryValue(ctx.query, 'max-keys') ?? String(MAX_LIST_KEYS);
    if (!/^\d+$/.test(maxKeysText)) {
      throw new S3Error(
        400,
        'InvalidArgument',
        'Provided max-keys not an integer or within integer range',
        { ArgumentName: 'max-keys', ArgumentValue: maxKeysText },
      );
    }
    const maxKeys = Math.min(Number(maxKeysText), MAX_LIST_KEYS);
    const startAfter = queryValue(ctx.query, 'start-after');
    const continuationToken = queryValue(ctx.query, 'continuation-token');
    const urlEncode = queryValue(ctx.query, 'encoding-type') === 'url';
    const encode = (text: string): string =>
      urlEncode ? encodeURIComponent(text).replaceAll('%2F', '/') : text;

    let after = startAfter ?? '';
    let skipPrefix: string | undefined;
    if (continuationToken !== undefined) {
      try {
        const token = JSON.parse(Buffer.from(continuationToken, 'base64url').toString('utf8')) as {
          after: string;
          skipPrefix?: string;
        };
        if (typeof token.after !== 'string') throw new TypeError('bad token');
        after = token.after;
        skipPrefix = token.skipPrefix;
      } catch {
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', {
          ArgumentName: 'continuation-token',
        });
      }
    }
    const afterBytes = Buffer.from(after);
    const candidates = bucket
      .sortedKeys()
      .filter((key) => key.startsWith(prefix) && Buffer.compare(Buffer.from(key), afterBytes) > 0)
      .filter((key) => skipPrefix === undefined || !key.startsWith(skipPrefix));

    const contents: ObjectRecord[] = [];
    const commonPrefixes: string[] = [];
    let truncated = false;
    let nextToken: { after: string; skipPrefix?: string } | undefined;
    for (const key of candidates) {
      const commonPrefix = commonPrefixOf(key, prefix, delimiter);
      if (commonPrefix !== undefined && commonPrefixes.at(-1) === commonPrefix) continue;
      if (contents.length + commonPrefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (commonPrefix !== undefined) {
        commonPrefixes.push(commonPrefix);
        nextToken = { after: key, skipPrefix: commonPrefix };
      } else {
        contents.push(bucket.get(key)!);
        nextToken = { after: key };
      }
    }
    const xml =
      `<ListBucketResult xmlns="${S3_NAMESPACE}">` +
      elements({
        Name: ctx.bucketName,
        Prefix: encode(prefix),
        Delimiter: delimiter === undefined ? undefined : encode(delimiter),
        MaxKeys: maxKeys,
        KeyCount: contents.length + commonPrefixes.length,
        IsTruncated: truncated,
        ContinuationToken: continuationToken,
        NextContinuationToken:
          truncated && nextToken
            ? Buffer.from(JSON.stringify(nextToken)).toString('base64url')
            : undefined,
        StartAfter: startAfter === undefined ? undefined : encode(startAfter),
        EncodingType: urlEncode ? 'url' : undefined,
      }) +
      contents
        .map(
          (record) =>
            `<Contents>${elements({ Key: encode(record.key), LastModified: record.lastModified, ETag: record.etag, Size: record.size, StorageClass: 'STANDARD' })}</Contents>`,
        )
        .join('') +
      commonPrefixes
        .map(
          (commonPrefix) =>
            `<CommonPrefixes>${elements({ Prefix: encode(commonPrefix) })}</CommonPrefixes>`,
        )
        .join('') +
      '</ListBucketResult>';
    sendXml(ctx, 200, xml);
  };

  const postObject = async (
    ctx: RequestContext,
    bucket: BucketStore,
    boundary: string,
  ): Promise<void> => {
    const body = await readBody(ctx.req, MAX_POST_BYTES);
    const form = parseMultipartForm(body, boundary);
    if (!form) {
      throw new S3Error(
        400,
        'MalformedPOSTRequest',
        'The body of your POST request is not well-formed multipart/form-data.',
      );
    }
    const outcome = await verifyPostPolicy({
      bucket: ctx.bucketName,
      form,
      credentials: options.credentials,
      region: options.region,
    });
    if ('code' in outcome) throw new S3Error(outcome.status, outcome.code, outcome.message);

    const field = (name: string): string | undefined => outcome.fields.get(name)?.value;
    const input: PutInput = {
      contentType: field('content-type') ?? DEFAULT_CONTENT_TYPE,
      metadata: {},
    };
    for (const [fieldName, name] of STORED_HEADERS) {
      const value = field(name);
      if (value !== undefined) input[fieldName] = value;
    }
    for (const [name, { value }] of outcome.fields) {
      if (name.startsWith('x-amz-meta-')) input.metadata[name.slice(11)] = value;
    }
    const staged = await store.stageBuffer(bucket, outcome.file.bytes);
    const record = await bucket.commit(outcome.key, staged, input);

    const location = `${header(ctx.req, 'x-forwarded-proto') ?? 'http'}://${header(ctx.req, 'host') ?? ''}/${encodeURIComponent(ctx.bucketName)}/${outcome.key.split('/').map(encodeURIComponent).join('/')}`;
    const redirect = field('success_action_redirect');
    if (redirect !== undefined) {
      const target = new URL(redirect);
      target.searchParams.set('bucket', ctx.bucketName);
      target.searchParams.set('key', outcome.key);
      target.searchParams.set('etag', record.etag);
      ctx.res.writeHead(303, {
        ...baseHeaders(ctx.req, ctx.requestId),
        location: target.toString(),
        'content-length': 0,
      });
      ctx.res.end();
      return;
    }
    // success_action_status: 200 and 204 answer with an empty body, 201 with a PostResponse
    // document; anything else means 204. https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
    const status = field('success_action_status');
    if (status === '201') {
      ctx.res.setHeader('etag', record.etag);
      ctx.res.setHeader('location', location);
      sendXml(
        ctx,
        201,
        `<PostResponse>${elements({ Location: location, Bucket: ctx.bucketName, Key: outcome.key, ETag: record.etag })}</PostResponse>`,
      );
      return;
    }
    ctx.res.writeHead(status === '200' ? 200 : 204, {
      ...baseHeaders(ctx.req, ctx.requestId),
      etag: record.etag,
      location,
      'content-length': 0,
    });
    ctx.res.end();
  };

  const route = async (ctx: RequestContext): Promise<void> => {
    const method = ctx.req.method ?? 'GET';
    if (ctx.bucketName === '') {
      await authenticate(ctx);
      throw new S3Error(
        501,
        'NotImplemented',
        'ListBuckets is not implemented by the local S3 stand-in.',
      );
    }
    const boundary = multipartBoundary(header(ctx.req, 'content-type'));
    if (method === 'POST' && ctx.key === '' && boundary !== undefined) {
      return postObject(ctx, requireBucket(ctx), boundary);
    }
    await authenticate(ctx);
    const bucket = requireBucket(ctx);

    if (ctx.key === '') {
      if (method === 'GET' && queryValue(ctx.query, 'list-type') === '2')
        return listObjectsV2(ctx, bucket);
      if (method === 'POST' && queryValue(ctx.query, 'delete') !== undefined)
        return deleteObjects(ctx, bucket);
      if (method === 'HEAD') {
        ctx.res.writeHead(200, {
          ...baseHeaders(ctx.req, ctx.requestId),
          'x-amz-bucket-region': options.region,
        });
        ctx.res.end();
        return;
      }
      if (method === 'PUT' && Object.keys(ctx.query).length === 0) {
        throw new S3Error(
          409,
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          { BucketName: ctx.bucketName },
        );
      }
      throw new S3Error(
        501,
        'NotImplemented',
        `${method} on a bucket with ?${Object.keys(ctx.query).join('&')} is not implemented by the local S3 stand-in.`,
      );
    }
    if (
      queryValue(ctx.query, 'uploads') !== undefined ||
      queryValue(ctx.query, 'uploadId') !== undefined
    ) {
      throw new S3Error(
        501,
        'NotImplemented',
        'Multipart uploads are not implemented by the local S3 stand-in.',
      );
    }
    switch (method) {
      case 'PUT':
        return putObject(ctx, bucket);
      case 'GET':
        return getObject(ctx, bucket, true);
      case 'HEAD':
        return getObject(ctx, bucket, false);
      case 'DELETE':
        return deleteObject(ctx, bucket);
      default:
        throw new S3Error(
          405,
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
        );
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    try {
      if (req.method === 'OPTIONS') return handlePreflight(req, res, requestId);
      const url = req.url ?? '/';
      const queryStart = url.indexOf('?');
      const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
      const query = parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1));
      const withoutSlash = rawPath.replace(/^\//, '');
      const slash = withoutSlash.indexOf('/');
      const bucketName = decodeURIComponent(
        slash === -1 ? withoutSlash : withoutSlash.slice(0, slash),
      );
      const key = slash === -1 ? '' : decodeURIComponent(withoutSlash.slice(slash + 1));
      await route({
        req,
        res,
        requestId,
        bucketName,
        bucket: store.bucket(bucketName),
        key,
        query,
        rawPath,
      });
    } catch (error) {
      const s3Error =
        error instanceof S3Error
          ? error
          : error instanceof URIError
            ? new S3Error(400, 'InvalidURI', 'Could not parse the specified URI.')
            : new S3Error(
                500,
                'InternalError',
                `We encountered an internal error. ${String(error)}`,
              );
      if (s3Error.status === 500) console.error('[local-s3]', error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Drain what is left of the body so the connection can be reused.
      req.resume();
      sendError(req, res, requestId, s3Error);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  return listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
}

function commonPrefixOf(
  key: string,
  prefix: string,
  delimiter: string | undefined,
): string | undefined {
  if (delimiter === undefined) return undefined;
  const index = key.indexOf(delimiter, prefix.length);
  return index === -1 ? undefined : key.slice(0, index + delimiter.length);
}

async function listen(server: Server, port: number, host: string): Promise<LocalS3Server> {
  const listening = await listenOn(server, port, host);
  return {
    url: listening.url,
    port: listening.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
