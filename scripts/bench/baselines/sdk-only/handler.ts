/**
 * A bench baseline, not a function we ship: the calls a generate route makes, written the
 * plainest way with the AWS SDK clients this project must use, as they come (default settings,
 * default body collector, no validation, no error handling, no logging). The record is written
 * as ours writes it: pending beside the model call, then done once the image is stored.
 *
 * It separates what the SDK costs from what our code costs. Its cold start is what importing the
 * SDK's clients and making their first calls costs at the least; side-by-side.ts builds it exactly
 * as `npm run build` builds the functions and times it beside them.
 *
 * Answers POST /generate's proxy event with `{statusCode, body}` and GET /generate's mapped
 * `{"prompt": …}` event with `{image_url}`, as the real routes do.
 */
import { randomUUID } from 'node:crypto';

import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

const MODEL_ID = process.env.MODEL_ID ?? 'stability.stable-image-core-v1:1';
const bucket = process.env.BUCKET_NAME ?? 'bench-bucket';
const table = process.env.TABLE_NAME ?? 'bench-table';

const bedrock = new BedrockRuntimeClient({});
const s3 = new S3Client({});
const dynamo = new DynamoDBClient({});

interface ProxyEvent {
  body?: string | null;
}
interface QueryEvent {
  prompt?: string;
}

async function generate(prompt: string): Promise<string> {
  const id = randomUUID();
  const [, answer] = await Promise.all([
    dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: { id: { S: id }, status: { S: 'pending' }, prompt: { S: prompt } },
      }),
    ),
    bedrock.send(
      new InvokeModelCommand({
        modelId: MODEL_ID,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify({ prompt, aspect_ratio: '16:9', output_format: 'png' }),
      }),
    ),
  ]);
  // Stability's current models answer {images: [base64]}; seed 000's SDXL {artifacts: [{base64}]}.
  const parsed = JSON.parse(new TextDecoder().decode(answer.body)) as {
    images?: string[];
    artifacts?: { base64: string }[];
  };
  const image = Buffer.from(parsed.images?.[0] ?? parsed.artifacts?.[0]?.base64 ?? '', 'base64');
  const key = `generated/${id}/0.png`;
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: image, ContentType: 'image/png' }),
  );
  const [, url] = await Promise.all([
    dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { id: { S: id } },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'succeeded' } },
      }),
    ),
    getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 3600 }),
  ]);
  return url;
}

export async function handler(
  event: ProxyEvent & QueryEvent,
): Promise<{ statusCode: number; body: string } | { image_url: string }> {
  if (typeof event.body === 'string') {
    const { prompt } = JSON.parse(event.body) as { prompt: string };
    return { statusCode: 200, body: JSON.stringify({ image_url: await generate(prompt) }) };
  }
  return { image_url: await generate(event.prompt ?? '') };
}
