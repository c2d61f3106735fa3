import type { BedrockRuntimeServiceException } from '@aws-sdk/client-bedrock-runtime';
import {
  AccessDeniedException,
  InternalServerException,
  InvokeModelCommand,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
  type BedrockRuntimeClient,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import http2 from 'node:http2';

import { startBedrock, type BedrockStandIn } from './server.js';
import { invokeJson, localClient } from './test-support.js';

const NOVA = 'amazon.nova-canvas-v1:0';
const CORE = 'stability.stable-image-core-v1:1';

/** A small, valid Nova body whose prompt carries `extra` (a trigger). */
function novaBody(extra = '') {
  return {
    taskType: 'TEXT_IMAGE',
    textToImageParams: { text: `a lighthouse ${extra}`.trim() },
    imageGenerationConfig: { width: 320, height: 320, seed: 1 },
  };
}

/** A raw HTTP/2 request, for what the SDK would never send (no or odd Authorization). */
async function rawRequest(
  url: string,
  path: string,
  headers: http2.OutgoingHttpHeaders,
  body = '{}',
) {
  const session = http2.connect(url);
  try {
    return await new Promise<{ status: number; errorType: string | undefined; body: string }>(
      (resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': path,
          'content-type': 'application/json',
          ...headers,
        });
        let status = 0;
        let errorType: string | undefined;
        const chunks: Buffer[] = [];
        stream.on('response', (responseHeaders) => {
          status = Number(responseHeaders[':status']);
          errorType = responseHeaders['x-amzn-errortype'] as string | undefined;
        });
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () =>
          resolve({ status, errorType, body: Buffer.concat(chunks).toString('utf8') }),
        );
        stream.on('error', reject);
        stream.end(body);
      },
    );
  } finally {
    session.close();
  }
}

