/**
 * `npm run dev`: the whole system on this machine, offline. Prints where everything is.
 * Builds the SPA first, so the app it serves is never missing or stale.
 * Options: `--reset` clears local state first; environment variables change ports and modes
 * (see README "Local stack").
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './build.js';
import { DEFAULT_PORTS, startStack, type StackPorts } from './local/stack.js';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  }
  return value;
}

const WEB_DIST = path.join(REPO_ROOT, 'web', 'dist');

/**
 * Builds the SPA into web/dist (a few seconds), so a fresh clone serves the app and never a stale
 * build. Resolves to the reason it could not be built, or undefined when it was.
 */
async function buildWebApp(): Promise<string | undefined> {
  try {
    await promisify(execFile)(
      process.execPath,
      [
        path.join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        'web',
        '--logLevel',
        'error',
      ],
      { cwd: REPO_ROOT },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return stderr || (error instanceof Error ? error.message : String(error));
  }
  return existsSync(path.join(WEB_DIST, 'index.html'))
    ? undefined
    : 'web/dist/index.html is missing';
}

async function main(): Promise<void> {
  // The SDK warns on Node 20 about releases after January 2027; the lockfile pins what we use.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = path.resolve(process.env.LOCAL_DATA_DIR ?? path.join(REPO_ROOT, '.local'));
  if (process.argv.includes('--reset')) {
    await rm(dataDir, { recursive: true, force: true });
    console.log(`Cleared local state in ${dataDir}`);
  }
  const bedrock = process.env.BEDROCK === 'aws' ? 'aws' : 'local';
  const ports: StackPorts = {
    gateway: port('PORT', DEFAULT_PORTS.gateway),
    cognito: port('LOCAL_PORT_COGNITO', DEFAULT_PORTS.cognito),
    s3: port('LOCAL_PORT_S3', DEFAULT_PORTS.s3),
    dynamodb: port('LOCAL_PORT_DYNAMODB', DEFAULT_PORTS.dynamodb),
    bedrock: port('LOCAL_PORT_BEDROCK', DEFAULT_PORTS.bedrock),
    lambda: port('LOCAL_PORT_LAMBDA', DEFAULT_PORTS.lambda),
    bedrockControl: port('LOCAL_PORT_BEDROCK_CONTROL', DEFAULT_PORTS.bedrockControl),
  };
  const retired = (process.env.LOCAL_BEDROCK_RETIRED ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);

  console.log('Building the web app (web/dist)…');
  const webProblem = await buildWebApp();

  const stack = await startStack({
    dataDir,
    ports,
    host: process.env.HOST ?? '127.0.0.1',
    stage: process.env.STAGE ?? 'dev',
    bedrock,
    retiredModels: retired,
    ...(webProblem === undefined ? { webRoot: WEB_DIST } : {}),
    log: process.env.LOG_REQUESTS !== 'false',
  });

  const lines = [
    '',
    'Local stack is up. State persists in ' +
      path.relative(process.cwd(), dataDir) +
      '/ (`npm run dev -- --reset` clears it).',
    '',
    `  API (invoke URL)   ${stack.invokeUrl}`,
    // Only a URL that answers with the app: anything else would send people to a 403.
    stack.webUrl
      ? `  Web app            ${stack.webUrl}`
      : `  Web app            NOT SERVED: ${webProblem ?? 'web/dist/index.html is missing'} (fix, then restart)`,
    `  S3 stand-in        ${stack.urls.s3}  (bucket ${stack.bucket})`,
    `  DynamoDB (dynalite) ${stack.urls.dynamodb}  (table ${stack.table})`,
    `  Cognito stand-in   ${stack.urls.cognito}  (pool ${stack.config.userPoolId})`,
    `  Bedrock            ${stack.urls.bedrock}${bedrock === 'local' ? '  (LOCAL STAND-IN: pictures are synthetic)' : '  (real Amazon Bedrock)'}`,
    `  Lambda Invoke API  ${stack.urls.lambda}`,
    ...(bedrock === 'local'
      ? [`  Bedrock control    ${stack.urls.bedrockControl}  (stand-in for npm run ready)`]
      : []),
    '',
    'Try:',
    `  curl -s -X POST ${stack.invokeUrl}/generate -H 'Content-Type: application/json' -d '{"prompt":"a lighthouse at dawn"}'`,
    `  curl -sL -o cat.png "${stack.invokeUrl}/generate?prompt=image%20of%20a%20cat"`,
    '  npm run user -- create you@example.com' +
      (stack.webUrl ? `   (then sign in at ${stack.webUrl})` : ''),
    '  npm run ready -- --target local',
    '',
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping local stack…');
    stack.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
