/**
 * Which AWS Region each model is called in. The facts are in model-regions.json, which Terraform
 * reads too (terraform/iam.tf grants bedrock:InvokeModel in exactly those Regions), so the code
 * and the policy cannot disagree. A stack deployed in any Region calls each model where Bedrock
 * serves it: Stability's text-to-image models in us-west-2, Nova Canvas in us-east-1 (or
 * eu-west-1 / ap-northeast-1 when the stack is there), a us. profile from a US Region.
 */
import regionsDocument from './model-regions.json' with { type: 'json' };
import { parseModelId, type InferenceProfilePrefix } from './known-models.js';

export interface ModelRegions {
  /** Regions that serve the base model id on demand, preferred first. */
  regions: readonly string[];
  /** Per inference-profile geography: the Regions to call the profile from, preferred first. */
  profiles?: Partial<Record<InferenceProfilePrefix, readonly string[]>>;
  source: string;
}

/** Base model id → where Bedrock serves it. */
export const MODEL_REGIONS: Readonly<Record<string, ModelRegions>> = regionsDocument.models;

/**
 * The Region to call `modelId` (base id, profile id or ARN) in from a stack whose Bedrock Region
 * is `homeRegion`: the home Region when it serves the model (no cross-Region hop), else the
 * model's preferred Region. Global profiles, and models or geographies with nothing documented,
 * stay in the home Region.
 *
 * @example
 * bedrockRegionFor('stability.stable-image-core-v1:1', 'eu-central-1'); // 'us-west-2'
 * bedrockRegionFor('amazon.nova-canvas-v1:0', 'eu-west-1'); // 'eu-west-1'
 * bedrockRegionFor('us.stability.stable-image-inpaint-v1:0', 'us-west-2'); // 'us-west-2'
 */
export function bedrockRegionFor<Home extends string | undefined>(
  modelId: string,
  homeRegion: Home,
): string | Home {
  const { baseId, profilePrefix } = parseModelId(modelId);
  const known = MODEL_REGIONS[baseId];
  const candidates =
    profilePrefix === undefined ? known?.regions : known?.profiles?.[profilePrefix];
  const servedAtHome = homeRegion !== undefined && candidates?.includes(homeRegion);
  if (!candidates || candidates.length === 0 || servedAtHome) {
    return homeRegion;
  }
  return candidates[0] ?? homeRegion;
}
