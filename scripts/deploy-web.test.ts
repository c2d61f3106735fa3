import {
  AmplifyClient,
  CreateDeploymentCommand,
  GetJobCommand,
  StartDeploymentCommand,
  type Job,
  type JobStatus,
  type Step,
} from '@aws-sdk/client-amplify';
import { mockClient } from 'aws-sdk-client-mock';
import { strFromU8, unzipSync } from 'fflate';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  collectSiteFiles,
  deployToAmplify,
  readTerraformOutputs,
  zipSite,
  type RunCommand,
} from './deploy-web.js';

const CONFIG_JS =
  'window.APP_CONFIG = {"invokeUrl":"https://abc.execute-api.eu-west-1.amazonaws.com/prod"};';

function terraformOutputs(overrides: Record<string, unknown> = {}): string {
  const values: Record<string, unknown> = {
    amplify_app_id: 'd1a2b3c4d5e6f7',
    amplify_branch: 'main',
    region: 'eu-west-1',
    web_url: 'https://main.d1a2b3c4d5e6f7.amplifyapp.com',
    config_js: CONFIG_JS,
    ...overrides,
  };
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(values).map(([name, value]) => [
        name,
        { sensitive: false, type: 'string', value },
      ]),
    ),
  );
}

describe('readTerraformOutputs', () => {
  it('reads the deploy target from terraform output -json', async () => {
    const calls: string[][] = [];
    const run: RunCommand = (file, args) => {
      calls.push([file, ...args]);
      return Promise.resolve(terraformOutputs());
    };
    const target = await readTerraformOutputs(run);
    expect(calls).toEqual([['terraform', '-chdir=terraform', 'output', '-json']]);
    expect(target).toEqual({
      appId: 'd1a2b3c4d5e6f7',
      branch: 'main',
      region: 'eu-west-1',
      webUrl: 'https://main.d1a2b3c4d5e6f7.amplifyapp.com',
      configJs: `${CONFIG_JS}\n`,
    });
  });

  it('names a missing output', async () => {
    const run: RunCommand = () => Promise.resolve(terraformOutputs({ amplify_app_id: null }));
    await expect(readTerraformOutputs(run)).rejects.toThrow(/"amplify_app_id" is missing/);
  });

  it('says to apply Terraform when the state has no outputs', async () => {
    const run: RunCommand = () => Promise.resolve('{}\n');
    await expect(readTerraformOutputs(run)).rejects.toThrow(/no outputs.*apply/);
  });

  it('refuses a config_js that does not set window.APP_CONFIG', async () => {
    const run: RunCommand = () => Promise.resolve(terraformOutputs({ config_js: 'var x = 1;' }));
    await expect(readTerraformOutputs(run)).rejects.toThrow(/window\.APP_CONFIG/);
  });

  it('says to apply Terraform when the outputs cannot be read', async () => {
    const run: RunCommand = () => Promise.reject(new Error('No outputs found'));
    await expect(readTerraformOutputs(run)).rejects.toThrow(/terraform -chdir=terraform apply/);
  });
});

describe('site zip', () => {
  let distDir: string;

  beforeEach(async () => {
    distDir = await mkdtemp(path.join(tmpdir(), 'deploy-web-'));
    await mkdir(path.join(distDir, 'assets'));
    await writeFile(path.join(distDir, 'index.html'), '<script src="/config.js"></script>');
    await writeFile(path.join(distDir, 'assets', 'index-abc.js'), 'console.log(1)');
    await writeFile(path.join(distDir, 'assets', 'index-abc.css'), 'body{}');
  });

  afterEach(async () => {
    await rm(distDir, { recursive: true, force: true });
  });

  it('adds config.js and keeps paths relative to the site root', async () => {
    const files = await collectSiteFiles(distDir, CONFIG_JS);
    expect([...files.keys()]).toEqual([
      'assets/index-abc.css',
      'assets/index-abc.js',
      'config.js',
      'index.html',
    ]);
    const unzipped = unzipSync(zipSite(files));
    expect(Object.keys(unzipped).sort()).toEqual([...files.keys()]);
    expect(strFromU8(unzipped['config.js']!)).toBe(CONFIG_JS);
    expect(strFromU8(unzipped['assets/index-abc.js']!)).toBe('console.log(1)');
  });

  it('replaces a local config.js that the build copied from web/public', async () => {
    await writeFile(path.join(distDir, 'config.js'), 'window.APP_CONFIG = { local: true };');
    const files = await collectSiteFiles(distDir, CONFIG_JS);
    expect(strFromU8(files.get('config.js')!)).toBe(CONFIG_JS);
  });

  it('gives byte-identical zips for the same files, whatever order they come in', async () => {
    const files = await collectSiteFiles(distDir, CONFIG_JS);
    const reversed = new Map([...files.entries()].reverse());
    expect(Buffer.from(zipSite(reversed)).equals(Buffer.from(zipSite(files)))).toBe(true);
    const again = await collectSiteFiles(distDir, CONFIG_JS);
    expect(Buffer.from(zipSite(again)).equals(Buffer.from(zipSite(files)))).toBe(true);
  });

  it('changes the zip when the configuration changes', async () => {
    const one = zipSite(await collectSiteFiles(distDir, CONFIG_JS));
    const other = zipSite(
      await collectSiteFiles(distDir, CONFIG_JS.replace('eu-west-1', 'us-east-1')),
    );
    expect(Buffer.from(one).equals(Buffer.from(other))).toBe(false);
  });

  it('asks for a build when index.html is missing', async () => {
    await rm(path.join(distDir, 'index.html'));
    await expect(collectSiteFiles(distDir, CONFIG_JS)).rejects.toThrow(/npm run build:web/);
  });
});

