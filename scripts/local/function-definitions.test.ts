import { listFunctions } from '../build.js';
import {
  loadFunctionDefinitions,
  resolveFunction,
  type DeploymentSettings,
} from './function-definitions.js';

const settings: DeploymentSettings = {
  bucket_name: 'bucket',
  table_name: 'table',
  allowed_models: 'a,b',
  default_model: 'a',
  edit_models: '{}',
  bedrock_region: 'us-west-2',
  cors_origin: '*',
  job_worker_function_name: 'worker-fn',
};

describe('shared/deployment/functions.json', () => {
  const definitions = loadFunctionDefinitions();

  it('describes exactly the functions under functions/', async () => {
    expect(Object.keys(definitions.functions).sort()).toEqual((await listFunctions()).sort());
  });

  it('gives API functions the API limits and the job worker its own', () => {
    const generate = resolveFunction(definitions, 'generate', settings);
    expect(generate).toMatchObject({ timeoutMs: 28_000, memoryMb: 1024 });
    expect(generate.environment).toMatchObject({
      BEDROCK_TIMEOUT_MS: '25000',
      POWERTOOLS_SERVICE_NAME: 'generate',
      BUCKET_NAME: 'bucket',
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      // glibc keeps freed memory for the next request (README, Performance).
      MALLOC_MMAP_THRESHOLD_: '33554432',
      MALLOC_TRIM_THRESHOLD_: '67108864',
    });
    expect(generate.environment).not.toHaveProperty('JOB_WORKER_FUNCTION');

    const worker = resolveFunction(definitions, 'job-worker', settings);
    expect(worker).toMatchObject({ timeoutMs: 900_000 });
    expect(worker.environment.BEDROCK_TIMEOUT_MS).toBe('600000');
  });

  it('tells the jobs function which worker to start and how long it may run', () => {
    const jobs = resolveFunction(definitions, 'jobs', settings);
    expect(jobs.environment).toMatchObject({
      JOB_WORKER_FUNCTION: 'worker-fn',
      JOB_WORKER_TIMEOUT_SECONDS: '900',
    });
    const shorter = resolveFunction(definitions, 'jobs', {
      ...settings,
      job_worker_timeout_seconds: '120',
    });
    expect(shorter.environment.JOB_WORKER_TIMEOUT_SECONDS).toBe('120');
  });

  it('refuses a function it does not describe and a setting nobody provides', () => {
    expect(() => resolveFunction(definitions, 'nope', settings)).toThrow('no entry');
    const broken = {
      ...definitions,
      environment: { ...definitions.environment, X: { setting: 'missing' } },
    };
    expect(() => resolveFunction(broken, 'generate', settings)).toThrow('unknown setting: missing');
  });
});
