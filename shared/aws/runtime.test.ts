import { ConfigError, type AppConfig } from '../config.js';
import { TEST_BUCKET, TEST_ENV } from './test-runtime.js';
import { initRuntime } from './runtime.js';

/** A builder that records what it was given and how often it ran. */
function countingBuilder() {
  const configs: AppConfig[] = [];
  const build = (config: AppConfig) => {
    configs.push(config);
    return { config, built: configs.length };
  };
  return { configs, build };
}

describe('initRuntime', () => {
  it('builds the runtime once, at init, from the validated environment', () => {
    const { configs, build } = countingBuilder();

    const provide = initRuntime(build, TEST_ENV);

    expect(configs).toHaveLength(1);
    expect(configs[0]?.bucketName).toBe(TEST_BUCKET);
    const first = provide();
    const second = provide();
    expect(second).toBe(first);
    expect(configs).toHaveLength(1);
  });

  it('keeps a configuration error for every request, naming the variable, without building', () => {
    const { configs, build } = countingBuilder();
    const { BUCKET_NAME: _missing, ...withoutBucket } = TEST_ENV;

    const provide = initRuntime(build, withoutBucket);

    expect(configs).toHaveLength(0);
    expect(provide).toThrow(ConfigError);
    expect(provide).toThrow(/BUCKET_NAME is required/);
  });

  it('keeps an error thrown while building for every request', () => {
    const failure = new Error(
      'Invalid environment: JOB_WORKER_TIMEOUT_SECONDS must be a whole number',
    );
    let calls = 0;

    const provide = initRuntime(() => {
      calls += 1;
      throw failure;
    }, TEST_ENV);

    expect(provide).toThrow(failure);
    expect(provide).toThrow(failure);
    expect(calls).toBe(1);
  });
});