const SIGV4 = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`;

describe('startBedrock', () => {
  let standIn: BedrockStandIn;
  let client: BedrockRuntimeClient;

  beforeAll(async () => {
    standIn = await startBedrock({
      port: 0,
      retiredModels: ['stability.stable-image-core-v1:0', 'us.amazon.titan-image-generator-v2:0'],
    });
    client = localClient(standIn.url);
  });

  afterAll(async () => {
    client.destroy();
    await standIn.close();
  });

  it('answers the real SDK over HTTP/2 with JSON and the x-local-model-ms header', async () => {
    const response = await client.send(
      new InvokeModelCommand({
        modelId: NOVA,
        contentType: 'application/json',
        body: JSON.stringify(novaBody()),
      }),
    );
    expect(response.contentType).toBe('application/json');
    expect(response.$metadata.httpStatusCode).toBe(200);
    expect(response.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(response.body.transformToString())).toEqual({ images: [expect.any(String)] });
    const raw = await rawRequest(
      standIn.url,
      `/model/${encodeURIComponent(NOVA)}/invoke`,
      { authorization: SIGV4('bedrock') },
      JSON.stringify(novaBody()),
    );
    expect(raw.status).toBe(200);
  });

  it('sends the processing time in x-local-model-ms', async () => {
    const session = http2.connect(standIn.url);
    const header = await new Promise<string>((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': `/model/${encodeURIComponent(NOVA)}/invoke`,
        authorization: SIGV4('bedrock'),
      });
      stream.on('response', (headers) => resolve(String(headers['x-local-model-ms'])));
      stream.on('error', reject);
      stream.resume();
      stream.end(JSON.stringify(novaBody()));
    });
    session.close();
    expect(Number(header)).toBeGreaterThan(0);
  });

  it('accepts inference-profile prefixes and ARNs for the same model', async () => {
    for (const modelId of [
      `us.${NOVA}`,
      `eu.${NOVA}`,
      `apac.${NOVA}`,
      `global.${NOVA}`,
      `arn:aws:bedrock:us-east-1::foundation-model/${NOVA}`,
    ]) {
      await expect(invokeJson(client, modelId, novaBody())).resolves.toHaveProperty('images');
    }
  });

  it('refuses a request without SigV4 the way AWS does', async () => {
    const path = `/model/${encodeURIComponent(NOVA)}/invoke`;
    const missing = await rawRequest(standIn.url, path, {});
    expect([missing.status, missing.errorType?.split(':')[0]]).toEqual([
      403,
      'MissingAuthenticationTokenException',
    ]);
    expect(JSON.parse(missing.body)).toEqual({ message: 'Missing Authentication Token' });

    const wrongService = await rawRequest(standIn.url, path, { authorization: SIGV4('s3') });
    expect([wrongService.status, wrongService.errorType?.split(':')[0]]).toEqual([
      403,
      'InvalidSignatureException',
    ]);
    expect(wrongService.body).toContain("'bedrock'");

    const bearer = await rawRequest(standIn.url, path, { authorization: 'Bearer abc' });
    expect([bearer.status, bearer.errorType?.split(':')[0]]).toEqual([
      403,
      'AccessDeniedException',
    ]);

    const garbled = await rawRequest(standIn.url, path, {
      authorization: 'AWS4-HMAC-SHA256 nonsense',
    });
    expect([garbled.status, garbled.errorType?.split(':')[0]]).toEqual([
      403,
      'IncompleteSignatureException',
    ]);
  });

  it('answers an unknown model id with ResourceNotFoundException', async () => {
    const error = await invokeJson(client, 'acme.imaginary-model-v1:0', novaBody()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe(
      'Could not resolve the foundation model from the provided model identifier.',
    );
  });

  it('answers retired models (base or profile form) with the end-of-life error', async () => {
    for (const modelId of [
      'stability.stable-image-core-v1:0',
      'amazon.titan-image-generator-v2:0',
    ]) {
      const error = await invokeJson(client, modelId, { prompt: 'x' }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect((error as Error).message).toMatch(/reached the end of its life/);
    }
  });

  it('answers a body that is not JSON with ValidationException', async () => {
    const error = await invokeJson(client, NOVA, '{not json').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toMatch(/^Malformed input request: /);
  });

  it('answers another path with an error instead of hanging', async () => {
    const raw = await rawRequest(standIn.url, '/model/x/converse', {
      authorization: SIGV4('bedrock'),
    });
    expect(raw.status).toBe(404);
    expect(raw.errorType?.split(':')[0]).toBe('UnknownOperationException');
  });

  describe('fault triggers map to the SDK exception classes', () => {
    const cases: [
      string,
      new (...args: never[]) => BedrockRuntimeServiceException,
      number,
      RegExp,
    ][] = [
      ['[[throttle]]', ThrottlingException, 429, /Too many requests/],
      ['[[timeout]]', ModelTimeoutException, 408, /timed out/],
      ['[[error]]', InternalServerException, 500, /unexpected error/],
      ['[[unavailable]]', ServiceUnavailableException, 503, /unable to process/],
      [
        '[[denied]]',
        AccessDeniedException,
        403,
        /^You don't have access to the model with the specified model ID\.$/,
      ],
      [
        '[[eol]]',
        ResourceNotFoundException,
        404,
        /^This model version has reached the end of its life\. Please refer to the AWS documentation for more details\.$/,
      ],
    ];
    it.each(cases)('%s', async (trigger, errorClass, status, message) => {
      const error = await invokeJson(client, NOVA, novaBody(trigger)).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(errorClass);
      expect((error as BedrockRuntimeServiceException).$metadata.httpStatusCode).toBe(status);
      expect((error as Error).message).toMatch(message);
    });

    it('[[malformed]] answers 200 with a body that is not the model shape', async () => {
      const answer = await invokeJson(client, CORE, { prompt: 'x [[malformed]]' });
      expect(answer).not.toHaveProperty('images');
      expect(answer).not.toHaveProperty('finish_reasons');
    });

    it('[[slow:<ms>]] delays the answer so a short client timeout fires', async () => {
      const impatient = localClient(standIn.url, {
        requestHandler: new NodeHttp2Handler({ requestTimeout: 100 }),
      });
      await expect(invokeJson(impatient, CORE, { prompt: 'x [[slow:3000]]' })).rejects.toThrow(
        /timed? ?out/i,
      );
      impatient.destroy();
      await expect(invokeJson(client, NOVA, novaBody('[[slow:20]]'))).resolves.toHaveProperty(
        'images',
      );
    });
  });

  it('counts invocations per base model', async () => {
    const fresh = await startBedrock({});
    const freshClient = localClient(fresh.url);
    await invokeJson(freshClient, NOVA, novaBody());
    await invokeJson(freshClient, `us.${NOVA}`, novaBody());
    await invokeJson(freshClient, NOVA, novaBody('[[throttle]]')).catch(() => undefined);
    await invokeJson(freshClient, 'acme.unknown-v1', {}).catch(() => undefined);
    expect(fresh.stats()).toEqual({
      invocations: 3,
      byModel: { [NOVA]: 3 },
      byModelRegion: { [NOVA]: { 'us-east-1': 3 } },
    });
    freshClient.destroy();
    await fresh.close();
  });

  it('serves every Region at one endpoint and counts calls by the Region they were signed for', async () => {
    const fresh = await startBedrock({});
    const east = localClient(fresh.url);
    const west = localClient(fresh.url, { region: 'us-west-2' });
    await invokeJson(west, CORE, { prompt: 'a cat' });
    await invokeJson(east, NOVA, novaBody());
    await invokeJson(west, NOVA, novaBody());
    expect(fresh.stats().byModelRegion).toEqual({
      [CORE]: { 'us-west-2': 1 },
      [NOVA]: { 'us-east-1': 1, 'us-west-2': 1 },
    });
    east.destroy();
    west.destroy();
    await fresh.close();
  });
});
