/**
 * The whole system on this machine: S3, DynamoDB, Cognito and Bedrock stand-ins, a Lambda runtime
 * that loads the same bundles Terraform deploys, and the API gateway rendered from the same OpenAPI
 * file. The functions get nothing but environment variables: the real AWS SDK clients find the
 * stand-ins through `AWS_ENDPOINT_URL_<SERVICE>`.
 */
import { DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_EDIT_MODELS,
  DEFAULT_TEXT_TO_IMAGE_MODEL,
  MODEL_CATALOG,
} from '../../shared/models/index.js';
import { listFunctions, REPO_ROOT } from '../build.js';
import { startBedrockControlPlane } from './bedrock/control-plane.js';
import { startBedrock, type BedrockStats } from './bedrock/server.js';
import { startCognito } from './cognito/server.js';
import { ensureTable, startDynamoDb } from './dynamodb/server.js';
import {
  loadFunctionDefinitions,
  resolveFunction,
  type DeploymentSettings,
} from './function-definitions.js';
import { loadBrowserPolicy, loadStorageCors } from './browser-policy.js';
import { startGateway } from './gateway/server.js';
import { createLambdaRuntime } from './lambda/runtime.js';
import { startLambda } from './lambda/server.js';
import { startS3 } from './s3/server.js';

export interface StackPorts {
  gateway: number;
  s3: number;
  dynamodb: number;
  cognito: number;
  bedrock: number;
  lambda: number;
  /** The Bedrock control-plane stand-in (`npm run ready`'s model checks). */
  bedrockControl: number;
}

/** Fixed defaults so URLs in the README work; every one can be changed (0 = any free port). */
export const DEFAULT_PORTS: StackPorts = {
  gateway: 3000,
  cognito: 4100,
  s3: 4101,
  dynamodb: 4102,
  bedrock: 4103,
  lambda: 4104,
  bedrockControl: 4105,
};

export interface StackOptions {
  /** Where state lives between restarts (S3 objects, DynamoDB data, Cognito users and keys). */
  dataDir: string;
  ports?: Partial<StackPorts>;
  host?: string;
  stage?: string;
  region?: string;
  /** `aws` sends model calls to the real Bedrock with your AWS credentials; all else stays local. */
  bedrock?: 'local' | 'aws';
  /** Models the local Bedrock stand-in answers as retired (end of life). */
  retiredModels?: string[];
  /** Folder of the built SPA to serve at the gateway's root. */
  webRoot?: string;
  /** Folder holding `functions/<name>/index.mjs` bundles from `npm run build`. */
  bundlesDir?: string;
  log?: boolean;
  /** Extra environment for every function (tests use it to shorten timeouts). */
  functionEnv?: Record<string, string>;
  /** Per-function Lambda timeout override in ms (default: Terraform's, from shared/deployment/functions.json). */
  functionTimeoutMs?: Partial<Record<string, number>>;
  integrationTimeoutMs?: number;
}

export interface SpaConfig {
  userPoolId: string;
  userPoolClientId: string;
  region: string;
  invokeUrl: string;
  cognitoEndpoint: string;
}

export interface Stack {
  invokeUrl: string;
  /** Where the SPA is served; absent when the stack was started without a built SPA. */
  webUrl?: string;
  urls: Record<keyof StackPorts, string>;
  config: SpaConfig;
  /** What every function's environment holds locally: credentials and the stand-ins' endpoints (what a CLI needs). */
  functionEnv: Record<string, string>;
  /** Each function's whole environment: functionEnv plus what Terraform gives it (shared/deployment/functions.json). */
  functionEnvironments: Record<string, Record<string, string>>;
  bucket: string;
  table: string;
  bedrockStats?: () => BedrockStats;
  close(): Promise<void>;
}

export const LOCAL_BUCKET = 'imagegen-local';
export const LOCAL_TABLE = 'imagegen-local';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'localsecret' };
const LOCAL_CLIENT_ID = 'local0client0id0000000000a';

/**
 * Locally every model the adapter library knows is allowed (the stand-in serves them all, retired
 * ones included, so both seed bodies can be exercised); on AWS, Terraform's allowed_models decides.
 */
export const LOCAL_ALLOWED_MODELS = [
  ...new Set([...MODEL_CATALOG.map((model) => model.id), ...Object.values(DEFAULT_EDIT_MODELS)]),
];

/**
 * What `npm run ready -- --target local` checks: the local models minus those past end of life,
 * which only the local stack allows (for the seed bodies) and a deployment should not.
 */
