/**
 * A small stand-in for the few Bedrock control-plane operations `npm run ready` calls, so the
 * readiness check runs the same code against the local stack as against AWS (the real
 * @aws-sdk/client-bedrock, pointed here through its endpoint). REST-JSON as the real service:
 *
 *   GET  /foundation-models/{id}                          GetFoundationModel
 *   GET  /foundation-model-availability/{id}              GetFoundationModelAvailability
 *   GET  /list-foundation-model-agreement-offers/{id}     ListFoundationModelAgreementOffers
 *   POST /create-foundation-model-agreement               CreateFoundationModelAgreement
 *   GET  /inference-profiles/{id}                         GetInferenceProfile
 *
 * What it knows comes from the adapter catalog and the runtime stand-in's settings: every catalog
 * model is served in the stack's Region except those the runtime stand-in answers as retired
 * (LOCAL_BEDROCK_RETIRED), which are Legacy with an end of life in the past. Like a fresh account,
 * third-party (Marketplace) models start without an agreement until CreateFoundationModelAgreement;
 * Amazon's own models need none. Agreements live in memory. Requests must carry a valid SigV4
 * signature for service `bedrock`. The runtime stand-in does not consult agreements: invocations
 * work locally either way (documented in README "Readiness").
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { findModel, parseModelId } from '../../../shared/models/index.js';
import { MODEL_REGIONS } from '../../../shared/models/model-regions.js';
import { parseQuery, verifyHeaderSignature } from '../s3/sigv4.js';
import type { AwsCredentials } from '../s3/sigv4.js';
import { listenOn } from '../listen.js';

export interface ControlPlaneOptions {
  port?: number;
  host?: string;
  credentials: AwsCredentials;
  /** Models answered as past end of life (the runtime stand-in's retiredModels). */
  retiredModels?: readonly string[];
  /** Models whose agreement exists from the start (default: none). */
  subscribedModels?: readonly string[];
  /** Models with an agreement offer the caller may not accept (CreateFoundationModelAgreement → AccessDenied). */
  deniedAgreements?: readonly string[];
  now?: () => Date;
}

export interface LocalBedrockControlPlane {
  url: string;
  close(): Promise<void>;
}

class ControlPlaneError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

const ACCOUNT_ID = '000000000000';
const DAY_MS = 24 * 3600 * 1000;

/**
 * Like the runtime stand-in, one endpoint stands in for every Region: the Region is the request's
 * credential scope, and a model is served there when shared/models/model-regions.json lists that
 * Region for it (or documents none).
 */
function servedIn(modelId: string, region: string): boolean {
  const regions = MODEL_REGIONS[modelId]?.regions ?? [];
  return regions.length === 0 || regions.includes(region);
}

function scopeRegion(authorization: string | undefined): string {
  return (
    /Credential=[^/\s,]+\/\d{8}\/([^/\s,]+)\/bedrock\/aws4_request/.exec(
      authorization ?? '',
    )?.[1] ?? ''
  );
}

function needsAgreement(modelId: string): boolean {
  return !modelId.startsWith('amazon.');
}

