import { AppError } from '../errors.js';
import { probeImage } from '../images/probe.js';
import { halfMaskPng, pngBytes } from '../aws/test-runtime.js';
import { createEditService, type EditDeps } from './edit-service.js';
import type { RequestContext } from './ports.js';
import {
  RecordingAdapter,
  fakeCatalog,
  fakeModel,
  inMemoryPipeline,
  sequentialIds,
} from './test-doubles.js';
import { DEFAULT_EDIT_MODELS } from '../models/catalog.js';

const INPAINTER = 'test.inpainter';
const OUTPAINTER = 'test.outpainter';
const UNLISTED = 'test.unlisted-eraser';
const STYLER = 'test.styler';
const me: RequestContext = { route: 'POST /edits', userId: 'me' };
const uploadKey = 'users/me/uploads/u1';

function setup() {
  const pipeline = inMemoryPipeline();
  const { images, records, invoker } = pipeline;
  const adapter = new RecordingAdapter();
  const deps: EditDeps = {
    ...pipeline,
    catalog: fakeCatalog(
      [
        fakeModel(INPAINTER, ['inpaint', 'erase']),
        fakeModel(OUTPAINTER, ['outpaint']),
        fakeModel(UNLISTED, ['erase']),
        fakeModel(STYLER, ['style-transfer', 'image-to-image']),
      ],
      adapter,
    ),
    probe: probeImage,
    newId: sequentialIds(),
    config: {
      allowedModels: [INPAINTER, OUTPAINTER, STYLER],
      editModels: {
        ...DEFAULT_EDIT_MODELS,
        inpaint: INPAINTER,
        outpaint: OUTPAINTER,
        erase: INPAINTER,
        'remove-background': INPAINTER,
        'search-replace': INPAINTER,
        'style-transfer': STYLER,
        'image-to-image': STYLER,
      },
    },
  };
  images.objects.set(uploadKey, { bytes: pngBytes(80, 60), contentType: 'image/png' });
  images.objects.set('users/other/uploads/u2', {
    bytes: pngBytes(80, 60),
    contentType: 'image/png',
  });
  return { images, records, invoker, adapter, service: createEditService(deps) };
}

const mask = Buffer.from(halfMaskPng(80, 60)).toString('base64');

describe('edit service: image-guided operations', () => {
  const styleKey = 'users/me/uploads/style';

  it('reads the style image of a style transfer and hands it to the adapter', async () => {
    const { service, adapter, images, records } = setup();
    images.objects.set(styleKey, { bytes: pngBytes(40, 30), contentType: 'image/png' });

    await service.edit(
      {
        imageKey: uploadKey,
        operation: 'style-transfer',
        styleImageKey: styleKey,
        styleStrength: 0.5,
      },
      me,
    );

    const params = adapter.editCalls[0];
    expect(params).toMatchObject({
      operation: 'style-transfer',
      styleStrength: 0.5,
      styleImage: { mimeType: 'image/png', width: 40, height: 30 },
    });
    expect(params).not.toHaveProperty('styleImageKey');
    expect(records.records.get('id-1')?.parameters).toMatchObject({ styleImageKey: styleKey });
  });

  it.each([
    ['another user’s', 'users/other/uploads/u2'],
    ['a missing', 'users/me/uploads/nothing-here'],
  ])('answers NOT_FOUND for %s style image', async (_label, styleImageKey) => {
    const { service, invoker } = setup();

    await expect(
      service.edit({ imageKey: uploadKey, operation: 'style-transfer', styleImageKey }, me),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', details: [{ path: 'styleImageKey' }] });
    expect(invoker.calls).toHaveLength(0);
  });

  it('refuses, before any call, a setting the operation does not use', async () => {
    const { service, invoker } = setup();

    await expect(
      service.edit({ imageKey: uploadKey, mask, prompt: 'x', strength: 0.5 }, me),
    ).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
      message: 'strength is only for image-to-image, not inpaint',
    });
    expect(() =>
      service.validate(
        { imageKey: uploadKey, operation: 'image-to-image', styleImageKey: styleKey },
        'me',
      ),
    ).toThrow('styleImageKey is only for style-transfer, not image-to-image');
    expect(invoker.calls).toHaveLength(0);
  });
});

