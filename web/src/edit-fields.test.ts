import { modelsRuntime } from '../../shared/aws/models-runtime.js';
import { testRuntime } from '../../shared/aws/test-runtime.js';
import {
  controlsFor,
  DEFAULT_OPERATION_FIELDS,
  fieldsForModel,
  parseColors,
  STRENGTH_FIELDS,
} from './edit-fields.js';
import type { EditOperation } from './api/types.js';
import { catalogFromListing, EDIT_MODELS, type ModelListing } from './models.js';

/** GET /models as the models function answers it, through JSON like the browser gets it. */
function listing(): ModelListing {
  const runtime = testRuntime(modelsRuntime, { BEDROCK_REGION: 'us-west-2' });
  return JSON.parse(JSON.stringify(runtime.listing)) as ModelListing;
}

describe('controlsFor', () => {
  it('shows one slider per strength the operation takes, and no mask', () => {
    expect(controlsFor('control-sketch').strengths).toEqual(['controlStrength']);
    expect(controlsFor('style-transfer').strengths).toEqual([
      'styleStrength',
      'compositionFidelity',
      'changeStrength',
    ]);
    expect(controlsFor('image-variation').strengths).toEqual(['similarityStrength']);
    expect(controlsFor('control-sketch').paintMask).toBe(false);
    expect(controlsFor('inpaint').paintMask).toBe(true);
  });

  it('asks for a second image only for style-transfer, and colours only for color-guided', () => {
    const operations = Object.keys(DEFAULT_OPERATION_FIELDS) as EditOperation[];
    expect(operations.filter((operation) => controlsFor(operation).styleImage)).toEqual([
      'style-transfer',
    ]);
    expect(operations.filter((operation) => controlsFor(operation).colors)).toEqual([
      'color-guided',
    ]);
    expect(operations.filter((operation) => controlsFor(operation).aspectRatio)).toEqual([
      'style-guide',
    ]);
  });

  it('fast-upscale takes nothing but the image: no prompt, seed, count or settings', () => {
    const controls = controlsFor('fast-upscale', undefined, 1);
    expect(controls).toMatchObject({
      prompt: 'none',
      seed: false,
      count: false,
      style: false,
      strengths: [],
      paintMask: false,
    });
  });

  it('search-recolor needs a prompt and the region in words', () => {
    expect(controlsFor('search-recolor')).toMatchObject({
      prompt: 'required',
      describeRegion: true,
      paintMask: false,
      style: true,
    });
  });

  it('follows the fields the API lists over the built-in ones', () => {
    const controls = controlsFor('control-sketch', ['prompt', 'seed']);
    expect(controls.strengths).toEqual([]);
    expect(controls.style).toBe(false);
    expect(controls.negativePrompt).toBe(false);
  });
});

describe('fieldsForModel', () => {
  it('keeps Stability-only settings away from Titan and Nova before GET /models answers', () => {
    const titan = EDIT_MODELS.find((model) => model.id?.startsWith('amazon.titan'))!;
    expect(fieldsForModel(titan, 'outpaint')).not.toContain('creativity');
    expect(fieldsForModel(titan, 'inpaint')).not.toContain('style');
    expect(fieldsForModel({ id: undefined }, 'inpaint')).toContain('style');
  });

  it('built-in lists match what GET /models lists for every operation’s default model', () => {
    const choices = catalogFromListing(listing())!;
    const stability = choices.edit.find((model) => model.id === undefined)!;
    const checked: EditOperation[] = [];
    for (const [operation, fields] of Object.entries(DEFAULT_OPERATION_FIELDS) as [
      EditOperation,
      readonly string[],
    ][]) {
      const model =
        stability.fields?.[operation] !== undefined
          ? stability
          : choices.edit.find((each) => each.fields?.[operation] !== undefined);
      expect(model).toBeDefined();
      expect([...(model!.fields?.[operation] ?? [])].sort()).toEqual([...fields].sort());
      checked.push(operation);
    }
    expect(checked).toHaveLength(16);
  });

  it('every slider field is a field some operation of the API takes', () => {
    const listed = new Set(
      listing().models.flatMap((model) =>
        Object.values(model.edits).flatMap((edit) => edit?.fields ?? []),
      ),
    );
    expect(STRENGTH_FIELDS.filter((field) => !listed.has(field))).toEqual([]);
  });
});

describe('parseColors', () => {
  it('reads a comma or space separated list of hex colours', () => {
    expect(parseColors('#FF8800, #004488 #abcdef')).toEqual(['#ff8800', '#004488', '#abcdef']);
  });

  it('names what is wrong', () => {
    expect(parseColors('')).toMatch(/at least one/);
    expect(parseColors('#ff8800, red')).toMatch(/“red”/);
    expect(parseColors(Array.from({ length: 11 }, () => '#000000').join(','))).toMatch(/At most/);
  });
});