export async function startBedrockControlPlane(
  options: ControlPlaneOptions,
): Promise<LocalBedrockControlPlane> {
  const now = options.now ?? (() => new Date());
  const base = (id: string): string => parseModelId(id).baseId;
  const retired = new Set((options.retiredModels ?? []).map(base));
  const agreements = new Set((options.subscribedModels ?? []).map(base));
  const denied = new Set((options.deniedAgreements ?? []).map(base));

  const knownModel = (id: string, region: string): string => {
    const modelId = base(decodeURIComponent(id));
    const model = findModel(modelId);
    if (
      !model ||
      parseModelId(decodeURIComponent(id)).profilePrefix ||
      !servedIn(modelId, region)
    ) {
      throw new ControlPlaneError(
        'ResourceNotFoundException',
        `The model ${decodeURIComponent(id)} does not exist in ${region}.`,
        404,
      );
    }
    return modelId;
  };

  const lifecycle = (modelId: string): Record<string, unknown> =>
    retired.has(modelId)
      ? { status: 'LEGACY', endOfLifeTime: new Date(now().getTime() - DAY_MS).toISOString() }
      : { status: 'ACTIVE' };

  const handlers: {
    method: string;
    pattern: RegExp;
    run: (match: RegExpExecArray, body: unknown, region: string) => [number, unknown];
  }[] = [
    {
      method: 'GET',
      pattern: /^\/foundation-models\/([^/]+)$/,
      run: ([, id = ''], _body, region) => {
        const modelId = knownModel(id, region);
        const model = findModel(modelId)!;
        return [
          200,
          {
            modelDetails: {
              modelArn: `arn:aws:bedrock:${region}::foundation-model/${modelId}`,
              modelId,
              modelName: model.displayName,
              providerName: modelId.startsWith('amazon.') ? 'Amazon' : 'Stability AI',
              inputModalities: model.textToImage ? ['TEXT'] : ['TEXT', 'IMAGE'],
              outputModalities: ['IMAGE'],
              inferenceTypesSupported: (model.inferenceProfiles ?? []).length
                ? ['INFERENCE_PROFILE']
                : ['ON_DEMAND'],
              modelLifecycle: lifecycle(modelId),
            },
          },
        ];
      },
    },
    {
      method: 'GET',
      pattern: /^\/foundation-model-availability\/([^/]+)$/,
      run: ([, id = ''], _body, region) => {
        const modelId = knownModel(id, region);
        const agreed = !needsAgreement(modelId) || agreements.has(modelId);
        return [
          200,
          {
            modelId,
            agreementAvailability: { status: agreed ? 'AVAILABLE' : 'NOT_AVAILABLE' },
            authorizationStatus: 'AUTHORIZED',
            entitlementAvailability: agreed ? 'AVAILABLE' : 'NOT_AVAILABLE',
            regionAvailability: retired.has(modelId) ? 'NOT_AVAILABLE' : 'AVAILABLE',
          },
        ];
      },
    },
    {
      method: 'GET',
      pattern: /^\/list-foundation-model-agreement-offers\/([^/]+)$/,
      run: ([, id = ''], _body, region) => {
        const modelId = knownModel(id, region);
        return [
          200,
          {
            modelId,
            offers: needsAgreement(modelId)
              ? [{ offerId: `offer-${modelId}`, offerToken: `local-offer:${modelId}` }]
              : [],
          },
        ];
      },
    },
    {
      method: 'POST',
      pattern: /^\/create-foundation-model-agreement$/,
      run: (_match, body, region) => {
        const { modelId, offerToken } = (body ?? {}) as { modelId?: unknown; offerToken?: unknown };
        if (typeof modelId !== 'string' || typeof offerToken !== 'string') {
          throw new ControlPlaneError(
            'ValidationException',
            'modelId and offerToken are required.',
            400,
          );
        }
        const id = knownModel(modelId, region);
        if (offerToken !== `local-offer:${id}`) {
          throw new ControlPlaneError('ValidationException', 'The offer token is not valid.', 400);
        }
        if (denied.has(id)) {
          throw new ControlPlaneError(
            'AccessDeniedException',
            'User is not authorized to perform: aws-marketplace:Subscribe',
            403,
          );
        }
        agreements.add(id);
        return [202, { modelId: id }];
      },
    },
    {
      method: 'GET',
      pattern: /^\/inference-profiles\/([^/]+)$/,
      run: ([, raw = ''], _body, region) => {
        const id = decodeURIComponent(raw);
        const { baseId, profilePrefix } = parseModelId(id);
        const model = findModel(baseId);
        const destinations =
          profilePrefix === undefined
            ? []
            : (MODEL_REGIONS[baseId]?.profiles?.[profilePrefix] ?? []);
        if (!model || !destinations.includes(region)) {
          throw new ControlPlaneError(
            'ResourceNotFoundException',
            `Inference profile ${id} does not exist in ${region}.`,
            404,
          );
        }
        return [
          200,
          {
            inferenceProfileId: id,
            inferenceProfileName: `US ${model.displayName}`,
            inferenceProfileArn: `arn:aws:bedrock:${region}:${ACCOUNT_ID}:inference-profile/${id}`,
            models: destinations.map((destination) => ({
              modelArn: `arn:aws:bedrock:${destination}::foundation-model/${baseId}`,
            })),
            status: 'ACTIVE',
            type: 'SYSTEM_DEFINED',
          },
        ];
      },
    },
  ];

  const readBody = async (req: IncomingMessage): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  };

  const send = (res: ServerResponse, status: number, body: unknown, type?: string): void => {
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': bytes.length,
      'x-amzn-requestid': randomUUID(),
      ...(type ? { 'x-amzn-errortype': type } : {}),
    });
    res.end(bytes);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const body = await readBody(req);
      const url = req.url ?? '/';
      const queryStart = url.indexOf('?');
      const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
      const region = scopeRegion(req.headers.authorization);
      const signature = await verifyHeaderSignature(
        {
          method: req.method ?? 'GET',
          rawPath,
          query: parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1)),
          headers: req.headers,
        },
        {
          credentials: options.credentials,
          region,
          service: 'bedrock',
          uriEscapePath: true,
          body,
        },
      );
      if (!signature.ok) {
        throw new ControlPlaneError(
          signature.failure === 'missing'
            ? 'MissingAuthenticationTokenException'
            : 'AccessDeniedException',
          signature.message,
          403,
        );
      }
      for (const handler of handlers) {
        const match = handler.pattern.exec(rawPath);
        if (!match || handler.method !== req.method) continue;
        const input: unknown = body.length ? JSON.parse(body.toString('utf8')) : undefined;
        const [status, answer] = handler.run(match, input, region);
        send(res, status, answer);
        return;
      }
      throw new ControlPlaneError(
        'UnknownOperationException',
        `${req.method} ${rawPath} is not one of the operations the local Bedrock control plane serves.`,
        404,
      );
    } catch (error) {
      const known =
        error instanceof ControlPlaneError
          ? error
          : new ControlPlaneError('InternalServerException', String(error), 500);
      send(res, known.status, { message: known.message }, known.type);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const host = options.host ?? '127.0.0.1';
  const { url } = await listenOn(server, options.port ?? 0, host);
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