export function localReadinessModels(): { checked: string[]; localOnly: string[] } {
  const pastEndOfLife = (id: string): boolean =>
    MODEL_CATALOG.find((model) => model.id === id)?.lifecycle === 'end-of-life';
  return {
    checked: LOCAL_ALLOWED_MODELS.filter((id) => !pastEndOfLife(id)),
    localOnly: LOCAL_ALLOWED_MODELS.filter(pastEndOfLife),
  };
}

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The caller's AWS credentials (environment, profile, SSO…), resolved once for the stack's life. */
async function awsCredentials(): Promise<Credentials> {
  try {
    const { accessKeyId, secretAccessKey, sessionToken } = await defaultProvider()();
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  } catch (error) {
    throw new Error(
      `BEDROCK=aws needs AWS credentials (environment variables, a profile or SSO): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** The table Terraform creates (terraform/modules/database), for the local DynamoDB. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'userId', AttributeType: 'S' },
      { AttributeName: 'createdAt', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byUser',
        KeySchema: [
          { AttributeName: 'userId', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** The origins a browser may use for a local server: as given, and by localhost or 127.0.0.1. */
export function browserOrigins(url: string): string[] {
  const { protocol, hostname, port } = new URL(url);
  const hosts = ['127.0.0.1', 'localhost'].includes(hostname)
    ? ['127.0.0.1', 'localhost']
    : [hostname];
  return hosts.map((host) => `${protocol}//${host}${port ? `:${port}` : ''}`);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const host = options.host ?? '127.0.0.1';
  const ports = { ...DEFAULT_PORTS, ...options.ports };
  const stage = options.stage ?? 'dev';
  const region = options.region ?? 'us-west-2';
  const userPoolId = `${region}_LocalPool1`;
  const bundlesDir = options.bundlesDir ?? path.join(REPO_ROOT, 'dist', 'functions');
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };

  const bedrockMode = options.bedrock ?? 'local';
  try {
    // With the real Bedrock, functions need real credentials; the local S3 and Cognito stand-ins
    // then verify signatures against those same credentials.
    const credentials: Credentials =
      bedrockMode === 'aws' ? await awsCredentials() : LOCAL_CREDENTIALS;
    for (const sub of ['s3', 'dynamodb', 'cognito']) {
      await mkdir(path.join(options.dataDir, sub), { recursive: true });
    }

    const cognito = await startCognito({
      port: ports.cognito,
      host,
      dataDir: path.join(options.dataDir, 'cognito'),
      region,
      userPoolId,
      clientId: LOCAL_CLIENT_ID,
      credentials,
    });
    closers.push(() => cognito.close());

    // The bucket's CORS rule as Terraform sets it (shared/web/browser-policy.json), for the SPA's
    // origins, known once the gateway listens.
    let spaOrigins: string[] = [];
    let securityHeaders: Record<string, string> = {};
    const storageCors = loadStorageCors();
    const s3 = await startS3({
      port: ports.s3,
      host,
      dataDir: path.join(options.dataDir, 's3'),
      region,
      credentials,
      buckets: [LOCAL_BUCKET],
      corsOrigins: () => spaOrigins,
      corsMethods: storageCors.allowedMethods,
      corsAllowedHeaders: storageCors.allowedHeaders,
      corsExposeHeaders: storageCors.exposeHeaders,
      corsMaxAgeSeconds: storageCors.maxAgeSeconds,
    });
    closers.push(() => s3.close());

    const dynamodb = await startDynamoDb({
      port: ports.dynamodb,
      host,
      dataDir: path.join(options.dataDir, 'dynamodb'),
    });
    closers.push(() => dynamodb.close());

    const bedrock =
      bedrockMode === 'local'
        ? await startBedrock({
            port: ports.bedrock,
            host,
            ...(options.retiredModels ? { retiredModels: options.retiredModels } : {}),
          })
        : undefined;
    if (bedrock) closers.push(() => bedrock.close());

    const bedrockControl =
      bedrockMode === 'local'
        ? await startBedrockControlPlane({
            port: ports.bedrockControl,
            host,
            credentials,
            ...(options.retiredModels ? { retiredModels: options.retiredModels } : {}),
          })
        : undefined;
    if (bedrockControl) closers.push(() => bedrockControl.close());

    const lambdaPort = ports.lambda;
    // What only the local stack needs: credentials (Lambda takes them from the role) and the
    // stand-ins' endpoints. Everything else comes from shared/deployment/functions.json.
    const functionEnv: Record<string, string> = {
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
      AWS_ENDPOINT_URL_S3: s3.url,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_DEV: 'false',
      ...(bedrock ? { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url } : {}),
    };
    const settings: DeploymentSettings = {
      bucket_name: LOCAL_BUCKET,
      table_name: LOCAL_TABLE,
      allowed_models: LOCAL_ALLOWED_MODELS.join(','),
      default_model: DEFAULT_TEXT_TO_IMAGE_MODEL,
      edit_models: JSON.stringify(DEFAULT_EDIT_MODELS),
      bedrock_region: region,
      cors_origin: '*',
      job_worker_function_name: 'job-worker',
    };
    const definitions = loadFunctionDefinitions();

    const dynamoClient = new DynamoDBClient({
      region,
      endpoint: dynamodb.url,
      credentials,
    });
    await ensureTable(dynamoClient, tableDefinition(LOCAL_TABLE));
    dynamoClient.destroy();

    const names = await listFunctions();
    const missing = names.filter((name) => !existsSync(path.join(bundlesDir, name, 'index.mjs')));
    if (missing.length > 0) {
      throw new Error(
        `Function bundles missing in ${bundlesDir}: ${missing.join(', ')}. Run \`npm run build\` first.`,
      );
    }

    // The Lambda Invoke API must be listening before any function calls it (jobs → job-worker),
    // and its URL must be in the functions' environment, so start the server on a port first.
    const late: { runtime?: ReturnType<typeof createLambdaRuntime> } = {};
    const lambda = await startLambda({
      port: lambdaPort,
      host,
      // The server only calls invoke(); the runtime behind it is created once the URL is known.
      runtime: {
        invoke: (name, event, opts) => {
          if (!late.runtime) throw new Error('Lambda runtime is not ready');
          return late.runtime.invoke(name, event, opts);
        },
      },
    });
    closers.push(() => lambda.close());
    functionEnv.AWS_ENDPOINT_URL_LAMBDA = lambda.url;

    const functionEnvironments: Record<string, Record<string, string>> = {};
    const runtime = createLambdaRuntime(
      Object.fromEntries(
        names.map((name) => {
          const resolved = resolveFunction(definitions, name, settings);
          const env = { ...functionEnv, ...resolved.environment, ...options.functionEnv };
          functionEnvironments[name] = env;
          return [
            name,
            {
              bundlePath: path.join(bundlesDir, name, 'index.mjs'),
              env: { ...env, AWS_LAMBDA_FUNCTION_NAME: name },
              timeoutMs: options.functionTimeoutMs?.[name] ?? resolved.timeoutMs,
              memoryMb: resolved.memoryMb,
            },
          ];
        }),
      ),
    );
    late.runtime = runtime;
    closers.push(() => runtime.close());

    const gatewayBase = `http://${host}:${ports.gateway === 0 ? 0 : ports.gateway}`;
    // Only a folder with the built app is served: without index.html every page would be a 404.
    const webRoot =
      options.webRoot && existsSync(path.join(options.webRoot, 'index.html'))
        ? options.webRoot
        : undefined;
    // The config.js needs the gateway's URL; with port 0 we only learn it after start, so the
    // gateway gets a function and renders config.js per request.
    let invokeUrl = `${gatewayBase}/${stage}`;
    const config = (): SpaConfig => ({
      userPoolId,
      userPoolClientId: LOCAL_CLIENT_ID,
      region,
      invokeUrl,
      cognitoEndpoint: cognito.url,
    });
    const gateway = await startGateway({
      port: ports.gateway,
      host,
      stage,
      openapiPath: path.join(REPO_ROOT, 'shared', 'api', 'openapi.yaml'),
      placeholders: {
        region,
        cors_origin: '*',
        public_security: '[]',
        user_pool_arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${userPoolId}`,
      },
      runtime,
      cognito: {
        userPoolId,
        clientId: LOCAL_CLIENT_ID,
        issuer: cognito.issuer,
        jwks: () => cognito.jwks(),
      },
      ...(options.integrationTimeoutMs
        ? { integrationTimeoutMs: options.integrationTimeoutMs }
        : {}),
      ...(webRoot ? { webRoot } : {}),
      configJs: () => `window.APP_CONFIG = ${JSON.stringify(config(), null, 2)};\n`,
      // The headers Amplify Hosting sends with the SPA, for the local origins it talks to.
      webHeaders: () => securityHeaders,
      log: options.log ?? false,
    });
    closers.push(() => gateway.close());
    invokeUrl = `${gateway.url}/${stage}`;
    spaOrigins = browserOrigins(gateway.url);
    securityHeaders = loadBrowserPolicy({
      api_origin: new URL(gateway.url).origin,
      storage_origin: new URL(s3.url).origin,
      auth_origin: new URL(cognito.url).origin,
    }).securityHeaders;

    const urls = {
      gateway: gateway.url,
      s3: s3.url,
      dynamodb: dynamodb.url,
      cognito: cognito.url,
      bedrock: bedrock ? bedrock.url : `https://bedrock-runtime.${region}.amazonaws.com`,
      lambda: lambda.url,
      bedrockControl: bedrockControl
        ? bedrockControl.url
        : `https://bedrock.${region}.amazonaws.com`,
    };
    // What the CLIs (npm run user, npm run ready) need to find this stack.
    const models = {
      region,
      default: settings.default_model,
      edit: JSON.parse(settings.edit_models) as Record<string, string>,
      ...localReadinessModels(),
    };
    await writeFile(
      path.join(options.dataDir, 'stack.json'),
      JSON.stringify(
        {
          urls,
          config: config(),
          bucket: LOCAL_BUCKET,
          table: LOCAL_TABLE,
          bedrock: bedrockMode,
          models,
        },
        null,
        2,
      ),
    );

    return {
      invokeUrl,
      ...(webRoot ? { webUrl: `${gateway.url}/` } : {}),
      urls,
      config: config(),
      functionEnv: { ...functionEnv, ...options.functionEnv },
      functionEnvironments,
      bucket: LOCAL_BUCKET,
      table: LOCAL_TABLE,
      ...(bedrock ? { bedrockStats: () => bedrock.stats() } : {}),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
