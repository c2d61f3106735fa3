import { checkImageFile, MAX_UPLOAD_BYTES } from './files.js';

describe('checkImageFile', () => {
  it.each(['image/png', 'image/jpeg', 'image/webp'])('accepts %s', (type) => {
    expect(checkImageFile({ name: 'a', type, size: 1000 })).toEqual({ ok: true });
  });

  it('rejects other types and names the file', () => {
    const result = checkImageFile({ name: 'photo.gif', type: 'image/gif', size: 1000 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/photo\.gif.*PNG, JPEG or WebP/);
  });

  it('accepts exactly 10 MB and rejects one byte more', () => {
    expect(checkImageFile({ name: 'a', type: 'image/png', size: MAX_UPLOAD_BYTES }).ok).toBe(true);
    const result = checkImageFile({ name: 'a', type: 'image/png', size: MAX_UPLOAD_BYTES + 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/10\.0 MB/);
  });

  it('rejects empty files', () => {
    expect(checkImageFile({ name: 'a', type: 'image/png', size: 0 }).ok).toBe(false);
  });
});
