/**
 * `npm run user -- create <email>` and `npm run user -- token <email> --password <P> [--new-password <Q>]`.
 * Works against the local stack (default; start `npm run dev` first) and, with `--target aws`, against
 * the user pool Terraform created (reads `terraform output -json`, uses your AWS credentials).
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './build.js';
import { createUserWithTemporaryPassword, temporaryPassword } from './cognito-users.js';
import { completeNewPassword, signInWithSrp } from '../web/src/auth/srp-sign-in.js';
import { LOCAL_CREDENTIALS } from './local/stack.js';

interface PoolTarget {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
  clientId: string;
}

function localTarget(): PoolTarget {
  const dataDir = path.resolve(process.env.LOCAL_DATA_DIR ?? path.join(REPO_ROOT, '.local'));
  let stack: {
    urls: { cognito: string };
    config: { userPoolId: string; userPoolClientId: string; region: string };
  };
  try {
    stack = JSON.parse(readFileSync(path.join(dataDir, 'stack.json'), 'utf8')) as typeof stack;
  } catch {
    throw new Error(
      `No local stack found in ${dataDir}: start it with \`npm run dev\` in another terminal.`,
    );
  }
  return {
    client: new CognitoIdentityProviderClient({
      region: stack.config.region,
      endpoint: stack.urls.cognito,
      credentials: LOCAL_CREDENTIALS,
    }),
    userPoolId: stack.config.userPoolId,
    clientId: stack.config.userPoolClientId,
  };
}

function awsTarget(): PoolTarget {
  const raw = execFileSync(
    'terraform',
    [`-chdir=${path.join(REPO_ROOT, 'terraform')}`, 'output', '-json'],
    {
      encoding: 'utf8',
    },
  );
  const outputs = JSON.parse(raw) as Record<string, { value: string } | undefined>;
  const value = (name: string): string => {
    const found = outputs[name]?.value;
    if (!found)
      throw new Error(`terraform output "${name}" is missing: run terraform apply first.`);
    return found;
  };
  return {
    client: new CognitoIdentityProviderClient({ region: value('region') }),
    userPoolId: value('user_pool_id'),
    clientId: value('user_pool_client_id'),
  };
}

async function create(target: PoolTarget, email: string, password?: string): Promise<void> {
  const temporary = password ?? temporaryPassword();
  const result = await createUserWithTemporaryPassword(target.client, {
    userPoolId: target.userPoolId,
    email,
    temporaryPassword: temporary,
  });
  console.log(
    JSON.stringify(
      {
        email,
        temporaryPassword: temporary,
        userPoolId: target.userPoolId,
        status: result.User?.UserStatus,
      },
      null,
      2,
    ),
  );
}

async function token(
  target: PoolTarget,
  email: string,
  password: string,
  newPassword: string | undefined,
  asJson: boolean,
): Promise<void> {
  // SRP, as the SPA signs in: the password itself never goes to Cognito.
  const first = await signInWithSrp(target.client, {
    userPoolId: target.userPoolId,
    clientId: target.clientId,
    username: email,
    password,
  });
  let auth: AuthenticationResultType;
  if (first.kind === 'new-password-required') {
    if (!newPassword) {
      throw new Error(
        'First sign-in: this user must choose a new password. Add --new-password <Q>.',
      );
    }
    auth = await completeNewPassword(target.client, {
      clientId: target.clientId,
      session: first.session,
      username: first.username,
      newPassword,
    });
  } else {
    auth = first.result;
  }
  if (asJson) {
    console.log(
      JSON.stringify(
        {
          idToken: auth.IdToken,
          accessToken: auth.AccessToken,
          refreshToken: auth.RefreshToken,
          expiresIn: auth.ExpiresIn,
        },
        null,
        2,
      ),
    );
  } else {
    console.log(auth.IdToken);
  }
}

const USAGE = `Usage:
  npm run user -- create <email> [--temporary-password <P>] [--target local|aws]
  npm run user -- token <email> --password <P> [--new-password <Q>] [--json] [--target local|aws]`;

async function main(): Promise<void> {
  // The SDK warns on Node 20 about releases after January 2027; the lockfile pins what we use.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      target: { type: 'string', default: 'local' },
      password: { type: 'string' },
      'new-password': { type: 'string' },
      'temporary-password': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, email] = positionals;
  if (values.help || !command || !email) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  if (values.target !== 'local' && values.target !== 'aws')
    throw new Error('--target must be local or aws');
  const target = values.target === 'aws' ? awsTarget() : localTarget();
  if (command === 'create') {
    await create(target, email, values['temporary-password']);
  } else if (command === 'token') {
    if (!values.password) throw new Error('token needs --password <P>');
    await token(target, email, values.password, values['new-password'], values.json);
  } else {
    console.error(USAGE);
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  console.error(`${name === 'Error' ? '' : name + ': '}${message}`);
  process.exit(1);
});
