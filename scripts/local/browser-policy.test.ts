import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { cspSources, loadBrowserPolicy, loadStorageCors } from './browser-policy.js';

const AWS_ORIGINS = {
  api_origin: 'https://*.execute-api.us-west-2.amazonaws.com',
  storage_origin: 'https://imagegen-dev-images-1.s3.us-west-2.amazonaws.com',
  auth_origin: 'https://cognito-idp.us-west-2.amazonaws.com',
};

describe('loadBrowserPolicy (shared/web/browser-policy.json)', () => {
  const policy = loadBrowserPolicy(AWS_ORIGINS);
  const csp = policy.securityHeaders['Content-Security-Policy']!;

  it('lets the SPA reach exactly the API, the bucket and Cognito', () => {
    expect(cspSources(csp, 'connect-src')).toEqual([
      "'self'",
      AWS_ORIGINS.api_origin,
      AWS_ORIGINS.storage_origin,
      AWS_ORIGINS.auth_origin,
    ]);
    expect(cspSources(csp, 'img-src')).toEqual([
      "'self'",
      'data:',
      'blob:',
      AWS_ORIGINS.storage_origin,
    ]);
    expect(cspSources(csp, 'default-src')).toEqual(["'none'"]);
    expect(cspSources(csp, 'script-src')).toEqual(["'self'"]);
  });

  it('forbids framing, inline script, plugins and form posts elsewhere', () => {
    expect(cspSources(csp, 'frame-ancestors')).toEqual(["'none'"]);
    expect(cspSources(csp, 'object-src')).toEqual(["'none'"]);
    expect(cspSources(csp, 'base-uri')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(policy.securityHeaders['Strict-Transport-Security']).toMatch(
      /^max-age=\d{8,}; includeSubDomains$/,
    );
    expect(policy.securityHeaders).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
    });
  });

  it('lets browsers only read and POST-upload to the bucket', () => {
    expect(policy.storageCors.allowedMethods).toEqual(['GET', 'POST']);
    expect(policy.storageCors.allowedHeaders).toEqual([]);
    expect(policy.storageCors.exposeHeaders).toEqual([]);
    expect(loadStorageCors()).toEqual(policy.storageCors);
  });

  it('refuses a value that would break out of the policy', () => {
    expect(() =>
      loadBrowserPolicy({
        ...AWS_ORIGINS,
        api_origin: "https://a.example; script-src 'unsafe-inline'",
      }),
    ).toThrow(/not an origin/);
  });

  it('refuses a template with a placeholder it has no value for, as templatefile() does', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'browser-policy-'));
    const file = path.join(dir, 'policy.json');
    writeFileSync(
      file,
      JSON.stringify({
        storage_cors: {
          allowed_methods: ['GET'],
          allowed_headers: [],
          expose_headers: [],
          max_age_seconds: 1,
        },
        security_headers: { 'Content-Security-Policy': 'connect-src ${cdn_origin}' },
      }),
    );
    expect(() => loadBrowserPolicy(AWS_ORIGINS, file)).toThrow(/cdn_origin/);
  });
});
