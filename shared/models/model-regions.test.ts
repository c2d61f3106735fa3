import { MODEL_CATALOG } from './catalog.js';
import { INFERENCE_PROFILE_PREFIXES } from './known-models.js';
import { MODEL_REGIONS, bedrockRegionFor } from './model-regions.js';

const REGION_CODE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const HOMES = [
  'us-west-2',
  'us-east-1',
  'us-east-2',
  'eu-west-1',
  'eu-central-1',
  'ap-northeast-1',
];

describe('Constant: MODEL_REGIONS (model-regions.json)', () => {
  it('has an entry with a source for every catalog model, and only for those', () => {
    expect(Object.keys(MODEL_REGIONS).sort()).toEqual(MODEL_CATALOG.map((m) => m.id).sort());
    for (const entry of Object.values(MODEL_REGIONS))
      expect(entry.source).toMatch(/https:\/\/|notice/);
  });

  it('names real Region codes and known profile geographies only', () => {
    for (const entry of Object.values(MODEL_REGIONS)) {
      for (const region of entry.regions) expect(region).toMatch(REGION_CODE);
      for (const [prefix, regions] of Object.entries(entry.profiles ?? {})) {
        expect(INFERENCE_PROFILE_PREFIXES).toContain(prefix);
        for (const region of regions ?? []) expect(region).toMatch(REGION_CODE);
      }
    }
  });

  it('lists Regions for exactly the profile geographies the catalog documents', () => {
    for (const model of MODEL_CATALOG) {
      expect(Object.keys(MODEL_REGIONS[model.id]?.profiles ?? {}).sort()).toEqual(
        [...(model.inferenceProfiles ?? [])].sort(),
      );
    }
  });
});

describe('Function: bedrockRegionFor', () => {
  it("calls Stability's text-to-image models in us-west-2 from any Region", () => {
    for (const home of HOMES) {
      expect(bedrockRegionFor('stability.stable-image-core-v1:1', home)).toBe('us-west-2');
      expect(bedrockRegionFor('stability.sd3-5-large-v1:0', home)).toBe('us-west-2');
    }
  });

  it('stays in the home Region when it serves the model, else takes the first listed', () => {
    expect(bedrockRegionFor('amazon.nova-canvas-v1:0', 'eu-west-1')).toBe('eu-west-1');
    expect(bedrockRegionFor('amazon.nova-canvas-v1:0', 'us-west-2')).toBe('us-east-1');
    expect(bedrockRegionFor('amazon.titan-image-generator-v2:0', 'us-west-2')).toBe('us-west-2');
    expect(bedrockRegionFor('amazon.titan-image-generator-v2:0', 'eu-central-1')).toBe('us-east-1');
  });

  it('calls a geographic profile from a Region of its geography', () => {
    const inpaint = 'us.stability.stable-image-inpaint-v1:0';
    expect(bedrockRegionFor(inpaint, 'us-west-2')).toBe('us-west-2');
    expect(bedrockRegionFor(inpaint, 'us-east-2')).toBe('us-east-2');
    expect(bedrockRegionFor(inpaint, 'eu-west-1')).toBe('us-east-1');
    const arn =
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.stability.stable-outpaint-v1:0';
    expect(bedrockRegionFor(arn, 'ap-northeast-1')).toBe('us-east-1');
  });

  it('leaves global profiles, undocumented geographies and unknown models at home', () => {
    expect(bedrockRegionFor('global.stability.stable-image-core-v1:1', 'eu-west-1')).toBe(
      'eu-west-1',
    );
    expect(bedrockRegionFor('eu.amazon.nova-canvas-v1:0', 'eu-central-1')).toBe('eu-central-1');
    expect(bedrockRegionFor('stability.stable-image-inpaint-v1:0', 'eu-west-1')).toBe('eu-west-1');
    expect(bedrockRegionFor('openai.dall-e-3', 'eu-west-1')).toBe('eu-west-1');
  });

  it('without a home Region, goes where the model is served', () => {
    expect(bedrockRegionFor('stability.stable-image-core-v1:1', undefined)).toBe('us-west-2');
    expect(bedrockRegionFor('stability.stable-image-inpaint-v1:0', undefined)).toBeUndefined();
  });

  it('only ever picks a Region the map lists (what IAM grants), or home when it lists none', () => {
    for (const model of MODEL_CATALOG) {
      const entry = MODEL_REGIONS[model.id];
      const ids = [model.id, ...(model.inferenceProfiles ?? []).map((p) => `${p}.${model.id}`)];
      for (const id of ids) {
        const prefix = id === model.id ? undefined : (id.split('.')[0] as 'us');
        const listed = prefix ? (entry?.profiles?.[prefix] ?? []) : (entry?.regions ?? []);
        for (const home of HOMES) {
          const region = bedrockRegionFor(id, home);
          expect(listed.length === 0 ? [home] : listed).toContain(region);
        }
      }
    }
  });
});
