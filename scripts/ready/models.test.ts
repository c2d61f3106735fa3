import {
  BedrockClient,
  CreateFoundationModelAgreementCommand,
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  ListFoundationModelAgreementOffersCommand,
} from '@aws-sdk/client-bedrock';
import type { Offer } from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';

import {
  startBedrockControlPlane,
  type LocalBedrockControlPlane,
} from '../local/bedrock/control-plane.js';
import { checkModel, deploymentModels } from './models.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' };
const options = { region: 'us-west-2', subscribe: true };

/** The real SDK client against the control-plane stand-in (signature checked). */
async function withControlPlane(
  settings: Partial<Parameters<typeof startBedrockControlPlane>[0]>,
  run: (clientFor: (region: string) => BedrockClient) => Promise<void>,
): Promise<void> {
  const server: LocalBedrockControlPlane = await startBedrockControlPlane({
    credentials,
    ...settings,
  });
  const clients: BedrockClient[] = [];
  const clientFor = (region: string): BedrockClient => {
    const client = new BedrockClient({ region, endpoint: server.url, credentials, maxAttempts: 1 });
    clients.push(client);
    return client;
  };
  try {
    await run(clientFor);
  } finally {
    for (const client of clients) client.destroy();
    await server.close();
  }
}

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

describe('model readiness against the control-plane stand-in', () => {
  it('subscribes a Marketplace model that has no agreement, once', async () => {
    await withControlPlane({}, async (clients) => {
      const first = await checkModel(
        clients,
        'stability.stable-image-core-v1:1',
        ['default'],
        options,
      );
      expect(first.served).toEqual({ verdict: 'ok', detail: 'served in us-west-2' });
      expect(first.access).toEqual({ verdict: 'ok', detail: 'subscribed now' });
      expect(first.lifecycle).toEqual({ verdict: 'ok', detail: 'Active' });
      const second = await checkModel(clients, 'stability.stable-image-core-v1:1', [], options);
      expect(second.access).toEqual({ verdict: 'ok', detail: 'entitled' });
    });
  });

  it('only reports a missing agreement with --no-subscribe', async () => {
    await withControlPlane({}, async (clients) => {
      const report = await checkModel(clients, 'stability.sd3-5-large-v1:0', [], {
        ...options,
        subscribe: false,
      });
      expect(report.access.verdict).toBe('fail');
      expect(report.access.detail).toBe('not subscribed (no Marketplace agreement)');
      expect(report.access.action).toMatch(/^run without --no-subscribe/);
      // Nothing was subscribed behind the caller's back.
      const again = await checkModel(clients, 'stability.sd3-5-large-v1:0', [], {
        ...options,
        subscribe: false,
      });
      expect(again.access.verdict).toBe('fail');
    });
  });

  it('says which Marketplace permissions are missing when the caller may not subscribe', async () => {
    await withControlPlane(
      { deniedAgreements: ['stability.stable-image-ultra-v1:1'] },
      async (clients) => {
        const report = await checkModel(clients, 'stability.stable-image-ultra-v1:1', [], options);
        expect(report.access.verdict).toBe('fail');
        expect(report.access.detail).toMatch(/^not subscribed, and the caller may not subscribe/);
        expect(report.access.action).toContain('aws-marketplace:Subscribe');
      },
    );
  });

  it('needs no agreement for Amazon models', async () => {
    await withControlPlane({}, async (clients) => {
      const report = await checkModel(clients, 'amazon.titan-image-generator-v2:0', [], options);
      expect(report.access).toEqual({ verdict: 'ok', detail: 'entitled' });
    });
  });

  it('fails a model Bedrock retired, with its end-of-life date and what to use instead', async () => {
    await withControlPlane(
      {
        retiredModels: ['stability.stable-image-core-v1:1'],
        now: () => new Date('2026-12-04T00:00:00Z'),
      },
      async (clients) => {
        const report = await checkModel(clients, 'stability.stable-image-core-v1:1', [], options);
        expect(report.lifecycle).toMatchObject({
          verdict: 'fail',
          detail: 'past end of life since 2026-12-03 (Bedrock)',
        });
        expect(report.lifecycle.action).toMatch(/^remove it from allowed_models/);
        expect(report.access.detail).toBe('not available to this account in us-west-2');
      },
    );
  });

  it('fails a model the catalog knows is past end of life even when it is still listed', async () => {
    await withControlPlane({}, async (clients) => {
      const report = await checkModel(clients, 'stability.stable-diffusion-xl-v1', [], options);
      expect(report.lifecycle.verdict).toBe('fail');
      expect(report.lifecycle.detail).toMatch(
        /^past end of life \(catalog: End of life on 2025-05-20/,
      );
    });
  });

  it('checks an inference profile in its Region and fails it where it does not exist', async () => {
    await withControlPlane({}, async (clients) => {
      const report = await checkModel(clients, 'us.stability.stable-outpaint-v1:0', [], options);
      expect(report.served).toEqual({
        verdict: 'ok',
        detail: 'profile in us-west-2 → us-east-1, us-east-2, us-west-2',
      });
    });
    // No eu. profile is documented for it: it stays in the stack's Region, where none exists.
    await withControlPlane({}, async (clients) => {
      const report = await checkModel(clients, 'eu.stability.stable-outpaint-v1:0', [], {
        ...options,
        region: 'eu-west-1',
      });
      expect(report.served.verdict).toBe('fail');
      expect(report.served.detail).toBe('not offered in eu-west-1 as this inference profile');
      expect(report.served.action).toMatch(/^set bedrock_region/);
    });
  });

  it('fails a model that is not in the catalog', async () => {
    await withControlPlane({}, async (clients) => {
      const report = await checkModel(clients, 'acme.painter-v9:0', [], options);
      expect(report.served.verdict).toBe('fail');
      expect(report.lifecycle.detail).toBe('not in the adapter catalog: the functions refuse it');
    });
  });
});

describe('model readiness: answers the stand-in does not produce (mocked Bedrock)', () => {
  // Only this instance is mocked; the stand-in tests above use real clients.
  const client = new BedrockClient({ region: 'us-west-2' });
  const bedrock = mockClient(client);

  beforeEach(() => {
    bedrock.reset();
    bedrock.on(GetFoundationModelCommand).resolves({
      modelDetails: {
        modelId: 'stability.stable-image-core-v1:1',
        modelArn: 'arn',
        modelLifecycle: { status: 'ACTIVE' },
      },
    });
  });

  it('waits on a pending subscription', async () => {
    bedrock.on(GetFoundationModelAvailabilityCommand).resolves({
      modelId: 'stability.stable-image-core-v1:1',
      agreementAvailability: { status: 'PENDING' },
      authorizationStatus: 'AUTHORIZED',
      entitlementAvailability: 'NOT_AVAILABLE',
      regionAvailability: 'AVAILABLE',
    });
    const report = await checkModel(() => client, 'stability.stable-image-core-v1:1', [], options);
    expect(report.access).toMatchObject({ verdict: 'fail', detail: 'subscription pending' });
    expect(bedrock.commandCalls(CreateFoundationModelAgreementCommand)).toHaveLength(0);
  });

  it('reports an agreement that was requested but is not active yet', async () => {
    bedrock
      .on(GetFoundationModelAvailabilityCommand)
      .resolvesOnce({
        modelId: 'm',
        agreementAvailability: { status: 'NOT_AVAILABLE' },
        authorizationStatus: 'AUTHORIZED',
        entitlementAvailability: 'NOT_AVAILABLE',
        regionAvailability: 'AVAILABLE',
      })
      .resolves({
        modelId: 'm',
        agreementAvailability: { status: 'PENDING' },
        authorizationStatus: 'AUTHORIZED',
        entitlementAvailability: 'NOT_AVAILABLE',
        regionAvailability: 'AVAILABLE',
      });
    bedrock
      .on(ListFoundationModelAgreementOffersCommand)
      .resolves({ modelId: 'm', offers: [{ offerToken: 'token-1', offerId: 'o' } as Offer] });
    bedrock.on(CreateFoundationModelAgreementCommand).resolves({ modelId: 'm' });
    const report = await checkModel(() => client, 'stability.stable-image-core-v1:1', [], options);
    expect(bedrock.commandCalls(CreateFoundationModelAgreementCommand)[0]?.args[0].input).toEqual({
      modelId: 'stability.stable-image-core-v1:1',
      offerToken: 'token-1',
    });
    expect(report.access).toMatchObject({ verdict: 'fail', detail: 'subscription pending' });
  });

  it('fails a model an IAM policy or SCP denies', async () => {
    bedrock.on(GetFoundationModelAvailabilityCommand).resolves({
      modelId: 'm',
      agreementAvailability: { status: 'AVAILABLE' },
      authorizationStatus: 'NOT_AUTHORIZED',
      entitlementAvailability: 'AVAILABLE',
      regionAvailability: 'AVAILABLE',
    });
    const report = await checkModel(() => client, 'stability.stable-image-core-v1:1', [], options);
    expect(report.access.detail).toMatch(/^not authorized for this account/);
  });

  it('names the control-plane permissions when the caller may not read models', async () => {
    bedrock.on(GetFoundationModelCommand).rejects(awsError('AccessDeniedException', 'denied'));
    bedrock.on(GetInferenceProfileCommand).rejects(awsError('AccessDeniedException', 'denied'));
    const report = await checkModel(() => client, 'stability.stable-image-core-v1:1', [], options);
    expect(report.served.detail).toBe('the caller may not read it (denied)');
    expect(report.served.action).toContain('bedrock:GetFoundationModel');
    expect(report.access.detail).toBe('not checked');
  });

  it('does not fail a profile whose base model is not listed in the source Region', async () => {
    bedrock.on(GetInferenceProfileCommand).resolves({
      inferenceProfileId: 'us.stability.stable-outpaint-v1:0',
      inferenceProfileName: 'US Stable Image Outpaint',
      inferenceProfileArn:
        'arn:aws:bedrock:us-west-2:123456789012:inference-profile/us.stability.stable-outpaint-v1:0',
      type: 'SYSTEM_DEFINED',
      status: 'ACTIVE',
      models: [
        { modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/stability.stable-outpaint-v1:0' },
      ],
    });
    bedrock
      .on(GetFoundationModelAvailabilityCommand)
      .rejects(awsError('ResourceNotFoundException', 'not found'));
    const report = await checkModel(() => client, 'us.stability.stable-outpaint-v1:0', [], options);
    expect(report.served).toEqual({ verdict: 'ok', detail: 'profile in us-west-2 → us-east-1' });
    expect(report.access).toMatchObject({
      verdict: 'warn',
      detail: 'not listed in us-west-2 (the profile runs it elsewhere)',
    });
    // The same answer for a base model id is a failure.
    const base = await checkModel(() => client, 'stability.stable-outpaint-v1:0', [], options);
    expect(base.access.verdict).toBe('fail');
  });

  it('warns about a Legacy model with its end-of-life date, without failing', async () => {
    bedrock.on(GetFoundationModelCommand).resolves({
      modelDetails: {
        modelId: 'amazon.titan-image-generator-v2:0',
        modelArn: 'arn',
        modelLifecycle: { status: 'LEGACY', endOfLifeTime: new Date('2027-06-30T00:00:00Z') },
      },
    });
    bedrock.on(GetFoundationModelAvailabilityCommand).resolves({
      modelId: 'm',
      agreementAvailability: { status: 'AVAILABLE' },
      authorizationStatus: 'AUTHORIZED',
      entitlementAvailability: 'AVAILABLE',
      regionAvailability: 'AVAILABLE',
    });
    const report = await checkModel(() => client, 'amazon.titan-image-generator-v2:0', [], {
      ...options,
      now: new Date('2026-12-04T00:00:00Z'),
    });
    expect(report.lifecycle).toMatchObject({
      verdict: 'warn',
      detail: 'Legacy, end of life 2027-06-30',
    });
  });
});

describe('deploymentModels', () => {
  it('lists each model once with every role it plays', () => {
    expect(
      deploymentModels({
        default: 'a',
        allowed: ['a', 'b', 'us.c'],
        edit: { inpaint: 'us.c', erase: 'us.d' },
      }),
    ).toEqual([
      { modelId: 'a', roles: ['default'] },
      { modelId: 'b', roles: ['allowed'] },
      { modelId: 'us.c', roles: ['allowed', 'edit:inpaint'] },
      { modelId: 'us.d', roles: ['edit:erase'] },
    ]);
  });
});