/** A GetJob answer in the given state (the summary fields the script does not read are filler). */
function job(status: JobStatus, steps: Step[] = []): { job: Job } {
  const time = new Date('2026-01-01T00:00:00Z');
  return {
    job: {
      summary: {
        jobArn: 'arn:aws:amplify:eu-west-1:123456789012:apps/d1a2b3c4d5e6f7/branches/main/jobs/7',
        jobId: '7',
        commitId: 'manual',
        commitMessage: '',
        commitTime: time,
        startTime: time,
        status,
        jobType: 'MANUAL',
      },
      steps,
    },
  };
}

describe('deployToAmplify', () => {
  const amplify = mockClient(AmplifyClient);
  const target = { appId: 'd1a2b3c4d5e6f7', branch: 'main' };
  const zip = new Uint8Array([80, 75, 5, 6, 1, 2, 3]);
  const uploadUrl = 'https://uploads.example.test/deployment.zip?X-Amz-Signature=abc';

  /** Every AWS call and the upload, in the order they happened. */
  let events: string[];

  beforeEach(() => {
    events = [];
    amplify.reset();
    amplify.on(CreateDeploymentCommand).callsFake(() => {
      events.push('CreateDeployment');
      return { jobId: '7', zipUploadUrl: uploadUrl };
    });
    amplify.on(StartDeploymentCommand).callsFake(() => {
      events.push('StartDeployment');
      return {};
    });
  });

  function recordingFetch(status = 200) {
    const requests: { url: string; method?: string; body?: unknown }[] = [];
    const fetchImpl = ((url: string, init?: RequestInit) => {
      requests.push({ url, method: init?.method, body: init?.body });
      events.push('PUT zip');
      return Promise.resolve(new Response(status === 200 ? '' : 'AccessDenied', { status }));
    }) as typeof fetch;
    return { requests, fetchImpl };
  }

  it('creates, uploads, starts and polls until the job succeeds', async () => {
    amplify
      .on(GetJobCommand)
      .resolvesOnce(job('PENDING'))
      .resolvesOnce(job('RUNNING'))
      .resolves(job('SUCCEED'));
    const { requests, fetchImpl } = recordingFetch();
    const lines: string[] = [];

    const result = await deployToAmplify({
      client: new AmplifyClient({ region: 'eu-west-1' }),
      target,
      zip,
      fetchImpl,
      log: (line) => lines.push(line),
      pollIntervalMs: 1,
    });

    expect(result).toEqual({ jobId: '7', status: 'SUCCEED' });
    const where = { appId: target.appId, branchName: 'main' };
    expect(amplify.commandCalls(CreateDeploymentCommand)[0]?.args[0].input).toEqual(where);
    expect(requests).toEqual([{ url: uploadUrl, method: 'PUT', body: zip }]);
    expect(amplify.commandCalls(StartDeploymentCommand)[0]?.args[0].input).toEqual({
      ...where,
      jobId: '7',
    });
    expect(amplify.commandCalls(GetJobCommand)).toHaveLength(3);
    // The order the Amplify docs require: the upload happens between create and start.
    expect(events).toEqual(['CreateDeployment', 'PUT zip', 'StartDeployment']);
    expect(lines.filter((line) => line.startsWith('  '))).toEqual([
      '  PENDING',
      '  RUNNING',
      '  SUCCEED',
    ]);
  });

  it('reports a failed job with the failing step', async () => {
    const time = new Date('2026-01-01T00:00:00Z');
    amplify.on(GetJobCommand).resolves(
      job('FAILED', [
        {
          stepName: 'DEPLOY',
          status: 'FAILED',
          statusReason: 'index.html not found',
          logUrl: 'https://logs.example.test/1',
          startTime: time,
          endTime: time,
        },
      ]),
    );
    const lines: string[] = [];
    const result = await deployToAmplify({
      client: new AmplifyClient({ region: 'eu-west-1' }),
      target,
      zip,
      fetchImpl: recordingFetch().fetchImpl,
      log: (line) => lines.push(line),
      pollIntervalMs: 1,
    });
    expect(result.status).toBe('FAILED');
    expect(lines.join('\n')).toContain('DEPLOY: FAILED index.html not found');
    expect(lines.join('\n')).toContain('https://logs.example.test/1');
  });

  it('does not start a deployment when the upload is refused', async () => {
    await expect(
      deployToAmplify({
        client: new AmplifyClient({ region: 'eu-west-1' }),
        target,
        zip,
        fetchImpl: recordingFetch(403).fetchImpl,
        log: () => undefined,
      }),
    ).rejects.toThrow(/refused \(403\)/);
    expect(amplify.commandCalls(StartDeploymentCommand)).toHaveLength(0);
  });
});
