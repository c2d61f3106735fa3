/**
 * A Lambda Invoke endpoint that accepts asynchronous (`Event`) invocations and only records
 * them. The bench points the jobs function at it, so a job is created but not run by the stack,
 * and then runs the job worker itself, in a process of its own, to measure it.
 * Invoke API: POST /2015-03-31/functions/{name}/invocations, 202 for an accepted Event
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedInvocation {
  functionName: string;
  payload: unknown;
}

export interface LambdaInbox {
  /** For `AWS_ENDPOINT_URL_LAMBDA`. */
  url: string;
  invocations: RecordedInvocation[];
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaInbox(): Promise<LambdaInbox> {
  const invocations: RecordedInvocation[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = INVOKE_PATH.exec(request.url?.split('?')[0] ?? '');
      const isEvent = request.headers['x-amz-invocation-type'] === 'Event';
      if (request.method !== 'POST' || !match?.[1] || !isEvent) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: 'bench inbox: only Event invocations' }));
        return;
      }
      invocations.push({
        functionName: decodeURIComponent(match[1]),
        payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
      });
      response.writeHead(202, { 'x-amzn-requestid': `bench-${invocations.length}` });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
