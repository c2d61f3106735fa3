/**
 * Client mistakes on every route, through the whole local stack: each must be answered 4xx with
 * the API's `{"error":{"code","message"}}` body and its documented code (shared/errors.ts), never a
 * 5xx, and the stack must still work normally afterwards.
 */
import { randomUUID } from 'node:crypto';
import {
  interlacedPngBomb,
  maskShortBy,
  maskWithRows,
} from '../../../shared/images/hostile-png-fixtures.js';
import { createSignedInUser, type SignedInUser } from '../cognito-user.js';
import { startTestStack, type TestStack } from '../stack-fixture.js';
import {
  errorAnswer,
  pngOf,
  postJson,
  postToS3,
  requestUpload,
  uploadImage,
  type ImageAnswer,
} from './helpers.js';

/** What the cases can refer to; filled in beforeAll. */
interface Context {
  user: SignedInUser;
  /** A real 64×64 PNG the user uploaded through the pre-signed form. */
  imageKey: string;
  /** Text bytes the user uploaded under Content-Type image/png (S3 does not look inside). */
  textKey: string;
  otherSub: string;
}

interface BadInput {
  name: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  /** Path after the stage, e.g. `/generate?prompt=x`. */
  path: string | ((context: Context) => string);
  /** Sent as JSON with Content-Type application/json (unless `contentType` says otherwise). */
  json?: (context: Context) => unknown;
  /** Sent as is, instead of `json`. */
  raw?: () => string | Uint8Array;
  /** Content-Type header; null sends none. Default application/json when there is a body. */
  contentType?: string | null;
  /** Further request headers. */
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const IMAGE_SIZE = 64;
/** Just over API Gateway's 10 MB request limit. */
const OVER_GATEWAY_LIMIT_BYTES = 10 * 1024 * 1024 + 1024;
/** Over the default MAX_UPLOAD_BYTES (10 MiB, shared/config.ts). */
const OVER_UPLOAD_LIMIT_BYTES = 11 * 1024 * 1024;

const whiteSquareMask = (): string =>
  pngOf(IMAGE_SIZE, IMAGE_SIZE, (x, y) => x >= 16 && x < 48 && y >= 16 && y < 48).toString(
    'base64',
  );
const edit = (context: Context, fields: Record<string, unknown>): Record<string, unknown> => ({
  imageKey: context.imageKey,
  prompt: 'a red balloon',
  mask: whiteSquareMask(),
  ...fields,
});
const cursorOf = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

const generateCases: BadInput[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/generate',
    raw: () => '{"prompt":',
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'an empty body',
    method: 'POST',
    path: '/generate',
    raw: () => '',
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'a JSON array',
    method: 'POST',
    path: '/generate',
    json: () => [{ prompt: 'x' }],
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'JSON null',
    method: 'POST',
    path: '/generate',
    json: () => null,
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a missing prompt',
    method: 'POST',
    path: '/generate',
    json: () => ({ model: 'amazon.nova-canvas-v1:0' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an empty prompt',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: '' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a blank prompt',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: ' \n\t ' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a prompt that is a number',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 42 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a prompt of 10,001 characters',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'a'.repeat(10_001) }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: "a prompt over the model's own limit (Titan: 512 characters)",
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'a'.repeat(600), model: 'amazon.titan-image-generator-v2:0' }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'a __proto__ field',
    method: 'POST',
    path: '/generate',
    raw: () => '{"prompt":"x","__proto__":{"width":64}}',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an unknown field',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', colour: 'red' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a width given as a string',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', width: '1024', height: 1024 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a negative width',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', width: -1024, height: 1024 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a fractional height',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', width: 1024, height: 1023.5 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an unknown model',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', model: 'openai.dall-e-3' }),
    status: 400,
    code: 'MODEL_NOT_ALLOWED',
  },
  {
    name: 'an empty model id',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', model: '' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an edit-only model for text to image',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', model: 'stability.stable-image-inpaint-v1:0' }),
    status: 400,
    code: 'UNSUPPORTED_OPERATION',
  },
  {
    name: 'a size off the Nova Canvas grid (1000×1000)',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', model: 'amazon.nova-canvas-v1:0', width: 1000, height: 1000 }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'a size SDXL does not offer (512×512)',
    method: 'POST',
    path: '/generate',
    json: () => ({
      prompt: 'x',
      model: 'stability.stable-diffusion-xl-v1',
      width: 512,
      height: 512,
    }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'a Nova Canvas size beyond 4096 px',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', model: 'amazon.nova-canvas-v1:0', width: 8192, height: 512 }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'an aspect ratio that is not N:M',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', aspectRatio: '16x9' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a negative seed',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', seed: -1 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a seed of 2^32',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', seed: 4_294_967_296 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a count of 6',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', model: 'amazon.nova-canvas-v1:0', count: 6 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a count of 0',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', count: 0 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an unknown quality',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', model: 'amazon.nova-canvas-v1:0', quality: 'ultra' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'cache as a string',
    method: 'POST',
    path: '/generate',
    json: () => ({ prompt: 'x', cache: 'no' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a text/plain body',
    method: 'POST',
    path: '/generate',
    raw: () => '{"prompt":"x"}',
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a form-encoded body',
    method: 'POST',
    path: '/generate',
    raw: () => 'prompt=x',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a body without Content-Type',
    method: 'POST',
    path: '/generate',
    raw: () => new TextEncoder().encode('{"prompt":"x"}'),
    contentType: null,
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a body over 10 MB',
    method: 'POST',
    path: '/generate',
    raw: () => JSON.stringify({ prompt: 'a'.repeat(OVER_GATEWAY_LIMIT_BYTES) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'JSON nested 100,000 levels deep',
    method: 'POST',
    path: '/generate',
    raw: () => `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    status: 400,
    code: 'INVALID_REQUEST',
  },
];

const generateQueryCases: BadInput[] = [
  {
    name: 'GET without a prompt',
    method: 'GET',
    path: '/generate',
    status: 400,
    code: 'MISSING_PARAMETER',
  },
  {
    name: 'GET with a width that is not a number',
    method: 'GET',
    path: '/generate?prompt=x&width=abc&height=720',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'GET with an unknown parameter',
    method: 'GET',
    path: '/generate?prompt=x&colour=red',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'GET with a __proto__ parameter',
    method: 'GET',
    path: '/generate?prompt=a&__proto__=x',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'GET with a constructor parameter',
    method: 'GET',
    path: '/generate?prompt=a&constructor=x',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'GET with a negative seed',
    method: 'GET',
    path: '/generate?prompt=x&seed=-5',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'GET with a count of 99',
    method: 'GET',
    path: '/generate?prompt=x&count=99',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'GET with an unknown model',
    method: 'GET',
    path: '/generate?prompt=x&model=openai.dall-e-3',
    status: 400,
    code: 'MODEL_NOT_ALLOWED',
  },
  {
    name: 'GET with a size off the Nova Canvas grid',
    method: 'GET',
    path: '/generate?prompt=x&model=amazon.nova-canvas-v1:0&width=1000&height=1000',
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'GET with cache=maybe',
    method: 'GET',
    path: '/generate?prompt=x&cache=maybe',
    status: 400,
    code: 'INVALID_REQUEST',
  },
];

const uploadCases: BadInput[] = [
  {
    name: 'an upload of image/gif',
    method: 'POST',
    path: '/uploads',
    json: () => ({ contentType: 'image/gif', size: 100 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an upload of text/plain',
    method: 'POST',
    path: '/uploads',
    json: () => ({ contentType: 'text/plain', size: 100 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an upload of 0 bytes',
    method: 'POST',
    path: '/uploads',
    json: () => ({ contentType: 'image/png', size: 0 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an upload size as a string',
    method: 'POST',
    path: '/uploads',
    json: () => ({ contentType: 'image/png', size: '100' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an upload without a size',
    method: 'POST',
    path: '/uploads',
    json: () => ({ contentType: 'image/png' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an upload over the size limit',
    method: 'POST',
    path: '/uploads',
    json: () => ({ contentType: 'image/png', size: OVER_UPLOAD_LIMIT_BYTES }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'an upload that picks its own key',
    method: 'POST',
    path: '/uploads',
    json: (context) => ({
      contentType: 'image/png',
      size: 100,
      key: `users/${context.otherSub}/uploads/mine`,
    }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an upload request as text/plain',
    method: 'POST',
    path: '/uploads',
    raw: () => '{"contentType":"image/png","size":100}',
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'an upload request of malformed JSON',
    method: 'POST',
    path: '/uploads',
    raw: () => '{contentType: image/png}',
    status: 400,
    code: 'INVALID_JSON',
  },
];

const editCases: BadInput[] = [
  {
    name: 'an edit without imageKey',
    method: 'POST',
    path: '/edits',
    json: () => ({ prompt: 'x', mask: whiteSquareMask() }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an edit with imageKey as a number',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { imageKey: 7 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: "an edit of a key in another user's folder",
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { imageKey: `users/${context.otherSub}/uploads/x` }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: "an edit of a key that climbs out of the caller's folder",
    method: 'POST',
    path: '/edits',
    json: (context) =>
      edit(context, { imageKey: `users/${context.user.sub}/../${context.otherSub}/x` }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'an edit of ../../etc/passwd',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { imageKey: '../../etc/passwd' }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'an edit of a key with a leading slash',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { imageKey: `/${context.imageKey}` }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'an edit of a key with backslash traversal',
    method: 'POST',
    path: '/edits',
    json: (context) =>
      edit(context, { imageKey: `users/${context.user.sub}/..\\..\\${context.otherSub}\\x` }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'an edit of a missing upload',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { imageKey: `users/${context.user.sub}/uploads/nothing` }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'an edit of a text file uploaded as image/png',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { imageKey: context.textKey }),
    status: 400,
    code: 'INVALID_IMAGE',
  },
  {
    name: 'a mask of the wrong size',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { mask: pngOf(32, 32, () => true).toString('base64') }),
    status: 400,
    code: 'INVALID_MASK',
  },
  {
    name: 'an empty (all black) mask',
    method: 'POST',
    path: '/edits',
    json: (context) =>
      edit(context, { mask: pngOf(IMAGE_SIZE, IMAGE_SIZE, () => false).toString('base64') }),
    status: 400,
    code: 'INVALID_MASK',
  },
  {
    name: 'a mask holding one row of data of the 64 its header promises',
    method: 'POST',
    path: '/edits',
    json: (context) =>
      edit(context, {
        mask: maskWithRows({ width: IMAGE_SIZE, height: IMAGE_SIZE }, 1).toString('base64'),
      }),
    status: 400,
    code: 'INVALID_MASK',
  },
  {
    name: 'a mask holding more rows of data than its header promises',
    method: 'POST',
    path: '/edits',
    json: (context) =>
      edit(context, {
        mask: maskWithRows({ width: IMAGE_SIZE, height: IMAGE_SIZE }, IMAGE_SIZE + 1).toString(
          'base64',
        ),
      }),
    status: 400,
    code: 'INVALID_MASK',
  },
  {
    name: 'a mask that is not base64',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { mask: 'this is not a png!' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a mask that is base64 text, not a PNG',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { mask: Buffer.from('hello mask').toString('base64') }),
    status: 400,
    code: 'INVALID_MASK',
  },
  {
    name: 'an inpaint without a mask',
    method: 'POST',
    path: '/edits',
    json: (context) => ({ imageKey: context.imageKey, prompt: 'x' }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'an unknown operation',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { operation: 'colorize' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an edit with a model not on the list',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { model: 'openai.dall-e-2' }),
    status: 400,
    code: 'MODEL_NOT_ALLOWED',
  },
  {
    name: 'an edit with a text-to-image model',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { model: 'stability.stable-image-core-v1:1' }),
    status: 400,
    code: 'UNSUPPORTED_OPERATION',
  },
  {
    name: 'an outpaint with a negative margin',
    method: 'POST',
    path: '/edits',
    json: (context) => ({
      imageKey: context.imageKey,
      operation: 'outpaint',
      outpaint: { left: -10, right: 0, up: 0, down: 0 },
    }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an edit with an unknown field',
    method: 'POST',
    path: '/edits',
    json: (context) => edit(context, { denoise: 0.5 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'an edit sent as text/plain',
    method: 'POST',
    path: '/edits',
    raw: () => '{"imageKey":"x"}',
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
];

const historyCases: BadInput[] = [
  {
    name: 'history with a __proto__ parameter',
    method: 'GET',
    path: '/history?__proto__=x',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'history with limit=0',
    method: 'GET',
    path: '/history?limit=0',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'history with limit=51',
    method: 'GET',
    path: '/history?limit=51',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'history with limit=abc',
    method: 'GET',
    path: '/history?limit=abc',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'history with an unknown parameter',
    method: 'GET',
    path: '/history?sort=oldest',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'history with a garbage cursor',
    method: 'GET',
    path: '/history?cursor=not-a-cursor',
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: "history with a cursor naming another user's records",
    method: 'GET',
    path: (context) =>
      `/history?cursor=${cursorOf({
        id: randomUUID(),
        userId: context.otherSub,
        createdAt: new Date().toISOString(),
      })}`,
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'deleting a history id that does not exist',
    method: 'DELETE',
    path: `/history/${randomUUID()}`,
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'deleting a history id of 201 characters',
    method: 'DELETE',
    path: `/history/${'x'.repeat(201)}`,
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'deleting with an encoded path in the id',
    method: 'DELETE',
    path: '/history/..%2F..%2Fetc%2Fpasswd',
    status: 404,
    code: 'NOT_FOUND',
  },
];

const jobCases: BadInput[] = [
  {
    name: 'a job without a type',
    method: 'POST',
    path: '/jobs',
    json: () => ({ prompt: 'x' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a job of an unknown type',
    method: 'POST',
    path: '/jobs',
    json: () => ({ type: 'video', prompt: 'x' }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a generate job with a seed out of range',
    method: 'POST',
    path: '/jobs',
    json: () => ({ type: 'generate', prompt: 'x', seed: 4_294_967_296 }),
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: "an edit job of another user's key",
    method: 'POST',
    path: '/jobs',
    json: (context) => ({
      type: 'edit',
      ...edit(context, { imageKey: `users/${context.otherSub}/uploads/x` }),
    }),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a job with an Idempotency-Key containing spaces',
    method: 'POST',
    path: '/jobs',
    json: () => ({ type: 'generate', prompt: 'x' }),
    headers: { 'idempotency-key': 'not a key' },
    status: 400,
    code: 'INVALID_REQUEST',
  },
  {
    name: 'a job sent as text/plain',
    method: 'POST',
    path: '/jobs',
    raw: () => '{"type":"generate","prompt":"x"}',
    contentType: 'text/plain',
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a job id that cannot be one',
    method: 'GET',
    path: '/jobs/..%2F..%2Fetc',
    status: 404,
    code: 'NOT_FOUND',
  },
];

const routeCases: BadInput[] = [
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/images',
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a URL longer than API Gateway accepts (10240 characters)',
    method: 'GET',
    path: `/generate?prompt=${'a'.repeat(11_000)}`,
    status: 414,
    code: 'BAD_REQUEST',
  },
  {
    name: 'headers larger than API Gateway accepts (10240 bytes)',
    method: 'GET',
    path: '/history',
    headers: { 'x-padding': 'p'.repeat(12_000) },
    status: 431,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a 200 KB header (Node reset the connection)',
    method: 'GET',
    path: '/history',
    headers: { 'x-padding': 'p'.repeat(200_000) },
    status: 431,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a 2 MB header (beyond what the local server parses)',
    method: 'GET',
    path: '/history',
    headers: { 'x-padding': 'p'.repeat(2_000_000) },
    status: 431,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a method the route does not have',
    method: 'PUT',
    path: '/generate',
    json: () => ({ prompt: 'x' }),
    status: 404,
    code: 'NOT_FOUND',
  },
];

const cases = [
  ...generateCases,
  ...generateQueryCases,
  ...uploadCases,
  ...editCases,
  ...historyCases,
  ...jobCases,
  ...routeCases,
];

describe('bad input through the local stack', () => {
  let stack: TestStack;
  let context: Context;

  beforeAll(async () => {
    stack = await startTestStack();
    const user = await createSignedInUser(stack);
    const imageKey = await uploadImage(stack, user.idToken, pngOf(IMAGE_SIZE, IMAGE_SIZE));
    const textKey = await uploadImage(
      stack,
      user.idToken,
      new TextEncoder().encode('just some text, not a picture'),
    );
    context = { user, imageKey, textKey, otherSub: randomUUID() };
  });

  afterAll(async () => {
    await stack?.destroy();
  });

  it('covers at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((badInput) => badInput.name)).size).toBe(cases.length);
  });

  it.each(cases.map((badInput) => [badInput.name, badInput] as const))(
    'answers %s with its 4xx code',
    async (_name, badInput) => {
      const path = typeof badInput.path === 'function' ? badInput.path(context) : badInput.path;
      const body = badInput.raw
        ? badInput.raw()
        : badInput.json
          ? JSON.stringify(badInput.json(context))
          : undefined;
      const contentType =
        badInput.contentType === undefined
          ? body === undefined
            ? null
            : 'application/json'
          : badInput.contentType;
      const response = await fetch(`${stack.invokeUrl}${path}`, {
        method: badInput.method,
        redirect: 'manual',
        headers: {
          authorization: context.user.idToken,
          ...(contentType === null ? {} : { 'content-type': contentType }),
          ...badInput.headers,
        },
        ...(body === undefined ? {} : { body }),
      });
      expect(await errorAnswer(response)).toEqual({
        status: badInput.status,
        code: badInput.code,
        problems: [],
      });
    },
  );

  describe('a mask PNG whose data does not fit its header', () => {
    // pngjs reads the missing bytes from an uninitialised buffer: a mask one pixel short passed
    // (and the edit ran) every time; a mask with one row of data passed whenever that memory was zero.
    it('is refused, like a mask whose data stops one pixel short of what its header promises', async () => {
      const response = await postJson(
        `${stack.invokeUrl}/edits`,
        edit(context, {
          mask: maskShortBy({ width: IMAGE_SIZE, height: IMAGE_SIZE }, 4).toString('base64'),
        }),
        { authorization: context.user.idToken },
      );
      expect(await errorAnswer(response)).toEqual({
        status: 400,
        code: 'INVALID_MASK',
        problems: [],
      });
    });

    it("is refused with INVALID_MASK while the process grows by far less than the function's 1 GB", async () => {
      const bomb = interlacedPngBomb({ width: IMAGE_SIZE, height: IMAGE_SIZE });
      const body = JSON.stringify(edit(context, { mask: bomb.toString('base64') }));
      const baseline = process.memoryUsage.rss();
      let peak = baseline;
      // The functions run in worker threads of this process, so its RSS includes their buffers.
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 5);
      try {
        const response = await fetch(`${stack.invokeUrl}/edits`, {
          method: 'POST',
          headers: { authorization: context.user.idToken, 'content-type': 'application/json' },
          body,
        });
        const answer = await errorAnswer(response);
        peak = Math.max(peak, process.memoryUsage.rss());
        expect(answer).toEqual({ status: 400, code: 'INVALID_MASK', problems: [] });
      } finally {
        clearInterval(sampler);
      }
      // Unbounded, pngjs holds the 1.5 GiB stream and its copy (the stack grew by ~3 GB).
      expect(Math.round((peak - baseline) / 1024 / 1024)).toBeLessThan(256);
    });
  });

  describe('the pre-signed upload form', () => {
    it('is refused by S3 when the file claims another Content-Type than the policy allows', async () => {
      const bytes = new TextEncoder().encode('#!/bin/sh\necho not an image\n');
      const ticket = await requestUpload(stack, context.user.idToken, 'image/png', bytes.length);
      const response = await postToS3(ticket, bytes, { 'Content-Type': 'text/x-shellscript' });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>AccessDenied</Code>');
    });

    it('is refused by S3 when the file is larger than the size asked for', async () => {
      const ticket = await requestUpload(stack, context.user.idToken, 'image/png', 100);
      const response = await postToS3(ticket, pngOf(IMAGE_SIZE, IMAGE_SIZE));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('<Code>EntityTooLarge</Code>');
    });
  });

  describe('after all of that', () => {
    it('still edits the real upload with a proper mask', async () => {
      const response = await postJson(`${stack.invokeUrl}/edits`, edit(context, {}), {
        authorization: context.user.idToken,
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as ImageAnswer;
      const image = await fetch(answer.image_url);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
    });

    it('still generates normally, and the picture is served', async () => {
      const response = await postJson(`${stack.invokeUrl}/generate`, {
        prompt: 'a lighthouse after the storm',
        model: 'amazon.nova-canvas-v1:0',
        width: 512,
        height: 512,
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as ImageAnswer;
      const image = await fetch(answer.image_url);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
    });

    it("still lists the user's history", async () => {
      const response = await fetch(`${stack.invokeUrl}/history`, {
        headers: { authorization: context.user.idToken },
      });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: { kind: string; status: string }[] };
      expect(page.items).toContainEqual(
        expect.objectContaining({ kind: 'edit', status: 'succeeded' }),
      );
    });
  });
});
