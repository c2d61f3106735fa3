import * as z from 'zod';

import { callerId, header, parseJsonBody, parseQuery } from './request.js';
import { TEST_USER_ID, proxyEvent } from './test-events.js';
import { thrownBy } from '../models/test-fixtures.js';

const schema = z.strictObject({ prompt: z.string().min(1), count: z.number().int().optional() });

describe('parseJsonBody', () => {
  it('accepts JSON with a charset, in any header casing, and base64 bodies', () => {
    const event = proxyEvent({
      body: { prompt: 'a' },
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      isBase64Encoded: true,
    });
    delete event.headers['content-type'];

    expect(parseJsonBody(event, schema)).toEqual({ prompt: 'a' });
  });

  it('throws 415 without a JSON content type, 400 INVALID_JSON for empty or broken bodies', () => {
    const noType = proxyEvent({ body: { prompt: 'a' } });
    delete noType.headers['content-type'];

    expect(thrownBy(() => parseJsonBody(noType, schema))).toMatchObject({ status: 415 });
    expect(thrownBy(() => parseJsonBody(proxyEvent({ body: null }), schema))).toMatchObject({
      code: 'INVALID_JSON',
    });
    expect(thrownBy(() => parseJsonBody(proxyEvent({ body: '{' }), schema))).toMatchObject({
      code: 'INVALID_JSON',
    });
  });

  it('lists each offending field in details', () => {
    const event = proxyEvent({ body: { prompt: '', count: 1.5, extra: true, more: 1 } });

    expect(thrownBy(() => parseJsonBody(event, schema))).toMatchObject({
      code: 'INVALID_REQUEST',
      details: expect.arrayContaining([
        expect.objectContaining({ path: 'prompt' }),
        expect.objectContaining({ path: 'count' }),
        { path: 'extra', message: 'unknown field' },
        { path: 'more', message: 'unknown field' },
      ]) as unknown,
    });
  });
});

describe('event helpers', () => {
  it('finds headers case-insensitively', () => {
    expect(header(proxyEvent(), 'HOST')).toBe('abc123defg.execute-api.us-west-2.amazonaws.com');
  });

  it('reads the caller only from authorizer claims', () => {
    expect(callerId(proxyEvent({ claims: true }))).toBe(TEST_USER_ID);
    expect(callerId(proxyEvent())).toBeUndefined();
  });

  it('validates the query string', () => {
    const query = z.strictObject({ limit: z.string().optional() });

    expect(parseQuery(proxyEvent({ query: { limit: '2' } }), query)).toEqual({ limit: '2' });
    expect(thrownBy(() => parseQuery(proxyEvent({ query: { other: '1' } }), query))).toMatchObject({
      status: 400,
    });
  });
});
