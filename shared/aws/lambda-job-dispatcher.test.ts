import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import { LambdaJobDispatcher } from './lambda-job-dispatcher.js';
import { TEST_REGION, serviceError } from './test-runtime.js';

const lambda = mockClient(LambdaClient);
const client = new LambdaClient({
  region: TEST_REGION,
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
});

beforeEach(() => lambda.reset());

describe('LambdaJobDispatcher', () => {
  it('invokes the worker asynchronously with {"jobId"}', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    await new LambdaJobDispatcher(client, 'imagegen-dev-job-worker').dispatch('job-7');

    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      FunctionName: 'imagegen-dev-job-worker',
      InvocationType: 'Event',
    });
    expect(
      JSON.parse(Buffer.from((input?.Payload as Uint8Array | undefined) ?? []).toString('utf8')),
    ).toEqual({
      jobId: 'job-7',
    });
  });

  it('fails when Lambda does not accept the event', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });

    await expect(new LambdaJobDispatcher(client, 'worker').dispatch('job-7')).rejects.toMatchObject(
      { code: 'UPSTREAM_ERROR' },
    );
  });

  it('passes Lambda errors on', async () => {
    lambda
      .on(InvokeCommand)
      .rejects(serviceError('ResourceNotFoundException', 'Function not found', 404));

    await expect(new LambdaJobDispatcher(client, 'worker').dispatch('job-7')).rejects.toThrow(
      'Function not found',
    );
  });

  it('refuses to start anything without JOB_WORKER_FUNCTION', async () => {
    await expect(
      new LambdaJobDispatcher(client, undefined).dispatch('job-7'),
    ).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('JOB_WORKER_FUNCTION') as unknown,
    });
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
  });
});
