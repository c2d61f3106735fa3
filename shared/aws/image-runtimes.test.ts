import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { loadConfig } from '../config.js';
import { generateRuntime } from './image-runtimes.js';
import {
  TEST_ENV,
  bedrockBody,
  pngBytes,
  stabilityImageResponse,
  testBedrockClients,
  testClients,
} from './test-runtime.js';

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
const bedrock = mockClient(BedrockRuntimeClient);

const CORE = 'stability.stable-image-core-v1:1';
const NOVA = 'amazon.nova-canvas-v1:0';

beforeEach(() => {
  s3.reset();
  dynamo.reset();
  bedrock.reset();
  s3.on(PutObjectCommand).resolves({});
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({});
});

/** The Region of the client that sent each InvokeModel call, in call order. */
async function calledRegions(): Promise<string[]> {
  return Promise.all(
    bedrock
      .commandCalls(InvokeModelCommand)
      .map((call) => (call.thisValue as BedrockRuntimeClient).config.region()),
  );
}

describe('generateRuntime: per-model Region routing', () => {
  it.each([
    ['eu-central-1', CORE, 'us-west-2'],
    ['eu-central-1', NOVA, 'us-east-1'],
    ['eu-west-1', NOVA, 'eu-west-1'],
    ['us-west-2', CORE, 'us-west-2'],
  ])('from a stack in %s calls %s in %s', async (home, model, expected) => {
    bedrock
      .on(InvokeModelCommand, { modelId: CORE })
      .resolves(stabilityImageResponse(3))
      .on(InvokeModelCommand, { modelId: NOVA })
      .resolves({
        body: bedrockBody({ images: [Buffer.from(pngBytes(8, 8)).toString('base64')] }),
        contentType: 'application/json',
        $metadata: {},
      });
    const clients = { ...testClients(), bedrock: testBedrockClients() };
    const config = loadConfig({ ...TEST_ENV, AWS_REGION: home });
    const runtime = generateRuntime(config, clients);

    await runtime.generate.generate({ prompt: 'a lighthouse', model }, { route: 'POST /generate' });

    expect(await calledRegions()).toEqual([expected]);
    // One client per Region, created when first needed.
    expect(clients.bedrock.regions()).toEqual([expected]);
  });
});
