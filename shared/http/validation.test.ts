import * as z from 'zod';

import { AppError } from '../errors.js';
import { validate } from './validation.js';

const schema = z.strictObject({
  prompt: z.string(),
  options: z.record(z.string(), z.string()).optional(),
});

function refusal(value: unknown): { message: string; details: unknown } {
  try {
    validate(schema, value, 'query');
  } catch (error) {
    if (error instanceof AppError) return { message: error.message, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('validate', () => {
  it('names an unknown field', () => {
    expect(refusal({ prompt: 'a', colour: 'red' })).toEqual({
      message: 'Invalid query: colour: unknown field',
      details: [{ path: 'colour', message: 'unknown field' }],
    });
  });

  it('refuses a __proto__ key the same way, where zod would drop it silently', () => {
    expect(refusal(JSON.parse('{"prompt":"a","__proto__":"x"}'))).toEqual({
      message: 'Invalid query: __proto__: unknown field',
      details: [{ path: '__proto__', message: 'unknown field' }],
    });
    // Inside a record, zod keeps no trace of it at all.
    expect(refusal(JSON.parse('{"prompt":"a","options":{"__proto__":{"x":"1"}}}'))).toEqual({
      message: 'Invalid query: options.__proto__: unknown field',
      details: [{ path: 'options.__proto__', message: 'unknown field' }],
    });
  });

  it('refuses constructor and toString like any unknown field', () => {
    expect(refusal({ prompt: 'a', constructor: 'x' }).message).toBe(
      'Invalid query: constructor: unknown field',
    );
  });

  it('accepts a valid value and survives a deeply nested hostile one', () => {
    expect(validate(schema, { prompt: 'a', options: { k: 'v' } })).toEqual({
      prompt: 'a',
      options: { k: 'v' },
    });
    const deep: unknown = JSON.parse(
      `{"prompt":"a","options":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    );
    expect(() => validate(schema, deep)).toThrow(AppError);
  });
});
