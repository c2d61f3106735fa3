import { parseConfig } from './config.js';

const valid = {
  userPoolId: 'us-east-1_abc',
  userPoolClientId: 'client',
  region: 'us-east-1',
  invokeUrl: 'https://api.example.com/prod/',
};

describe('parseConfig', () => {
  it('accepts the Terraform shape and trims the trailing slash of invokeUrl', () => {
    const result = parseConfig(valid);
    expect(result).toEqual({
      ok: true,
      config: { ...valid, invokeUrl: 'https://api.example.com/prod' },
    });
  });

  it('keeps cognitoEndpoint for the local stack', () => {
    const result = parseConfig({ ...valid, cognitoEndpoint: 'http://127.0.0.1:4566' });
    expect(result.ok && result.config.cognitoEndpoint).toBe('http://127.0.0.1:4566');
  });

  it('explains a missing config.js', () => {
    const result = parseConfig(undefined);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]).toMatch(/config\.js/);
  });

  it('lists every missing or malformed key at once', () => {
    const result = parseConfig({ region: 'us-east-1', invokeUrl: 'api.example.com' });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.join('\n');
    expect(problems).toMatch(/userPoolId/);
    expect(problems).toMatch(/userPoolClientId/);
    expect(problems).toMatch(/invokeUrl must be an http/);
  });
});
