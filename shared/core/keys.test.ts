import { CONTENT_ID_LENGTH, contentId, generatedPrefix, isOwnedKey, outputKey } from './keys.js';

describe('isOwnedKey', () => {
  it.each([
    ['users/me/uploads/abc', true],
    ['users/me/edits/id/0.png', true],
    ['users/me2/uploads/abc', false],
    ['users/other/uploads/abc', false],
    ['users/me/../other/uploads/abc', false],
    ['users/me/./uploads/abc', false],
    ['users/me//uploads', false],
    ['users/me/', false],
    ['users/me/uploads/a\u0000b', false],
    ['generated/abc/0.png', false],
  ])('%s → %s', (key, expected) => {
    expect(isOwnedKey(key, 'me')).toBe(expected);
  });
});

describe('contentId', () => {
  it('is the same for equal requests whatever the key order, and 32 url-safe characters', () => {
    const a = contentId({ model: 'm', params: { prompt: 'p', seed: 1, width: 2 } });
    const b = contentId({
      params: { width: 2, seed: 1, prompt: 'p', style: undefined },
      model: 'm',
    });

    expect(a).toBe(b);
    expect(a).toHaveLength(CONTENT_ID_LENGTH);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('differs when any parameter differs', () => {
    const base = { model: 'm', params: { prompt: 'p', seed: 1 } };

    expect(contentId({ ...base, params: { prompt: 'p', seed: 2 } })).not.toBe(contentId(base));
    expect(contentId({ ...base, model: 'n' })).not.toBe(contentId(base));
  });
});

describe('output keys', () => {
  it('name each image <prefix><id>/<n>.<ext>', () => {
    expect(outputKey(generatedPrefix(undefined), 'id', 2, 'image/jpeg')).toBe('generated/id/2.jpg');
    expect(outputKey(generatedPrefix('me'), 'id', 0, 'image/webp')).toBe(
      'users/me/generated/id/0.webp',
    );
  });
});
