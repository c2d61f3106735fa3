/**
 * Factories for the AWS SDK clients (DynamoDB: dynamo-client.ts). Each client package declares
 * `"sideEffects": false`, so a bundle keeps only the clients its function's builder calls; each
 * builder calls each factory once per container. No endpoints or path-style switches here:
 * locally the SDK finds the stand-ins through AWS_ENDPOINT_URL_* (an http://127.0.0.1 endpoint is
 * path-style automatically), so the same code runs on AWS and offline.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';

import type { AppConfig } from '../config.js';
import { bedrockRequestHandlerOptions, widenConnectionWindows } from './bedrock-transport.js';
import type { BytePool } from './byte-pool.js';
import { pooledStreamCollector } from './pooled-stream-collector.js';
import { withoutSdkLogging } from './sdk-logging.js';

export function s3Client(): S3Client {
  const client = new S3Client({
    // WHEN_REQUIRED: with the default (WHEN_SUPPORTED) pre-signed uploads carry a checksum of an
    // empty body and real S3 rejects them (aws/aws-sdk-js-v3#6994).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    // The SDK's default sends `Expect: 100-continue` for bodies of 2 MiB or more, which costs a
    // round trip and, in @smithy/node-http-handler, a fresh non-keep-alive connection (a new TLS
    // handshake on AWS) for every image upload. Our uploads go to our own bucket with our own
    // credentials, so an early refusal is rare; re-sending the body then is the cheaper risk.
    expectContinueHeader: false,
    // Resolve each command class's middleware chain once per container instead of on every send
    // (sorting ≈ 40 middlewares and building the chain: ≈ 0.3–0.5 ms of CPU per call). The SDK's
    // documented condition holds: no middleware is added to this client after its first call,
    // and every command of a class gets the same per-command middleware (S3ImageStore.put adds
    // its one to each PutObject). The cached chain's context is shared by all calls of a class;
    // what the middlewares write there (endpoint, auth scheme, signing Region) depends only on
    // the bucket and the client's settings, and a function uses one bucket. (S3's region-redirect
    // middleware would also keep a redirect's Region there, and swaps config.region around each
    // call that follows, which concurrent calls could trip over; the bucket is created in the
    // functions' own Region, so S3 never redirects them.)
    cacheMiddleware: true,
  });
  return withoutSdkLogging(client);
}

/**
 * @param bytes Where response bodies are read into (byte-pool.ts says why); whoever reads a body
 * gives it back (BedrockInvoker, given the same pool).
 */
export function bedrockClient(
  config: Pick<AppConfig, 'bedrockRegion' | 'bedrockTimeoutMs'>,
  bytes?: BytePool,
): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({
    ...(config.bedrockRegion ? { region: config.bedrockRegion } : {}),
    // One shared HTTP/2 session with wide receive windows: bedrock-transport.ts says why.
    requestHandler: bedrockRequestHandlerOptions(config.bedrockTimeoutMs),
    ...(bytes ? { streamCollector: pooledStreamCollector(bytes) } : {}),
  });
  widenConnectionWindows(client.config.requestHandler);
  return withoutSdkLogging(client);
}

/** The Bedrock Runtime client for one Region (undefined: the SDK's own default); see bedrockClients. */
export type BedrockClientForRegion = (region: string | undefined) => BedrockRuntimeClient;

/**
 * Bedrock Runtime clients by Region, each made by bedrockClient on first use and kept for the
 * container's life, so each Region keeps its one HTTP/2 session (models live in different Regions:
 * shared/models/model-regions.ts picks the Region per call). Locally
 * AWS_ENDPOINT_URL_BEDROCK_RUNTIME points every Region's client at the one stand-in.
 */
export function bedrockClients(
  config: Pick<AppConfig, 'bedrockTimeoutMs'>,
  bytes?: BytePool,
): BedrockClientForRegion {
  const clients = new Map<string | undefined, BedrockRuntimeClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = bedrockClient({ ...config, ...(region ? { bedrockRegion: region } : {}) }, bytes);
      clients.set(region, client);
    }
    return client;
  };
}

/** Starts the job worker (POST /jobs). */
export function lambdaClient(): LambdaClient {
  return withoutSdkLogging(new LambdaClient({}));
}
