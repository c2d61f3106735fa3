import { downloadFileName, extensionFor, slugify } from './names.js';

describe('slugify', () => {
  it('keeps letters and digits, joined by single dashes', () => {
    expect(slugify('A lighthouse at dusk, 35mm photo!')).toBe('a-lighthouse-at-dusk-35mm-photo');
  });

  it('folds accents and drops everything else', () => {
    expect(slugify('Crème brûlée — «très» bien')).toBe('creme-brulee-tres-bien');
    expect(slugify('🙂 ?!')).toBe('');
  });

  it('cuts long prompts at a word boundary', () => {
    const slug = slugify('word '.repeat(40));
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug.endsWith('word')).toBe(true);
  });
});

describe('downloadFileName', () => {
  const url = 'http://127.0.0.1:4101/bucket/users/u/generated/id/0.png?X-Amz-Signature=abc';

  it('is <prompt-slug>-<seed>.png', () => {
    expect(downloadFileName({ prompt: 'A red balloon', seed: 1234, index: 0, url })).toBe(
      'a-red-balloon-1234.png',
    );
  });

  it('uses the position without a seed and "image" without a prompt', () => {
    expect(downloadFileName({ prompt: undefined, seed: null, index: 2, url })).toBe('image-3.png');
  });

  it('takes the extension from the URL path, not the query', () => {
    expect(extensionFor('https://x/a/0.jpeg?b=c.png')).toBe('jpg');
    expect(extensionFor('https://x/a/0.webp')).toBe('webp');
    expect(extensionFor('https://x/a/0')).toBe('png');
  });
});
