import { jest } from '@jest/globals';
import { ApiClient, ApiError, postToPresignedForm } from './client.js';

type Call = { url: string; init: RequestInit };

function stubFetch(responses: Response[]): { fetchImpl: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchImpl = (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: input instanceof Request ? input.url : input.toString(), init: init ?? {} });
    const next = responses.shift();
    if (!next) return Promise.reject(new TypeError('no more responses'));
    return Promise.resolve(next);
  };
  return { fetchImpl, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function client(fetchImpl: typeof fetch, onUnauthorized = jest.fn()) {
  return new ApiClient({
    invokeUrl: 'http://api.test/dev',
    getIdToken: () => Promise.resolve('id-token'),
    onUnauthorized,
    fetchImpl,
  });
}

describe('ApiClient', () => {
  it('sends the ID token as Authorization and JSON bodies to the stage URL', async () => {
    const result = { id: '1', image_url: 'u', images: [], model: 'm' };
    const { fetchImpl, calls } = stubFetch([json(200, result)]);

    await expect(client(fetchImpl).generate({ prompt: 'cat' })).resolves.toEqual(result);

    expect(calls[0]?.url).toBe('http://api.test/dev/generate');
    expect(calls[0]?.init.headers).toMatchObject({
      Authorization: 'id-token',
      'Content-Type': 'application/json',
    });
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ prompt: 'cat' });
  });

  it("surfaces the API's error message and code", async () => {
    const { fetchImpl } = stubFetch([
      json(422, { error: { code: 'CONTENT_FILTERED', message: 'The prompt was blocked.' } }),
    ]);

    const error = await client(fetchImpl)
      .generate({ prompt: 'x' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'CONTENT_FILTERED', message: 'The prompt was blocked.' });
  });

  it('gives a readable message when the body is not the error shape', async () => {
    const { fetchImpl } = stubFetch([new Response('<html>Bad gateway</html>', { status: 502 })]);
    await expect(client(fetchImpl).history(10)).rejects.toThrow(/502/);
  });

  it('retries a 401 once, then signs out', async () => {
    const onUnauthorized = jest.fn();
    const unauthorized = () =>
      json(401, { error: { code: 'UNAUTHORIZED', message: 'Sign in first' } });
    const { fetchImpl, calls } = stubFetch([unauthorized(), unauthorized()]);

    await expect(client(fetchImpl, onUnauthorized).history(5)).rejects.toThrow('Sign in first');

    expect(calls).toHaveLength(2);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('builds history queries and handles 204 on delete', async () => {
    const { fetchImpl, calls } = stubFetch([
      json(200, { items: [] }),
      new Response(null, { status: 204 }),
    ]);
    const api = client(fetchImpl);

    await api.history(12, 'abc/=');
    await expect(api.deleteHistoryItem('id 1')).resolves.toBeUndefined();

    expect(calls[0]?.url).toBe('http://api.test/dev/history?limit=12&cursor=abc%2F%3D');
    expect(calls[1]?.url).toBe('http://api.test/dev/history/id%201');
    expect(calls[1]?.init.method).toBe('DELETE');
  });

  it('sends jobs with their Idempotency-Key and reads them by encoded id', async () => {
    const { fetchImpl, calls } = stubFetch([
      json(202, { id: 'j 1', status: 'queued', statusUrl: '/jobs/j%201' }),
      json(200, { id: 'j 1', status: 'running' }),
    ]);
    const api = client(fetchImpl);

    await api.createJob({ type: 'generate', prompt: 'cat' }, 'key-1');
    await api.getJob('j 1');

    expect(calls[0]?.url).toBe('http://api.test/dev/jobs');
    expect(calls[0]?.init.headers).toMatchObject({
      Authorization: 'id-token',
      'Idempotency-Key': 'key-1',
    });
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ type: 'generate', prompt: 'cat' });
    expect(calls[1]?.url).toBe('http://api.test/dev/jobs/j%201');
    expect(calls[1]?.init.method).toBe('GET');
  });

  it('turns a network failure into a readable error', async () => {
    const { fetchImpl } = stubFetch([]);
    await expect(client(fetchImpl).history(1)).rejects.toMatchObject({ code: 'NETWORK' });
  });
});

describe('postToPresignedForm', () => {
  it('sends every field first and the file last', async () => {
    const { fetchImpl, calls } = stubFetch([new Response(null, { status: 204 })]);
    const ticket = {
      key: 'uploads/1.png',
      url: 'http://s3.test/bucket',
      fields: { key: 'uploads/1.png', Policy: 'p', 'X-Amz-Signature': 's' },
    };

    await postToPresignedForm(ticket, new Blob([new Uint8Array([1, 2, 3])]), fetchImpl);

    const form = calls[0]?.init.body as FormData;
    expect([...form.keys()]).toEqual(['key', 'Policy', 'X-Amz-Signature', 'file']);
    expect(calls[0]?.url).toBe('http://s3.test/bucket');
  });

  it("reports S3's XML error message", async () => {
    const xml = '<Error><Code>EntityTooLarge</Code><Message>Too big</Message></Error>';
    const { fetchImpl } = stubFetch([new Response(xml, { status: 400 })]);
    await expect(
      postToPresignedForm({ key: 'k', url: 'http://s3.test', fields: {} }, new Blob([]), fetchImpl),
    ).rejects.toThrow('Too big');
  });
});
