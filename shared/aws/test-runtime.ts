/**
 * Runtimes for handler tests: each function's own builder (the production wiring), over SDK
 * clients that aws-sdk-client-mock intercepts (mockClient patches every instance of a client
 * class). The clients get an explicit region and credentials so nothing is read from the
 * environment.
 */
import {
  BedrockRuntimeClient,
  type InvokeModelCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PNG } from 'pngjs';

import { loadConfig, type AppConfig } from '../config.js';
import type { AwsClients } from './runtime.js';

export const TEST_REGION = 'us-west-2';
export const TEST_BUCKET = 'imagegen-test-images';
export const TEST_TABLE = 'imagegen-test-records';

export const TEST_ENV: NodeJS.ProcessEnv = {
  BUCKET_NAME: TEST_BUCKET,
  TABLE_NAME: TEST_TABLE,
  URL_EXPIRY_SECONDS: '900',
  ALLOWED_MODELS:
    'stability.stable-image-core-v1:1,amazon.nova-canvas-v1:0,us.stability.stable-image-inpaint-v1:0',
  DEFAULT_MODEL: 'stability.stable-image-core-v1:1',
  CORS_ORIGIN: 'https://app.example.com',
};

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };

/**
 * Bedrock clients by Region, like production's bedrockClients; `regions()` lists the Regions a
 * client was asked for, so tests can see where calls went.
 */
export function testBedrockClients(): AwsClients['bedrock'] & {
  regions(): (string | undefined)[];
} {
  const clients = new Map<string | undefined, BedrockRuntimeClient>();
  const forRegion = (region: string | undefined) => {
    let client = clients.get(region);
    if (!client) {
      client = new BedrockRuntimeClient({
        region: region ?? TEST_REGION,
        credentials,
        maxAttempts: 1,
      });
      clients.set(region, client);
    }
    return client;
  };
  return Object.assign(forRegion, { regions: () => [...clients.keys()] });
}

export function testClients(): AwsClients {
  return {
    s3: new S3Client({
      region: TEST_REGION,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ region: TEST_REGION, credentials }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    bedrock: testBedrockClients(),
    lambda: new LambdaClient({ region: TEST_REGION, credentials }),
  };
}

/**
 * A function's runtime from its builder (e.g. `testRuntime(historyRuntime)`), configured by
 * TEST_ENV plus `env`, over fresh test clients.
 */
export function testRuntime<Runtime>(
  build: (config: AppConfig, clients: AwsClients) => Runtime,
  env: NodeJS.ProcessEnv = {},
): Runtime {
  return build(loadConfig({ ...TEST_ENV, ...env }), testClients());
}

/** A real PNG of the given size (what models return and users upload). */
export function pngBytes(width: number, height: number, fill = 128): Uint8Array {
  const png = new PNG({ width, height });
  png.data.fill(fill);
  return new Uint8Array(PNG.sync.write(png));
}

/** A client-convention mask: the left half painted (white, opaque), the rest black. */
export function halfMaskPng(width: number, height: number): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const offset = (y * width + x) * 4;
      const value = x < width / 2 ? 255 : 0;
      png.data[offset] = value;
      png.data[offset + 1] = value;
      png.data[offset + 2] = value;
      png.data[offset + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** An InvokeModel response body carrying `json`, as the SDK hands it to callers. */
export function bedrockBody(json: unknown): InvokeModelCommandOutput['body'] {
  // The SDK wraps bytes in a Uint8Array subclass; callers only read the bytes.
  return new TextEncoder().encode(JSON.stringify(json)) as InvokeModelCommandOutput['body'];
}

/** A Stability-style success: one PNG per call, with its seed. */
export function stabilityImageResponse(seed = 7, image = pngBytes(4, 3)) {
  return {
    body: bedrockBody({
      seeds: [seed],
      finish_reasons: [null],
      images: [Buffer.from(image).toString('base64')],
    }),
    contentType: 'application/json',
    $metadata: {},
  } satisfies InvokeModelCommandOutput;
}

/** An SDK service exception as the Bedrock client throws it. */
export function serviceError(name: string, message: string, httpStatusCode: number): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
  });
}
