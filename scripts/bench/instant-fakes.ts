/**
 * Instant stand-ins for S3, DynamoDB and Bedrock Runtime for the side-by-side bench: every call
 * succeeds at once, so what is measured is the handler, not the stand-in. Bedrock answers over
 * h2c (the AWS SDK for JavaScript v3) and HTTP/1.1 (boto3), in each model family's response shape,
 * with a canned image. Every answer's bytes are built once and reused: serialising a 3.5 MB JSON
 * answer per request costs ~17 ms before the first byte on a 2-core VM, which would put a floor
 * under every handler measured (../shared/perf/fakes.mjs does that).
 */
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

import { findModel } from '../../shared/models/index.js';
import type { ModelFamily } from '../../shared/models/types.js';

/** The three response shapes Bedrock's image models answer in. */
export type ResponseShape = 'stability-artifacts' | 'stability-images' | 'amazon-images';

const SHAPE_OF_FAMILY: Record<ModelFamily, ResponseShape> = {
  'stability-legacy': 'stability-artifacts',
  'stability-current': 'stability-images',
  'stability-edit': 'stability-images',
  'amazon-image': 'amazon-images',
};

/** The response shape for a model id (the catalog's family; by its name for ids it does not know). */
export function responseShapeOf(modelId: string): ResponseShape {
  const family = findModel(modelId)?.family;
  if (family) return SHAPE_OF_FAMILY[family];
  if (/stable-diffusion-xl/.test(modelId)) return 'stability-artifacts';
  if (/stability\./.test(modelId)) return 'stability-images';
  return 'amazon-images';
}

/** Bodies larger than this are read and dropped: only small ones (JSON calls) are ever looked at. */
const KEPT_BODY_BYTES = 64 * 1024;

export interface ImageRequestFacts {
  count: number;
  /** The size the body asks for, when it names one in pixels. */
  width?: number;
  height?: number;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * How many images of which size a request body asks for. Only small bodies are read: an edit's
 * body holds megabytes of base64 and one image, and parsing it would put the fake's time into
 * the handler's.
 */
export function imageRequestFacts(shape: ResponseShape, body: Uint8Array): ImageRequestFacts {
  if (body.byteLength === 0 || body.byteLength > KEPT_BODY_BYTES) return { count: 1 };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown>;
  } catch {
    return { count: 1 };
  }
  if (parsed === null || typeof parsed !== 'object') return { count: 1 };
  const source =
    shape === 'amazon-images'
      ? ((parsed.imageGenerationConfig ?? {}) as Record<string, unknown>)
      : parsed;
  const count =
    positiveInteger(shape === 'amazon-images' ? source.numberOfImages : source.samples) ?? 1;
  const width = positiveInteger(source.width);
  const height = positiveInteger(source.height);
  return width && height ? { count, width, height } : { count };
}

/** The model's JSON answer carrying `count` copies of one base64 image. */
export function cannedAnswer(shape: ResponseShape, base64: string, count: number): unknown {
  const images = Array.from({ length: count }, () => base64);
  switch (shape) {
    case 'stability-artifacts':
      return {
        result: 'success',
        artifacts: images.map((image, index) => ({
          seed: index,
          base64: image,
          finishReason: 'SUCCESS',
        })),
      };
    case 'stability-images':
      return {
        seeds: images.map((_, index) => index + 1),
        finish_reasons: images.map(() => null),
        images,
      };
    case 'amazon-images':
      return { images };
  }
}

/** A DynamoDB attribute value (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> };

/** Plain JSON to DynamoDB's wire format (what a stored item looks like in an answer). */
export function toAttributeValue(value: unknown): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  if (typeof value === 'object') return { M: toItem(value as Record<string, unknown>) };
  throw new Error(`No DynamoDB attribute value for ${typeof value}`);
}

export function toItem(record: Record<string, unknown>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(record)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, toAttributeValue(value)]),
  );
}

const EMPTY_JSON = Buffer.from('{}');

/**
 * DynamoDB's answer to one call: an UpdateItem that returns ALL_NEW on a known item answers that
 * item (the job worker's claim); everything else answers `{}` (a write that succeeded, a GetItem
 * that found nothing).
 */
export function dynamoAnswer(
  target: string,
  body: Uint8Array,
  itemAnswers: ReadonlyMap<string, Buffer>,
): Buffer {
  if (!target.endsWith('.UpdateItem') || itemAnswers.size === 0) return EMPTY_JSON;
  try {
    const request = JSON.parse(Buffer.from(body).toString('utf8')) as {
      Key?: { id?: { S?: string } };
      ReturnValues?: string;
    };
    const id = request.Key?.id?.S;
    if (request.ReturnValues === 'ALL_NEW' && id !== undefined) {
      return itemAnswers.get(id) ?? EMPTY_JSON;
    }
  } catch {
    // Not JSON: answered like any other call.
  }
  return EMPTY_JSON;
}

export interface InstantFakesOptions {
  /** The image Bedrock answers with, unless a size is asked for that `imagesBySize` holds. */
  image: Uint8Array;
  /** Images by `<width>x<height>`, for bodies that ask for a size. */
  imagesBySize?: Record<string, Uint8Array>;
  /** What every S3 GetObject answers (the uploaded source image). */
  s3Object: { bytes: Uint8Array; contentType: string };
  /** Items by `id` that an UpdateItem with ReturnValues ALL_NEW answers (a claimed job). */
  dynamoItems?: Record<string, Record<string, unknown>>;
}

