import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

import { LOCAL_CREDENTIALS } from '../local/stack.js';
import { startLambdaInbox, type LambdaInbox } from './lambda-inbox.js';

describe('startLambdaInbox', () => {
  let inbox: LambdaInbox;
  let client: LambdaClient;

  beforeAll(async () => {
    inbox = await startLambdaInbox();
    client = new LambdaClient({
      region: 'us-west-2',
      endpoint: inbox.url,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await inbox.close();
  });

  it('accepts an Event invocation from the real SDK with 202 and records its payload', async () => {
    const response = await client.send(
      new InvokeCommand({
        FunctionName: 'job-worker',
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ jobId: 'job-1' })),
      }),
    );
    expect(response.StatusCode).toBe(202);
    expect(inbox.invocations).toContainEqual({
      functionName: 'job-worker',
      payload: { jobId: 'job-1' },
    });
  });

  it('refuses a synchronous invocation, which it could not answer like the function', async () => {
    const before = inbox.invocations.length;
    await expect(
      client.send(
        new InvokeCommand({
          FunctionName: 'job-worker',
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode('{}'),
        }),
      ),
    ).rejects.toThrow();
    expect(inbox.invocations).toHaveLength(before);
  });
});
