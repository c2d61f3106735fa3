/** The runtime settings `/config.js` puts on `window.APP_CONFIG` (Terraform writes the same shape). */
export interface AppConfig {
  userPoolId: string;
  userPoolClientId: string;
  region: string;
  /** API base including the stage, e.g. https://abc.execute-api.us-east-1.amazonaws.com/prod. */
  invokeUrl: string;
  /** Local stack only: the Cognito stand-in's URL. Absent on AWS. */
  cognitoEndpoint?: string;
}

declare global {
  interface Window {
    APP_CONFIG?: unknown;
  }
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

const REQUIRED_KEYS = ['userPoolId', 'userPoolClientId', 'region', 'invokeUrl'] as const;

/** Checks the untrusted config object and lists every problem, so one reload fixes them all. */
export function parseConfig(raw: unknown): ConfigResult {
  if (raw === undefined || raw === null) {
    return {
      ok: false,
      problems: ['window.APP_CONFIG is not set: /config.js is missing or failed to load.'],
    };
  }
  if (typeof raw !== 'object') {
    return { ok: false, problems: ['window.APP_CONFIG must be an object.'] };
  }
  const record = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of REQUIRED_KEYS) {
    const value = record[key];
    if (typeof value !== 'string' || value.trim() === '')
      problems.push(`${key} is missing or empty.`);
  }
  for (const key of ['invokeUrl', 'cognitoEndpoint'] as const) {
    const value = record[key];
    if (typeof value === 'string' && value !== '' && !/^https?:\/\//.test(value)) {
      problems.push(`${key} must be an http(s) URL, got "${value}".`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const endpoint = record.cognitoEndpoint;
  return {
    ok: true,
    config: {
      userPoolId: String(record.userPoolId),
      userPoolClientId: String(record.userPoolClientId),
      region: String(record.region),
      invokeUrl: String(record.invokeUrl).replace(/\/+$/, ''),
      ...(typeof endpoint === 'string' && endpoint !== '' ? { cognitoEndpoint: endpoint } : {}),
    },
  };
}
