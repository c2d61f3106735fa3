import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { awsTarget, localTarget } from './ready.js';

/** `terraform output -json` as Terraform prints it after an apply with dev.tfvars. */
function outputs(overrides: Record<string, unknown> = {}): Record<string, { value: unknown }> {
  const values: Record<string, unknown> = {
    region: 'us-west-2',
    invoke_url: 'https://abc123.execute-api.us-west-2.amazonaws.com/dev',
    user_pool_id: 'us-west-2_Example',
    user_pool_client_id: '3example4client5id',
    generate_auth: 'none',
    api_key_value: null,
    models: {
      region: 'us-east-1',
      default: 'stability.stable-image-core-v1:1',
      allowed: ['stability.stable-image-core-v1:1'],
      edit: { inpaint: 'us.stability.stable-image-inpaint-v1:0' },
    },
    ...overrides,
  };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value }]));
}

describe('awsTarget (terraform output -json)', () => {
  it('checks models in the Bedrock region and smoke-tests the invoke URL and user pool', async () => {
    const target = awsTarget(outputs());
    expect(target.region).toBe('us-east-1');
    expect(await target.bedrock('us-east-1').config.region()).toBe('us-east-1');
    expect(await target.smoke.cognito.config.region()).toBe('us-west-2');
    expect(target.models.edit).toEqual({ inpaint: 'us.stability.stable-image-inpaint-v1:0' });
    expect(target.smoke).toMatchObject({
      invokeUrl: 'https://abc123.execute-api.us-west-2.amazonaws.com/dev',
      userPoolId: 'us-west-2_Example',
      clientId: '3example4client5id',
      generateAuth: 'none',
    });
    expect(target.smoke.apiKey).toBeUndefined();
    target.close();
  });

  it('passes the API key when the generate routes need one', () => {
    const target = awsTarget(outputs({ generate_auth: 'api_key', api_key_value: 'k-123' }));
    expect(target.smoke).toMatchObject({ generateAuth: 'api_key', apiKey: 'k-123' });
    target.close();
  });

  it('says to apply first when an output is missing', () => {
    expect(() => awsTarget(outputs({ models: null }))).toThrow(
      'terraform output "models" is missing: run terraform apply first.',
    );
  });
});

describe('localTarget (.local/stack.json)', () => {
  it('says to start the stack when there is none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ready-'));
    expect(() => localTarget(dir)).toThrow('start it with `npm run dev` first');
    await writeFile(
      path.join(dir, 'stack.json'),
      JSON.stringify({ urls: { cognito: 'http://x' }, config: {} }),
    );
    expect(() => localTarget(dir)).toThrow('restart `npm run dev`');
    await rm(dir, { recursive: true, force: true });
  });
});
