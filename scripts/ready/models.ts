/**
 * Readiness of each model a deployment allows, asked of Bedrock's control plane with the deployer's
 * credentials: is it served in the Bedrock Region (GetFoundationModel, or GetInferenceProfile for
 * a `us.`/`eu.`… profile id), is the account entitled (GetFoundationModelAvailability; when the
 * Marketplace agreement is missing and `subscribe` is on, ListFoundationModelAgreementOffers +
 * CreateFoundationModelAgreement, which needs aws-marketplace:Subscribe), and is it past end of
 * life (Bedrock's modelLifecycle, and the adapter catalog's lifecycle facts).
 */
import {
  CreateFoundationModelAgreementCommand,
  GetFoundationModelAvailabilityCommand,
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  ListFoundationModelAgreementOffersCommand,
} from '@aws-sdk/client-bedrock';
import type {
  BedrockClient,
  FoundationModelLifecycle,
  GetFoundationModelAvailabilityCommandOutput,
} from '@aws-sdk/client-bedrock';

import { DEFAULT_TEXT_TO_IMAGE_MODEL, findModel, parseModelId } from '../../shared/models/index.js';
import { bedrockRegionFor } from '../../shared/models/model-regions.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface Check {
  verdict: Verdict;
  detail: string;
  /** What to do about a ✗ (or a ⚠). */
  action?: string;
}

export interface ModelReport {
  modelId: string;
  /** Where the functions call it (shared/models/model-regions.ts). */
  region: string;
  /** Where the deployment uses it: default, allowed, edit:<operation>. */
  roles: string[];
  served: Check;
  access: Check;
  lifecycle: Check;
}

export interface ModelCheckOptions {
  /** The stack's Bedrock Region; each model is checked where the functions call it from there. */
  region: string;
  /** Accept the model's public Marketplace offer when the account has no agreement. */
  subscribe: boolean;
  now?: Date;
}

const ok = (detail: string): Check => ({ verdict: 'ok', detail });
const warn = (detail: string, action?: string): Check => ({
  verdict: 'warn',
  detail,
  ...(action ? { action } : {}),
});
const fail = (detail: string, action: string): Check => ({ verdict: 'fail', detail, action });

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const NOT_FOUND = new Set(['ResourceNotFoundException', 'ValidationException']);
const CONTROL_PLANE_PERMISSIONS =
  'run with credentials that allow bedrock:GetFoundationModel, bedrock:GetInferenceProfile, bedrock:GetFoundationModelAvailability, bedrock:ListFoundationModelAgreementOffers and bedrock:CreateFoundationModelAgreement';
const MARKETPLACE_ACTION =
  'subscribe once per account: run `npm run ready -- --target aws` with credentials that also allow aws-marketplace:Subscribe, aws-marketplace:ViewSubscriptions and bedrock:CreateFoundationModelAgreement (an administrator), or request access on the Bedrock console\'s "Model access" page';

