import { describeError } from './error-text.js';

describe('describeError', () => {
  it('never shows the raw code or the upstream exception name', () => {
    const text = describeError({
      code: 'UPSTREAM_ERROR',
      message: 'Bedrock failed (InternalServerException)',
    });
    expect(text.message).not.toMatch(/UPSTREAM_ERROR|InternalServerException/);
    expect(text.label).toBe('Model error');
    expect(text.retryable).toBe(true);
  });

  it('offers a retry for throttling and not for a content filter', () => {
    expect(describeError({ code: 'THROTTLED', message: 'Too many requests' }).retryable).toBe(true);
    expect(describeError({ code: 'CONTENT_FILTERED', message: 'blocked' }).retryable).toBe(false);
  });

  it('passes the API’s message on for client mistakes and names the fields', () => {
    const text = describeError({
      code: 'INVALID_PARAMETER',
      message: 'amazon.titan-image-generator-v2:0: prompt must be at most 512 characters',
    });
    expect(text.message).toContain('512 characters');
    expect(text.fields).toEqual(['prompt']);
    expect(
      describeError({
        code: 'INVALID_REQUEST',
        message: 'Invalid body',
        details: [{ path: 'seed', message: 'too big' }],
      }).fields,
    ).toEqual(['seed']);
  });

  it('falls back to the message of anything else', () => {
    expect(describeError(new Error('boom (InternalServerException)')).message).toBe('boom');
  });
});
