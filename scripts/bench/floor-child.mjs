// The floor: the same HTTP exchanges a route's handler makes, by a minimal raw client (node:http2
// for Bedrock, node:http with keep-alive for S3 and DynamoDB; no SDK, no request signing, no
// validation), against the same instant fakes. What is attainable at all on this machine.
//   node floor-child.mjs <generate|edit|job-edit> <model id> <calls> [<mask.png>]
// Endpoints, bucket and table come from the environment the functions get (AWS_ENDPOINT_URL_*).
// Prints one line: BENCH_RESULT {"importMs","firstMs","coldMs","warmMs":[…],"warmCpuMs","maxRssMb"}.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import { performance } from 'node:perf_hooks';

import { reportTiming } from './child-support.mjs';

const started = performance.now();
const [flow, modelId, callsText = '0', maskPath] = process.argv.slice(2);
if (!['generate', 'edit', 'job-edit'].includes(flow ?? '') || !modelId) {
  throw new Error(
    'usage: node floor-child.mjs <generate|edit|job-edit> <model id> <calls> [<mask.png>]',
  );
}
const env = process.env;
const region = env.AWS_REGION ?? 'us-east-1';
const bucket = env.BUCKET_NAME ?? 'bench-bucket';
const table = env.TABLE_NAME ?? 'bench-table';
const s3Url = new URL(env.AWS_ENDPOINT_URL_S3 ?? '');
const dynamoUrl = new URL(env.AWS_ENDPOINT_URL_DYNAMODB ?? '');
const bedrockUrl = env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME ?? '';
const mask = maskPath ? readFileSync(maskPath) : undefined;
const WINDOW = 16 * 1024 * 1024;

const agent = new http.Agent({ keepAlive: true });
let session;

/**
 * Buffers reused from call to call: on a Firecracker VM the first touch of fresh memory costs
 * ~11 ms per 3.5 MB, so a client that allocates per request pays for it every time.
 */
function scratch() {
  let buffer = Buffer.alloc(0);
  return {
    /** Copies `parts` into the reused buffer (grown when too small); valid until the next fill. */
    fill(parts) {
      const length = parts.reduce((sum, part) => sum + part.byteLength, 0);
      if (buffer.byteLength < length)
        buffer = Buffer.alloc(Math.max(length, 2 * buffer.byteLength));
      let offset = 0;
      for (const part of parts) offset += part.copy(buffer, offset);
      return buffer.subarray(0, length);
    },
    /** Decodes base64 text into the reused buffer. */
    decode(text) {
      const length = Math.ceil((text.length * 3) / 4);
      if (buffer.byteLength < length)
        buffer = Buffer.alloc(Math.max(length, 2 * buffer.byteLength));
      return buffer.subarray(0, buffer.write(text, 0, 'base64'));
    },
  };
}
const sourceBytes = scratch();
const answerBytes = scratch();
const imageBytes = scratch();

