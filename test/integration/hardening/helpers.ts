/**
 * Shared by the hardening suite: reading error answers strictly, talking to the stack's DynamoDB
 * and S3 stand-ins with the real SDK clients, and uploading through the pre-signed POST form.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { PNG } from 'pngjs';
import { LOCAL_CREDENTIALS, type Stack } from '../../../scripts/local/stack.js';

/** What `errorAnswer` reports: compared whole with `toEqual`, so a failure shows everything. */
export interface ErrorAnswerFacts {
  status: number;
  code: string | null;
  /** Ways the answer breaks the `{"error":{"code","message"}}` contract; empty when it keeps it. */
  problems: string[];
}

/** A stack trace line, a file path with a line number, or a dependency path in a body. */
const INTERNALS_PATTERN = /\n\s+at |\bat [\w.<>]+ \(|node_modules|\.m?[jt]s:\d+|file:\/\//;

/**
 * Reads an error answer and checks it against the API's error contract: JSON content type, a body
 * of exactly `{"error":{"code","message"[,"details"]}}`, a non-empty message, no internals, and
 * the CORS header browsers need to read it.
 */
export async function errorAnswer(response: Response): Promise<ErrorAnswerFacts> {
  const text = await response.text();
  const problems: string[] = [];
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) problems.push(`content-type ${contentType}`);
  if (response.headers.get('access-control-allow-origin') === null) {
    problems.push('no Access-Control-Allow-Origin header');
  }
  if (INTERNALS_PATTERN.test(text)) problems.push(`internals in body: ${text.slice(0, 300)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    problems.push(`not JSON: ${text.slice(0, 300)}`);
    return { status: response.status, code: null, problems };
  }
  const error = isObject(body) ? body.error : undefined;
  if (!isObject(body) || Object.keys(body).join() !== 'error' || !isObject(error)) {
    problems.push(`not {"error":{...}}: ${text.slice(0, 300)}`);
    return { status: response.status, code: null, problems };
  }
  const extraKeys = Object.keys(error).filter(
    (key) => !['code', 'message', 'details'].includes(key),
  );
  if (extraKeys.length > 0) problems.push(`unexpected error fields ${extraKeys.join(', ')}`);
  if (typeof error.message !== 'string' || error.message.trim() === '') {
    problems.push('error.message is not a non-empty string');
  }
  if (error.details !== undefined && !Array.isArray(error.details)) {
    problems.push('error.details is not a list');
  }
  return {
    status: response.status,
    code: typeof error.code === 'string' ? error.code : null,
    problems,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The successful answer of POST /generate and POST /edits. */
export interface ImageAnswer {
  id: string;
  image_url: string;
  images: { url: string; key: string; seed: number | null }[];
  model: string;
}

/** A record as the functions store it (only the fields these tests read). */
export interface StoredRecord {
  id: string;
  kind: string;
  userId?: string;
  prompt: string;
  status: 'pending' | 'succeeded' | 'failed';
  errorCode?: string;
  outputKeys: string[];
}

/** The stack's records table through the real DynamoDB SDK, as an operator would read it. */
export class RecordsTable {
  private readonly client: DynamoDBDocumentClient;

  constructor(private readonly stack: Stack) {
    this.client = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: stack.config.region,
        endpoint: stack.urls.dynamodb,
        credentials: LOCAL_CREDENTIALS,
      }),
    );
  }

  /** Every item in the table (a full Scan, following LastEvaluatedKey). */
  async scan(): Promise<StoredRecord[]> {
    const items: StoredRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.stack.table,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as StoredRecord[]));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Records whose prompt contains `marker` (each test writes a unique marker into its prompts). */
  async withPromptContaining(marker: string): Promise<StoredRecord[]> {
    return (await this.scan()).filter((record) => record.prompt.includes(marker));
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** The stack's bucket through the real S3 SDK. */
export function s3Client(stack: Stack): S3Client {
  return new S3Client({
    region: stack.config.region,
    endpoint: stack.urls.s3,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
}

/** Every key in the stack's bucket under `prefix`. */
export async function listKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/**
 * An opaque RGB PNG of `width`×`height`; `paint(x, y)` true makes that pixel white, else black.
 * The default is a picture with some structure (not one flat colour).
 */
export function pngOf(
  width: number,
  height: number,
  paint: (x: number, y: number) => boolean = (x, y) => (x + y) % 7 === 0,
): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 4;
      const value = paint(x, y) ? 255 : 0;
      png.data[offset] = value;
      png.data[offset + 1] = value;
      png.data[offset + 2] = value;
      png.data[offset + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export interface UploadTicket {
  key: string;
  url: string;
  fields: Record<string, string>;
}

/** POST /uploads: a pre-signed form for `size` bytes of `contentType`. */
export async function requestUpload(
  stack: Stack,
  idToken: string,
  contentType: string,
  size: number,
): Promise<UploadTicket> {
  const response = await postJson(
    `${stack.invokeUrl}/uploads`,
    { contentType, size },
    { authorization: idToken },
  );
  if (response.status !== 200) {
    throw new Error(`POST /uploads answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as UploadTicket;
}

/**
 * Sends `bytes` to S3 with the ticket's form, as a browser does; `overrides` replace form fields
 * (to try what the policy forbids). Resolves to S3's answer.
 */
export function postToS3(
  ticket: UploadTicket,
  bytes: Uint8Array,
  overrides: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...ticket.fields, ...overrides })) {
    form.append(name, value);
  }
  // The file must be the last field of an S3 POST form.
  form.append(
    'file',
    new Blob([bytes], { type: overrides['Content-Type'] ?? ticket.fields['Content-Type'] }),
  );
  return fetch(ticket.url, { method: 'POST', body: form });
}

/** Uploads `bytes` through POST /uploads and the pre-signed form; answers the object key. */
export async function uploadImage(
  stack: Stack,
  idToken: string,
  bytes: Uint8Array,
  contentType = 'image/png',
): Promise<string> {
  const ticket = await requestUpload(stack, idToken, contentType, bytes.length);
  const response = await postToS3(ticket, bytes);
  if (response.status >= 300) {
    throw new Error(`S3 refused the upload (${response.status}): ${await response.text()}`);
  }
  return ticket.key;
}

/** Polls `read` until `done` holds or `timeoutMs` passes; answers the last value read. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}
