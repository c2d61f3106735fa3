/**
 * `npm run ready -- --target aws|local [--no-subscribe] [--skip-smoke]`: is the stack ready for
 * its users? For every model the deployment allows: served in its Region, account subscribed or
 * entitled (subscribing when it is not and the caller may), past end of life or not — then a smoke
 * test of the running stack. Prints a table with what to do for each ✗ and exits 1 on any ✗.
 *
 * `--target aws` reads `terraform output -json` and uses your (the deployer's) AWS credentials;
 * `--target local` reads the running `npm run dev` stack from `.local/stack.json`.
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { REPO_ROOT } from './build.js';
import { LOCAL_CREDENTIALS } from './local/stack.js';
import { checkModel, deploymentModels } from './ready/models.js';
import { failureCount, renderReport, type ReadinessReport } from './ready/report.js';
import { runSmoke, type SmokeTarget } from './ready/smoke.js';

export interface ReadyTarget {
  name: string;
  region: string;
  /** A control-plane client for a Region (models are checked where the functions call them). */
  bedrock: (region: string) => BedrockClient;
  models: { default: string; allowed: string[]; edit: Record<string, string> };
  notChecked?: { modelIds: string[]; reason: string };
  smoke: SmokeTarget;
  close(): void;
}

interface LocalStackFile {
  urls: { cognito: string; bedrockControl?: string };
  config: { userPoolId: string; userPoolClientId: string; region: string; invokeUrl: string };
  bedrock?: 'local' | 'aws';
  models?: {
    region: string;
    default: string;
    edit: Record<string, string>;
    checked: string[];
    localOnly: string[];
  };
}

export function localTarget(dataDir: string): ReadyTarget {
  let stack: LocalStackFile;
  try {
    stack = JSON.parse(readFileSync(path.join(dataDir, 'stack.json'), 'utf8')) as LocalStackFile;
  } catch {
    throw new Error(`No local stack found in ${dataDir}: start it with \`npm run dev\` first.`);
  }
  if (!stack.models || !stack.urls.bedrockControl) {
    throw new Error('The running local stack predates `npm run ready`: restart `npm run dev`.');
  }
  const region = stack.models.region;
  const cognito = new CognitoIdentityProviderClient({
    region: stack.config.region,
    endpoint: stack.urls.cognito,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  // With BEDROCK=aws the functions call the real Bedrock, so the models are checked there too.
  const endpoint = stack.urls.bedrockControl;
  const bedrock = bedrockClients((client) =>
    stack.bedrock === 'aws'
      ? new BedrockClient({ region: client })
      : new BedrockClient({
          region: client,
          endpoint,
          credentials: LOCAL_CREDENTIALS,
          maxAttempts: 1,
        }),
  );
  return {
    name: `the local stack (${stack.config.invokeUrl})`,
    region,
    bedrock: bedrock.get,
    models: {
      default: stack.models.default,
      allowed: stack.models.checked,
      edit: stack.models.edit,
    },
    notChecked: {
      modelIds: stack.models.localOnly,
      reason:
        'allowed only by the local stack, for the seed bodies; past end of life on Bedrock, so Terraform does not allow them by default',
    },
    smoke: {
      invokeUrl: stack.config.invokeUrl,
      cognito,
      userPoolId: stack.config.userPoolId,
      clientId: stack.config.userPoolClientId,
      generateAuth: 'none',
      jobTimeoutMs: 120_000,
    },
    close: () => {
      cognito.destroy();
      bedrock.destroy();
    },
  };
}

/** One control-plane client per Region, made on first use. */
function bedrockClients(create: (region: string) => BedrockClient): {
  get: (region: string) => BedrockClient;
  destroy: () => void;
} {
  const clients = new Map<string, BedrockClient>();
  return {
    get: (region) => {
      const existing = clients.get(region);
      if (existing) return existing;
      const client = create(region);
      clients.set(region, client);
      return client;
    },
    destroy: () => {
      for (const client of clients.values()) client.destroy();
    },
  };
}

type Outputs = Record<string, { value: unknown } | undefined>;

/** The target Terraform deployed, from `terraform output -json` (outputs given for tests). */
export function awsTarget(outputs?: Outputs): ReadyTarget {
  const raw =
    outputs ??
    (JSON.parse(
      execFileSync(
        'terraform',
        [`-chdir=${path.join(REPO_ROOT, 'terraform')}`, 'output', '-json'],
        {
          encoding: 'utf8',
        },
      ),
    ) as Outputs);
  const value = <T>(name: string): T => {
    const found = raw[name]?.value;
    if (found === undefined || found === null) {
      throw new Error(`terraform output "${name}" is missing: run terraform apply first.`);
    }
    return found as T;
  };
  const region = value<string>('region');
  const models = value<{
    region: string;
    default: string;
    allowed: string[];
    edit: Record<string, string>;
  }>('models');
  const cognito = new CognitoIdentityProviderClient({ region });
  const bedrock = bedrockClients((client) => new BedrockClient({ region: client }));
  const generateAuth = value<'none' | 'cognito' | 'api_key'>('generate_auth');
  const apiKey = raw.api_key_value?.value;
  return {
    name: `the deployed stack (${value<string>('invoke_url')})`,
    region: models.region,
    bedrock: bedrock.get,
    models,
    smoke: {
      invokeUrl: value<string>('invoke_url'),
      cognito,
      userPoolId: value<string>('user_pool_id'),
      clientId: value<string>('user_pool_client_id'),
      generateAuth,
      ...(typeof apiKey === 'string' ? { apiKey } : {}),
    },
    close: () => {
      cognito.destroy();
      bedrock.destroy();
    },
  };
}

export interface ReadyOptions {
  subscribe: boolean;
  smoke: boolean;
  /** Progress lines (the model checks and smoke steps take a while on AWS). */
  progress?: (line: string) => void;
}

export async function runReady(
  target: ReadyTarget,
  options: ReadyOptions,
): Promise<ReadinessReport> {
  const progress = options.progress ?? (() => undefined);
  const models = [];
  for (const { modelId, roles } of deploymentModels(target.models)) {
    progress(`checking ${modelId}…`);
    models.push(
      await checkModel(target.bedrock, modelId, roles, {
        region: target.region,
        subscribe: options.subscribe,
      }),
    );
  }
  const smoke = options.smoke
    ? await runSmoke(target.smoke, (step) => progress(`${step.ok ? '✓' : '✗'} ${step.name}`))
    : [];
  return {
    target: target.name,
    region: target.region,
    models,
    ...(target.notChecked ? { notChecked: target.notChecked } : {}),
    smoke,
  };
}

const USAGE = 'Usage: npm run ready -- --target aws|local [--no-subscribe] [--skip-smoke]';

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      'no-subscribe': { type: 'boolean', default: false },
      'skip-smoke': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.target !== 'aws' && values.target !== 'local') {
    console.error(USAGE);
    return 2;
  }
  const target =
    values.target === 'aws'
      ? awsTarget()
      : localTarget(path.resolve(process.env.LOCAL_DATA_DIR ?? path.join(REPO_ROOT, '.local')));
  try {
    const report = await runReady(target, {
      subscribe: !values['no-subscribe'],
      smoke: !values['skip-smoke'],
      progress: (line) => console.error(line),
    });
    console.log(renderReport(report));
    return failureCount(report) === 0 ? 0 : 1;
  } finally {
    target.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