function h1(url, method, path, headers, body, into) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: url.hostname, port: url.port, method, path, headers },
      (response) => {
        const parts = [];
        response.on('data', (part) => parts.push(part));
        response.on('end', () =>
          response.statusCode < 300
            ? resolve(into ? into.fill(parts) : undefined)
            : reject(new Error(`${method} ${path} answered ${response.statusCode}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** One persistent HTTP/2 session with 16 MiB windows, so a 3.5 MB answer never waits on flow control. */
function bedrockSession() {
  if (session && !session.destroyed) return session;
  session = http2.connect(bedrockUrl, { settings: { initialWindowSize: WINDOW } });
  session.on('connect', () => session.setLocalWindowSize(WINDOW));
  session.on('error', () => undefined);
  return session;
}

function invokeModel(body) {
  return new Promise((resolve, reject) => {
    const stream = bedrockSession().request({
      ':method': 'POST',
      ':path': `/model/${encodeURIComponent(modelId)}/invoke`,
      'content-type': 'application/json',
      accept: 'application/json',
      'content-length': body.byteLength,
    });
    const parts = [];
    let status = 0;
    stream.on('response', (headers) => (status = headers[':status']));
    stream.on('data', (part) => parts.push(part));
    stream.on('end', () =>
      status === 200
        ? resolve(answerBytes.fill(parts))
        : reject(new Error(`InvokeModel answered ${status}`)),
    );
    stream.on('error', reject);
    stream.end(body);
  });
}

const dynamo = (operation, request) =>
  h1(
    dynamoUrl,
    'POST',
    '/',
    {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
    },
    JSON.stringify({ TableName: table, ...request }),
  );

const putObject = (key, bytes) =>
  h1(
    s3Url,
    'PUT',
    `/${bucket}/${key}`,
    {
      'content-type': 'image/png',
      'content-length': bytes.byteLength,
    },
    bytes,
  );

const getObject = (key) => h1(s3Url, 'GET', `/${bucket}/${key}`, {}, undefined, sourceBytes);

/** The first base64 image in a model's answer, decoded, without parsing the JSON around it. */
function firstImage(answer) {
  for (const marker of ['"images":["', '"base64":"']) {
    const at = answer.indexOf(marker);
    if (at < 0) continue;
    const start = at + marker.length;
    return imageBytes.decode(answer.toString('latin1', start, answer.indexOf(0x22, start)));
  }
  throw new Error('no image in the answer');
}

const hmac = (key, text) => createHmac('sha256', key).update(text).digest();
/** A SigV4 pre-signed GET URL (query-string auth, https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html). */
function presign(key) {
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const date = amzDate.slice(0, 8);
  const scope = `${date}/${region}/s3/aws4_request`;
  const path = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const query = [
    'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    `X-Amz-Credential=${encodeURIComponent(`${env.AWS_ACCESS_KEY_ID}/${scope}`)}`,
    `X-Amz-Date=${amzDate}`,
    'X-Amz-Expires=3600',
    'X-Amz-SignedHeaders=host',
  ].join('&');
  const canonical = `GET\n${path}\n${query}\nhost:${s3Url.host}\n\nhost\nUNSIGNED-PAYLOAD`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let signingKey = hmac(`AWS4${env.AWS_SECRET_ACCESS_KEY}`, date);
  for (const part of [region, 's3', 'aws4_request']) signingKey = hmac(signingKey, part);
  return `${s3Url.origin}${path}?${query}&X-Amz-Signature=${hmac(signingKey, toSign).toString('hex')}`;
}

async function imageJob(id, invokeBody, extraObjects) {
  const [, answer] = await Promise.all([
    dynamo('PutItem', { Item: { id: { S: id }, status: { S: 'pending' } } }),
    invokeModel(invokeBody),
  ]);
  const key = `generated/${id}/0.png`;
  await Promise.all([
    putObject(key, firstImage(answer)),
    ...extraObjects.map((o) => putObject(o.key, o.bytes)),
  ]);
  const [, url] = await Promise.all([
    dynamo('UpdateItem', {
      Key: { id: { S: id } },
      UpdateExpression: 'SET #s = :s',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':s': { S: 'succeeded' } },
    }),
    presign(key),
  ]);
  return url;
}

async function generate() {
  const body = Buffer.from(
    JSON.stringify({
      prompt: 'A futuristic city skyline at sunset',
      aspect_ratio: '16:9',
      output_format: 'png',
    }),
  );
  return imageJob(randomUUID(), body, []);
}

async function edit() {
  const id = randomUUID();
  const source = await getObject('users/bench/uploads/source.png');
  const body = Buffer.from(
    JSON.stringify({
      image: source.toString('base64'),
      mask: mask?.toString('base64'),
      prompt: 'a red sailing boat',
      output_format: 'png',
    }),
  );
  return imageJob(id, body, mask ? [{ key: `users/bench/edits/${id}/mask.png`, bytes: mask }] : []);
}

async function jobEdit() {
  const jobId = 'bench-job';
  await dynamo('UpdateItem', {
    Key: { id: { S: jobId } },
    UpdateExpression: 'SET #s = :r',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':r': { S: 'running' } },
    ReturnValues: 'ALL_NEW',
  });
  await edit();
  await dynamo('UpdateItem', {
    Key: { id: { S: jobId } },
    UpdateExpression: 'SET #s = :d',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':d': { S: 'succeeded' } },
  });
}

const once = { generate, edit, 'job-edit': jobEdit }[flow];
const imported = performance.now();
await once();
await reportTiming({
  times: { importStarted: started, imported, firstDone: performance.now() },
  calls: Number(callsText),
  call: once,
});
process.exit(0);
