import { amazonImageAdapter } from './amazon-image.js';
import {
  DEFAULT_EDIT_MODELS,
  DEFAULT_TEXT_TO_IMAGE_MODEL,
  MODEL_CATALOG,
  adapterFor,
  findModel,
  parseModelId,
} from './catalog.js';
import { stabilityCurrentAdapter } from './stability-current.js';
import { stabilityEditAdapter } from './stability-edit.js';
import { stabilityLegacyAdapter } from './stability-legacy.js';
import { appError, thrownBy } from './test-fixtures.js';
import { EDIT_OPERATIONS } from './types.js';

describe('Function: parseModelId', () => {
  it.each([
    ['us.stability.stable-image-inpaint-v1:0', 'stability.stable-image-inpaint-v1:0', 'us'],
    ['eu.amazon.nova-canvas-v1:0', 'amazon.nova-canvas-v1:0', 'eu'],
    ['apac.amazon.nova-canvas-v1:0', 'amazon.nova-canvas-v1:0', 'apac'],
    ['global.stability.stable-image-core-v1:1', 'stability.stable-image-core-v1:1', 'global'],
    ['us-gov.amazon.titan-image-generator-v2:0', 'amazon.titan-image-generator-v2:0', 'us-gov'],
  ])('splits the inference-profile prefix off %s', (id, baseId, profilePrefix) => {
    expect(parseModelId(id)).toEqual({ baseId, profilePrefix, requestedId: id });
  });

  it('leaves a base id alone', () => {
    expect(parseModelId('amazon.nova-canvas-v1:0')).toEqual({
      baseId: 'amazon.nova-canvas-v1:0',
      requestedId: 'amazon.nova-canvas-v1:0',
    });
  });

  it('reads foundation-model and inference-profile ARNs', () => {
    const foundation = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-canvas-v1:0';
    expect(parseModelId(foundation)).toEqual({
      baseId: 'amazon.nova-canvas-v1:0',
      requestedId: foundation,
    });
    const profile =
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.stability.stable-outpaint-v1:0';
    expect(parseModelId(profile)).toMatchObject({
      baseId: 'stability.stable-outpaint-v1:0',
      profilePrefix: 'us',
    });
  });

  it('does not take a provider name for a prefix', () => {
    expect(parseModelId('stability.sd3-5-large-v1:0').profilePrefix).toBeUndefined();
  });
});

describe('Function: findModel / adapterFor', () => {
  it('finds models with and without a profile prefix', () => {
    expect(findModel('us.amazon.nova-canvas-v1:0')?.id).toBe('amazon.nova-canvas-v1:0');
    expect(findModel('stability.stable-image-ultra-v1:1')?.family).toBe('stability-current');
    expect(findModel('stability.stable-image-core-v1:0')).toBeUndefined();
  });

  it.each([
    ['stability.stable-diffusion-xl-v1', stabilityLegacyAdapter],
    ['stability.sd3-5-large-v1:0', stabilityCurrentAdapter],
    ['us.stability.stable-image-erase-object-v1:0', stabilityEditAdapter],
    ['amazon.titan-image-generator-v2:0', amazonImageAdapter],
  ])('picks the adapter for %s', (id, adapter) => {
    expect(adapterFor(id)).toBe(adapter);
  });

  it('rejects unknown ids with MODEL_NOT_ALLOWED listing the supported ones', () => {
    expect(thrownBy(() => adapterFor('openai.dall-e-3'))).toEqual(
      appError(
        'MODEL_NOT_ALLOWED',
        'openai.dall-e-3',
        'stability.stable-image-core-v1:1',
        'amazon.nova-canvas-v1:0',
      ),
    );
  });
});

describe('Constant: MODEL_CATALOG', () => {
  it('has one entry per id, each with a dated lifecycle note', () => {
    const ids = MODEL_CATALOG.map((model) => model.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const model of MODEL_CATALOG) expect(model.lifecycleNote).toMatch(/20\d\d/);
  });

  it('records the lifecycle facts', () => {
    expect(findModel('stability.stable-diffusion-xl-v1')).toMatchObject({
      lifecycle: 'end-of-life',
    });
    expect(findModel('stability.stable-diffusion-xl-v1')?.lifecycleNote).toContain('2025-05-20');
    // Nova Canvas reached end of life on 2026-09-30; it stays for seed 002's body.
    expect(findModel('amazon.nova-canvas-v1:0')).toMatchObject({ lifecycle: 'end-of-life' });
    expect(findModel('amazon.nova-canvas-v1:0')?.lifecycleNote).toContain('2026-09-30');
    expect(findModel('stability.stable-image-core-v1:1')).toMatchObject({ lifecycle: 'active' });
    for (const id of [
      'stability.stable-image-ultra-v1:1',
      'stability.sd3-5-large-v1:0',
      'amazon.titan-image-generator-v2:0',
    ]) {
      expect(findModel(id)?.lifecycle).toBe('unconfirmed');
    }
  });

  it('defaults text-to-image to an active text-to-image model', () => {
    expect(findModel(DEFAULT_TEXT_TO_IMAGE_MODEL)).toMatchObject({
      lifecycle: 'active',
      textToImage: true,
    });
  });

  it('defaults every edit operation to a model that does it, Stability services by us. profile', () => {
    for (const operation of EDIT_OPERATIONS) {
      const id = DEFAULT_EDIT_MODELS[operation];
      const model = findModel(id);
      expect(model?.operations).toContain(operation);
      // AWS's examples invoke the image services through us. profiles; the others by base id.
      expect(parseModelId(id).profilePrefix).toBe(
        model?.family === 'stability-edit' ? 'us' : undefined,
      );
      expect(model?.lifecycle).not.toBe('end-of-life');
    }
  });
});
