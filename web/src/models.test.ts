import { modelsRuntime } from '../../shared/aws/models-runtime.js';
import { testRuntime } from '../../shared/aws/test-runtime.js';
import { catalogFromListing, type ModelListing } from './models.js';

/** GET /models as the models function answers it, through JSON like the browser gets it. */
function listing(allowed: string): ModelListing {
  const runtime = testRuntime(modelsRuntime, {
    ALLOWED_MODELS: allowed,
    BEDROCK_REGION: 'us-west-2',
  });
  return JSON.parse(JSON.stringify(runtime.listing)) as ModelListing;
}

const CORE = 'stability.stable-image-core-v1:1';
const NOVA = 'amazon.nova-canvas-v1:0';
const TITAN = 'amazon.titan-image-generator-v2:0';

describe('catalogFromListing', () => {
  const choices = catalogFromListing(listing([CORE, NOVA, TITAN].join(',')))!;

  it('offers the text-to-image models the API accepts, the default marked', () => {
    // Models listed as an edit operation's default may follow (sd3.5 for image-to-image).
    expect(choices.generate.map((model) => model.id).slice(0, 3)).toEqual([CORE, NOVA, TITAN]);
    expect(choices.defaultGenerate).toBe(CORE);
    expect(choices.generate[0]?.note).toContain('default');
  });

  it('offers only sizes each model accepts', () => {
    const [core, nova, titan] = choices.generate;
    expect(core?.sizes.map((size) => size.aspectRatio)).toContain('16:9');
    expect(core?.sizes.every((size) => size.width === undefined)).toBe(true);
    expect(nova?.sizes.map((size) => size.value)).toContain('16:9');
    expect(titan?.sizes.map((size) => size.value)).toContain('1173x640');
    expect(titan?.sizes.every((size) => size.width !== undefined)).toBe(true);
  });

  it('offers Nova’s style presets and advanced settings, and knows the prompt limits', () => {
    const [core, nova, titan] = choices.generate;
    expect(nova?.styles.map((style) => style.value)).toContain('PHOTOREALISM');
    expect(core?.styles).toEqual([]);
    expect(titan?.styles).toEqual([]);
    expect(nova?.supportsCfgScale).toBe(true);
    expect(core?.supportsCfgScale).toBe(false);
    expect(titan?.maxPromptLength).toBe(512);
    expect(nova?.maxPromptLength).toBe(1024);
    expect(core?.maxPromptLength).toBe(10_000);
  });

  it('groups Stability’s per-operation edit models as the default and lists Titan and Nova', () => {
    const [stability, ...others] = choices.edit;
    expect(stability?.id).toBeUndefined();
    expect(stability?.operations).toEqual(
      expect.arrayContaining([
        'inpaint',
        'outpaint',
        'erase',
        'remove-background',
        'search-replace',
      ]),
    );
    expect(stability?.maskPromptOperations).toContain('search-replace');
    expect(others.map((model) => model.id)).toEqual(expect.arrayContaining([NOVA, TITAN]));
    expect(others[0]?.operations).toContain('inpaint');
  });

  it('refuses an answer without models', () => {
    expect(catalogFromListing({} as ModelListing)).toBeNull();
  });
});