export interface InstantFakes {
  urls: { s3: string; dynamodb: string; bedrockH2c: string; bedrockHttp1: string };
  /** Builds an answer's bytes now, so the first request that needs it does not pay for it. */
  precompute(modelId: string, facts: ImageRequestFacts): void;
  /** Calls served, by service. */
  counts: Record<'s3' | 'dynamodb' | 'bedrock', number>;
  close(): Promise<void>;
}

const H2_WINDOW = 16 * 1024 * 1024;

type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
type AnyResponse = http.ServerResponse | http2.Http2ServerResponse;

/**
 * Reads a request to its end. A large body (an upload, an edit's model call) is dropped chunk by
 * chunk instead of gathered: allocating megabytes per request would cost the fake ~11 ms of
 * first-touch page faults on a Firecracker VM, time the handler would be charged for.
 */
function drain(request: AnyRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let kept = 0;
    request.on('data', (part: Buffer) => {
      kept += part.byteLength;
      if (kept <= KEPT_BODY_BYTES) parts.push(part);
    });
    request.on('end', () => {
      if (kept > KEPT_BODY_BYTES) resolve(Buffer.alloc(0));
      else resolve(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
    });
    request.on('error', reject);
  });
}

function listen(server: http.Server | http2.Http2Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

export async function startInstantFakes(options: InstantFakesOptions): Promise<InstantFakes> {
  const counts = { s3: 0, dynamodb: 0, bedrock: 0 };
  const base64BySize = new Map<string, string>();
  const base64Of = (facts: ImageRequestFacts): string => {
    const size = facts.width && facts.height ? `${facts.width}x${facts.height}` : 'default';
    let base64 = base64BySize.get(size);
    if (base64 === undefined) {
      const bytes =
        (size === 'default' ? undefined : options.imagesBySize?.[size]) ?? options.image;
      base64 = Buffer.from(bytes).toString('base64');
      base64BySize.set(size, base64);
    }
    return base64;
  };
  const answers = new Map<string, Buffer>();
  const answerFor = (shape: ResponseShape, facts: ImageRequestFacts): Buffer => {
    const key = `${shape}:${facts.count}:${facts.width ?? ''}x${facts.height ?? ''}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = Buffer.from(JSON.stringify(cannedAnswer(shape, base64Of(facts), facts.count)));
      answers.set(key, answer);
    }
    return answer;
  };

  const bedrock = (request: AnyRequest, response: AnyResponse): void => {
    void drain(request).then((body) => {
      counts.bedrock += 1;
      const match = /\/model\/([^/]+)\/invoke/.exec(request.url ?? '');
      const shape = responseShapeOf(decodeURIComponent(match?.[1] ?? ''));
      const answer = answerFor(shape, imageRequestFacts(shape, body));
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': answer.byteLength,
        'x-amzn-requestid': 'instant-fake',
      });
      response.end(answer);
    });
  };

  const s3Object = Buffer.from(options.s3Object.bytes);
  const s3 = http.createServer((request, response) => {
    void drain(request).then(() => {
      counts.s3 += 1;
      if (request.method === 'GET' || request.method === 'HEAD') {
        response.writeHead(200, {
          'content-type': options.s3Object.contentType,
          'content-length': s3Object.byteLength,
          etag: '"instant-fake"',
        });
        response.end(request.method === 'GET' ? s3Object : undefined);
        return;
      }
      response.writeHead(request.method === 'DELETE' ? 204 : 200, {
        etag: '"instant-fake"',
        'content-length': 0,
      });
      response.end();
    });
  });

  const itemAnswers = new Map(
    Object.entries(options.dynamoItems ?? {}).map(([id, item]) => [
      id,
      Buffer.from(JSON.stringify({ Attributes: toItem(item) })),
    ]),
  );
  const dynamodb = http.createServer((request, response) => {
    void drain(request).then((body) => {
      counts.dynamodb += 1;
      const target = String(request.headers['x-amz-target'] ?? '');
      const answer = dynamoAnswer(target, body, itemAnswers);
      response.writeHead(200, {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': answer.byteLength,
      });
      response.end(answer);
    });
  });

  const bedrockHttp1 = http.createServer(bedrock);
  // Large receive windows, so an edit's 3.5 MB request body never waits for the fake's
  // WINDOW_UPDATEs (HTTP/2's default window is 64 KiB, RFC 9113 §6.9.2).
  const bedrockH2c = http2.createServer({ settings: { initialWindowSize: H2_WINDOW } }, bedrock);
  // HTTP/2 sessions outlive their streams; close() ends them so the server can stop.
  const sessions = new Set<http2.ServerHttp2Session>();
  bedrockH2c.on('session', (session: http2.ServerHttp2Session) => {
    session.setLocalWindowSize(H2_WINDOW);
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const servers = [s3, dynamodb, bedrockHttp1, bedrockH2c];
  const [s3Url, dynamodbUrl, http1Url, h2cUrl] = await Promise.all(servers.map(listen));
  return {
    urls: {
      s3: s3Url as string,
      dynamodb: dynamodbUrl as string,
      bedrockHttp1: http1Url as string,
      bedrockH2c: h2cUrl as string,
    },
    precompute(modelId, facts) {
      answerFor(responseShapeOf(modelId), facts);
    },
    counts,
    async close() {
      for (const session of sessions) session.destroy();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              if ('closeAllConnections' in server) server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
