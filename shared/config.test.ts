import { ConfigError, loadConfig } from './config.js';
import { DEFAULT_EDIT_MODELS, DEFAULT_TEXT_TO_IMAGE_MODEL, MODEL_CATALOG } from './models/index.js';

const required = { BUCKET_NAME: 'images', TABLE_NAME: 'records' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(required);

    expect(config).toMatchObject({
      bucketName: 'images',
      tableName: 'records',
      urlExpirySeconds: 3600,
      defaultModel: DEFAULT_TEXT_TO_IMAGE_MODEL,
      editModels: DEFAULT_EDIT_MODELS,
      bedrockTimeoutMs: 25_000,
      corsOrigin: '*',
      logPrompts: false,
      maxUploadBytes: 10 * 1024 * 1024,
    });
    expect(config.allowedModels).toEqual(
      MODEL_CATALOG.filter((model) => model.lifecycle === 'active').map((model) => model.id),
    );
    expect(config).not.toHaveProperty('bedrockRegion');
  });

  it('names every missing variable', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/BUCKET_NAME is required.*TABLE_NAME is required/);
  });

  it('names a malformed number or flag', () => {
    expect(() => loadConfig({ ...required, URL_EXPIRY_SECONDS: '604801' })).toThrow(
      /URL_EXPIRY_SECONDS must be a whole number from 1 to 604800/,
    );
    expect(() => loadConfig({ ...required, LOG_PROMPTS: 'yes' })).toThrow(/LOG_PROMPTS/);
  });

  it('reads lists, JSON maps and flags', () => {
    const config = loadConfig({
      ...required,
      ALLOWED_MODELS: ' amazon.nova-canvas-v1:0 , stability.stable-image-core-v1:1 ',
      DEFAULT_MODEL: 'amazon.nova-canvas-v1:0',
      EDIT_MODELS: '{"inpaint":"amazon.nova-canvas-v1:0"}',
      BEDROCK_REGION: 'us-west-2',
      LOG_PROMPTS: 'TRUE',
      URL_EXPIRY_SECONDS: '900',
    });

    expect(config.allowedModels).toEqual([
      'amazon.nova-canvas-v1:0',
      'stability.stable-image-core-v1:1',
    ]);
    expect(config.editModels.inpaint).toBe('amazon.nova-canvas-v1:0');
    expect(config.editModels.outpaint).toBe(DEFAULT_EDIT_MODELS.outpaint);
    expect(config).toMatchObject({
      bedrockRegion: 'us-west-2',
      logPrompts: true,
      urlExpirySeconds: 900,
    });
  });

  it('refuses a DEFAULT_MODEL outside ALLOWED_MODELS and unknown model ids', () => {
    expect(() =>
      loadConfig({
        ...required,
        ALLOWED_MODELS: 'stability.stable-image-core-v1:1',
        DEFAULT_MODEL: 'amazon.nova-canvas-v1:0',
      }),
    ).toThrow(/DEFAULT_MODEL amazon.nova-canvas-v1:0 is not in ALLOWED_MODELS/);
    expect(() => loadConfig({ ...required, ALLOWED_MODELS: 'openai.dall-e-3' })).toThrow(
      /unknown model ids openai.dall-e-3/,
    );
    expect(() => loadConfig({ ...required, EDIT_MODELS: '{"paint":"x"}' })).toThrow(/EDIT_MODELS/);
    expect(() => loadConfig({ ...required, EDIT_MODELS: 'not json' })).toThrow(/EDIT_MODELS/);
  });
});
