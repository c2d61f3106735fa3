import type { HistoryItem } from './api/types.js';
import { editRequestFrom, generateRequestFrom } from './history-requests.js';

const generated: HistoryItem = {
  id: 'g1',
  kind: 'generation',
  model: 'stability.stable-image-core-v1:1',
  prompt: 'a red fox',
  parameters: { aspectRatio: '16:9', negativePrompt: 'blur', count: 2, seed: 7, unknownKey: 1 },
  status: 'succeeded',
  createdAt: '2026-01-01T00:00:00Z',
  images: [
    { url: 'u1', key: 'k1', seed: 1234 },
    { url: 'u2', key: 'k2', seed: 1235 },
  ],
};

describe('generateRequestFrom', () => {
  it('re-runs with the seed the first image used, the same count and the known parameters only', () => {
    expect(generateRequestFrom(generated)).toEqual({
      prompt: 'a red fox',
      model: 'stability.stable-image-core-v1:1',
      aspectRatio: '16:9',
      negativePrompt: 'blur',
      seed: 1234,
      count: 2,
    });
  });

  it('falls back to the requested seed when images carry none', () => {
    const item = { ...generated, images: [{ url: 'u', key: 'k', seed: null }] };
    expect(generateRequestFrom(item)?.seed).toBe(7);
  });

  it('returns null without a prompt', () => {
    expect(generateRequestFrom({ ...generated, prompt: '', parameters: {} })).toBeNull();
  });
});

describe('editRequestFrom', () => {
  it('keeps the image-guided settings, including style-transfer’s second image', () => {
    const item: HistoryItem = {
      ...generated,
      kind: 'edit',
      operation: 'style-transfer',
      model: 'us.stability.stable-style-transfer-v1:0',
      parameters: { styleImageKey: 'uploads/u/style.png', styleStrength: 0.8, width: 64 },
      input: { key: 'uploads/u/1.png', url: 'https://s3.test/in' },
    };
    expect(editRequestFrom(item)).toMatchObject({
      operation: 'style-transfer',
      styleImageKey: 'uploads/u/style.png',
      styleStrength: 0.8,
    });
    expect(editRequestFrom(item)).not.toHaveProperty('width');
  });

  it('needs the input image key and keeps operation, region and seed', () => {
    const item: HistoryItem = {
      ...generated,
      kind: 'edit',
      operation: 'inpaint',
      model: 'amazon.nova-canvas-v1:0',
      parameters: { maskPrompt: 'the sky', width: 640, height: 480 },
      input: { key: 'uploads/u/1.png', url: 'https://s3.test/in' },
    };
    expect(editRequestFrom(item)).toEqual({
      imageKey: 'uploads/u/1.png',
      model: 'amazon.nova-canvas-v1:0',
      operation: 'inpaint',
      prompt: 'a red fox',
      maskPrompt: 'the sky',
      seed: 1234,
    });
    const { input: _input, ...withoutInput } = item;
    expect(editRequestFrom(withoutInput)).toBeNull();
  });
});
