import { DEFAULT_EDIT_MODELS } from '../models/catalog.js';
import type { ModelCapabilities } from '../models/model-capabilities.js';
import type { EditOperation, ModelInfo } from '../models/types.js';
import { listModels, type ModelListingDeps } from './model-listing.js';

const editModels: Record<EditOperation, string> = {
  ...DEFAULT_EDIT_MODELS,
  inpaint: 'us.edit-model',
  outpaint: 'us.edit-model',
  erase: 'us.edit-model',
  'search-replace': 'us.edit-model',
  'remove-background': 'other-edit',
};

const info = (id: string, overrides: Partial<ModelInfo> = {}): ModelInfo => ({
  id,
  family: 'stability-edit',
  displayName: id,
  lifecycle: 'unconfirmed',
  lifecycleNote: 'checked 2026-12-04',
  textToImage: false,
  operations: [],
  ...overrides,
});

const catalog: Record<string, ModelInfo> = {
  t2i: info('t2i', { family: 'stability-current', textToImage: true, lifecycle: 'active' }),
  'us.edit-model': info('edit-model', {
    operations: ['inpaint', 'outpaint', 'erase', 'search-replace'],
  }),
  'other-edit': info('other-edit', { operations: ['remove-background'] }),
};

const capabilities = (id: string): ModelCapabilities =>
  id === 't2i'
    ? { generate: { fields: ['seed', 'growMask'], maxImages: 5 }, edits: {} }
    : {
        edits: Object.fromEntries(
          (catalog[id]?.operations ?? []).map((operation) => [
            operation,
            { fields: ['mask', 'creativity'], maxImages: 1 },
          ]),
        ),
      };

const deps: ModelListingDeps = {
  findModel: (id) => catalog[id],
  describeModel: capabilities,
  regionFor: (id) => (id === 't2i' ? 'us-west-2' : 'us-east-1'),
  apiFields: { generate: ['prompt', 'seed'], edit: ['mask'] },
};

describe('Function: listModels', () => {
  const listing = listModels(
    { allowedModels: ['t2i', 'us.edit-model'], defaultModel: 't2i', editModels },
    deps,
  );

  it('lists allowed and default models once each, allowed ones first', () => {
    expect(listing.models.map((model) => model.id)).toEqual(['t2i', 'us.edit-model', 'other-edit']);
  });

  it('says what each model is the default for', () => {
    expect(listing.models.map((model) => model.defaultFor)).toEqual([
      ['text-to-image'],
      ['inpaint', 'outpaint', 'erase', 'search-replace'],
      ['remove-background'],
    ]);
    expect(listing.defaults).toEqual({ textToImage: 't2i', edits: editModels });
  });

  it('keeps the requested id and names the base id and the Region', () => {
    expect(listing.models[1]).toMatchObject({
      id: 'us.edit-model',
      baseId: 'edit-model',
      region: 'us-east-1',
    });
    expect(listing.models[0]?.region).toBe('us-west-2');
  });

  it('narrows fields to those the API has', () => {
    expect(listing.models[0]?.generate?.fields).toEqual(['seed']);
    expect(listing.models[1]?.edits.inpaint?.fields).toEqual(['mask']);
    expect(listing.models[1]?.generate).toBeUndefined();
  });
});