/** Served in the Region? Also returns Bedrock's lifecycle for the (base) model when it has one. */
async function checkServed(
  client: BedrockClient,
  modelId: string,
  region: string,
): Promise<{ check: Check; lifecycle?: FoundationModelLifecycle }> {
  const { baseId, profilePrefix } = parseModelId(modelId);
  const baseLifecycle = async (): Promise<FoundationModelLifecycle | undefined> => {
    try {
      const found = await client.send(new GetFoundationModelCommand({ modelIdentifier: baseId }));
      return found.modelDetails?.modelLifecycle;
    } catch {
      return undefined;
    }
  };
  try {
    if (profilePrefix) {
      const profile = await client.send(
        new GetInferenceProfileCommand({ inferenceProfileIdentifier: modelId }),
      );
      const lifecycle = await baseLifecycle();
      if (profile.status !== 'ACTIVE') {
        return {
          check: fail(
            `inference profile ${modelId} is ${profile.status ?? 'not active'} in ${region}`,
            `use another Region (bedrock_region) or the model's base id`,
          ),
          ...(lifecycle ? { lifecycle } : {}),
        };
      }
      const regions = (profile.models ?? [])
        .map((model) => /^arn:[^:]+:bedrock:([^:]+):/.exec(model.modelArn ?? '')?.[1])
        .filter(Boolean);
      return {
        check: ok(`profile in ${region}${regions.length ? ` → ${regions.join(', ')}` : ''}`),
        ...(lifecycle ? { lifecycle } : {}),
      };
    }
    const found = await client.send(new GetFoundationModelCommand({ modelIdentifier: baseId }));
    const lifecycle = found.modelDetails?.modelLifecycle;
    return { check: ok(`served in ${region}`), ...(lifecycle ? { lifecycle } : {}) };
  } catch (error) {
    if (errorName(error) === 'AccessDeniedException') {
      return {
        check: fail(
          `the caller may not read it (${errorMessage(error)})`,
          CONTROL_PLANE_PERMISSIONS,
        ),
      };
    }
    if (NOT_FOUND.has(errorName(error))) {
      return {
        check: fail(
          `not offered in ${region}${profilePrefix ? ' as this inference profile' : ''}`,
          `set bedrock_region to a Region that serves it (see the model card), or remove it from allowed_models / edit_models`,
        ),
      };
    }
    return {
      check: fail(
        `${errorName(error)}: ${errorMessage(error).split('\n')[0] ?? ''}`,
        'run again; if it persists, check the Bedrock service health',
      ),
    };
  }
}

function availabilityCheck(
  availability: GetFoundationModelAvailabilityCommandOutput,
  region: string,
  viaProfile: boolean,
): Check | 'needs-agreement' {
  if (availability.authorizationStatus === 'NOT_AUTHORIZED') {
    return fail(
      'not authorized for this account (an IAM policy or SCP denies the model)',
      'ask your administrator to allow the model (bedrock:InvokeModel on its ARN) in the account',
    );
  }
  // A cross-Region profile runs the model in its destination Regions, not necessarily this one.
  if (availability.regionAvailability === 'NOT_AVAILABLE' && !viaProfile) {
    return fail(
      `not available to this account in ${region}`,
      'choose a Region where the model is offered (bedrock_region), or another model',
    );
  }
  const agreement = availability.agreementAvailability;
  switch (agreement?.status) {
    case 'PENDING':
      return fail(
        'subscription pending',
        'wait a few minutes for the Marketplace subscription, then run `npm run ready` again',
      );
    case 'ERROR':
      return fail(
        `agreement error: ${agreement.errorMessage ?? 'unknown'}`,
        'open the Bedrock console\'s "Model access" page for details',
      );
    case 'NOT_AVAILABLE':
      return 'needs-agreement';
    default:
      break;
  }
  if (availability.entitlementAvailability === 'NOT_AVAILABLE') return 'needs-agreement';
  return ok('entitled');
}

async function checkAccess(
  client: BedrockClient,
  modelId: string,
  options: ModelCheckOptions,
): Promise<Check> {
  const { baseId, profilePrefix } = parseModelId(modelId);
  const viaProfile = profilePrefix !== undefined;
  const availability = async () =>
    availabilityCheck(
      await client.send(new GetFoundationModelAvailabilityCommand({ modelId: baseId })),
      options.region,
      viaProfile,
    );
  let first: Check | 'needs-agreement';
  try {
    first = await availability();
  } catch (error) {
    if (viaProfile && NOT_FOUND.has(errorName(error))) {
      // The base model is not listed in this Region; only an invocation through the profile can
      // tell, which the smoke test's edit does.
      return warn(
        `not listed in ${options.region} (the profile runs it elsewhere)`,
        "the smoke test's edit shows whether the account may invoke it",
      );
    }
    if (errorName(error) === 'AccessDeniedException') {
      return fail(
        `the caller may not check access (${errorMessage(error)})`,
        CONTROL_PLANE_PERMISSIONS,
      );
    }
    return fail(`${errorName(error)}: ${errorMessage(error)}`, 'run again later');
  }
  if (first !== 'needs-agreement') return first;
  if (!options.subscribe) {
    return fail(
      'not subscribed (no Marketplace agreement)',
      `run without --no-subscribe, or ${MARKETPLACE_ACTION}`,
    );
  }
  try {
    const offers = await client.send(
      new ListFoundationModelAgreementOffersCommand({ modelId: baseId, offerType: 'PUBLIC' }),
    );
    const offerToken = offers.offers?.[0]?.offerToken;
    if (!offerToken) {
      return fail('not subscribed and Bedrock lists no public offer', MARKETPLACE_ACTION);
    }
    await client.send(new CreateFoundationModelAgreementCommand({ modelId: baseId, offerToken }));
    const after = await availability();
    if (after === 'needs-agreement') {
      return fail(
        'subscription requested, not active yet',
        'wait a few minutes, then run `npm run ready` again',
      );
    }
    return after.verdict === 'ok' ? ok('subscribed now') : after;
  } catch (error) {
    if (errorName(error) === 'AccessDeniedException') {
      return fail(
        `not subscribed, and the caller may not subscribe (${errorMessage(error)})`,
        MARKETPLACE_ACTION,
      );
    }
    return fail(
      `subscribing failed: ${errorName(error)}: ${errorMessage(error)}`,
      MARKETPLACE_ACTION,
    );
  }
}