describe('edit service', () => {
  it('hands the adapter the probed image and the decoded mask, and stores both outputs and mask', async () => {
    const { service, adapter, images, records } = setup();

    const result = await service.edit({ imageKey: uploadKey, mask, prompt: 'a door', seed: 4 }, me);

    const params = adapter.editCalls[0];
    expect(params).toMatchObject({
      operation: 'inpaint',
      prompt: 'a door',
      seed: 4,
      image: { mimeType: 'image/png', width: 80, height: 60 },
    });
    expect(Buffer.from(params?.mask ?? []).toString('base64')).toBe(mask);
    expect(result.images.map((image) => image.key)).toEqual(['users/me/edits/id-1/0.png']);
    expect(images.objects.has('users/me/edits/id-1/mask.png')).toBe(true);
    expect(records.records.get('id-1')).toMatchObject({
      kind: 'edit',
      operation: 'inpaint',
      model: INPAINTER,
      inputKey: uploadKey,
      maskKey: 'users/me/edits/id-1/mask.png',
      status: 'succeeded',
      parameters: { seed: 4, width: 80, height: 60 },
    });
  });

  it('uses EDIT_MODELS for the operation when no model is named', async () => {
    const { service } = setup();

    const result = await service.edit(
      {
        imageKey: uploadKey,
        operation: 'outpaint',
        outpaint: { left: 8, right: 0, up: 0, down: 0 },
      },
      me,
    );

    expect(result.model).toBe(OUTPAINTER);
  });

  it.each([
    ['another user’s key', 'users/other/uploads/u2'],
    ['a traversal key', 'users/me/../other/uploads/u2'],
    ['a key outside users/', 'generated/abc/0.png'],
    ['a missing key', 'users/me/uploads/nothing-here'],
  ])('answers NOT_FOUND for %s', async (_label, imageKey) => {
    const { service, invoker, records } = setup();

    await expect(service.edit({ imageKey, mask, prompt: 'x' }, me)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(invoker.calls).toHaveLength(0);
    expect(records.records.size).toBe(0);
  });

  it('refuses a model outside ALLOWED_MODELS even if it can do the operation', async () => {
    const { service } = setup();

    await expect(
      service.edit({ imageKey: uploadKey, operation: 'erase', model: UNLISTED, mask }, me),
    ).rejects.toMatchObject({ code: 'MODEL_NOT_ALLOWED' });
  });

  it('refuses a model that cannot do the operation, naming the ones that can', async () => {
    const { service } = setup();

    const failure = service.edit(
      { imageKey: uploadKey, operation: 'outpaint', model: INPAINTER },
      me,
    );

    await expect(failure).rejects.toMatchObject({ code: 'UNSUPPORTED_OPERATION' });
    await expect(failure).rejects.toThrow(OUTPAINTER);
  });

  it('answers INVALID_MASK for a mask that is not a PNG image', async () => {
    const { service } = setup();

    await expect(
      service.edit(
        { imageKey: uploadKey, mask: Buffer.from('not an image').toString('base64') },
        me,
      ),
    ).rejects.toMatchObject({ code: 'INVALID_MASK' });
  });

  it('requires a signed-in caller', async () => {
    const { service } = setup();

    await expect(
      service.edit({ imageKey: uploadKey }, { route: 'POST /edits' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('stores no mask when the model fails, and records the failure', async () => {
    const { service, invoker, images, records } = setup();
    invoker.respond = () => Promise.reject(new AppError('MODEL_UNAVAILABLE', 'not enabled'));

    await expect(service.edit({ imageKey: uploadKey, mask, prompt: 'x' }, me)).rejects.toThrow(
      'not enabled',
    );
    expect(images.objects.has('users/me/edits/id-1/mask.png')).toBe(false);
    expect(records.records.get('id-1')).toMatchObject({
      status: 'failed',
      errorCode: 'MODEL_UNAVAILABLE',
    });
    expect(records.records.get('id-1')).not.toHaveProperty('maskKey');
  });

  describe('predicted-long requests (USE_JOBS)', () => {
    it('refuses a large outpaint estimated to outlast the deadline, after reading the image', async () => {
      const { service, invoker, records } = setup();

      const error = await service
        .edit(
          {
            imageKey: uploadKey,
            operation: 'outpaint',
            count: 5,
            outpaint: { left: 2000, right: 2000, up: 2000, down: 2000 },
          },
          { ...me, deadlineSeconds: 25 },
        )
        .catch((caught: unknown) => caught);

      expect(error).toMatchObject({ code: 'USE_JOBS' });
      expect((error as AppError).message).toContain('"type":"edit"');
      expect(invoker.calls).toHaveLength(0);
      expect(records.records.size).toBe(0);
    });

    it('runs a small edit within the deadline', async () => {
      const { service, invoker } = setup();

      await service.edit({ imageKey: uploadKey, mask }, { ...me, deadlineSeconds: 25 });

      expect(invoker.calls).toHaveLength(1);
    });
  });

  describe('validate', () => {
    it('checks sign-in, model and key ownership without reading the image', () => {
      const { service, images } = setup();
      images.objects.clear();

      expect(() => service.validate({ imageKey: uploadKey, mask }, 'me')).not.toThrow();
      expect(() => service.validate({ imageKey: uploadKey }, undefined)).toThrow(
        expect.objectContaining({ code: 'UNAUTHORIZED' }) as Error,
      );
      expect(() => service.validate({ imageKey: 'users/other/uploads/u2' }, 'me')).toThrow(
        expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
      );
      expect(() => service.validate({ imageKey: uploadKey, model: UNLISTED }, 'me')).toThrow(
        expect.objectContaining({ code: 'MODEL_NOT_ALLOWED' }) as Error,
      );
    });
  });
});
