import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLambdaRuntime } from './runtime.js';
import type { InvokeResult, LambdaRuntime } from './runtime.js';
import { parseFunctionName, startLambda } from './server.js';
import type { LambdaServer } from './server.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const decode = (bytes: Uint8Array | undefined): unknown =>
  JSON.parse(Buffer.from(bytes ?? []).toString('utf8'));

describe('startLambda (Invoke API stand-in)', () => {
  let runtime: LambdaRuntime;
  let server: LambdaServer;
  let client: LambdaClient;
  let tempDir: string;
  const failures: { name: string; result: InvokeResult }[] = [];
  const savedEndpoint = process.env.AWS_ENDPOINT_URL_LAMBDA;

  beforeAll(async () => {
    tempDir = await mkdtemp(path.join(tmpdir(), 'lambda-server-'));
    runtime = createLambdaRuntime({
      'job-worker': { bundlePath: fixture('behaviours.mjs'), env: {}, timeoutMs: 2000 },
    });
    server = await startLambda({
      port: 0,
      runtime,
      asyncRetryDelaysMs: [20, 40],
      onAsyncFailure: (name, _requestId, result) => failures.push({ name, result }),
    });
    // The same way the functions find it in the local stack.
    process.env.AWS_ENDPOINT_URL_LAMBDA = server.url;
    client = new LambdaClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await server.close();
    await runtime.close();
    await rm(tempDir, { recursive: true, force: true });
    if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_LAMBDA;
    else process.env.AWS_ENDPOINT_URL_LAMBDA = savedEndpoint;
  });

  it('answers RequestResponse with the payload', async () => {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: 'job-worker',
        Payload: Buffer.from(JSON.stringify({ action: 'echo', n: 1 })),
      }),
    );
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBeUndefined();
    expect(response.ExecutedVersion).toBe('$LATEST');
    expect(decode(response.Payload)).toMatchObject({ event: { action: 'echo', n: 1 } });
  });

  it('accepts a full function ARN', async () => {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:job-worker',
        Payload: Buffer.from(JSON.stringify({ action: 'plain' })),
      }),
    );
    expect(decode(response.Payload)).toEqual({ action: 'plain' });
  });

  it('marks function errors as Unhandled and returns the error document', async () => {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: 'job-worker',
        Payload: Buffer.from(JSON.stringify({ action: 'throw', message: 'no credits left' })),
      }),
    );
    expect(response.StatusCode).toBe(200);
    expect(response.FunctionError).toBe('Unhandled');
    expect(decode(response.Payload)).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'no credits left',
    });
  });

  it('returns ResourceNotFoundException for unknown functions', async () => {
    await expect(
      client.send(new InvokeCommand({ FunctionName: 'nope', Payload: Buffer.from('{}') })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(
        new InvokeCommand({
          FunctionName: 'nope',
          InvocationType: 'Event',
          Payload: Buffer.from('{}'),
        }),
      ),
    ).rejects.toThrow('Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
  });

  it('accepts Event invocations at once and retries failures twice', async () => {
    const file = path.join(tempDir, 'attempts.txt');
    const response = await client.send(
      new InvokeCommand({
        FunctionName: 'job-worker',
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify({ action: 'fail-until', file, succeedOnAttempt: 3 })),
      }),
    );
    expect(response.StatusCode).toBe(202);
    await server.drain();
    const attempts = (await readFile(file, 'utf8')).trim().split('\n');
    expect(attempts).toHaveLength(3);
    // Lambda keeps the request id across retries of one event.
    expect(new Set(attempts).size).toBe(1);
    expect(failures).toEqual([]);
  });

  it('gives up after the third failed attempt of an Event invocation', async () => {
    const file = path.join(tempDir, 'always-failing.txt');
    await client.send(
      new InvokeCommand({
        FunctionName: 'job-worker',
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify({ action: 'fail-until', file, succeedOnAttempt: 99 })),
      }),
    );
    await server.drain();
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(3);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      name: 'job-worker',
      result: { errorMessage: 'attempt 3 failed' },
    });
  });

  it('parses every FunctionName form', () => {
    expect(parseFunctionName('generate')).toBe('generate');
    expect(parseFunctionName('generate:live')).toBe('generate');
    expect(parseFunctionName('123456789012:function:generate')).toBe('generate');
    expect(
      parseFunctionName('arn:aws:lambda:eu-west-1:123456789012:function:generate:$LATEST'),
    ).toBe('generate');
  });
});