function checkLifecycle(
  modelId: string,
  bedrock: FoundationModelLifecycle | undefined,
  now: Date,
): Check {
  const model = findModel(modelId);
  const replace = `remove it from allowed_models / edit_models / default_model and use an active model such as ${DEFAULT_TEXT_TO_IMAGE_MODEL}`;
  if (!model) {
    return fail('not in the adapter catalog: the functions refuse it', replace);
  }
  const endOfLife = bedrock?.endOfLifeTime;
  if (endOfLife && endOfLife.getTime() <= now.getTime()) {
    return fail(
      `past end of life since ${endOfLife.toISOString().slice(0, 10)} (Bedrock)`,
      replace,
    );
  }
  if (model.lifecycle === 'end-of-life') {
    return fail(`past end of life (catalog: ${model.lifecycleNote.split(' (')[0]})`, replace);
  }
  if (bedrock?.status === 'LEGACY' || model.lifecycle === 'legacy') {
    const when = endOfLife ? `, end of life ${endOfLife.toISOString().slice(0, 10)}` : '';
    return warn(
      `Legacy${when}`,
      `plan the move to an active model (${replace.slice(replace.indexOf('such as') + 8)})`,
    );
  }
  return ok(bedrock?.status === 'ACTIVE' ? 'Active' : `Active (catalog: ${model.lifecycle})`);
}

/**
 * The three checks for one model id (base id or inference-profile id), asked in the Region the
 * functions call it in (`clientFor` gives a control-plane client for a Region).
 */
export async function checkModel(
  clientFor: (region: string) => BedrockClient,
  modelId: string,
  roles: string[],
  options: ModelCheckOptions,
): Promise<ModelReport> {
  const region = bedrockRegionFor(modelId, options.region);
  const client = clientFor(region);
  const served = await checkServed(client, modelId, region);
  const access =
    served.check.verdict === 'fail' && served.check.detail.startsWith('the caller may not')
      ? fail('not checked', CONTROL_PLANE_PERMISSIONS)
      : await checkAccess(client, modelId, { ...options, region });
  return {
    modelId,
    region,
    roles,
    served: served.check,
    access,
    lifecycle: checkLifecycle(modelId, served.lifecycle, options.now ?? new Date()),
  };
}

/** Every model a deployment names, once, with the roles it plays. */
export function deploymentModels(settings: {
  default: string;
  allowed: readonly string[];
  edit: Readonly<Record<string, string>>;
}): { modelId: string; roles: string[] }[] {
  const roles = new Map<string, string[]>();
  const add = (id: string, role: string): void => {
    roles.set(id, [...(roles.get(id) ?? []), role]);
  };
  add(settings.default, 'default');
  for (const id of settings.allowed) if (id !== settings.default) add(id, 'allowed');
  for (const [operation, id] of Object.entries(settings.edit)) add(id, `edit:${operation}`);
  return [...roles].map(([modelId, list]) => ({ modelId, roles: list }));
}
