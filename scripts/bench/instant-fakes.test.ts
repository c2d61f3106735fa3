import http2 from 'node:http2';

import { parseStabilityResponse } from '../../shared/models/stability-current.js';
import { adapterFor } from '../../shared/models/index.js';
import {
  cannedAnswer,
  dynamoAnswer,
  imageRequestFacts,
  responseShapeOf,
  startInstantFakes,
  toItem,
} from './instant-fakes.js';
import { photoLikePng } from './images.js';

const png = photoLikePng(8, 8);
const base64 = Buffer.from(png).toString('base64');
const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('responseShapeOf', () => {
  it('answers each catalog family in its own shape, profiles included', () => {
    expect(responseShapeOf('stability.stable-diffusion-xl-v1')).toBe('stability-artifacts');
    expect(responseShapeOf('stability.stable-image-core-v1:1')).toBe('stability-images');
    expect(responseShapeOf('us.stability.stable-image-inpaint-v1:0')).toBe('stability-images');
    expect(responseShapeOf('amazon.nova-canvas-v1:0')).toBe('amazon-images');
  });

  it('guesses by name for ids the catalog does not know', () => {
    expect(responseShapeOf('stability.stable-diffusion-xl-v0')).toBe('stability-artifacts');
    expect(responseShapeOf('stability.some-future-model-v9:0')).toBe('stability-images');
    expect(responseShapeOf('amazon.titan-image-generator-v9:0')).toBe('amazon-images');
  });
});

describe('cannedAnswer', () => {
  // Each shape read back by the adapter that reads that family's answers from Bedrock.
  it.each([
    ['stability.stable-diffusion-xl-v1', 1],
    ['stability.stable-image-core-v1:1', 1],
    ['us.stability.stable-image-inpaint-v1:0', 1],
    ['amazon.nova-canvas-v1:0', 3],
  ])('is an answer %s’s adapter accepts, with %i images', (modelId, count) => {
    const answer = cannedAnswer(responseShapeOf(modelId), base64, count);
    const output = adapterFor(modelId).parseResponse(modelId, answer, count);
    expect(output.images).toHaveLength(count);
    expect(output.filteredCount).toBe(0);
    expect(Buffer.from(output.images[0]?.bytes ?? [])).toEqual(Buffer.from(png));
  });

  it('gives Stability images a seed each and no finish reason', () => {
    const answer = cannedAnswer('stability-images', base64, 2);
    expect(answer).toEqual({
      seeds: [1, 2],
      finish_reasons: [null, null],
      images: [base64, base64],
    });
    expect(parseStabilityResponse('m', answer).images.map((image) => image.seed)).toEqual([1, 2]);
  });
});

describe('imageRequestFacts', () => {
  it('reads Nova’s numberOfImages and size', () => {
    const body = json({
      taskType: 'TEXT_IMAGE',
      imageGenerationConfig: { numberOfImages: 4, width: 1024, height: 1024 },
    });
    expect(imageRequestFacts('amazon-images', body)).toEqual({
      count: 4,
      width: 1024,
      height: 1024,
    });
  });

  it('reads SDXL’s samples and size', () => {
    const body = json({ text_prompts: [{ text: 'a' }], samples: 2, width: 896, height: 1152 });
    expect(imageRequestFacts('stability-artifacts', body)).toEqual({
      count: 2,
      width: 896,
      height: 1152,
    });
  });

  it('takes one image of the default size when the body names none, is not JSON or is large', () => {
    expect(
      imageRequestFacts('stability-images', json({ prompt: 'a', aspect_ratio: '16:9' })),
    ).toEqual({ count: 1 });
    expect(imageRequestFacts('amazon-images', Buffer.from('not json'))).toEqual({ count: 1 });
    const large = json({ imageGenerationConfig: { numberOfImages: 3 }, pad: 'x'.repeat(70_000) });
    expect(imageRequestFacts('amazon-images', large)).toEqual({ count: 1 });
  });

  it('ignores counts and sizes that are not positive whole numbers', () => {
    const body = json({ imageGenerationConfig: { numberOfImages: 0, width: 10.5, height: 8 } });
    expect(imageRequestFacts('amazon-images', body)).toEqual({ count: 1 });
  });
});

describe('toItem', () => {
  it('writes JSON in DynamoDB’s attribute-value format, dropping undefined', () => {
    expect(
      toItem({
        id: 'j',
        attempts: 1,
        done: false,
        none: null,
        skipped: undefined,
        request: { colors: ['#fff'], count: 2 },
      }),
    ).toEqual({
      id: { S: 'j' },
      attempts: { N: '1' },
      done: { BOOL: false },
      none: { NULL: true },
      request: { M: { colors: { L: [{ S: '#fff' }] }, count: { N: '2' } } },
    });
  });
});

describe('dynamoAnswer', () => {
  const items = new Map([['job-1', json({ Attributes: { id: { S: 'job-1' } } })]]);
  const update = (id: string, returnValues?: string): Buffer =>
    json({
      TableName: 't',
      Key: { id: { S: id } },
      ...(returnValues ? { ReturnValues: returnValues } : {}),
    });

  it('answers a claim (UpdateItem returning ALL_NEW) of a known item with the item', () => {
    const answer = dynamoAnswer('DynamoDB_20120810.UpdateItem', update('job-1', 'ALL_NEW'), items);
    expect(JSON.parse(answer.toString())).toEqual({ Attributes: { id: { S: 'job-1' } } });
  });

  it('answers every other call with {}', () => {
    const empty = (target: string, body: Buffer) =>
      JSON.parse(dynamoAnswer(`DynamoDB_20120810.${target}`, body, items).toString()) as unknown;
    expect(empty('UpdateItem', update('job-1'))).toEqual({});
    expect(empty('UpdateItem', update('other', 'ALL_NEW'))).toEqual({});
    expect(empty('PutItem', update('job-1', 'ALL_NEW'))).toEqual({});
    expect(empty('GetItem', json({ Key: { id: { S: 'job-1' } } }))).toEqual({});
    expect(empty('UpdateItem', Buffer.from('not json'))).toEqual({});
  });
});

describe('startInstantFakes', () => {
  it('serves Bedrock over h2c with the precomputed answer, and S3 reads and writes', async () => {
    const fakes = await startInstantFakes({
      image: png,
      s3Object: { bytes: png, contentType: 'image/png' },
    });
    try {
      const session = http2.connect(fakes.urls.bedrockH2c);
      const answer = await new Promise<Buffer>((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': `/model/${encodeURIComponent('amazon.nova-canvas-v1:0')}/invoke`,
        });
        const parts: Buffer[] = [];
        stream.on('data', (part: Buffer) => parts.push(part));
        stream.on('end', () => resolve(Buffer.concat(parts)));
        stream.on('error', reject);
        stream.end(json({ imageGenerationConfig: { numberOfImages: 2 } }));
      });
      session.close();
      expect(JSON.parse(answer.toString())).toEqual({ images: [base64, base64] });

      const put = await fetch(`${fakes.urls.s3}/bucket/key.png`, {
        method: 'PUT',
        body: new Uint8Array(200_000),
      });
      expect(put.status).toBe(200);
      const got = await fetch(`${fakes.urls.s3}/bucket/any/key.png`);
      expect(got.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await got.arrayBuffer())).toEqual(Buffer.from(png));
      expect(fakes.counts).toEqual({ s3: 2, dynamodb: 0, bedrock: 1 });
    } finally {
      await fakes.close();
    }
  });
});
