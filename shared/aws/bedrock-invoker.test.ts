import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import 'aws-sdk-client-mock-jest';

import { amazonImageAdapter, stabilityCurrentAdapter } from '../models/index.js';
import { BedrockInvoker } from './bedrock-invoker.js';
import { BytePool } from './byte-pool.js';
import {
  bedrockBody,
  pngBytes,
  serviceError,
  stabilityImageResponse,
  testClients,
} from './test-runtime.js';

const bedrock = mockClient(BedrockRuntimeClient);
const clients = testClients();
const invoker = new BedrockInvoker(() => clients.bedrock('us-west-2'), { timeoutMs: 5_000 });
const CORE = 'stability.stable-image-core-v1:1';
const invocations = (count: number) =>
  stabilityCurrentAdapter.buildTextToImage(CORE, { prompt: 'cat', seed: 1, count });

beforeEach(() => bedrock.reset());

describe('BedrockInvoker', () => {
  it('sends every invocation as JSON and collects the images in order', async () => {
    bedrock
      .on(InvokeModelCommand)
      .resolvesOnce(stabilityImageResponse(1))
      .resolvesOnce(stabilityImageResponse(2));

    const { output, modelMs } = await invoker.invoke(stabilityCurrentAdapter, invocations(2));

    expect(output.images.map((image) => image.seed)).toEqual([1, 2]);
    expect(modelMs).toBeGreaterThanOrEqual(0);
    expect(bedrock).toHaveReceivedCommandTimes(InvokeModelCommand, 2);
    expect(bedrock).toHaveReceivedCommandWith(InvokeModelCommand, {
      modelId: CORE,
      contentType: 'application/json',
      accept: 'application/json',
    });
  });

  it('reports the seed Nova was sent, since its answer carries none', async () => {
    const image = Buffer.from(pngBytes(4, 3)).toString('base64');
    bedrock
      .on(InvokeModelCommand)
      .resolvesOnce({ body: bedrockBody({ images: [image, image] }), $metadata: {} });
    const nova = amazonImageAdapter.buildTextToImage('amazon.nova-canvas-v1:0', {
      prompt: 'cat',
      seed: 12,
      count: 2,
    });

    const { output } = await invoker.invoke(amazonImageAdapter, nova);

    expect(output.images.map((each) => each.seed)).toEqual([12, 12]);
    const sent = bedrock.commandCalls(InvokeModelCommand)[0]!.args[0].input.body as string;
    expect(JSON.parse(sent)).toMatchObject({ imageGenerationConfig: { seed: 12 } });
  });

  it('decodes megabyte images straight from the response bytes', async () => {
    const image = Buffer.concat([Buffer.from(pngBytes(4, 3)), randomBytes(3 * 1024 * 1024)]);
    bedrock.on(InvokeModelCommand).resolves(stabilityImageResponse(9, image));

    const { output } = await invoker.invoke(stabilityCurrentAdapter, invocations(1));

    expect(output.images).toHaveLength(1);
    expect(output.images[0]).toMatchObject({ mimeType: 'image/png', seed: 9 });
    expect(Buffer.from(output.images[0]!.bytes).equals(image)).toBe(true);
  });

  describe('with a BytePool', () => {
    const bigPng = () => Buffer.concat([Buffer.from(pngBytes(4, 3)), randomBytes(1024 * 1024)]);
    /** A body the way the pooled collector hands it over: a view into a pool buffer. */
    const pooledBody = (pool: BytePool, json: unknown) => {
      const text = Buffer.from(JSON.stringify(json));
      const buffer = pool.take(text.length);
      text.copy(buffer);
      return buffer.subarray(0, text.length) as unknown as ReturnType<typeof bedrockBody>;
    };

    it('gives each body back once parsed, and the images when the caller releases them', async () => {
      const pool = new BytePool();
      const pooled = new BedrockInvoker(() => clients.bedrock('us-west-2'), {
        timeoutMs: 5_000,
        bytes: pool,
      });
      const image = bigPng();
      const body = pooledBody(pool, {
        seeds: [3],
        finish_reasons: [null],
        images: [image.toString('base64')],
      });
      bedrock.on(InvokeModelCommand).resolves({ body, $metadata: {} });

      const result = await pooled.invoke(stabilityCurrentAdapter, invocations(1));

      const bytes = result.output.images[0]!.bytes;
      expect(Buffer.from(bytes).equals(image)).toBe(true);
      // The body's buffer is free again; the image's is not until released.
      expect(pool.take(body.length).buffer).toBe(body.buffer);
      expect(pool.take(image.length).buffer).not.toBe(bytes.buffer);
      result.release?.();
      expect(pool.take(image.length).buffer).toBe(bytes.buffer);
    });

    it('sends an edit body with its image copied into pooled bytes, given back once answered', async () => {
      const pool = new BytePool();
      const pooled = new BedrockInvoker(() => clients.bedrock('us-west-2'), {
        timeoutMs: 5_000,
        bytes: pool,
      });
      bedrock.on(InvokeModelCommand).resolves(stabilityImageResponse(1));
      const body = {
        image: bigPng().toString('base64'),
        prompt: 'a red bike',
        mode: 'image-to-image',
      };

      await pooled.invoke(stabilityCurrentAdapter, [{ modelId: CORE, body }]);

      const sent = bedrock.commandCalls(InvokeModelCommand)[0]!.args[0].input.body as Uint8Array;
      expect(sent).toBeInstanceOf(Uint8Array);
      expect(new TextDecoder().decode(sent)).toBe(JSON.stringify(body));
      expect(pool.take(sent.length).buffer).toBe(sent.buffer);
    });

    it('never gives back a buffer it already returned, even after another owner took it', async () => {
      const pool = new BytePool();
      const pooled = new BedrockInvoker(() => clients.bedrock('us-west-2'), {
        timeoutMs: 5_000,
        bytes: pool,
      });
      // A long token that is not clean base64 comes first: its buffer goes back at once.
      const notBase64 = `${'A'.repeat(8_000)}*${'A'.repeat(7_999)}`;
      const image = Buffer.concat([bigPng(), randomBytes(1024 * 1024)]);
      const body = pooledBody(pool, {
        note: notBase64,
        seeds: [3],
        finish_reasons: [null],
        images: [image.toString('base64')],
      });
      bedrock.on(InvokeModelCommand).resolves({ body, $metadata: {} });

      const result = await pooled.invoke(stabilityCurrentAdapter, invocations(1));
      const other = pool.take(1000); // someone else now owns that small buffer
      result.release?.();

      expect(pool.take(1000).buffer).not.toBe(other.buffer);
    });

    it('takes the images back at once when the request fails', async () => {
      const pool = new BytePool();
      const pooled = new BedrockInvoker(() => clients.bedrock('us-west-2'), {
        timeoutMs: 5_000,
        bytes: pool,
      });
      bedrock
        .on(InvokeModelCommand)
        .resolvesOnce(stabilityImageResponse(1, bigPng()))
        .rejectsOnce(serviceError('ValidationException', 'bad', 400));

      await expect(pooled.invoke(stabilityCurrentAdapter, invocations(2))).rejects.toBeDefined();
      expect(pool.retainedBytes).toBeGreaterThan(1024 * 1024);
    });
  });

  it('counts a filtered invocation and keeps the others', async () => {
    bedrock
      .on(InvokeModelCommand)
      .resolvesOnce(stabilityImageResponse(1))
      .resolvesOnce({
        body: bedrockBody({
          seeds: [2],
          finish_reasons: ['Filter reason: output image'],
          images: [null],
        }),
        $metadata: {},
      });

    const { output } = await invoker.invoke(stabilityCurrentAdapter, invocations(2));

    expect(output.images).toHaveLength(1);
    expect(output.filteredCount).toBe(1);
  });

  it('reports the first real failure, classified', async () => {
    bedrock
      .on(InvokeModelCommand)
      .rejects(serviceError('ServiceUnavailableException', 'Service unavailable', 503));

    await expect(invoker.invoke(stabilityCurrentAdapter, invocations(3))).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: 10,
    });
  });

  it('answers UPSTREAM_ERROR for a body that is not JSON', async () => {
    bedrock.on(InvokeModelCommand).resolves({
      body: new TextEncoder().encode('<html>') as ReturnType<typeof bedrockBody>,
      $metadata: {},
    });

    await expect(invoker.invoke(stabilityCurrentAdapter, invocations(1))).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
    });
  });

  it('gives up when the caller aborts', async () => {
    bedrock.on(InvokeModelCommand).callsFake(() => new Promise(() => undefined));
    const controller = new AbortController();

    const pending = invoker.invoke(stabilityCurrentAdapter, invocations(1), controller.signal);
    controller.abort();

    await expect(pending).rejects.toBeDefined();
  });
});
