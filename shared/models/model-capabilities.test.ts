import { stabilityCurrentAdapter } from './stability-current.js';
import { MODEL_CATALOG, adapterFor } from './catalog.js';
import { describeModel } from './model-capabilities.js';
import { appError, thrownBy } from './test-fixtures.js';

describe('Function: describeModel', () => {
  it('lists exactly the text-to-image fields the adapter takes', () => {
    const core = describeModel('stability.stable-image-core-v1:1').generate;
    expect(core?.fields).toEqual([
      'negativePrompt',
      'width',
      'height',
      'aspectRatio',
      'seed',
      'count',
    ]);
    // Each field it leaves out, the adapter refuses by name.
    for (const field of ['cfgScale', 'steps', 'style', 'quality'] as const) {
      const value = field === 'quality' ? 'standard' : field === 'style' ? 'x' : 5;
      expect(
        thrownBy(() =>
          stabilityCurrentAdapter.buildTextToImage('stability.stable-image-core-v1:1', {
            prompt: 'p',
            [field]: value,
          }),
        ),
      ).toEqual(appError('INVALID_PARAMETER', `${field} is not supported`));
    }
    expect(describeModel('amazon.nova-canvas-v1:0').generate?.fields).toEqual(
      expect.arrayContaining(['cfgScale', 'quality', 'style']),
    );
    expect(describeModel('amazon.nova-canvas-v1:0').generate?.fields).not.toContain('steps');
  });

  it('reports the sizing the adapter validates with', () => {
    expect(describeModel('stability.sd3-5-large-v1:0').generate?.sizing).toMatchObject({
      kind: 'aspect-ratio',
      aspectRatios: expect.arrayContaining(['16:9', '1:1', '9:21']) as unknown,
    });
    const titan = describeModel('amazon.titan-image-generator-v2:0').generate;
    expect(titan?.sizing).toMatchObject({ kind: 'fixed-sizes' });
    expect(titan?.styles).toBeUndefined();
    const nova = describeModel('amazon.nova-canvas-v1:0').generate;
    expect(nova?.sizing).toMatchObject({ kind: 'custom', rules: { multipleOf: 16 } });
    expect(nova?.styles).toContain('PHOTOREALISM');
    expect(nova?.maxSeed).toBe(2_147_483_646);
  });

  it('every text-to-image model that takes a seed lists the bound its adapter enforces', () => {
    for (const model of MODEL_CATALOG) {
      const generate = describeModel(model.id).generate;
      if (!generate?.fields.includes('seed')) continue;
      const maxSeed = generate.maxSeed ?? Number.NaN;
      // The model id rides along so a failure names the model.
      expect([model.id, Number.isInteger(maxSeed)]).toEqual([model.id, true]);
      const build = (seed: number) => () =>
        adapterFor(model.id).buildTextToImage(model.id, { prompt: 'p', seed });
      expect(build(maxSeed)).not.toThrow();
      expect(thrownBy(build(maxSeed + 1))).toMatchObject({ code: 'INVALID_PARAMETER' });
    }
  });

  it('every size a model lists is one its adapter accepts', () => {
    for (const model of MODEL_CATALOG) {
      const sizing = describeModel(model.id).generate?.sizing;
      if (sizing?.kind !== 'fixed-sizes') continue;
      for (const { width, height } of sizing.sizes) {
        expect(() =>
          adapterFor(model.id).buildTextToImage(model.id, { prompt: 'p', width, height }),
        ).not.toThrow();
      }
    }
  });

  it('reports per-operation edit fields, image limits and image counts', () => {
    const inpaint = describeModel('us.stability.stable-image-inpaint-v1:0').edits.inpaint;
    expect(inpaint?.fields).toEqual(expect.arrayContaining(['mask', 'prompt', 'growMask']));
    expect(inpaint?.fields).not.toContain('maskPrompt');
    expect(inpaint?.inputImage?.maxPixels).toBe(9_437_184);
    const searchReplace = describeModel('stability.stable-image-search-replace-v1:0').edits[
      'search-replace'
    ];
    expect(searchReplace?.fields).toContain('maskPrompt');
    expect(searchReplace?.fields).not.toContain('mask');
    // remove-background takes count, but only 1.
    const removeBackground = describeModel('amazon.titan-image-generator-v2:0').edits[
      'remove-background'
    ];
    expect(removeBackground).toMatchObject({ fields: ['count'], maxImages: 1 });
    expect(describeModel('amazon.titan-image-generator-v2:0').edits.inpaint).toMatchObject({
      maxImages: 5,
      fields: expect.arrayContaining(['mask', 'maskPrompt']) as unknown,
    });
  });

  it('describes every catalog model, edit-only ones without generate', () => {
    for (const model of MODEL_CATALOG) {
      const capabilities = describeModel(model.id);
      expect(capabilities.generate !== undefined).toBe(model.textToImage);
      expect(Object.keys(capabilities.edits).sort()).toEqual([...model.operations].sort());
    }
  });

  it('rejects an unknown model', () => {
    expect(thrownBy(() => describeModel('openai.dall-e-3'))).toEqual(
      appError('MODEL_NOT_ALLOWED', 'openai.dall-e-3'),
    );
  });
});
