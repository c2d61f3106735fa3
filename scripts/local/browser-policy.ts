/**
 * Reads shared/web/browser-policy.json the way Terraform does (templatefile() then jsondecode()):
 * the bucket's CORS rule and the security headers served with the SPA, so the local stack enforces
 * exactly what Amplify Hosting and S3 enforce on AWS.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BROWSER_POLICY_PATH = fileURLToPath(
  new URL('../../shared/web/browser-policy.json', import.meta.url),
);

/** The origins the SPA talks to: `'self'` or `scheme://host[:port]`, or a CSP host pattern. */
export interface BrowserOrigins {
  api_origin: string;
  storage_origin: string;
  auth_origin: string;
}

export interface BrowserPolicy {
  storageCors: {
    allowedMethods: string[];
    allowedHeaders: string[];
    exposeHeaders: string[];
    maxAgeSeconds: number;
  };
  securityHeaders: Record<string, string>;
}

interface RawPolicy {
  storage_cors: {
    allowed_methods: string[];
    allowed_headers: string[];
    expose_headers: string[];
    max_age_seconds: number;
  };
  security_headers: Record<string, string>;
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const ORIGIN = /^('self'|https?:\/\/[A-Za-z0-9.*-]+(:\d+)?)$/;

export function loadBrowserPolicy(
  origins: BrowserOrigins,
  file: string = BROWSER_POLICY_PATH,
): BrowserPolicy {
  const values: Record<string, string> = { ...origins };
  for (const [name, value] of Object.entries(values)) {
    // A quote or space would break out of the JSON string or add a CSP source.
    if (!ORIGIN.test(value)) throw new Error(`${name} is not an origin: ${JSON.stringify(value)}`);
  }
  const text = readFileSync(file, 'utf8').replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: no value for the placeholder ${whole}`);
    return value;
  });
  const raw = JSON.parse(text) as RawPolicy;
  return { storageCors: storageCorsOf(raw), securityHeaders: raw.security_headers };
}

/** The bucket's CORS rule alone; it names no origin, so it needs no placeholder values. */
export function loadStorageCors(file: string = BROWSER_POLICY_PATH): BrowserPolicy['storageCors'] {
  return storageCorsOf(JSON.parse(readFileSync(file, 'utf8')) as RawPolicy);
}

function storageCorsOf(raw: RawPolicy): BrowserPolicy['storageCors'] {
  return {
    allowedMethods: raw.storage_cors.allowed_methods,
    allowedHeaders: raw.storage_cors.allowed_headers,
    exposeHeaders: raw.storage_cors.expose_headers,
    maxAgeSeconds: raw.storage_cors.max_age_seconds,
  };
}

/** One CSP directive's sources, e.g. `connect-src` → `['self', 'http://127.0.0.1:4101']`. */
export function cspSources(policy: string, directive: string): string[] | undefined {
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name === directive) return sources;
  }
  return undefined;
}
