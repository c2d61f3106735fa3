import {
  BedrockClient,
  CreateFoundationModelAgreementCommand,
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  ListFoundationModelAgreementOffersCommand,
} from '@aws-sdk/client-bedrock';

import { startBedrockControlPlane, type LocalBedrockControlPlane } from './control-plane.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
let server: LocalBedrockControlPlane;
let client: BedrockClient;

beforeAll(async () => {
  server = await startBedrockControlPlane({
    credentials,
    retiredModels: ['stability.stable-image-ultra-v1:1'],
    now: () => new Date('2026-12-04T12:00:00Z'),
  });
  client = new BedrockClient({
    region: 'us-west-2',
    endpoint: server.url,
    credentials,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

describe('local Bedrock control plane, through the real @aws-sdk/client-bedrock', () => {
  it('describes a catalog model with its lifecycle, and a retired one as Legacy past its end of life', async () => {
    const core = await client.send(
      new GetFoundationModelCommand({ modelIdentifier: 'stability.stable-image-core-v1:1' }),
    );
    expect(core.modelDetails).toMatchObject({
      modelId: 'stability.stable-image-core-v1:1',
      modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/stability.stable-image-core-v1:1',
      outputModalities: ['IMAGE'],
      modelLifecycle: { status: 'ACTIVE' },
    });
    const ultra = await client.send(
      new GetFoundationModelCommand({ modelIdentifier: 'stability.stable-image-ultra-v1:1' }),
    );
    expect(ultra.modelDetails?.modelLifecycle).toEqual({
      status: 'LEGACY',
      endOfLifeTime: new Date('2026-12-03T12:00:00Z'),
    });
  });

  it('answers ResourceNotFoundException for a model it does not serve, or not in that Region', async () => {
    await expect(
      client.send(new GetFoundationModelCommand({ modelIdentifier: 'acme.painter-v9:0' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // Stable Image Core is served in us-west-2 only (shared/models/model-regions.json).
    const frankfurt = new BedrockClient({
      region: 'eu-central-1',
      endpoint: server.url,
      credentials,
      maxAttempts: 1,
    });
    await expect(
      frankfurt.send(
        new GetFoundationModelCommand({ modelIdentifier: 'stability.stable-image-core-v1:1' }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    frankfurt.destroy();
  });

  it('starts Marketplace models without an agreement and records one from the public offer', async () => {
    const modelId = 'stability.sd3-5-large-v1:0';
    const before = await client.send(new GetFoundationModelAvailabilityCommand({ modelId }));
    expect(before).toMatchObject({
      agreementAvailability: { status: 'NOT_AVAILABLE' },
      authorizationStatus: 'AUTHORIZED',
      entitlementAvailability: 'NOT_AVAILABLE',
      regionAvailability: 'AVAILABLE',
    });
    const offers = await client.send(
      new ListFoundationModelAgreementOffersCommand({ modelId, offerType: 'PUBLIC' }),
    );
    const offerToken = offers.offers?.[0]?.offerToken ?? '';
    await expect(
      client.send(new CreateFoundationModelAgreementCommand({ modelId, offerToken: 'forged' })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await client.send(new CreateFoundationModelAgreementCommand({ modelId, offerToken }));
    const after = await client.send(new GetFoundationModelAvailabilityCommand({ modelId }));
    expect(after.agreementAvailability?.status).toBe('AVAILABLE');
    expect(after.entitlementAvailability).toBe('AVAILABLE');
  });

  it('needs no agreement for Amazon models', async () => {
    const titan = await client.send(
      new GetFoundationModelAvailabilityCommand({ modelId: 'amazon.titan-image-generator-v2:0' }),
    );
    expect(titan.agreementAvailability?.status).toBe('AVAILABLE');
  });

  it('serves the us. system-defined inference profiles the catalog documents', async () => {
    const profile = await client.send(
      new GetInferenceProfileCommand({
        inferenceProfileIdentifier: 'us.stability.stable-image-inpaint-v1:0',
      }),
    );
    expect(profile).toMatchObject({ status: 'ACTIVE', type: 'SYSTEM_DEFINED' });
    expect(profile.models).toHaveLength(3);
    await expect(
      client.send(
        new GetInferenceProfileCommand({
          inferenceProfileIdentifier: 'eu.stability.stable-image-inpaint-v1:0',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses unsigned requests and requests signed with another secret', async () => {
    const unsigned = await fetch(
      `${server.url}/foundation-models/stability.stable-image-core-v1:1`,
    );
    expect(unsigned.status).toBe(403);
    const stranger = new BedrockClient({
      region: 'us-west-2',
      endpoint: server.url,
      credentials: { ...credentials, secretAccessKey: 'other' },
      maxAttempts: 1,
    });
    await expect(
      stranger.send(
        new GetFoundationModelCommand({ modelIdentifier: 'stability.stable-image-core-v1:1' }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    stranger.destroy();
  });
});
