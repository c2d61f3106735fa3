import { type BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';

import { loadConfig } from '../config.js';
import { mockImageRequestClients } from '../http/test-clients.js';
import { generateRuntime } from './image-runtimes.js';
import {
  TEST_ENV,
  bedrockBody,
  pngBytes,
  stabilityImageResponse,
  testBedrockClients,
  testClients,
} from './test-runtime.js';

// S3 and DynamoDB accept every write; each test says what Bedrock answers for each model.
const { bedrock } = mockImageRequestClients({ seed: 3 });

const CORE = 'stability.stable-image-core-v1:1';
const NOVA = 'amazon.nova-canvas-v1:0';

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
